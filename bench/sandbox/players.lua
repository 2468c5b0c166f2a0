-- GET /v1/players/%23TAG over the tags in the file named by the TAGS environment variable,
-- one after the other, with the benchmark key.
local tags = {}
for line in io.lines(os.getenv("TAGS")) do tags[#tags + 1] = line end
local i = 0
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
wrk.headers["Accept"] = "application/json"
request = function()
  i = i % #tags + 1
  return wrk.format("GET", "/v1/players/%23" .. tags[i])
end
