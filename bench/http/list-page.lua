-- GET /posts?published=true&limit=20&after={id}: one page of the keyset-paginated list.
local max_id = tonumber(os.getenv("SEED_POSTS") or "10000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/posts?published=true&limit=20&after=" .. math.random(0, max_id - 40))
end
