#!/usr/bin/env bash
# Runs the agent against the local control plane that start.sh started, as the shipped `ddbstream-scaler`
# ServiceAccount (never as admin), on the spec's first example: the standalone overlay applied to namespace
# keda-test, a Deployment nginx-deployment at 1 replica, the project's AWS simulator with table keda-events at 5
# shards in ap-northeast-1, then one `run --once`, the Deployment the controllers made and its SuccessfulRescale Event.
# Each step is the command docs/local-cluster.md gives for doing it by hand.
#
#   bash scripts/cluster/try-agent.sh [--dir DIR] [--aws-port PORT]
#     --aws-port PORT  the AWS simulator's port on 127.0.0.1 (default $DDBSS_AWS_PORT or 4566)
# Needs the built jars (README's first command) and a running cluster (start.sh). Leaves the cluster, the namespace
# and the scaled Deployment as they are (stop.sh --purge removes everything); stops the AWS simulator it started.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/cluster/lib.sh
. "$here/lib.sh"

parse_dir_option "$@"
set -- ${REST[@]+"${REST[@]}"}
aws_port="${DDBSS_AWS_PORT:-4566}"
while [ $# -gt 0 ]; do
  case "$1" in
    --aws-port) aws_port="${2:?--aws-port needs a port}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
load_config
cd "$here/../.."
agent_jar=target/ddbstream-scaler.jar
tools_jar=target/tools/ddbstream-scaler-tools.jar
for jar in "$agent_jar" "$tools_jar"; do
  [ -f "$jar" ] || die "$jar is missing: build it first with: mvn -B -q package -DskipTests"
done
[ -f "$KUBECONFIG_ADMIN" ] && apiserver_ready ||
  die "no cluster answers in $STATE: start it first with: bash scripts/cluster/start.sh${STATE:+ --dir $STATE}"
port_listening "$aws_port" && die "port $aws_port is taken: pass --aws-port with a free one"

# The admin sets the namespace up, as a user would with kubectl apply -k.
kc get namespace keda-test >/dev/null 2>&1 || kc create namespace keda-test
kc apply -k k8s/overlays/standalone
kc -n keda-test get deployment nginx-deployment >/dev/null 2>&1 ||
  kc -n keda-test create deployment nginx-deployment --image=nginx
agent_kubeconfig="$STATE/agent.kubeconfig"
bash "$here/sa-kubeconfig.sh" --dir "$STATE" keda-test ddbstream-scaler "$agent_kubeconfig"

java -jar "$tools_jar" aws-simulator --port "$aws_port" --region ap-northeast-1 --table keda-events=5 \
  >"$STATE/logs/aws-simulator.log" 2>&1 &
aws_pid=$!
trap 'kill "$aws_pid" 2>/dev/null; wait "$aws_pid" 2>/dev/null || true' EXIT
deadline=$(( $(date +%s) + 60 ))
until port_listening "$aws_port"; do
  kill -0 "$aws_pid" 2>/dev/null || { tail -n 20 "$STATE/logs/aws-simulator.log" >&2; die "the AWS simulator exited"; }
  [ "$(date +%s)" -lt "$deadline" ] || die "the AWS simulator is not listening on $aws_port after 60 s"
  sleep 0.2
done

# The agent, as the ServiceAccount: the Role of the overlay is all it may do.
AWS_ENDPOINT_URL="http://127.0.0.1:$aws_port" AWS_ENDPOINT_URL_STS="http://127.0.0.1:$aws_port" \
  java -jar "$agent_jar" run --once -f examples/keda-iam-users.yaml --kubeconfig "$agent_kubeconfig"
kc -n keda-test rollout status deployment nginx-deployment --timeout=120s
kc -n keda-test get deployment nginx-deployment
kc -n keda-test get events --field-selector reason=SuccessfulRescale
