#!/usr/bin/env bash
# Starts KEDA (operator and metrics adapter, the binaries scripts/cluster/build.sh --keda caches) out of cluster,
# beside the control plane scripts/cluster/start.sh runs, all on 127.0.0.1:
#   - KEDA's CRDs, the namespace keda;
#   - the operator (ScaledObject -> HPA, the scalers, the gRPC metrics service the adapter reads, over mTLS);
#   - the metrics adapter, an aggregated API server registered as APIService v1beta1.external.metrics.k8s.io behind
#     a Service of type ExternalName `localhost`, so the real HPA controller reads KEDA's metrics through the
#     API server as it does in a cluster.
# Both run as their own users (keda-operator, keda-metrics-apiserver) bound to cluster-admin: a test bed, not
# KEDA's least-privilege RBAC.
#
#   bash scripts/cluster/keda-start.sh [--dir DIR]
# Ports: DDBSS_KEDA_GRPC_PORT (19666), DDBSS_KEDA_ADAPTER_PORT (17443), DDBSS_KEDA_OPERATOR_METRICS_PORT (18080),
# DDBSS_KEDA_OPERATOR_PROBE_PORT (18081), DDBSS_KEDA_ADAPTER_METRICS_PORT (18082). Stop: stop.sh --only keda.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cluster/lib.sh
. "$here/lib.sh"

parse_dir_option "$@"
set -- ${REST[@]+"${REST[@]}"}
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
load_config
t_start=$(now_ms)

for c in "${KEDA_COMPONENTS[@]}"; do require_binary "$c"; done
# The adapter as built by build.sh binds its Prometheus endpoint on loopback; KEDA's own code binds it on every
# interface (fmt.Sprintf(":%v", port)), which this test bed never does.
grep -qx adapter-metrics-loopback "$KEDA_DIR/PATCHES" 2>/dev/null ||
  die "$KEDA_BIN/keda-adapter lacks the loopback patch: rebuild it with: bash scripts/cluster/build.sh --keda"
if ! { [ -f "$KUBECONFIG_ADMIN" ] && [ -n "$(running_pid apiserver)" ] && apiserver_ready; }; then
  die "the API server of $STATE is not running: start the cluster first (bash scripts/cluster/start.sh)"
fi
save_config

# --- Certificates ---------------------------------------------------------------------------------------------------
# The operator <-> adapter gRPC (mTLS) reads ca.crt, tls.crt, tls.key from --cert-dir on both sides
# (pkg/metricsservice/utils/tls.go): one certificate for server and client use, valid for 127.0.0.1 (the address the
# adapter dials). The adapter serves the external metrics API with it too: the aggregator checks it against the
# APIService's caBundle for the name <service>.<namespace>.svc.
make_ca keda-ca "ddbss-keda-ca"
issue_cert keda keda-ca "/CN=keda" serverAuth,clientAuth \
  "IP:127.0.0.1,DNS:localhost,DNS:keda-metrics-apiserver.keda.svc,DNS:keda-metrics-apiserver.keda.svc.cluster.local,DNS:keda-operator.keda.svc,DNS:keda-operator.keda.svc.cluster.local"
# Their identities towards the API server.
issue_cert keda-operator ca "/CN=keda-operator" clientAuth
issue_cert keda-metrics-apiserver ca "/CN=keda-metrics-apiserver" clientAuth
certs="$STATE/keda/certs"
mkdir -p "$certs" "$STATE/keda/ca"
cp "$PKI/keda-ca.crt" "$certs/ca.crt"
cp "$PKI/keda.crt" "$certs/tls.crt"
cp "$PKI/keda.key" "$certs/tls.key"
chmod 600 "$certs/tls.key"
write_kubeconfig "$STATE/keda-operator.kubeconfig" keda-operator cert keda-operator keda
write_kubeconfig "$STATE/keda-adapter.kubeconfig" keda-metrics-apiserver cert keda-metrics-apiserver keda

# --- Objects in the cluster (applied each time: idempotent) ---------------------------------------------------------
# Server-side apply: the ScaledJob CRD (~650 kB) is too large for client-side apply's last-applied annotation.
kc apply --server-side --force-conflicts -f "$KEDA_DIR/crd" >/dev/null
# A CRD created a moment ago may have no status yet, and kubectl wait then fails at once (".status.conditions accessor
# error: <nil>") instead of waiting: seen on a loaded machine. Ask again until the 60 s are up.
crd_deadline=$(( $(date +%s) + 60 ))
until kc wait --for=condition=Established crd --all --timeout=10s >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$crd_deadline" ] || { kc wait --for=condition=Established crd --all --timeout=1s; die "KEDA's CRDs not Established within 60 s"; }
  sleep 1
done
kc apply --server-side --force-conflicts -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: keda
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ddbss-keda-cluster-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - {kind: User, apiGroup: rbac.authorization.k8s.io, name: keda-operator}
  - {kind: User, apiGroup: rbac.authorization.k8s.io, name: keda-metrics-apiserver}
---
# ExternalName: the aggregator dials localhost:<APIService port> (Endpoints and EndpointSlices refuse loopback
# addresses). The API server keeps --enable-aggregator-routing=false: with it, ExternalName is "unsupported".
apiVersion: v1
kind: Service
metadata:
  name: keda-metrics-apiserver
  namespace: keda
spec:
  type: ExternalName
  externalName: localhost
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.external.metrics.k8s.io
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service:
    name: keda-metrics-apiserver
    namespace: keda
    port: $KEDA_ADAPTER_PORT
  caBundle: $(base64 -w0 <"$PKI/keda-ca.crt")
EOF

# --- Processes --------------------------------------------------------------------------------------------------------
# WATCH_NAMESPACE must be set (empty: every namespace); KEDA_CLUSTER_OBJECT_NAMESPACE is where it looks for the
# Secrets of ClusterTriggerAuthentications.
keda_env=(KUBECONFIG="$STATE/keda-operator.kubeconfig" WATCH_NAMESPACE= POD_NAMESPACE=keda
          KEDA_CLUSTER_OBJECT_NAMESPACE=keda)
started=()
if pid="$(running_pid keda-operator)" && [ -n "$pid" ]; then
  say "keda-operator already running (pid $pid)"
else
  t0=$(now_ms)
  # Every listener on loopback: --metrics-bind-address defaults to :8080, --health-probe-bind-address to :8081,
  # --metrics-service-bind-address to :9666. No webhooks (the admission webhooks are a third binary, not run).
  start_process keda-operator "${keda_env[@]}" -- \
    --leader-elect=false \
    --cert-dir="$certs" \
    --ca-dir="$STATE/keda/ca" \
    --metrics-bind-address="127.0.0.1:$KEDA_OPERATOR_METRICS_PORT" \
    --health-probe-bind-address="127.0.0.1:$KEDA_OPERATOR_PROBE_PORT" \
    --metrics-service-bind-address="127.0.0.1:$KEDA_GRPC_PORT"
  wait_for keda-operator 90 curl -sf --max-time 2 "http://127.0.0.1:$KEDA_OPERATOR_PROBE_PORT/readyz"
  wait_for keda-operator 30 port_listening "$KEDA_GRPC_PORT"
  say "keda-operator started (pid $(running_pid keda-operator)) in $(since "$t0") s"
  started+=(keda-operator)
fi

if pid="$(running_pid keda-adapter)" && [ -n "$pid" ]; then
  say "keda-adapter already running (pid $pid)"
else
  t0=$(now_ms)
  # --lister-kubeconfig: without it the adapter wants the in-cluster config. --authentication-/--authorization-
  # kubeconfig: it checks the aggregator's front-proxy certificate and each caller's rights with the API server.
  start_process keda-adapter \
      KUBECONFIG="$STATE/keda-adapter.kubeconfig" WATCH_NAMESPACE= POD_NAMESPACE=keda \
      KEDA_CLUSTER_OBJECT_NAMESPACE=keda -- \
    --lister-kubeconfig="$STATE/keda-adapter.kubeconfig" \
    --authentication-kubeconfig="$STATE/keda-adapter.kubeconfig" \
    --authorization-kubeconfig="$STATE/keda-adapter.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KEDA_ADAPTER_PORT" \
    --cert-dir="$certs" --tls-cert-file="$certs/tls.crt" --tls-private-key-file="$certs/tls.key" \
    --metrics-service-address="127.0.0.1:$KEDA_GRPC_PORT" \
    --port="$KEDA_ADAPTER_METRICS_PORT"
  wait_for keda-adapter 90 curl -skf --max-time 2 "https://127.0.0.1:$KEDA_ADAPTER_PORT/readyz"
  say "keda-adapter started (pid $(running_pid keda-adapter)) in $(since "$t0") s"
  started+=(keda-adapter)
fi
# The aggregator marks the APIService Available once its discovery answers through the front proxy.
wait_for keda-adapter 90 kc wait --for=condition=Available apiservice/v1beta1.external.metrics.k8s.io --timeout=2s

echo "self-check: every listener of KEDA's processes is on loopback:"
check_loopback_only "${KEDA_COMPONENTS[@]}" || die "self-check failed: a listener outside loopback (see above)"
say "KEDA ready in $(since "$t_start") s (started: ${started[*]:-none}); APIService v1beta1.external.metrics.k8s.io Available"
