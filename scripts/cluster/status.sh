#!/usr/bin/env bash
# Which components of the local cluster run, with their pids and ports; exit 0 when all of the core ones do.
#   bash scripts/cluster/status.sh [--dir DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cluster/lib.sh
. "$here/lib.sh"

parse_dir_option "$@"
[ "${#REST[@]}" = 0 ] || die "usage: status.sh [--dir DIR]"
load_config
echo "state directory $STATE"
all=0
for c in "${ALL_COMPONENTS[@]}"; do
  pid="$(running_pid "$c")"
  if [ -n "$pid" ]; then
    addrs="$(ss -Hltnp 2>/dev/null | grep -F "pid=$pid," | awk '{print $4}' | sort -u | xargs)"
    printf '  %-19s running  pid %-8s %s\n' "$c" "$pid" "$addrs"
  else
    printf '  %-19s stopped\n' "$c"
    case " ${CORE_COMPONENTS[*]} " in *" $c "*) all=1 ;; esac
  fi
done
[ -f "$KUBECONFIG_ADMIN" ] && echo "kubeconfig $KUBECONFIG_ADMIN"
exit "$all"
