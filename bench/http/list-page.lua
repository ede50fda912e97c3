-- GET /posts?published=true&limit={PAGE_LIMIT, default 20}&after={id}: one page of the keyset-paginated list.
-- Every page is full: published posts are every other id, so a page of n spans about 2n ids.
local max_id = tonumber(os.getenv("SEED_POSTS") or "10000")
local limit = tonumber(os.getenv("PAGE_LIMIT") or "20")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/posts?published=true&limit=" .. limit .. "&after=" .. math.random(0, max_id - 2 * limit - 40))
end
