--[[
  claim-limit-3: admit one claim attempt on a packet, or refuse it (DESIGN §3 step 1).
  At most ceil(remaining_count * factor) attempts per packet pass per window, the remaining count
  read when the window opens: the claims a window lets through do not shrink its own limit (with
  3 shares left, 3 claimers arriving together all pass; the next window is sized by what is left).

  KEYS[1]  remaining count of the packet (string integer; absent = unknown)
  KEYS[2]  attempts in the current window (a counter that expires with the window)
  KEYS[3]  the current window's limit (expires with it)
  ARGV[1]  factor, e.g. "1.5"
  ARGV[2]  window length in ms

  Returns {code, retryAfterMs}:
    1, 0    admitted (also when the remaining count is unknown: never refuse blind)
    0, ms   RATE_LIMITED: the window is full; retry after ms
    2, 0    PACKET_EXHAUSTED: the remaining count is 0
]]
local remaining = redis.call('GET', KEYS[1])
if not remaining then
  return {1, 0}
end
remaining = tonumber(remaining)
if remaining <= 0 then
  return {2, 0}
end
local n = redis.call('INCR', KEYS[2])
local limit
if n == 1 then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  limit = math.ceil(remaining * tonumber(ARGV[1]))
  redis.call('SET', KEYS[3], limit, 'PX', ARGV[2])
else
  -- a window opened before this script (claim-limit-2) has no stored limit: size it now
  limit = tonumber(redis.call('GET', KEYS[3]) or math.ceil(remaining * tonumber(ARGV[1])))
end
if n > limit then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 then
    ttl = tonumber(ARGV[2])
  end
  return {0, ttl}
end
return {1, 0}
