#!/usr/bin/env bash
# Writes a kubeconfig that acts as a ServiceAccount of the local cluster, with a token from the TokenRequest API
# (`kubectl create token`), so that the agent and its tests run as the shipped `ddbstream-scaler` ServiceAccount
# and its Role, never as admin.
#
#   bash scripts/cluster/sa-kubeconfig.sh [--dir DIR] [--duration D] NAMESPACE SERVICEACCOUNT OUT
#     --duration D  the token's lifetime (default 8760h, a year; the API server grants it: no
#                   --service-account-max-token-expiration is set)
# The kubeconfig's context names NAMESPACE as its namespace. The token is not bound to a Pod or a Secret: deleting
# the ServiceAccount invalidates it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cluster/lib.sh
. "$here/lib.sh"

parse_dir_option "$@"
set -- ${REST[@]+"${REST[@]}"}
duration=8760h
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="${2:?--duration needs a value, e.g. 24h}"; shift 2 ;;
    --duration=*) duration="${1#--duration=}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) args+=("$1"); shift ;;
  esac
done
[ "${#args[@]}" = 3 ] || die "usage: sa-kubeconfig.sh [--dir DIR] [--duration D] NAMESPACE SERVICEACCOUNT OUT"
ns="${args[0]}" sa="${args[1]}" out="${args[2]}"
load_config
[ -f "$KUBECONFIG_ADMIN" ] || die "no cluster in $STATE: start it first (bash scripts/cluster/start.sh)"

kc -n "$ns" get serviceaccount "$sa" >/dev/null || die "no ServiceAccount $ns/$sa"
token="$(kc -n "$ns" create token "$sa" --duration="$duration")"
mkdir -p "$(dirname "$out")"
write_kubeconfig "$out" "system:serviceaccount:$ns:$sa" token "$token" "$ns"
# The expiry the API server granted, from the token's claims.
payload="$(echo "$token" | cut -d. -f2 | tr '_-' '/+')"
while [ $(( ${#payload} % 4 )) != 0 ]; do payload="$payload="; done
exp="$(echo "$payload" | base64 -d 2>/dev/null | sed -n 's/.*"exp":\([0-9]*\).*/\1/p')"
say "wrote $out: system:serviceaccount:$ns:$sa, token valid until $(date -u -d "@${exp:-0}" +%FT%TZ)"
