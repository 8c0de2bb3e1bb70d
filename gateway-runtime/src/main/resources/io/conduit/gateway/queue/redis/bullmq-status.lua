-- Conduit: the state of one BullMQ job, looked up in BullMQ's own order, with its details, in one step.
-- KEYS: 1 completed, 2 failed, 3 delayed, 4 prioritized, 5 active, 6 wait, 7 paused, 8 waiting-children, 9 job hash
-- ARGV: 1 job id
-- Reply: {state, attemptsMade, progress, returnvalue, failedReason} (details nil when the hash is gone)

local call = redis.call
local id = ARGV[1]
local state = "unknown"
if call("ZSCORE", KEYS[1], id) then
  state = "completed"
elseif call("ZSCORE", KEYS[2], id) then
  state = "failed"
elseif call("ZSCORE", KEYS[3], id) then
  state = "delayed"
elseif call("ZSCORE", KEYS[4], id) then
  state = "prioritized"
elseif call("LPOS", KEYS[5], id) then
  state = "active"
elseif call("LPOS", KEYS[6], id) or call("LPOS", KEYS[7], id) then
  state = "waiting"
elseif call("ZSCORE", KEYS[8], id) then
  state = "waiting-children"
end
local details = call("HMGET", KEYS[9], "atm", "progress", "returnvalue", "failedReason", "timestamp")
if not details[5] then
  return {state}
end
return {state, details[1] or "0", details[2], details[3], details[4]}
