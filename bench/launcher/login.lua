-- A correct login of the benchmark account (the body is the same for every request).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"bench","password":"correct horse battery staple"}'
