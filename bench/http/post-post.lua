-- POST /posts with a small JSON body, as a blog client would send it.
wrk.method = "POST"
wrk.path = "/posts"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title":"A benchmark post","body":"Written by wrk to measure POST /posts.","published":false}'
