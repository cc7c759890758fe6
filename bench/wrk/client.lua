-- wrk script for bench/run.py: traffic from many clients, as production sees it.
--
--   wrk ... -s bench/wrk/client.lua URL -- [tokens=FILE] [method=POST] [body=FILE]
--
-- Every request comes from another client address (X-Forwarded-For, which the project trusts
-- from one proxy) and, with tokens=FILE, signs in as the next user of FILE (one JWT access
-- token a line), so the API's per-client and per-user throttles keep their production rates
-- without answering 429. method=POST with body=FILE sends that JSON body (a reading's draw).
-- Headers given with -H (Host, X-Forwarded-Proto, Accept-Language) go on every request.

local tokens = {}
local method = "GET"
local body = nil
local counter = 0

local thread_count = 0
function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  for _, argument in ipairs(args) do
    local key, value = argument:match("^([%w_]+)=(.*)$")
    if key == "tokens" then
      for line in io.lines(value) do
        if line ~= "" then tokens[#tokens + 1] = line end
      end
    elseif key == "method" then
      method = value
    elseif key == "body" then
      local file = assert(io.open(value, "rb"))
      body = file:read("*a")
      file:close()
    else
      error("client.lua: unknown argument " .. argument)
    end
  end
  -- Threads start far apart so they never share a client address or a user at once.
  counter = (thread_number or 0) * 7919
end

function request()
  counter = counter + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.floor(counter / 65536) % 256, math.floor(counter / 256) % 256, counter % 256
  )
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1]
  end
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, nil, headers, body)
end
