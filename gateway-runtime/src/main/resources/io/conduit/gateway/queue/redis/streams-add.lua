-- Conduit: append one message to a stream (XADD), atomically with its idempotency record.
-- KEYS: 1 stream, 2 idempotency record
-- ARGV: 1 approximate MAXLEN or "", 2 body fingerprint, 3 attempt, 4 record ttl (ms),
--       5 what the record keeps (see IdempotencyRecord), 6.. field, value, ...
-- Record: fingerprint \n attempt \n queueRef JSON (client key) or fingerprint \n attempt \n entry id \n timestamp
-- Reply: {"added", entryId} | {"repeat", attempt, rest of the record after the attempt} | {"conflict"}

local call = redis.call

local record = call("GET", KEYS[2])
if record then
  local first = string.find(record, "\n", 1, true)
  local second = string.find(record, "\n", first + 1, true)
  if string.sub(record, 1, first - 1) ~= ARGV[2] then
    return {"conflict"}
  end
  return {"repeat", string.sub(record, first + 1, second - 1), string.sub(record, second + 1)}
end

-- Fields go to XADD straight from ARGV (no table built in Lua): this script runs once per message.
local id
if ARGV[1] ~= "" then
  id = call("XADD", KEYS[1], "MAXLEN", "~", ARGV[1], "*", unpack(ARGV, 6))
else
  id = call("XADD", KEYS[1], "*", unpack(ARGV, 6))
end

local ttl = tonumber(ARGV[4])
if ttl > 0 then
  local kept = ARGV[5]
  if string.sub(kept, 1, 1) == "{" then
    -- A client's key: the queueRef with the entry id in place, as every gateway version reads it.
    -- Plain-text replacement ("@" is not special in Lua patterns; entry ids hold no "%").
    call("SET", KEYS[2], ARGV[2] .. "\n" .. ARGV[3] .. "\n" .. (string.gsub(kept, "@@messageId@@", id)), "PX", ttl)
  else
    -- The gateway's own retry key, read back only by the request that wrote it: short.
    call("SET", KEYS[2], ARGV[2] .. "\n" .. ARGV[3] .. "\n" .. id .. "\n" .. kept, "PX", ttl)
  end
end
return {"added", id}
