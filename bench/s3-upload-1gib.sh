#!/usr/bin/env bash
# S3 streaming check: upload a 1 GiB file through a gateway running with -Xmx128m into s3proxy
# (filesystem storage, same machine), then PUT the same file straight to s3proxy with curl (SigV4),
# in the same run. Records both throughputs, their ratio, the gateway's heap (jstat, 100 ms samples)
# and peak RSS. Writes bench/results/s3-upload-<SIZE>mib.txt.
#   [SEND_CHECKSUM=false] bench/s3-upload-1gib.sh [SIZE_MIB] [PART_SIZE]      (defaults: 1024 8Mi)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
part_size=${2:-8Mi}
send_checksum=${SEND_CHECKSUM:-true}
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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); admin=$(free_port); s3port=$(free_port)
s3=http://127.0.0.1:$s3port

echo "bench: writing a ${size_mib} MiB test file"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/payload.bin"
expected=$(sha256sum "$work/payload.bin" | cut -d' ' -f1)

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
    blob: {backendRef: s3}
YAML

(cd "$work" && exec "$JAVA_HOME/bin/java" -Xmx128m ${GW_JAVA_OPTS:-} -jar "$jar" --config "$work/config" --port "$port" --admin-port "$admin" \
  > gateway.log 2>&1) &
gw_pid=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
java_pid=$(pgrep -f "conduit-gateway.jar --config $work/config" | head -1)

# Heap in use (KiB) sampled every 100 ms: survivors + eden + old generation.
"$JAVA_HOME/bin/jstat" -gc "$java_pid" 100 > "$work/jstat.log" 2>/dev/null &
sampler=$!
baseline_heap=$(awk 'NR==2 {printf "%d", $3+$4+$6+$8}' <("$JAVA_HOME/bin/jstat" -gc "$java_pid"))

# CPU seconds (user+system) a process used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14+$15)/hz}' /proc/"$1"/stat; }
s3_java_pid=$(pgrep -f "s3proxy.jar --properties $work/s3proxy.conf" | head -1)
gw_cpu0=$(cpu "$java_pid"); s3_cpu0=$(cpu "$s3_java_pid")
echo "bench: uploading through the gateway"
curl -sS -X POST -T "$work/payload.bin" -H 'Content-Type: application/octet-stream' \
  -w '\n%{http_code} %{speed_upload} %{time_total}\n' "http://127.0.0.1:$port/upload" > "$work/response.txt"
kill $sampler 2>/dev/null || true
gw_cpu1=$(cpu "$java_pid"); s3_cpu1=$(cpu "$s3_java_pid")
# With GW_JAVA_OPTS=-XX:StartFlightRecording... and JFR_DUMP=file: the gateway's profile of the upload.
[ -z "${JFR_DUMP:-}" ] || "$JAVA_HOME/bin/jcmd" "$java_pid" JFR.dump filename="$JFR_DUMP" > /dev/null
read -r status speed seconds < <(tail -1 "$work/response.txt")
body=$(head -1 "$work/response.txt")
got=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["blobRef"]["sha256"])' "$body" 2>/dev/null || echo "none: $body")
object_key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["blobRef"]["key"])' "$body" 2>/dev/null || echo "")
peak_heap=$(awk 'NR>1 && $3 ~ /^[0-9.]+$/ {v=$3+$4+$6+$8; if (v>m) m=v} END {printf "%d", m}' "$work/jstat.log")
peak_rss=$(awk '/VmHWM/ {print $2}' /proc/"$java_pid"/status)
stored=$(curl -fsS "${sig[@]}" "$s3/$bucket/$object_key" | sha256sum | cut -d' ' -f1)

echo "bench: PUT straight to s3proxy"
direct=$(curl -sS "${sig[@]}" -T "$work/payload.bin" \
  -o /dev/null -w '%{http_code} %{speed_upload} %{time_total}' "$s3/$bucket/direct.bin")
read -r direct_status direct_speed direct_seconds <<< "$direct"
s3_cpu2=$(cpu "$s3_java_pid")
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
  echo "direct PUT (curl SigV4, one PutObject) http status: $direct_status"
  echo "direct throughput: $(mib "$direct_speed") MiB/s ($direct_seconds s)"
  echo "ratio gateway/direct: $(python3 -c "print(f'{$speed/$direct_speed:.2f}')")"
  echo "heap in use before upload: $((baseline_heap / 1024)) MiB"
  echo "peak heap in use (jstat, 100 ms samples): $((peak_heap / 1024)) MiB"
  echo "heap growth: $(((peak_heap - baseline_heap) / 1024)) MiB"
  echo "peak RSS (VmHWM): $((peak_rss / 1024)) MiB"
  echo "CPU seconds, upload through the gateway: gateway $(python3 -c "print(round($gw_cpu1-$gw_cpu0,1))"), s3proxy $(python3 -c "print(round($s3_cpu1-$s3_cpu0,1))")"
  echo "CPU seconds, direct PUT: s3proxy $(python3 -c "print(round($s3_cpu2-$s3_cpu1,1))")"
  echo "load average at the end (1/5/15 min): $load"
} | tee "$out"

[ "$status" = 201 ] && [ "$got" = "$expected" ] && [ "$stored" = "$expected" ]
