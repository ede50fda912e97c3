-- GET /posts/{id} for ids drawn uniformly from the seeded range (SEED_POSTS, default 10000).
local max_id = tonumber(os.getenv("SEED_POSTS") or "10000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/posts/" .. math.random(1, max_id))
end
