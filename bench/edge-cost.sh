#!/usr/bin/env bash
# Edge-cost benchmark: what auth + rate limiting cost on the enqueue path. Two gateways from the same
# jar, in the same run, each with one rule putting 1 KiB JSON bodies on a Redis stream: "plain" has
# no edge policies, "guarded" asks for a token (tenant lookup, constant-time compare) and takes a
# token from two local rate-limit buckets (per token, per route) that never refuse. Metrics and the
# JSON request log are on in both (the gateway has no switch for either; the log goes to a file).
# Passes alternate plain/guarded, ROUNDS times flat out, then once each at the same fixed rate (half
# of plain's best), so both see the same machine load. Writes bench/results/edge-cost.txt.
#   bench/edge-cost.sh                  DURATION=10 CONNECTIONS=32 ROUNDS=2 EVENT_LOOPS=<cores> by default
#   CONDUIT_BENCH_REDIS_URL=redis://host:port   use that Redis instead of a private redis-server
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
rounds=${ROUNDS:-2}
event_loops=${EVENT_LOOPS:-$(nproc)}
out=bench/results/edge-cost.txt
here=bench/edge-cost
lua=bench/queue-load/post-1kib.lua
token=bench-token-$(python3 -c 'import secrets; print(secrets.token_hex(16))')

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
work=$(mktemp -d)
./conduit mvn -q -pl gateway-runtime -am package -DskipTests
JAVA_HOME=$(./conduit java-home)
jar=$PWD/gateway-runtime/target/conduit-gateway.jar

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "bench: $1 never answered" >&2; return 1; }

if [ -n "${CONDUIT_BENCH_REDIS_URL:-}" ]; then
  redis_url=$CONDUIT_BENCH_REDIS_URL
else
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" > "$work/redis.log" 2>&1 &
  pids+=($!)
  redis_url=redis://127.0.0.1:$redis_port
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

declare -A port
for side in plain guarded; do
  mkdir -p "$work/$side"
  sed -e "s|@REDIS_URL@|$redis_url|g" -e "s|@PREFIX@|edge-cost-$side|g" -e "s|@TOKEN@|$token|g" \
    "$here/$side.yaml.in" > "$work/$side/bench.yaml"
  port[$side]=$(free_port)
  "$JAVA_HOME/bin/java" -Xmx256m -jar "$jar" --config "$work/$side" --port "${port[$side]}" --admin-port "$(free_port)" \
    --event-loops "$event_loops" --log "$work/$side.jsonl" > "$work/$side.out" 2>&1 &
  pids+=($!)
done
for side in plain guarded; do wait_http "http://127.0.0.1:${port[$side]}/readyz"; done

url() { echo "http://127.0.0.1:${port[$1]}/q/streams"; }
headers() { [ "$1" = guarded ] && echo "X-Token: $token" || echo "X-Bench: plain"; }

# One wrk pass; prints "rps p50 p99 non2xx socketErrors".
run_wrk() {
  local side=$1 seconds=$2 pause=${3:-}
  PAUSE_MS=$pause wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "$(headers "$side")" -s "$lua" "$(url "$side")" \
    | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["rps"], v["p50_ms"], v["p99_ms"], v["errors_status"], v["errors_socket"] }'
}

# The guarded side refuses a request without its token, and takes one with it.
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{}' "$(url guarded)")
[ "$code" = 401 ] || { echo "bench: guarded answered $code without a token; see $work" >&2; KEEP=1; exit 1; }
for side in plain guarded; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "$(headers "$side")" -d '{}' "$(url "$side")")
  [ "$code" = 202 ] || { echo "bench: $side answered $code to a probe; see $work" >&2; KEEP=1; exit 1; }
  echo "bench: $side: warm-up"
  run_wrk "$side" 5 > /dev/null
done

loads=()
rows=()
for round in $(seq 1 "$rounds"); do
  for side in plain guarded; do
    echo "bench: round $round, $side flat out for ${duration}s"
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    read -r rps p50 p99 bad sock < <(run_wrk "$side" "$duration")
    rows+=("$side flat $round $rps $p50 $p99 $bad $sock")
  done
done
plain_best=$(printf '%s\n' "${rows[@]}" | awk '$1 == "plain" { if ($4 > m) m = $4 } END { print m }')
rate=$(python3 -c "print(int($plain_best / 2))")
for side in plain guarded; do
  # rate = connections / (pause + latency): a short pass at the naive pause measures the latency part.
  pause=$(python3 -c "print($connections * 1000 / $rate)")
  read -r probe_rps _ < <(run_wrk "$side" 3 "$pause")
  pause=$(python3 -c "lat = $connections * 1000 / $probe_rps - $pause; print(max(0.0, $connections * 1000 / $rate - lat))")
  echo "bench: $side at $rate req/s for ${duration}s"
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  read -r rps p50 p99 bad sock < <(run_wrk "$side" "$duration" "$pause")
  rows+=("$side fixed - $rps $p50 $p99 $bad $sock")
done
guarded_logged=$(grep -c '"tenant":"bench"' "$work/guarded.jsonl" || true)

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(redis-server --version | cut -d' ' -f1-3)"
  echo "load: wrk, 1 thread, $connections connections, ${duration}s per pass, 1 KiB JSON bodies to a Redis-streams rule; two gateways -Xmx256m with $event_loops event loop(s) each; client and Redis on the same cores"
  echo "load average (1 min) at the start of each pass: ${loads[*]} (other builds share the machine)"
  echo
  echo "| gateway | pass | round | req/s | p50 ms | p99 ms | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|---|---|"
  for row in "${rows[@]}"; do
    read -r side pass round rps p50 p99 bad sock <<< "$row"
    echo "| $side | $pass | $round | ${rps%.*} | $p50 | $p99 | $bad | $sock |"
  done
  echo
  printf '%s\n' "${rows[@]}" | python3 -c "
import sys
rows = [l.split() for l in sys.stdin if l.strip()]
flat = {s: [float(r[3]) for r in rows if r[0] == s and r[1] == 'flat'] for s in ('plain', 'guarded')}
mean = {s: sum(v) / len(v) for s, v in flat.items()}
fixed = {r[0]: r for r in rows if r[1] == 'fixed'}
print(f\"flat out, mean of rounds: plain {mean['plain']:.0f} req/s, guarded {mean['guarded']:.0f} req/s ({100 * (mean['guarded'] / mean['plain'] - 1):+.1f}%)\")
print(f\"at $rate req/s: p50 {fixed['plain'][4]} -> {fixed['guarded'][4]} ms, p99 {fixed['plain'][5]} -> {fixed['guarded'][5]} ms\")
"
  echo "guarded request log lines naming tenant bench: $guarded_logged"
} | tee "$out"
