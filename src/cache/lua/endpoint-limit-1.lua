--[[
  endpoint-limit-1: admit one request to a gateway endpoint, or refuse it (issue 7, `redpkt limit`).
  At most ARGV[1] requests per window pass, counted over the cluster with a sliding-window counter:
  the estimate is prev * (1 - elapsed) + cur, where prev is the count of the previous window,
  cur the count of the current one and elapsed the fraction of the current window gone. Unlike a
  fixed window it lets no burst of 2 x limit through across a window edge.
  The clock is the Redis server's (TIME), so instances with skewed clocks share one window.

  KEYS[1]  the endpoint's counter: a hash {w = window index, cur, prev}; expires after 2 windows
  ARGV[1]  limit: requests per window (integer >= 1)
  ARGV[2]  window length in ms (1000 for requests per second)

  Returns {code, retryAfterMs}:
    1, 0    admitted (counted)
    0, ms   RATE_LIMITED: over the limit; retry after ms (not counted)
]]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local index = math.floor(now / window)

local h = redis.call('HMGET', KEYS[1], 'w', 'cur', 'prev')
local w = tonumber(h[1])
local cur = tonumber(h[2]) or 0
local prev = tonumber(h[3]) or 0
if w == nil then
  cur, prev = 0, 0
elseif w == index - 1 then
  prev, cur = cur, 0
elseif w ~= index then
  cur, prev = 0, 0
end

local elapsed = (now % window) / window
local estimate = prev * (1 - elapsed) + cur
local admitted = estimate + 1 <= limit
if admitted then
  cur = cur + 1
end
redis.call('HSET', KEYS[1], 'w', index, 'cur', cur, 'prev', prev)
redis.call('PEXPIRE', KEYS[1], window * 2)
if admitted then
  return {1, 0}
end

-- when the estimate will have room for one more: within this window while prev decays, else the next
local wait
if prev > 0 and cur + 1 <= limit then
  wait = (1 - (limit - 1 - cur) / prev - elapsed) * window
else
  wait = (1 - elapsed) * window
end
return {0, math.max(1, math.ceil(wait))}
