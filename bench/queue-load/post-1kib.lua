-- POST a 1 KiB JSON body on every request. With PAUSE_MS set, each connection waits that long
-- between a response and its next request (wrk takes whole milliseconds, so the fraction is
-- dithered); queue-load.sh calibrates PAUSE_MS to offer a target rate. Unset, it runs flat out.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local prefix, suffix = '{"kind":"bench","payload":"', '"}'
wrk.body = prefix .. string.rep("x", 1024 - #prefix - #suffix) .. suffix

local pause_ms = tonumber(os.getenv("PAUSE_MS") or "")

function delay()
  if not pause_ms then return 0 end
  local whole = math.floor(pause_ms)
  if math.random() < pause_ms - whole then whole = whole + 1 end
  return whole
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors_status=%d errors_socket=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non2xx, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
