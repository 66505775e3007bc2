# shellcheck shell=bash
# shellcheck disable=SC2034 # sourced: the scripts that source this file read these variables
# Pinned versions of the local control plane and KEDA, and where their binaries are cached.
# Sourced by the other scripts in this folder. The cache sits outside the repository, keyed by these versions,
# so a later run on the same machine reuses what an earlier one built.
K8S_VERSION=v1.35.4        # k8s.io/kubernetes: kube-apiserver, kube-controller-manager, kube-scheduler
K8S_STAGING_VERSION=v0.35.4 # the k8s.io/* staging modules released with it
KINE_VERSION=v0.17.5       # github.com/k3s-io/kine: the store (etcd API over pure-Go sqlite)
KWOK_VERSION=v0.7.0        # sigs.k8s.io/kwok: fake Nodes that run Pods without kubelets
KEDA_VERSION=v2.20.2       # github.com/kedacore/keda/v2: operator and metrics adapter

CLUSTER_CACHE="${DDBSS_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ddbstream-scaler}"
K8S_BIN="$CLUSTER_CACHE/kubernetes-$K8S_VERSION-kine-$KINE_VERSION-kwok-$KWOK_VERSION/bin"
# kwok's default Pod stages, copied from its module by build.sh: start.sh adds a stage of its own to them.
KWOK_STAGES="$(dirname "$K8S_BIN")/kwok-stages"
KEDA_DIR="$CLUSTER_CACHE/keda-$KEDA_VERSION"
KEDA_BIN="$KEDA_DIR/bin"
