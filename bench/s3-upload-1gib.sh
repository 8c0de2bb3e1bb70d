#!/usr/bin/env bash
# S3 streaming check: upload a 1 GiB file through a gateway running with -Xmx128m into s3proxy
# (filesystem storage, same machine), then the same file straight to s3proxy, twice: with the AWS SDK's
# multipart client (what the SDK's transfer manager and `aws s3 cp` do with a large file: the same S3
# operations as the gateway) and with curl as one PutObject, in the same run. Each side first uploads
# WARMUP_MIB (default 512) untimed, so the JIT is warm; the three uploads are repeated ROUNDS (5) times. Records the throughputs, the gateway's ratio to
# each, the gateway's heap (jstat, 100 ms samples), peak RSS and CPU seconds per process and per
# gateway thread group. Writes bench/results/s3-upload-<SIZE>mib.txt.
#   [SEND_CHECKSUM=false] bench/s3-upload-1gib.sh [SIZE_MIB] [PART_SIZE]      (defaults: 1024 8Mi)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
part_size=${2:-8Mi}
send_checksum=${SEND_CHECKSUM:-true}
warmup_mib=${WARMUP_MIB:-512}
rounds=${ROUNDS:-5}
out=bench/results/s3-upload-${size_mib}mib.txt
key=conduit
secret=conduit-bench-secret
bucket=bench

[ -n "${SKIP_BUILD:-}" ] || ./conduit mvn -q -pl gateway-runtime -am package -DskipTests
JAVA_HOME=$(./conduit java-home)
jar=$PWD/gateway-runtime/target/conduit-gateway.jar
s3proxy_jar=$PWD/test-support/target/s3proxy/s3proxy.jar

work=$(mktemp -d)
trap 'kill $gw_pid $s3_pid $sampler 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
gw_pid= s3_pid= sampler=
# Before every timed upload: write back what earlier uploads left in the page cache, so no upload pays
# for another's disk writes (before this, the gateway, which ran right after the fast PutObject of the
# round before, was 0.70-0.77 of the SDK in rounds 2 and 3 and 1.04 in round 1).
settle() { sync; sleep 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); admin=$(free_port); s3port=$(free_port)
s3=http://127.0.0.1:$s3port

echo "bench: writing a ${size_mib} MiB test file"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/payload.bin"
expected=$(sha256sum "$work/payload.bin" | cut -d' ' -f1)
head -c $((warmup_mib * 1024 * 1024)) "$work/payload.bin" > "$work/warmup.bin"

mkdir -p "$work/s3data" "$work/config"
cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=$s3
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$key
s3proxy.credential=$secret
jclouds.provider=filesystem
jclouds.identity=$key
jclouds.credential=$secret
jclouds.filesystem.basedir=$work/s3data
CONF
"$JAVA_HOME/bin/java" -Xmx512m -jar "$s3proxy_jar" --properties "$work/s3proxy.conf" > "$work/s3proxy.log" 2>&1 &
s3_pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$s3/" && break; sleep 0.2; done
# s3proxy checks x-amz-content-sha256; curl 7.x does not send it by itself.
sig=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
curl -fsS "${sig[@]}" -X PUT "$s3/$bucket" > /dev/null

cat > "$work/config/s3.yaml" <<YAML
apiVersion: conduit.io/v1alpha1
kind: EdgeGateway
metadata: {name: bench}
spec:
  limits: {maxBodySize: 8Gi, requestTimeout: 60s}
---
apiVersion: v1
kind: Secret
metadata: {name: s3-keys}
stringData: {accessKeyId: $key, secretAccessKey: $secret}
---
apiVersion: conduit.io/v1alpha1
kind: BlobBackend
metadata: {name: s3}
spec:
  type: s3
  s3: {bucket: $bucket, endpoint: "$s3", forcePathStyle: true, partSize: $part_size, sendChecksum: $send_checksum, credentialsSecretRef: {name: s3-keys}}
---
apiVersion: conduit.io/v1alpha1
kind: RouteRule
metadata: {name: upload}
spec:
  when: {http: {method: POST, path: /upload}}
  send:
    blob: {backendRef: {name: s3}}
YAML

(cd "$work" && exec "$JAVA_HOME/bin/java" -Xmx128m ${GW_JAVA_OPTS:-} -jar "$jar" --config "$work/config" --port "$port" --admin-port "$admin" \
  > gateway.log 2>&1) &
gw_pid=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
java_pid=$(pgrep -f "conduit-gateway.jar --config $work/config" | head -1)
curl -fsS -o /dev/null -X POST -T "$work/warmup.bin" -H 'Content-Type: application/octet-stream' "http://127.0.0.1:$port/upload"

# Heap in use (KiB) sampled every 100 ms: survivors + eden + old generation.
"$JAVA_HOME/bin/jstat" -gc "$java_pid" 100 > "$work/jstat.log" 2>/dev/null &
sampler=$!
baseline_heap=$(awk 'NR==2 {printf "%d", $3+$4+$6+$8}' <("$JAVA_HOME/bin/jstat" -gc "$java_pid"))

# CPU seconds (user+system) a process used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14+$15)/hz}' /proc/"$1"/stat; }
s3_java_pid=$(pgrep -f "s3proxy.jar --properties $work/s3proxy.conf" | head -1)
settle
gw_cpu0=$(cpu "$java_pid"); s3_cpu0=$(cpu "$s3_java_pid")
# CPU ticks per gateway thread (tid, name, user+system), to say where the gateway's CPU went.
thread_ticks() { for t in /proc/"$1"/task/*; do printf '%s\t%s\t%s\n' "${t##*/}" "$(cat "$t/comm")" "$(awk '{print $14+$15}' "$t/stat")"; done 2>/dev/null; }
thread_ticks "$java_pid" > "$work/threads0.tsv"
echo "bench: uploading through the gateway"
curl -sS -X POST -T "$work/payload.bin" -H 'Content-Type: application/octet-stream' \
  -w '\n%{http_code} %{speed_upload} %{time_total}\n' "http://127.0.0.1:$port/upload" > "$work/response.txt"
kill $sampler 2>/dev/null || true
gw_cpu1=$(cpu "$java_pid"); s3_cpu1=$(cpu "$s3_java_pid")
thread_ticks "$java_pid" > "$work/threads1.tsv"
# Per thread group (digits dropped from names), the CPU seconds the upload cost.
gw_threads=$(python3 - "$work/threads0.tsv" "$work/threads1.tsv" "$(getconf CLK_TCK)" <<'PY'
import collections, re, sys
def load(p):
    return {tid: (name, int(t)) for tid, name, t in (l.rstrip('\n').split('\t') for l in open(p) if l.count('\t') == 2)}
before, after, hz = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
groups = collections.Counter()
for tid, (name, ticks) in after.items():
    groups[re.sub(r'[0-9]+', 'N', name)] += ticks - before.get(tid, (name, 0))[1]
print(', '.join(f'{name} {t / hz:.1f}' for name, t in groups.most_common(8) if t > 0))
PY
)
# With GW_JAVA_OPTS=-XX:StartFlightRecording... and JFR_DUMP=file: the gateway's profile of the upload.
[ -z "${JFR_DUMP:-}" ] || "$JAVA_HOME/bin/jcmd" "$java_pid" JFR.dump filename="$JFR_DUMP" > /dev/null
read -r status speed seconds < <(tail -1 "$work/response.txt")
# Bytes over the time until the answer (curl's own average stops counting when the last byte is sent).
speed=$(python3 -c "print($size_mib * 1048576 / $seconds)")
body=$(head -1 "$work/response.txt")
got=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["blobRef"]["sha256"])' "$body" 2>/dev/null || echo "none: $body")
object_key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["blobRef"]["key"])' "$body" 2>/dev/null || echo "")
peak_heap=$(awk 'NR>1 && $3 ~ /^[0-9.]+$/ {v=$3+$4+$6+$8; if (v>m) m=v} END {printf "%d", m}' "$work/jstat.log")
peak_rss=$(awk '/VmHWM/ {print $2}' /proc/"$java_pid"/status)
stored=$(curl -fsS "${sig[@]}" "$s3/$bucket/$object_key" | sha256sum | cut -d' ' -f1)

settle
echo "bench: PUT straight to s3proxy"
direct=$(curl -sS "${sig[@]}" -T "$work/payload.bin" \
  -o /dev/null -w '%{http_code} %{speed_upload} %{time_total}' "$s3/$bucket/direct.bin")
read -r direct_status direct_speed direct_seconds <<< "$direct"
direct_speed=$(python3 -c "print($size_mib * 1048576 / $direct_seconds)")
s3_cpu2=$(cpu "$s3_java_pid")

settle
echo "bench: the AWS SDK's multipart upload straight to s3proxy"
part_bytes=$(python3 -c "u={'Ki':1<<10,'Mi':1<<20,'Gi':1<<30}; s='$part_size'; print(int(s[:-2])*u[s[-2:]] if s[-2:] in u else int(s))")
sdk_out=$("$JAVA_HOME/bin/java" -Xmx256m -cp "$jar" bench/s3-upload/DirectSdkUpload.java "$s3" "$bucket" sdk.bin \
  "$work/payload.bin" "$key" "$secret" "$part_bytes" $((warmup_mib * 1024 * 1024)) 2>"$work/sdk.log" | tail -1)
read -r sdk_status sdk_seconds <<< "$sdk_out"
s3_cpu3=$(cpu "$s3_java_pid")
sdk_stored=$(curl -fsS "${sig[@]}" "$s3/$bucket/sdk.bin" | sha256sum | cut -d' ' -f1)

# Runs on this machine vary by +-20% from one to the next, so the three uploads are repeated, in turn,
# ROUNDS times in all; the ratios are given per round and as medians. (Round 1 is the one above.)
gw_runs=("$seconds") sdk_runs=("$sdk_seconds") put_runs=("$direct_seconds")
for round in $(seq 2 "$rounds"); do
  echo "bench: round $round of $rounds"
  settle
  read -r r_status r_seconds < <(curl -sS -o /dev/null -X POST -T "$work/payload.bin" -H 'Content-Type: application/octet-stream' \
    -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port/upload")
  [ "$r_status" = 201 ] || { echo "bench: round $round through the gateway answered $r_status" >&2; exit 1; }
  gw_runs+=("$r_seconds")
  settle
  read -r _ r_seconds < <("$JAVA_HOME/bin/java" -Xmx256m -cp "$jar" bench/s3-upload/DirectSdkUpload.java "$s3" "$bucket" \
    "sdk-$round.bin" "$work/payload.bin" "$key" "$secret" "$part_bytes" $((warmup_mib * 1024 * 1024)) 2>>"$work/sdk.log" | tail -1)
  sdk_runs+=("$r_seconds")
  settle
  read -r _ r_seconds < <(curl -sS "${sig[@]}" -T "$work/payload.bin" -o /dev/null -w '%{http_code} %{time_total}\n' "$s3/$bucket/direct-$round.bin")
  put_runs+=("$r_seconds")
done
rounds_report=$(python3 - "$size_mib" "${gw_runs[*]}" "${sdk_runs[*]}" "${put_runs[*]}" <<'PY'
import statistics, sys
size = float(sys.argv[1])
gw, sdk, put = ([size / float(x) for x in arg.split()] for arg in sys.argv[2:5])
fmt = lambda xs, d=1: ' '.join(f'{x:.{d}f}' for x in xs)
print(f'gateway MiB/s per round: {fmt(gw)}')
print(f'AWS SDK multipart MiB/s per round: {fmt(sdk)}')
print(f'curl one PutObject MiB/s per round: {fmt(put)}')
print(f'ratio gateway / AWS SDK multipart per round: {fmt([g / d for g, d in zip(gw, sdk)], 2)}; median {statistics.median(g / d for g, d in zip(gw, sdk)):.2f}')
print(f'ratio gateway / curl one PutObject per round: {fmt([g / d for g, d in zip(gw, put)], 2)}; median {statistics.median(g / d for g, d in zip(gw, put)):.2f}')
PY
)
load=$(cut -d' ' -f1-3 /proc/loadavg)

mib() { python3 -c "print(f'{$1/1048576:.1f}')"; }
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "payload: ${size_mib} MiB of random bytes; s3proxy $(basename "$s3proxy_jar") filesystem storage on the same disk"
  echo "gateway: POST /upload octet-stream, -Xmx128m, partSize $part_size, sendChecksum $send_checksum"
  echo "gateway http status: $status"
  echo "gateway sha256 matches file: $([ "$got" = "$expected" ] && echo yes || echo "NO ($got)")"
  echo "stored object sha256 matches file: $([ "$stored" = "$expected" ] && echo yes || echo "NO ($stored)")"
  echo "gateway throughput: $(mib "$speed") MiB/s ($seconds s)"
  echo "direct, AWS SDK multipart (parts of $part_size) http status: $sdk_status, stored sha256 matches file: $([ "$sdk_stored" = "$expected" ] && echo yes || echo no)"
  echo "direct, AWS SDK multipart throughput: $(python3 -c "print(f'{$size_mib/$sdk_seconds:.1f}')") MiB/s ($sdk_seconds s)"
  echo "ratio gateway / AWS SDK multipart: $(python3 -c "print(f'{$speed/($size_mib*1048576/$sdk_seconds):.2f}')")"
  echo "direct, curl one PutObject http status: $direct_status"
  echo "direct, curl one PutObject throughput: $(mib "$direct_speed") MiB/s ($direct_seconds s)"
  echo "ratio gateway / curl one PutObject: $(python3 -c "print(f'{$speed/$direct_speed:.2f}')")"
  echo "heap in use before upload: $((baseline_heap / 1024)) MiB"
  echo "peak heap in use (jstat, 100 ms samples): $((peak_heap / 1024)) MiB"
  echo "heap growth: $(((peak_heap - baseline_heap) / 1024)) MiB"
  echo "peak RSS (VmHWM): $((peak_rss / 1024)) MiB"
  echo "CPU seconds, upload through the gateway: gateway $(python3 -c "print(round($gw_cpu1-$gw_cpu0,1))"), s3proxy $(python3 -c "print(round($s3_cpu1-$s3_cpu0,1))")"
  echo "gateway CPU seconds by thread group: $gw_threads"
  echo "CPU seconds, curl one PutObject: s3proxy $(python3 -c "print(round($s3_cpu2-$s3_cpu1,1))")"
  echo "CPU seconds, AWS SDK multipart (with its warm-up): s3proxy $(python3 -c "print(round($s3_cpu3-$s3_cpu2,1))")"
  echo "rounds: $rounds (each: gateway, AWS SDK multipart, curl one PutObject)"
  echo "$rounds_report"
  echo "load average at the end (1/5/15 min): $load"
} | tee "$out"

[ "$status" = 201 ] && [ "$got" = "$expected" ] && [ "$stored" = "$expected" ] && [ "$sdk_stored" = "$expected" ]
