--[[
  set-min-1: store a count that only ever goes down (a packet's remaining shares), so that the
  answers of concurrent claims, arriving out of order, cannot raise it again.

  KEYS[1]  the count
  ARGV[1]  the new count (integer)
  ARGV[2]  time to live in ms

  Returns the count now stored.
]]
local new = tonumber(ARGV[1])
local old = redis.call('GET', KEYS[1])
if old and tonumber(old) <= new then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(old)
end
redis.call('SET', KEYS[1], new, 'PX', ARGV[2])
return new
