-- wrk script: every request is a district report (the district servers' side of the tracker).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer bench"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"population":123,"status":"online","invasion":{"cog":"Flunky","skelecog":false,"v2":false,' ..
           '"defeated":1500,"total":4000,"started_at":1700000000}}'
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/internal/v1/districts/Bench%20District%20" .. (n % 50) .. "/report")
end
