# Shared by start.sh, stop.sh, keda-start.sh, status.sh and sa-kubeconfig.sh: the state directory, the ports,
# and starting, finding and stopping the processes of the local cluster. Sourced, never run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are read by the scripts that source this file

lib_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/cluster/versions.sh
. "$lib_here/versions.sh"

# Every component in the order start.sh starts them; stop.sh stops them in reverse.
CORE_COMPONENTS=(kine apiserver controller-manager scheduler kwok)
KEDA_COMPONENTS=(keda-operator keda-adapter)
ALL_COMPONENTS=("${CORE_COMPONENTS[@]}" "${KEDA_COMPONENTS[@]}")

# The state directory: certificates, kubeconfigs, the sqlite store, logs, pids, the audit log.
STATE="${DDBSS_CLUSTER_DIR:-/tmp/ddbss-cluster}"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "$(basename "$0"): $*"; }

# The ports, all bound on 127.0.0.1. The defaults keep clear of the agent's 9876, Prometheus' 9090, the AWS
# simulators' 4566, and of the ports a real cluster on the same machine would use (6443, 2379, 10250-10259).
# Precedence: the environment, then what the last start recorded in $STATE/cluster.env, then these defaults, so
# stop.sh and keda-start.sh find the ports start.sh used without being told again.
PORT_VARS=(APISERVER_PORT KINE_PORT KCM_PORT SCHEDULER_PORT KWOK_PORT
           KEDA_GRPC_PORT KEDA_ADAPTER_PORT KEDA_OPERATOR_METRICS_PORT KEDA_OPERATOR_PROBE_PORT
           KEDA_ADAPTER_METRICS_PORT)
load_config() {
  APISERVER_PORT=16443           # kube-apiserver (https)
  KINE_PORT=12379                # kine, the etcd v3 API over sqlite (plain gRPC, loopback only)
  KCM_PORT=20257                 # kube-controller-manager /healthz (https)
  SCHEDULER_PORT=20259           # kube-scheduler /healthz (https)
  KWOK_PORT=20247                # kwok /healthz, /metrics (http)
  KEDA_GRPC_PORT=19666           # KEDA operator's metrics service (gRPC, mTLS), read by the adapter
  KEDA_ADAPTER_PORT=17443        # KEDA metrics adapter: the external.metrics.k8s.io API (https)
  KEDA_OPERATOR_METRICS_PORT=18080  # KEDA operator's Prometheus metrics (http)
  KEDA_OPERATOR_PROBE_PORT=18081    # KEDA operator's /healthz, /readyz (http)
  KEDA_ADAPTER_METRICS_PORT=18082   # KEDA adapter's Prometheus metrics (http)
  local v saved
  if [ -f "$STATE/cluster.env" ]; then
    for v in "${PORT_VARS[@]}"; do
      saved="$(sed -n "s/^$v=\([0-9]*\)$/\1/p" "$STATE/cluster.env")"
      [ -n "$saved" ] && printf -v "$v" '%s' "$saved"
    done
  fi
  for v in "${PORT_VARS[@]}"; do
    local env="DDBSS_$v"
    if [ -n "${!env:-}" ]; then printf -v "$v" '%s' "${!env}"; fi
  done
  PKI="$STATE/pki"
  LOGS="$STATE/logs"
  RUN="$STATE/run"
  KUBECONFIG_ADMIN="$STATE/kubeconfig"
  AUDIT_LOG="$STATE/audit/audit.log"
}

save_config() {
  local v
  {
    echo "# Written by scripts/cluster/start.sh: the ports of the cluster in this directory."
    for v in "${PORT_VARS[@]}"; do echo "$v=${!v}"; done
  } >"$STATE/cluster.env"
}

# Parses the options every script shares; leaves the others in REST.
parse_dir_option() {
  REST=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) [ $# -ge 2 ] || die "--dir needs a directory"; STATE="$2"; shift 2 ;;
      --dir=*) STATE="${1#--dir=}"; shift ;;
      *) REST+=("$1"); shift ;;
    esac
  done
  # An absolute path: the kubeconfigs and the processes' flags name files in it.
  case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
}

binary_of() {
  case "$1" in
    kine) echo "$K8S_BIN/kine" ;;
    apiserver) echo "$K8S_BIN/kube-apiserver" ;;
    controller-manager) echo "$K8S_BIN/kube-controller-manager" ;;
    scheduler) echo "$K8S_BIN/kube-scheduler" ;;
    kwok) echo "$K8S_BIN/kwok" ;;
    keda-operator) echo "$KEDA_BIN/keda" ;;
    keda-adapter) echo "$KEDA_BIN/keda-adapter" ;;
    *) die "unknown component $1 (one of: ${ALL_COMPONENTS[*]})" ;;
  esac
}

require_binary() {
  local bin; bin="$(binary_of "$1")"
  if [ ! -x "$bin" ]; then
    case "$1" in
      keda-*) die "missing $bin: build it with: bash scripts/cluster/build.sh --keda" ;;
      *) die "missing $bin: build it with: bash scripts/cluster/build.sh" ;;
    esac
  fi
}

pid_file() { echo "$RUN/$1.pid"; }

# The pid of a running component, or nothing. A pid counts only while /proc says it is still the binary this
# script started: a stale pid file whose number the kernel gave to another process is never acted on.
running_pid() {
  local f pid exe
  f="$(pid_file "$1")"
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 0
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  # A rebuild replaces the binary under a running process: the link then ends in " (deleted)".
  exe="${exe% (deleted)}"
  [ "$exe" = "$(binary_of "$1")" ] && echo "$pid"
  return 0
}

# Starts a component in the background, in its own session (setsid) so that a Ctrl-C on the calling shell does
# not reach it, its output appended to $LOGS/<component>.log. Extra environment comes as NAME=value words before
# the binary: start_process COMPONENT [NAME=value]... -- ARGS...
start_process() {
  local comp="$1"; shift
  local envs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local bin log
  bin="$(binary_of "$comp")"
  log="$LOGS/$comp.log"
  mkdir -p "$LOGS" "$RUN"
  echo "=== $(date -u +%FT%TZ) start: $bin $*" >>"$log"
  # A background job of a non-interactive shell is no process group leader, so setsid(1) calls setsid() and
  # execs without forking: $! is the component's own pid.
  env "${envs[@]}" setsid "$bin" "$@" >>"$log" 2>&1 </dev/null &
  local pid=$! i exe
  echo "$pid" >"$(pid_file "$comp")"
  # Until env and setsid have exec'd the binary, /proc/<pid>/exe names them and running_pid would take the
  # component for exited: wait for the exec (a few ms; up to 2 s on a loaded machine).
  for ((i = 0; i < 100; i++)); do
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    [ "$exe" = "$bin" ] || [ ! -d "/proc/$pid" ] && break
    sleep 0.02
  done
}

# Stops a component: SIGTERM, up to 20 s for a clean exit (the API server drains its requests), then SIGKILL.
stop_process() {
  local comp="$1" pid
  pid="$(running_pid "$comp")"
  if [ -z "$pid" ]; then
    rm -f "$(pid_file "$comp")"
    return 1
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 200; then
    echo "$(basename "$0"): $comp (pid $pid) ignored SIGTERM for 20 s: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 50 || die "$comp (pid $pid) survived SIGKILL"
  fi
  rm -f "$(pid_file "$comp")"
  echo "=== $(date -u +%FT%TZ) stopped (pid $pid)" >>"$LOGS/$comp.log"
  return 0
}

# Waits up to N tenths of a second for a pid to be gone. A zombie (exited, not yet reaped by its parent) holds no
# port and no file: it counts as gone.
wait_gone() {
  local pid="$1" n="$2" i
  for ((i = 0; i < n; i++)); do
    [ -d "/proc/$pid" ] || return 0
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && return 0
    sleep 0.1
  done
  return 1
}

# Waits until CMD succeeds, up to TIMEOUT seconds; prints the log's tail of COMPONENT and fails otherwise.
wait_for() {
  local comp="$1" timeout="$2"; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  while ! "$@" >/dev/null 2>&1; do
    if [ -z "$(running_pid "$comp")" ]; then
      echo "--- last lines of $LOGS/$comp.log:" >&2; tail -n 25 "$LOGS/$comp.log" >&2
      die "$comp exited while starting (log: $LOGS/$comp.log)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "--- last lines of $LOGS/$comp.log:" >&2; tail -n 25 "$LOGS/$comp.log" >&2
      die "$comp not ready after ${timeout} s (log: $LOGS/$comp.log)"
    fi
    sleep 0.2
  done
}

# Milliseconds since the epoch, and the seconds (one decimal) since such a time.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
since() { local d=$(( $(now_ms) - $1 )); printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100)); }

port_listening() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

# /readyz of the API server with the admin client certificate.
apiserver_ready() {
  curl -sf --max-time 2 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz" >/dev/null
}

kc() { kubectl --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

# Every TCP listener of the given pids, as "component address" lines; fails when one is not on loopback.
# Returns non-zero and names the offenders, so a test can rely on its exit code.
check_loopback_only() {
  local comp pid line addr bad=0 n=0
  local listeners; listeners="$(ss -Hltnp 2>/dev/null || true)"
  for comp in "$@"; do
    pid="$(running_pid "$comp")"
    [ -n "$pid" ] || continue
    while read -r line; do
      [ -n "$line" ] || continue
      addr="$(echo "$line" | awk '{print $4}')"
      n=$((n + 1))
      case "$addr" in
        127.0.0.1:*|\[::1\]:*) echo "  ok   $comp (pid $pid) listens on $addr" ;;
        *) echo "  FAIL $comp (pid $pid) listens on $addr: not loopback" >&2; bad=1 ;;
      esac
    done < <(echo "$listeners" | grep -F "pid=$pid," || true)
  done
  [ "$n" -gt 0 ] || { echo "  FAIL no listener found" >&2; return 1; }
  return "$bad"
}

# Certificates, all made with openssl: EC P-256 keys (instant to make, accepted by every component here), 10
# years, so that a long-lived state directory never sees one expire.
#   make_ca NAME CN                       -> $PKI/NAME.crt, $PKI/NAME.key
#   issue_cert NAME CA SUBJECT EKU [SAN]  -> $PKI/NAME.crt, $PKI/NAME.key, signed by $PKI/CA.{crt,key}
# An existing pair is kept: a restart reuses the state directory's identities.
openssl_cfg() {
  # A config of our own instead of the system's openssl.cnf, whose v3_ca section would add extensions twice.
  printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=%s\n[ext]\n%s\n' "$1" "$2"
}
make_ca() {
  local name="$1" cn="$2" dir="${3:-$PKI}"
  [ -f "$dir/$name.crt" ] && [ -f "$dir/$name.key" ] && return 0
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key" 2>/dev/null
  openssl req -x509 -new -key "$dir/$name.key" -days 3650 -out "$dir/$name.crt" -extensions ext \
    -config <(openssl_cfg "$cn" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier=hash")
}
issue_cert() {
  local name="$1" ca="$2" subj="$3" eku="$4" san="${5:-}" dir="${6:-$PKI}"
  [ -f "$dir/$name.crt" ] && [ -f "$dir/$name.key" ] && return 0
  local ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=$eku
authorityKeyIdentifier=keyid"
  [ -n "$san" ] && ext="$ext
subjectAltName=$san"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key" 2>/dev/null
  openssl req -new -key "$dir/$name.key" -subj "$subj" -config <(openssl_cfg x "") 2>/dev/null |
    openssl x509 -req -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -days 3650 -extfile <(printf '[ext]\n%s\n' "$ext") -extensions ext -out "$dir/$name.crt" 2>/dev/null
  chmod 600 "$dir/$name.key"
}

# A kubeconfig that carries everything inline (CA, client certificate and key, or a token), so that it can be
# copied anywhere: write_kubeconfig FILE USER (cert NAME | token TOKEN) [NAMESPACE]
write_kubeconfig() {
  local file="$1" user="$2" kind="$3" what="$4" ns="${5:-default}" cred
  if [ "$kind" = cert ]; then
    cred="    client-certificate-data: $(base64 -w0 <"$PKI/$what.crt")
    client-key-data: $(base64 -w0 <"$PKI/$what.key")"
  else
    cred="    token: $what"
  fi
  # Credentials inside: readable by the owner only.
  (umask 077; cat >"$file") <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: ddbss
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $user
  user:
$cred
contexts:
- name: ddbss
  context:
    cluster: ddbss
    user: $user
    namespace: $ns
current-context: ddbss
KUBECONFIG
}
