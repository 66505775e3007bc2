#!/usr/bin/env bash
# Starts a real Kubernetes control plane on 127.0.0.1 for tests and users: kine (the etcd API over sqlite), kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok (fake Nodes that run Pods without kubelets), from the binaries
# scripts/cluster/build.sh caches. Nothing listens outside loopback; a self-check at the end proves it.
#
#   bash scripts/cluster/start.sh [--dir DIR] [--nodes N] [--only LIST | --restart LIST] [--keda]
#     --dir DIR     state directory (default $DDBSS_CLUSTER_DIR or /tmp/ddbss-cluster): certificates, kubeconfigs,
#                   the store, logs, pids, the audit log
#     --nodes N     fake Nodes kwok-node-0..N-1 to create (default 3; at least 2 for node-loss eviction, see
#                   docs/local-cluster.md)
#     --only LIST   start only these components, if not running: kine, apiserver, controller-manager, scheduler,
#                   kwok (the state directory must exist: run once without --only first)
#     --restart LIST  stop these components if running, then start them (as --only): e.g. after an API server
#                   restart, `--restart controller-manager,scheduler,kwok` brings its clients back at once instead of
#                   after client-go's back-off (see docs/local-cluster.md)
#     --keda        then start KEDA too (scripts/cluster/keda-start.sh)
# Ports: DDBSS_APISERVER_PORT (16443), DDBSS_KINE_PORT (12379), DDBSS_KCM_PORT (20257), DDBSS_SCHEDULER_PORT (20259),
# DDBSS_KWOK_PORT (20247); the ports used are recorded in DIR/cluster.env and reused by the other scripts.
# Idempotent: a component already running is left alone; when all are, it says so and exits 0.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cluster/lib.sh
. "$here/lib.sh"

parse_dir_option "$@"
set -- ${REST[@]+"${REST[@]}"}
nodes=3 only="" keda=0 restart=0
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="${2:?--nodes needs a number}"; shift 2 ;;
    --only) only="${2:?--only needs a component list}"; shift 2 ;;
    --only=*) only="${1#--only=}"; shift ;;
    --restart) only="${2:?--restart needs a component list}"; restart=1; shift 2 ;;
    --keda) keda=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
load_config
t_start=$(now_ms)

if [ -n "$only" ]; then
  IFS=, read -r -a wanted <<<"$only"
  for c in "${wanted[@]}"; do
    case " ${CORE_COMPONENTS[*]} " in *" $c "*) ;; *) die "--only: unknown component $c (one of: ${CORE_COMPONENTS[*]}; KEDA: keda-start.sh)" ;; esac
  done
  [ -f "$PKI/ca.crt" ] || die "no cluster state in $STATE: run start.sh once without --only"
else
  wanted=("${CORE_COMPONENTS[@]}")
fi
for c in "${wanted[@]}"; do require_binary "$c"; done
[ -f "$KWOK_STAGES/pod-ready.yaml" ] || die "missing $KWOK_STAGES: make it with: bash scripts/cluster/build.sh"
command -v kubectl >/dev/null || die "kubectl is missing (the script applies the fake Nodes with it)"
command -v openssl >/dev/null || die "openssl is missing (it makes the certificates)"

# Fake Nodes kwok-node-0..N-1, created when missing (the store keeps them across restarts; a test that deleted one
# gets it back from a second start.sh). Allocatable is generous: scheduling never fails for resources; a test that
# wants it to can patch a Node.
ensure_nodes() {
  local existing i n
  existing="$(kc get nodes -o name)"
  for ((i = 0; i < nodes; i++)); do
    n="kwok-node-$i"
    case "$existing" in *"node/$n"*) continue ;; esac
    kc create -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $n
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: $n
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    node-role.kubernetes.io/agent: ""
    type: kwok
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF
    say "created Node $n"
  done
}

if [ "$restart" = 1 ]; then
  for ((i = ${#CORE_COMPONENTS[@]} - 1; i >= 0; i--)); do
    c="${CORE_COMPONENTS[$i]}"
    case " ${wanted[*]} " in *" $c "*) if stop_process "$c"; then say "$c stopped"; fi ;; esac
  done
fi

already=1
for c in "${wanted[@]}"; do [ -n "$(running_pid "$c")" ] || already=0; done
if [ "$already" = 1 ]; then
  say "already running in $STATE (${wanted[*]}); kubeconfig: $KUBECONFIG_ADMIN"
  if [ -z "$only" ]; then ensure_nodes; fi
  exit 0
fi

mkdir -p "$STATE" "$PKI" "$LOGS" "$RUN" "$STATE/kine" "$STATE/audit"
# The marker stop.sh --purge looks for before it removes a directory.
touch "$STATE/.ddbss-cluster"
save_config

# --- Certificates and keys (kept across restarts) -----------------------------------------------------------------
make_ca ca "ddbss-cluster-ca"
# The serving certificate: localhost and 127.0.0.1 for us, the in-cluster names and the first Service IP for
# clients that reach the API server as a Service would (the `kubernetes` Service gets 10.96.0.1).
issue_cert apiserver ca "/CN=kube-apiserver" serverAuth \
  "DNS:localhost,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1"
# Client identities. The controller-manager and the scheduler use the users RBAC's bootstrap policy binds
# (system:kube-controller-manager, system:kube-scheduler); admin and kwok are in system:masters.
issue_cert admin ca "/O=system:masters/CN=ddbss-admin" clientAuth
issue_cert controller-manager ca "/CN=system:kube-controller-manager" clientAuth
issue_cert scheduler ca "/CN=system:kube-scheduler" clientAuth
issue_cert kwok ca "/O=system:masters/CN=kwok-controller" clientAuth
# The aggregation layer: the API server proves itself to extension API servers (KEDA's metrics adapter) with a
# client certificate from a CA of its own, which they trust via the extension-apiserver-authentication ConfigMap.
make_ca front-proxy-ca "ddbss-front-proxy-ca"
issue_cert front-proxy-client front-proxy-ca "/CN=front-proxy-client" clientAuth
# The ServiceAccount token signing key (RSA: RS256 tokens, what every client library expects).
if [ ! -f "$PKI/sa.key" ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/sa.key" 2>/dev/null
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
  chmod 600 "$PKI/sa.key"
fi
# A static bearer token for the admin, for curl and for tests that want a token rather than a certificate.
if [ ! -f "$PKI/tokens.csv" ]; then
  admin_token="$(openssl rand -hex 24)"
  echo "$admin_token" >"$PKI/admin.token"
  # token,user,uid,"groups"
  echo "$admin_token,ddbss-admin-token,ddbss-admin-token,\"system:masters\"" >"$PKI/tokens.csv"
  chmod 600 "$PKI/admin.token" "$PKI/tokens.csv"
fi

# --- Kubeconfigs and configuration files (rewritten each start: they carry the port) ---------------------------
write_kubeconfig "$KUBECONFIG_ADMIN" ddbss-admin cert admin
write_kubeconfig "$STATE/controller-manager.kubeconfig" system:kube-controller-manager cert controller-manager
write_kubeconfig "$STATE/scheduler.kubeconfig" system:kube-scheduler cert scheduler
write_kubeconfig "$STATE/kwok.kubeconfig" kwok-controller cert kwok

# Metadata for every request: who, verb, resource, namespace, name, response code, no bodies. RequestReceived is
# left out so that each request is one line (stage ResponseComplete; a watch also logs ResponseStarted).
cat >"$STATE/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
EOF

cat >"$STATE/scheduler-config.yaml" <<EOF
# --kubeconfig and --leader-elect are deprecated flags of kube-scheduler: its configuration file instead.
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: $STATE/scheduler.kubeconfig
leaderElection:
  leaderElect: false
EOF

# --- The components --------------------------------------------------------------------------------------------
start_kine() {
  # sqlite under the state directory, so that a stopped and restarted kine (and API server) keeps the cluster.
  # --listen-address defaults to 0.0.0.0:2379 and --metrics-bind-address to :8080: both on loopback here.
  start_process kine -- \
    --listen-address="127.0.0.1:$KINE_PORT" \
    --endpoint="sqlite://$STATE/kine/state.db?_journal_mode=WAL&_busy_timeout=30000&_synchronous=NORMAL&_txlock=immediate" \
    --metrics-bind-address=0
  wait_for kine 30 port_listening "$KINE_PORT"
}

# --shutdown-watch-termination-grace-period: on SIGTERM the API server ends its watches within 2 s; unset, it waits
# for its clients' watches to end on their own and a stop takes over 20 s.
start_apiserver() {
  start_process apiserver -- \
    --etcd-servers="http://127.0.0.1:$KINE_PORT" \
    --bind-address=127.0.0.1 --secure-port="$APISERVER_PORT" --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --service-cluster-ip-range=10.96.0.0/16 \
    --allow-privileged=true \
    --authorization-mode=Node,RBAC \
    --token-auth-file="$PKI/tokens.csv" \
    --client-ca-file="$PKI/ca.crt" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --audit-policy-file="$STATE/audit-policy.yaml" --audit-log-path="$AUDIT_LOG" \
    --audit-log-format=json --audit-log-mode=blocking --audit-log-maxsize=0 \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=false \
    --shutdown-watch-termination-grace-period=2s \
    --profiling=false
  wait_for apiserver 120 apiserver_ready
}

# The controllers the tests need: workloads (deployment, replicaset, statefulset), the HPA (sync period left at its
# default, 15 s), garbage collection, namespaces, ServiceAccounts and their tokens, the kube-root-ca.crt ConfigMap,
# and for Nodes: node-lifecycle (lifts the not-ready taint TaintNodesByCondition puts on every new Node, marks a
# silent Node unreachable), taint-eviction (evicts Pods from an unreachable Node) and pod-garbage-collector (deletes
# the Pods of a deleted Node). clusterrole-aggregation fills the admin/edit/view ClusterRoles; job for ScaledJobs.
KCM_CONTROLLERS="deployment-controller,replicaset-controller,statefulset-controller,horizontal-pod-autoscaler-controller,\
garbage-collector-controller,namespace-controller,serviceaccount-controller,serviceaccount-token-controller,\
root-ca-certificate-publisher-controller,node-lifecycle-controller,taint-eviction-controller,\
pod-garbage-collector-controller,clusterrole-aggregation-controller,job-controller"
start_controller_manager() {
  # --use-service-account-credentials: each controller calls the API as its own ServiceAccount in kube-system
  # (as kubeadm runs it), so the HPA controller has its bootstrap role, which may read external.metrics.k8s.io,
  # and the audit log names the controller behind each request.
  start_process controller-manager -- \
    --kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --root-ca-file="$PKI/ca.crt" \
    --service-account-private-key-file="$PKI/sa.key" \
    --controllers="$KCM_CONTROLLERS"
  wait_for controller-manager 60 curl -skf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz"
}

start_scheduler() {
  start_process scheduler -- \
    --config="$STATE/scheduler-config.yaml" \
    --authentication-kubeconfig="$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT"
  wait_for scheduler 60 curl -skf --max-time 2 "https://127.0.0.1:$SCHEDULER_PORT/healthz"
}

start_kwok() {
  # kwok reads ~/.kwok/kwok.yaml unless --config names another file, which must exist: an empty configuration of
  # our own, so a user's kwok settings never leak in (its flags below set what matters).
  # Its Pod stages: kwok's defaults (Pods become Running and Ready, finish, are deleted) and pod-ready-again.
  # The node-lifecycle controller marks every Pod of a Node it finds NotReady as not Ready; a kubelet sets them Ready
  # again once its Node is back, kwok's default stages never do (pod-ready only matches a Pod without an IP), and
  # such Pods would stay unavailable forever. pod-ready-again is that kubelet: only for the Nodes kwok manages, so
  # a silent Node's Pods stay not Ready and get evicted.
  {
    printf 'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n'
    for f in pod-ready pod-complete pod-delete; do echo "---"; cat "$KWOK_STAGES/$f.yaml"; done
    cat <<'EOF'
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-ready-again
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.podIP'
      operator: 'Exists'
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'In'
      values: ['False']
  delay:
    durationMilliseconds: 1000
  next:
    statusTemplate: |
      conditions:
      - lastTransitionTime: {{ Now | Quote }}
        status: "True"
        type: Ready
EOF
  } >"$STATE/kwok.yaml"
  # Only the Nodes annotated kwok.x-k8s.io/node=fake; --server-address on loopback (kwok binds 0.0.0.0:<node-port>
  # when it is empty). Pod IPs from 10.244.0.0/16, apart from the Service range (its default is 10.0.0.1/24).
  # Node heartbeats as Leases in kube-node-lease, renewed every 10 s (40 s Leases, as kwokctl runs it). Without
  # Leases kwok's status heartbeats came 60 s apart, beyond node-lifecycle's 50 s grace: every Node flapped to
  # NotReady. A Lease names the kwok process that holds it, and a new kwok waits for its predecessor's Leases to
  # expire before it handles the Pods of their Nodes (up to 40 s): the predecessor is gone (kwok is not running
  # here), so its Leases of the Nodes kwok manages are deleted first. A Node kwok no longer manages keeps its Lease.
  local managed
  managed="$(kc get nodes --no-headers \
    -o custom-columns='N:.metadata.name,A:.metadata.annotations.kwok\.x-k8s\.io/node' | awk '$2 == "fake" {print $1}')"
  if [ -n "$managed" ]; then
    # shellcheck disable=SC2086 # one argument per Node name
    kc -n kube-node-lease delete lease $managed --ignore-not-found --wait=false >/dev/null
  fi
  # --config: a file of the state directory, not the user's ~/.kwok/kwok.yaml.
  start_process kwok -- \
    --kubeconfig="$STATE/kwok.kubeconfig" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --server-address="127.0.0.1:$KWOK_PORT" \
    --node-ip=127.0.0.1 \
    --cidr=10.244.0.1/16 \
    --node-lease-duration-seconds=40 \
    --config="$STATE/kwok.yaml"
  wait_for kwok 60 curl -sf --max-time 2 "http://127.0.0.1:$KWOK_PORT/healthz"
}

started=()
for c in "${wanted[@]}"; do
  if pid="$(running_pid "$c")" && [ -n "$pid" ]; then
    say "$c already running (pid $pid)"
    continue
  fi
  t0=$(now_ms)
  "start_${c//-/_}"
  say "$c started (pid $(running_pid "$c")) in $(since "$t0") s"
  started+=("$c")
done

if [ -z "$only" ]; then
  ensure_nodes
  # Ready means: Pods can be created in `default` (the ServiceAccount admission plugin wants its ServiceAccount)
  # and every fake Node is Ready (kwok heartbeats it, node-lifecycle has lifted the not-ready taint).
  wait_for controller-manager 60 kc -n default get serviceaccount default
  wait_for kwok 60 kc wait --for=condition=Ready node -l type=kwok --timeout=2s
  wait_for controller-manager 60 bash -c "! kubectl --kubeconfig '$KUBECONFIG_ADMIN' get nodes -l type=kwok \
    -o jsonpath='{.items[*].spec.taints[*].key}' | grep -q node.kubernetes.io/not-ready"
fi

echo "self-check: every listener of the cluster's processes is on loopback:"
check_loopback_only "${CORE_COMPONENTS[@]}" || die "self-check failed: a listener outside loopback (see above)"

say "ready in $(since "$t_start") s (started: ${started[*]:-none})"
echo "  export KUBECONFIG=$KUBECONFIG_ADMIN"
echo "  API server https://127.0.0.1:$APISERVER_PORT   audit log $AUDIT_LOG   logs $LOGS"
if [ "$keda" = 1 ]; then exec bash "$here/keda-start.sh" --dir "$STATE"; fi
