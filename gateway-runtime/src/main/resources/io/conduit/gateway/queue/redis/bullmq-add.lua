-- Conduit: add one job in BullMQ 5's Redis layout, atomically, together with its idempotency record.
-- Written for Conduit from the layout BullMQ workers read; see docs/design-notes.md.
--
-- KEYS: 1 wait, 2 paused, 3 meta, 4 id, 5 prioritized, 6 pc, 7 delayed, 8 marker, 9 events,
--       10 active, 11 idempotency record
-- ARGV: 1 job key prefix ("<prefix>:<queue>:"), 2 custom job id or "", 3 name, 4 timestamp (ms),
--       5 data (JSON), 6 opts (JSON), 7 delay (ms), 8 priority, 9 "1" for lifo,
--       10 body fingerprint, 11 attempt, 12 record ttl (ms), 13 what the record keeps (see IdempotencyRecord)
-- Record: fingerprint \n attempt \n queueRef JSON (client key) or fingerprint \n attempt \n job id \n timestamp
-- Reply: {"added", jobId} | {"repeat", attempt, rest of the record after the attempt}
--        | {"exists", jobId, timestamp, delay, priority} | {"conflict"} | {"reserved", jobId}

local call = redis.call

-- Defence in depth (the gateway refuses these ids before it gets here): a custom id must never name one of
-- the queue's own keys, or the hash below would replace the wait list (or meta, or the id counter) for good.
-- Same list as JobIds.RESERVED; any existing key that is not a hash is refused too, whatever a later BullMQ adds.
if ARGV[2] ~= "" then
  local reserved = {
    ["active"] = true, ["wait"] = true, ["waiting-children"] = true, ["paused"] = true, ["id"] = true,
    ["delayed"] = true, ["prioritized"] = true, ["stalled-check"] = true, ["completed"] = true, ["failed"] = true,
    ["stalled"] = true, ["repeat"] = true, ["limiter"] = true, ["meta"] = true, ["events"] = true, ["pc"] = true,
    ["marker"] = true, ["de"] = true, ["dn"] = true, ["priority"] = true, ["metrics"] = true, ["conduit"] = true,
  }
  if reserved[string.lower(ARGV[2])] then
    return {"reserved", ARGV[2]}
  end
  local kind = call("TYPE", ARGV[1] .. ARGV[2])["ok"]
  if kind ~= "none" and kind ~= "hash" then
    return {"reserved", ARGV[2]}
  end
end

-- A key seen within its ttl: the same body answers what the first request got; another body is refused.
local record = call("GET", KEYS[11])
if record then
  local first = string.find(record, "\n", 1, true)
  local second = string.find(record, "\n", first + 1, true)
  if string.sub(record, 1, first - 1) ~= ARGV[10] then
    return {"conflict"}
  end
  return {"repeat", string.sub(record, first + 1, second - 1), string.sub(record, second + 1)}
end

-- BullMQ counts every add, custom ids and duplicates included.
local counter = call("INCR", KEYS[4])
local maxEvents = call("HGET", KEYS[3], "opts.maxLenEvents")
if not maxEvents then
  maxEvents = 10000
  call("HSET", KEYS[3], "opts.maxLenEvents", maxEvents)
end

local jobId = ARGV[2]
if jobId == "" then
  jobId = tostring(counter)
end
local jobKey = ARGV[1] .. jobId

-- An existing custom id is a no-op, as in BullMQ: tell listeners, answer with what is stored.
if ARGV[2] ~= "" and call("EXISTS", jobKey) == 1 then
  call("XADD", KEYS[9], "MAXLEN", "~", maxEvents, "*", "event", "duplicated", "jobId", jobId)
  local stored = call("HMGET", jobKey, "timestamp", "delay", "priority")
  return {"exists", jobId, stored[1] or ARGV[4], stored[2] or "0", stored[3] or "0"}
end

-- The hash first: a worker woken by the lists below must find the whole job.
call("HSET", jobKey, "name", ARGV[3], "data", ARGV[5], "opts", ARGV[6], "timestamp", ARGV[4],
  "delay", ARGV[7], "priority", ARGV[8])
call("XADD", KEYS[9], "MAXLEN", "~", maxEvents, "*", "event", "added", "jobId", jobId, "name", ARGV[3])

local delay = tonumber(ARGV[7])
local priority = tonumber(ARGV[8])
if delay > 0 then
  -- Score = due time * 4096 + a sequence, so jobs due in the same millisecond keep their order.
  local due = tonumber(ARGV[4]) + delay
  local lowest = due * 4096
  local highest = (due + 1) * 4096 - 1
  local score = lowest
  local last = call("ZREVRANGEBYSCORE", KEYS[7], highest, lowest, "WITHSCORES", "LIMIT", 0, 1)
  if last[2] then
    score = math.min(tonumber(last[2]) + 1, highest)
  end
  call("ZADD", KEYS[7], score, jobId)
  call("XADD", KEYS[9], "MAXLEN", "~", maxEvents, "*", "event", "delayed", "jobId", jobId, "delay", due)
  -- Marker "1" carries the next due time, so a blocked worker wakes when the earliest delayed job is due.
  local next = call("ZRANGE", KEYS[7], 0, 0, "WITHSCORES")
  if next[2] then
    call("ZADD", KEYS[8], tonumber(next[2]) / 4096, "1")
  end
else
  local meta = call("HMGET", KEYS[3], "paused", "concurrency")
  local paused = meta[1] ~= false
  local held = paused
  if not held and meta[2] then
    held = call("LLEN", KEYS[10]) >= tonumber(meta[2])
  end
  if priority > 0 then
    local sequence = call("INCR", KEYS[6])
    call("ZADD", KEYS[5], priority * 4294967296 + sequence % 4294967296, jobId)
  else
    local list = paused and KEYS[2] or KEYS[1]
    if ARGV[9] == "1" then
      call("RPUSH", list, jobId)
    else
      call("LPUSH", list, jobId)
    end
  end
  -- Marker "0" wakes a worker blocked on the marker, unless the queue is paused or at its concurrency limit.
  if not held then
    call("ZADD", KEYS[8], 0, "0")
  end
  call("XADD", KEYS[9], "MAXLEN", "~", maxEvents, "*", "event", "waiting", "jobId", jobId)
end

local ttl = tonumber(ARGV[12])
if ttl > 0 then
  local kept = ARGV[13]
  if string.sub(kept, 1, 1) == "{" then
    -- A client's key: the queueRef with the job id in place, as every gateway version reads it.
    local at = string.find(kept, "@@jobId@@", 1, true)
    if at then
      kept = string.sub(kept, 1, at - 1) .. jobId .. string.sub(kept, at + 9)
    end
    call("SET", KEYS[11], ARGV[10] .. "\n" .. ARGV[11] .. "\n" .. kept, "PX", ttl)
  else
    -- The gateway's own retry key, read back only by the request that wrote it: short.
    call("SET", KEYS[11], ARGV[10] .. "\n" .. ARGV[11] .. "\n" .. jobId .. "\n" .. kept, "PX", ttl)
  end
end
return {"added", jobId}
