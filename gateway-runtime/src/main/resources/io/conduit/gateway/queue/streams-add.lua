-- Conduit: append one message to a stream (XADD), atomically with its idempotency record.
-- KEYS: 1 stream, 2 idempotency record
-- ARGV: 1 approximate MAXLEN or "", 2 body fingerprint, 3 attempt, 4 record ttl (ms),
--       5 queueRef JSON with "@@messageId@@" in place of the entry id, 6.. field, value, ...
-- Reply: {"added", entryId} | {"repeat", attempt, queueRef JSON} | {"conflict"}

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

local command = {"XADD", KEYS[1]}
if ARGV[1] ~= "" then
  table.insert(command, "MAXLEN")
  table.insert(command, "~")
  table.insert(command, ARGV[1])
end
table.insert(command, "*")
for i = 6, #ARGV do
  table.insert(command, ARGV[i])
end
local id = call(unpack(command))

local ttl = tonumber(ARGV[4])
if ttl > 0 then
  local ref = ARGV[5]
  local at = string.find(ref, "@@messageId@@", 1, true)
  while at do
    ref = string.sub(ref, 1, at - 1) .. id .. string.sub(ref, at + 13)
    at = string.find(ref, "@@messageId@@", 1, true)
  end
  call("SET", KEYS[2], ARGV[2] .. "\n" .. ARGV[3] .. "\n" .. ref, "PX", ttl)
end
return {"added", id}
