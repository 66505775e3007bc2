#!/usr/bin/env bash
# Stops what scripts/cluster/start.sh and keda-start.sh started (the pids recorded in the state directory), and checks
# that none of them is left and nothing listens on the cluster's ports.
#
#   bash scripts/cluster/stop.sh [--dir DIR] [--only COMPONENT[,COMPONENT...]] [--purge]
#     --only LIST   stop only these: kine, apiserver, controller-manager, scheduler, kwok, keda-operator,
#                   keda-adapter, or keda (both KEDA processes)
#     --purge       then remove the state directory (store, certificates, logs, audit log); not with --only
# Exit 0 when everything asked for is stopped (also when it was not running).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cluster/lib.sh
. "$here/lib.sh"

parse_dir_option "$@"
set -- ${REST[@]+"${REST[@]}"}
only="" purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="${2:?--only needs a component list}"; shift 2 ;;
    --only=*) only="${1#--only=}"; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ -n "$only" ] && [ "$purge" = 1 ] && die "--purge removes the whole state directory: not with --only"
load_config

wanted=()
if [ -n "$only" ]; then
  IFS=, read -r -a asked <<<"$only"
  for c in "${asked[@]}"; do
    case "$c" in
      keda) wanted+=("${KEDA_COMPONENTS[@]}") ;;
      *) binary_of "$c" >/dev/null; wanted+=("$c") ;;
    esac
  done
else
  wanted=("${ALL_COMPONENTS[@]}")
fi

# Reverse start order: KEDA first, the store last, so that no component logs a storm of errors on its way out.
stopping_keda=0
for c in "${wanted[@]}"; do case "$c" in keda-*) [ -n "$(running_pid "$c")" ] && stopping_keda=1 ;; esac; done
if [ "$stopping_keda" = 1 ] && [ -n "$(running_pid apiserver)" ] && [ -f "$KUBECONFIG_ADMIN" ]; then
  # An APIService whose server is gone makes discovery fail for external.metrics.k8s.io: the garbage collector and
  # namespace deletion stall on it, kubectl warns on every call. keda-start.sh registers it again.
  kc delete apiservice v1beta1.external.metrics.k8s.io --ignore-not-found --wait=false >/dev/null 2>&1 || true
fi
for ((i = ${#ALL_COMPONENTS[@]} - 1; i >= 0; i--)); do
  c="${ALL_COMPONENTS[$i]}"
  case " ${wanted[*]} " in *" $c "*) ;; *) continue ;; esac
  t0=$(now_ms)
  if stop_process "$c"; then say "$c stopped in $(since "$t0") s"; fi
done

# The check: no process of ours left, and none of the cluster's ports (of what was stopped) listening.
bad=0
for c in "${wanted[@]}"; do
  pid="$(running_pid "$c")"
  if [ -n "$pid" ]; then echo "  FAIL $c still runs (pid $pid)" >&2; bad=1; fi
done
ports=()
for c in "${wanted[@]}"; do
  case "$c" in
    kine) ports+=("$KINE_PORT") ;;
    apiserver) ports+=("$APISERVER_PORT") ;;
    controller-manager) ports+=("$KCM_PORT") ;;
    scheduler) ports+=("$SCHEDULER_PORT") ;;
    kwok) ports+=("$KWOK_PORT") ;;
    keda-operator) ports+=("$KEDA_GRPC_PORT" "$KEDA_OPERATOR_METRICS_PORT" "$KEDA_OPERATOR_PROBE_PORT") ;;
    keda-adapter) ports+=("$KEDA_ADAPTER_PORT" "$KEDA_ADAPTER_METRICS_PORT") ;;
  esac
done
for p in "${ports[@]}"; do
  if port_listening "$p"; then echo "  FAIL port $p still listening: $(ss -Hltnp "sport = :$p")" >&2; bad=1; fi
done
[ "$bad" = 0 ] || die "not everything stopped (see above)"
say "stopped: ${wanted[*]}; no process left, ports ${ports[*]} free"

if [ "$purge" = 1 ] && [ -d "$STATE" ]; then
  # Only a directory start.sh made: it holds the marker.
  [ -f "$STATE/.ddbss-cluster" ] || die "$STATE has no .ddbss-cluster marker: not removing it"
  rm -rf "$STATE"
  say "removed $STATE"
fi
