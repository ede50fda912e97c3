-- GET /orgs/by-name/org-{id} for the 1000 seeded orgs.
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/orgs/by-name/org-" .. math.random(1, 1000))
end
