#!/usr/bin/env bash
# Streaming check: upload a 1 GiB file to a gateway running with -Xmx128m and record throughput,
# peak heap (sampled with jstat) and peak RSS. Writes bench/results/upload-1gib.txt.
#   bench/upload-1gib.sh [SIZE_MIB] [octet|multipart]      (defaults: 1024 octet)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
mode=${2:-octet}
out=bench/results/upload-1gib-$mode.txt

./conduit mvn -q -pl gateway-runtime -am package -DskipTests
JAVA_HOME=$(./conduit java-home)
jar=$PWD/gateway-runtime/target/conduit-gateway.jar

work=$(mktemp -d)
trap 'kill $gw_pid 2>/dev/null || true; kill $sampler 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
admin=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

echo "bench: writing a ${size_mib} MiB test file"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/payload.bin"
expected=$(sha256sum "$work/payload.bin" | cut -d' ' -f1)

(cd "$work" && exec "$JAVA_HOME/bin/java" -Xmx128m -jar "$jar" --port "$port" --admin-port "$admin" > gateway.log 2>&1) &
gw_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
java_pid=$(pgrep -f "conduit-gateway.jar --port $port" | head -1)

# Heap in use (KiB) sampled every 100 ms: survivors + eden + old generation.
"$JAVA_HOME/bin/jstat" -gc "$java_pid" 100 > "$work/jstat.log" 2>/dev/null &
sampler=$!
baseline_heap=$(awk 'NR==2 {printf "%d", $3+$4+$6+$8}' <("$JAVA_HOME/bin/jstat" -gc "$java_pid"))

echo "bench: uploading"
if [ "$mode" = multipart ]; then
  curl -sS -F "file=@$work/payload.bin" -F note=bench \
    -w '\n%{http_code} %{speed_upload} %{time_total}\n' "http://127.0.0.1:$port/upload" > "$work/response.txt"
else
  curl -sS -X POST -T "$work/payload.bin" -H 'Content-Type: application/octet-stream' \
    -w '\n%{http_code} %{speed_upload} %{time_total}\n' "http://127.0.0.1:$port/upload" > "$work/response.txt"
fi
kill $sampler 2>/dev/null || true

read -r status speed seconds < <(tail -1 "$work/response.txt")
body=$(head -1 "$work/response.txt")
got=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["blobRef"]["sha256"])' "$body")
peak_heap=$(awk 'NR>1 && $3 ~ /^[0-9.]+$/ {v=$3+$4+$6+$8; if (v>m) m=v} END {printf "%d", m}' "$work/jstat.log")
peak_rss=$(awk '/VmHWM/ {print $2}' /proc/"$java_pid"/status)

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "payload: ${size_mib} MiB of random bytes, POST /upload as $mode (local content-addressed store), gateway -Xmx128m"
  echo "http status: $status"
  echo "sha256 matches: $([ "$got" = "$expected" ] && echo yes || echo "NO ($got != $expected)")"
  echo "throughput: $(python3 -c "print(f'{$speed/1048576:.1f}')") MiB/s ($seconds s)"
  echo "heap in use before upload: $((baseline_heap / 1024)) MiB"
  echo "peak heap in use (jstat, 100 ms samples): $((peak_heap / 1024)) MiB"
  echo "peak RSS (VmHWM): $((peak_rss / 1024)) MiB"
} | tee "$out"

[ "$status" = 201 ] && [ "$got" = "$expected" ]
