#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager and kubectl from the wrapper modules once,
# into a cache outside the repository keyed by version, and prints the folder holding them.
# Later calls find the cache and return at once. The folder layout is the one Fabric8's
# kube-api-test reads in offline mode: $CONDUIT_KUBE_DIR/k8s/<version>-linux-amd64/.
#   tools/kube/build.sh          build if missing, print the binaries' folder
#   tools/kube/build.sh --dir    print the folder without building
#   CONDUIT_KUBE_DIR=<dir> ...    another cache folder than ~/.cache/conduit/kube (tests and `./conduit kube`
#                                read the same variable through this script); e.g. to time a cold build
#                                without touching the real cache, with GOCACHE and GOMODCACHE set to empty folders
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"

root=${CONDUIT_KUBE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/conduit/kube}
bin="$root/k8s/${KUBE_VERSION#v}-linux-amd64"
stamp="kubernetes $KUBE_VERSION, etcd $ETCD_VERSION"
if [ "${1:-}" = "--dir" ]; then echo "$bin"; exit 0; fi

built() {
  [ "$(cat "$bin/.built" 2>/dev/null)" = "$stamp" ] &&
    for b in etcd kube-apiserver kube-controller-manager kubectl; do [ -x "$bin/$b" ] || return 1; done
}
if built; then echo "$bin"; exit 0; fi

find_go() {
  local g
  for g in "${GO:-}" "$(command -v go || true)" /usr/local/go/bin/go; do
    [ -n "$g" ] && [ -x "$g" ] || continue
    # Kubernetes 1.37 needs Go 1.26 or newer (its go.mod says so).
    if "$g" env GOVERSION | awk -F'[go.]' '{ exit !($3 > 1 || ($3 == 1 && $4 >= 26)) }'; then echo "$g"; return; fi
  done
  echo "conduit: building Kubernetes $KUBE_VERSION needs Go 1.26 or newer (https://go.dev/dl/); none found on PATH or in /usr/local/go" >&2
  exit 1
}
GO=$(find_go)

mkdir -p "$root"
exec 9>"$root/.build.lock"
flock 9   # two callers at once (a test run and `./conduit kube start`) build it only once
if built; then echo "$bin"; exit 0; fi

echo "conduit: building etcd $ETCD_VERSION and Kubernetes $KUBE_VERSION (kube-apiserver, kube-controller-manager, kubectl) from their Go modules into $bin; once per version; on 2 shared cores this took 75-79 minutes (etcd 8-15), so be patient..." >&2
start=$(date +%s)
tmp="$root/.tmp-$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
ver=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ver+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  ver+=" -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
done
export CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath"
# nice: the build takes both cores for minutes; whatever else runs on the machine stays responsive.
(cd "$here/etcd" && nice -n 10 "$GO" build -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
echo "conduit: etcd built after $(( $(date +%s) - start ))s; now the Kubernetes binaries..." >&2
(cd "$here/kubernetes" && nice -n 10 "$GO" build -ldflags "-s -w$ver" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)

mkdir -p "$bin"
mv "$tmp"/etcd "$tmp"/kube-apiserver "$tmp"/kube-controller-manager "$tmp"/kubectl "$bin/"
echo "$stamp" > "$bin/.built"
echo "conduit: built in $(( $(date +%s) - start ))s" >&2
echo "$bin"
