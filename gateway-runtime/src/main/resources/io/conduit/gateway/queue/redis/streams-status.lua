-- Conduit: whether a stream entry exists, and where each consumer group stands with it, in one step.
-- KEYS: 1 stream
-- ARGV: 1 entry id
-- Reply: {0} when there is no such entry, else {1, {group, last-delivered-id, consumer or nil, deliveries or nil}, ...}

local call = redis.call
local id = ARGV[1]
if call("EXISTS", KEYS[1]) == 0 or #call("XRANGE", KEYS[1], id, id) == 0 then
  return {0}
end
local reply = {1}
for _, group in ipairs(call("XINFO", "GROUPS", KEYS[1])) do
  local name, last
  for i = 1, #group, 2 do
    if group[i] == "name" then name = group[i + 1] end
    if group[i] == "last-delivered-id" then last = group[i + 1] end
  end
  local pending = call("XPENDING", KEYS[1], name, id, id, 1)
  if pending[1] then
    table.insert(reply, {name, last, pending[1][2], pending[1][4]})
  else
    table.insert(reply, {name, last, false, false})
  end
end
return reply
