#!/usr/bin/env bash
# Builds the ddbstream-scaler image on a machine with no container registry, then smoke-tests it.
#
#   scripts/build-image.sh            # CI=true and no stdin are fine; safe to run again
#
# 1. installs docker.io (apt-get) if dockerd is missing, starts dockerd if it is not running;
# 2. builds the repository with Maven if target/ddbstream-scaler.jar or the tools jar is missing (offline first);
# 3. makes a local base image: a jlink'ed JRE + the host's glibc, `docker import`ed
#    (scripts/image/make-jre-base.sh); reused while the module list and JDK are unchanged;
# 4. builds the Dockerfile with BuildKit, RUNTIME_IMAGE=<that base> and APP_SOURCE=prebuilt:
#    the jar and lib/ come from target/, so neither the Maven image nor Maven Central is needed
#    (the Dockerfile's default, APP_SOURCE=build, is the online path);
# 5. smoke-tests with `docker run --read-only`: `validate` on the examples (--network none), then the agent
#    (`run`, host network) against the simulators started on this host from the tools jar, which must scale the
#    spec's example 1 -> 3; prints image size, start time and RSS.
#
# Environment: IMAGE (default ddbstream-scaler:0.1.0), DEMO_SECONDS (how long the agent runs after its first
# decision, 20), SKIP_SMOKE=true, TARGET (default runtime).
set -euo pipefail

START=$(date +%s)
cd "$(dirname "$0")/.."
REPO=$(pwd)
IMAGE=${IMAGE:-ddbstream-scaler:0.1.0}
BASE_REPO=${BASE_REPO:-ddbstream-scaler-jre}
DEMO_SECONDS=${DEMO_SECONDS:-20}
TARGET=${TARGET:-runtime}
export DEBIAN_FRONTEND=noninteractive

log() { echo "[build-image] $*"; }
die() { echo "[build-image] ERROR: $*" >&2; exit 1; }
# Exit 3: this machine cannot run Docker at all (no package, no daemon): not a fault of the image.
no_docker() { echo "[build-image] NO DOCKER: $*" >&2; exit 3; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# --- 1. docker ------------------------------------------------------------------------------------
if ! command -v dockerd >/dev/null 2>&1; then
    log "installing docker.io (apt-get)"
    as_root apt-get update -qq </dev/null || no_docker "apt-get update failed"
    as_root apt-get install -y -qq docker.io </dev/null >/dev/null || no_docker "apt-get install docker.io failed"
fi
# BuildKit is what skips the unused Maven stage. Docker 23+ clients need the buildx plugin for
# it; Debian's 20.10 client (/usr/bin/docker from docker.io) drives the daemon's built-in one.
if docker buildx version >/dev/null 2>&1; then
    DOCKER=docker
elif [ -x /usr/bin/docker ]; then
    DOCKER=/usr/bin/docker
else
    DOCKER=docker
fi
export DOCKER DOCKER_BUILDKIT=1

if ! $DOCKER info >/dev/null 2>&1; then
    log "starting dockerd (log: /tmp/dockerd.log)"
    as_root sh -c 'nohup dockerd >/tmp/dockerd.log 2>&1 &'
    for _ in $(seq 1 60); do
        $DOCKER info >/dev/null 2>&1 && break
        sleep 1
    done
    $DOCKER info >/dev/null 2>&1 || no_docker "dockerd did not answer within 60 s; see /tmp/dockerd.log"
fi

# --- 2. the app -----------------------------------------------------------------------------------
if [ ! -f target/ddbstream-scaler.jar ] || [ ! -d target/lib ] || [ ! -f target/tools/ddbstream-scaler-tools.jar ]; then
    log "mvn package (target/ddbstream-scaler.jar is missing)"
    mvn -B -q -o package -DskipTests </dev/null || mvn -B -q package -DskipTests </dev/null
fi
[ -f target/ddbstream-scaler.jar ] || die "target/ddbstream-scaler.jar was not built"

# --- 3. the base ----------------------------------------------------------------------------------
BASE_IMAGE=$(scripts/image/make-jre-base.sh target "$BASE_REPO" | tail -1)
log "base image $BASE_IMAGE"

# --- 4. the image ---------------------------------------------------------------------------------
BUILD_START=$(date +%s)
$DOCKER build --progress=plain -q \
    --build-arg RUNTIME_IMAGE="$BASE_IMAGE" \
    --build-arg APP_SOURCE=prebuilt \
    --target "$TARGET" -t "$IMAGE" . >/dev/null
log "built $IMAGE (target $TARGET) in $(( $(date +%s) - BUILD_START )) s; size $($DOCKER image inspect -f '{{.Size}}' "$IMAGE" \
    | awk '{printf "%.1f MB", $1/1000/1000}')"
$DOCKER history --format '  {{.Size}}\t{{.CreatedBy}}' "$IMAGE" | grep -E 'COPY|import' | cut -c1-110 || true

# --- 5. smoke tests -------------------------------------------------------------------------------
if [ "${SKIP_SMOKE:-false}" = true ]; then
    log "SKIP_SMOKE=true: done in $(( $(date +%s) - START )) s"
    exit 0
fi
# As in the cluster: no network, read-only root, only /tmp writable, the config mounted read-only.
RUN=($DOCKER run --rm --network none --read-only --tmpfs /tmp:rw,size=16m)
HELP=$("${RUN[@]}" "$IMAGE" --help 2>&1) || die "the image does not start: $HELP"
has_command() { grep -qE "^\s+$1(\s|,|$)" <<<"$HELP"; }

# The lead's examples/ when present, else the trigger config k8s/ ships.
if compgen -G "examples/*.yaml" >/dev/null; then CONFIG_DIR="$REPO/examples"; else CONFIG_DIR="$REPO/k8s/base/triggers"; fi
if has_command validate; then
    log "validate -f /etc/ddbstream-scaler ($CONFIG_DIR)"
    "${RUN[@]}" -v "$CONFIG_DIR:/etc/ddbstream-scaler:ro" "$IMAGE" validate -f /etc/ddbstream-scaler
else
    log "this build has no 'validate' command yet: checked that the image starts (--help) instead"
fi

# The agent as it ships, against the simulators run on this host from the tools jar (the image holds the agent alone):
# the spec's IAM-users example on a table of 5 shards scales a 1-replica Deployment to 3. Host networking, because
# the simulators listen on the host's loopback; still a read-only root and the config mounted read-only.
TOOLS_JAR=target/tools/ddbstream-scaler-tools.jar
[ -f "$TOOLS_JAR" ] || die "$TOOLS_JAR is missing: build the repository (mvn -B -q package -DskipTests)"
SMOKE=$(mktemp -d)
chmod 755 "$SMOKE"
NAME="ddbstream-scaler-smoke-$$"
SIM_PIDS=()
cleanup() {
    $DOCKER rm -f "$NAME" >/dev/null 2>&1 || true
    [ ${#SIM_PIDS[@]} = 0 ] || kill "${SIM_PIDS[@]}" 2>/dev/null || true
    rm -rf "$SMOKE"
}
trap cleanup EXIT
java -jar "$TOOLS_JAR" kube-simulator --deployment keda-test/nginx-deployment=1 --namespace keda-test \
    --kubeconfig "$SMOKE/kubeconfig" >"$SMOKE/kube.log" 2>&1 &
SIM_PIDS+=($!)
java -jar "$TOOLS_JAR" aws-simulator --port 0 --region ap-northeast-1 --table keda-events=5 >"$SMOKE/aws.log" 2>&1 &
SIM_PIDS+=($!)
AWS_URL=""
for _ in $(seq 1 300); do
    AWS_URL=$(sed -n 's/^AWS simulator listening on \(http[^ ]*\).*/\1/p' "$SMOKE/aws.log")
    [ -n "$AWS_URL" ] && [ -s "$SMOKE/kubeconfig" ] && break
    sleep 0.1
done
[ -n "$AWS_URL" ] && [ -s "$SMOKE/kubeconfig" ] || die "the simulators did not start: $(cat "$SMOKE"/*.log)"
chmod 644 "$SMOKE/kubeconfig"
T0=$(date +%s%N)
$DOCKER run -d --name "$NAME" --network host --read-only --tmpfs /tmp:rw,size=16m \
    -v "$REPO/examples:/etc/ddbstream-scaler:ro" -v "$SMOKE/kubeconfig:/var/run/kubeconfig:ro" \
    -e AWS_ENDPOINT_URL="$AWS_URL" -e AWS_ENDPOINT_URL_STS="$AWS_URL" \
    "$IMAGE" run -f /etc/ddbstream-scaler/keda-iam-users.yaml --kubeconfig /var/run/kubeconfig --management-port 0 >/dev/null
# Start time: until the first decision line (the agent logs "replicas N -> M" for every poll).
STARTED=""
for _ in $(seq 1 600); do
    if $DOCKER logs "$NAME" 2>&1 | grep -qE 'decision - .*replicas [0-9]+ -> [0-9]+'; then
        STARTED=$(( ($(date +%s%N) - T0) / 1000000 )); break
    fi
    [ "$($DOCKER inspect -f '{{.State.Running}}' "$NAME")" = true ] || break
    sleep 0.1
done
[ -n "$STARTED" ] || { $DOCKER logs "$NAME" 2>&1 | tail -20; die "the agent made no decision"; }
sleep "$DEMO_SECONDS"
RSS_KB=$( (grep VmRSS "/proc/$($DOCKER inspect -f '{{.State.Pid}}' "$NAME")/status" 2>/dev/null || true) | awk '{print $2}')
$DOCKER logs "$NAME" 2>&1 | grep -E 'decision - ' | tail -2
$DOCKER logs "$NAME" 2>&1 | grep -qE 'decision - .*replicas 1 -> 3 reason=ScaleUp' \
    || { $DOCKER logs "$NAME" 2>&1 | tail -20; die "the agent did not scale 1 -> 3"; }
REPLICAS=$(kubectl --kubeconfig "$SMOKE/kubeconfig" -n keda-test get deployment nginx-deployment -o jsonpath='{.spec.replicas}' 2>/dev/null || echo "?")
[ "$REPLICAS" = 3 ] || die "the Deployment runs $REPLICAS replicas, expected 3"
$DOCKER stop -t 10 "$NAME" >/dev/null
EXIT=$($DOCKER wait "$NAME")
[ "$EXIT" = 0 ] || [ "$EXIT" = 143 ] || die "the agent exited with $EXIT on SIGTERM"
log "agent: first decision ${STARTED} ms after docker run; RSS ${RSS_KB:+$((RSS_KB / 1024)) MiB (VmRSS) }after ${DEMO_SECONDS} s; Deployment at $REPLICAS replicas"
log "done in $(( $(date +%s) - START )) s"
