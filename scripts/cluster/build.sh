#!/usr/bin/env bash
# Builds the local control plane (kube-apiserver, kube-controller-manager, kube-scheduler, kine, kwok) and, with
# --keda, KEDA's operator and metrics adapter, from the Go module proxy into a cache outside the repository
# (scripts/cluster/versions.sh). Does nothing for a piece already in the cache. A cold build takes tens of minutes
# on 2 cores; it prints how long each piece took.
#   bash scripts/cluster/build.sh [--keda] [--keda-only]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cluster/versions.sh
. "$here/versions.sh"
want_k8s=1 want_keda=0
for a in "$@"; do
  case "$a" in
    --keda) want_keda=1 ;;
    --keda-only) want_keda=1; want_k8s=0 ;;
    *) echo "build.sh: unknown option $a (use --keda or --keda-only)" >&2; exit 2 ;;
  esac
done
command -v go >/dev/null || { echo "build.sh: go is missing (Go 1.26 builds the control plane)" >&2; exit 1; }
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
mkdir -p "$CLUSTER_CACHE"
work="$(mktemp -d "$CLUSTER_CACHE/build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

took() { echo "build.sh: $1 built in $(( $(date +%s) - $2 )) s"; }

build_kubernetes() {
  local t0; t0=$(date +%s)
  # k8s.io/kubernetes replaces its staging modules with ./staging/src/...: `go install …@version` refuses it,
  # so a throwaway module names each staging module at its released version instead.
  mkdir -p "$work/k8s" && cd "$work/k8s"
  go mod init local/k8sbin >/dev/null 2>&1
  local gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$gomod" ] || { echo "build.sh: no go.mod for k8s.io/kubernetes@$K8S_VERSION" >&2; return 1; }
  grep -E '^[[:space:]]*k8s\.io/[^ ]+ => \./staging/' "$gomod" | awk '{print $1}' | while read -r m; do
    go mod edit "-replace=$m=$m@$K8S_STAGING_VERSION"
  done
  go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
                "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
                "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION"
  local minor; minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
  local ld="" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  mkdir -p "$K8S_BIN.tmp"
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    go build -trimpath -ldflags "-s -w $ld" -o "$K8S_BIN.tmp/$c" "k8s.io/kubernetes/cmd/$c"
  done
  took "kube-apiserver, kube-controller-manager, kube-scheduler $K8S_VERSION" "$t0"

  t0=$(date +%s)
  GOBIN="$K8S_BIN.tmp" go install -trimpath -ldflags "-s -w" "github.com/k3s-io/kine@$KINE_VERSION"
  took "kine $KINE_VERSION" "$t0"
  t0=$(date +%s)
  GOBIN="$K8S_BIN.tmp" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  took "kwok $KWOK_VERSION" "$t0"
  rm -rf "$K8S_BIN" && mkdir -p "$(dirname "$K8S_BIN")" && mv "$K8S_BIN.tmp" "$K8S_BIN"
}

# kwok's default Pod stages (ready, complete, delete: the files kwok embeds), kept beside the binaries. A kwok
# configuration that names any Pod stage replaces all of kwok's built-in ones, and start.sh adds one.
copy_kwok_stages() {
  local dir
  dir="$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$dir/kustomize/stage/pod/fast" ] || { echo "build.sh: no kwok stages in sigs.k8s.io/kwok@$KWOK_VERSION" >&2; return 1; }
  rm -rf "$KWOK_STAGES.tmp" && mkdir -p "$KWOK_STAGES.tmp"
  cp "$dir/kustomize/stage/pod/fast/pod-ready.yaml" "$dir/kustomize/stage/pod/fast/pod-complete.yaml" \
     "$dir/kustomize/stage/pod/fast/pod-delete.yaml" "$KWOK_STAGES.tmp/"
  rm -rf "$KWOK_STAGES" && mv "$KWOK_STAGES.tmp" "$KWOK_STAGES"
  echo "build.sh: kwok $KWOK_VERSION Pod stages copied to $KWOK_STAGES"
}

build_keda() {
  local t0; t0=$(date +%s)
  # KEDA's go.mod has replace lines too: build inside a writable copy of its module source.
  local dir
  dir="$(go mod download -json "github.com/kedacore/keda/v2@$KEDA_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$dir" ] || { echo "build.sh: no source for github.com/kedacore/keda/v2@$KEDA_VERSION" >&2; return 1; }
  mkdir -p "$KEDA_DIR.tmp/bin"
  cp -r "$dir" "$work/keda" && chmod -R u+w "$work/keda"
  cd "$work/keda"
  # The adapter binds its Prometheus endpoint on every interface (fmt.Sprintf(":%v", port) in cmd/adapter/main.go),
  # with no flag for the host; the local cluster never listens outside loopback. PATCHES records it for keda-start.sh.
  local bind='metricsBindAddress := fmt.Sprintf(":%v", metricsAPIServerPort)'
  grep -qF "$bind" cmd/adapter/main.go ||
    { echo "build.sh: cmd/adapter/main.go no longer has the line the loopback patch rewrites: review it" >&2; return 1; }
  sed -i "s|${bind}|${bind/\":/\"127.0.0.1:}|" cmd/adapter/main.go
  grep -qF 'fmt.Sprintf("127.0.0.1:%v", metricsAPIServerPort)' cmd/adapter/main.go
  echo adapter-metrics-loopback >"$KEDA_DIR.tmp/PATCHES"
  local ld="-s -w -X github.com/kedacore/keda/v2/version.Version=${KEDA_VERSION#v}"
  go build -mod=mod -trimpath -ldflags "$ld" -o "$KEDA_DIR.tmp/bin/keda" ./cmd/operator
  go build -mod=mod -trimpath -ldflags "$ld" -o "$KEDA_DIR.tmp/bin/keda-adapter" ./cmd/adapter
  # The CRDs the operator needs, kept beside the binaries so the start script never reads the module cache.
  cp -r config/crd/bases "$KEDA_DIR.tmp/crd"
  rm -rf "$KEDA_DIR" && mv "$KEDA_DIR.tmp" "$KEDA_DIR"
  took "KEDA $KEDA_VERSION operator and adapter" "$t0"
}

if [ "$want_k8s" = 1 ]; then
  if [ -x "$K8S_BIN/kube-apiserver" ] && [ -x "$K8S_BIN/kine" ] && [ -x "$K8S_BIN/kwok" ]; then
    echo "build.sh: control plane cached in $K8S_BIN"
  else
    (build_kubernetes)
  fi
  [ -f "$KWOK_STAGES/pod-ready.yaml" ] || (copy_kwok_stages)
fi
if [ "$want_keda" = 1 ]; then
  if [ -x "$KEDA_BIN/keda" ] && [ -x "$KEDA_BIN/keda-adapter" ] && grep -qx adapter-metrics-loopback "$KEDA_DIR/PATCHES" 2>/dev/null; then
    echo "build.sh: KEDA cached in $KEDA_BIN"
  else
    (build_keda)
  fi
fi
