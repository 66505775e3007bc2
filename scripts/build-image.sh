#!/usr/bin/env bash
# Builds the ddbstream-scaler image on a machine with no container registry, then smoke-tests it.
#
#   scripts/build-image.sh            # CI=true and no stdin are fine; safe to run again
#
# 1. installs docker.io (apt-get) if dockerd is missing, starts dockerd if it is not running;
# 2. builds the app with Maven if target/ddbstream-scaler.jar is missing (offline first);
# 3. makes a local base image: a jlink'ed JRE + the host's glibc, `docker import`ed
#    (scripts/image/make-jre-base.sh); reused while the module list and JDK are unchanged;
# 4. builds the Dockerfile with BuildKit, RUNTIME_IMAGE=<that base> and APP_SOURCE=prebuilt:
#    the jar and lib/ come from target/, so neither the Maven image nor Maven Central is needed
#    (the Dockerfile's default, APP_SOURCE=build, is the online path);
# 5. smoke-tests with `docker run --network none --read-only`: `validate` on the examples, then
#    `demo --seconds 20`, printing image size, start time and RSS.
#
# Environment: IMAGE (default ddbstream-scaler:0.1.0), DEMO_SECONDS (20), SKIP_SMOKE=true,
# TARGET (default runtime; runtime-cds adds the agent's class-data-sharing archive, about 75 MB more).
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
if [ ! -f target/ddbstream-scaler.jar ] || [ ! -d target/lib ]; then
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

if has_command demo; then
    NAME="ddbstream-scaler-smoke-$$"
    T0=$(date +%s%N)
    $DOCKER run -d --name "$NAME" --network none --read-only --tmpfs /tmp:rw,size=16m \
        "$IMAGE" demo --seconds "$DEMO_SECONDS" >/dev/null
    trap '$DOCKER rm -f "$NAME" >/dev/null 2>&1 || true' EXIT
    # Start time: until the first decision line (the agent logs "replicas N -> M" for every poll).
    STARTED=""
    for _ in $(seq 1 300); do
        if $DOCKER logs "$NAME" 2>&1 | grep -qE 'decision - .*replicas [0-9]+ -> [0-9]+'; then
            STARTED=$(( ($(date +%s%N) - T0) / 1000000 )); break
        fi
        [ "$($DOCKER inspect -f '{{.State.Running}}' "$NAME")" = true ] || break
        sleep 0.1
    done
    # RSS halfway through the demo, from the kernel's view of the container's main process.
    sleep $(( DEMO_SECONDS / 2 ))
    RSS=$($DOCKER stats --no-stream --format '{{.MemUsage}}' "$NAME" 2>/dev/null | cut -d/ -f1)
    RSS_KB=$( (grep VmRSS "/proc/$($DOCKER inspect -f '{{.State.Pid}}' "$NAME")/status" 2>/dev/null || true) | awk '{print $2}')
    EXIT=$($DOCKER wait "$NAME")
    $DOCKER logs "$NAME" 2>&1 | tail -5
    [ "$EXIT" = 0 ] || die "demo exited with $EXIT"
    log "demo: start ${STARTED:-?} ms to the first decision; RSS ${RSS_KB:+$((RSS_KB / 1024)) MiB (VmRSS), }${RSS:-?} (cgroup)"
else
    # No demo command in this build yet: start time of the CLI, then the camel-main floor (the
    # image's routes/ on camel-main's own Main, management server on) for start time and RSS.
    T0=$(date +%s%N)
    "${RUN[@]}" "$IMAGE" --help >/dev/null 2>&1
    log "this build has no 'demo' command yet: --help answered in $(( ($(date +%s%N) - T0) / 1000000 )) ms"
    NAME="ddbstream-scaler-floor-$$"
    T0=$(date +%s%N)
    $DOCKER run -d --name "$NAME" --network none --read-only --tmpfs /tmp:rw,size=16m --entrypoint java "$IMAGE" \
        -cp '/opt/ddbstream-scaler/ddbstream-scaler.jar:/opt/ddbstream-scaler/lib/*' \
        -Dcamel.main.routes-include-pattern='file:/opt/ddbstream-scaler/routes/*.camel.yaml' \
        -Dcamel.management.enabled=true -Dcamel.management.port=9876 -Dcamel.management.healthCheckEnabled=true \
        -Dcamel.metrics.enabled=true -Dcamel.management.metricsEnabled=true \
        org.apache.camel.main.Main >/dev/null
    trap '$DOCKER rm -f "$NAME" >/dev/null 2>&1 || true' EXIT
    FIRST=""
    for _ in $(seq 1 300); do
        # The first exchange through the routes: Camel is up and the loop has run once.
        if $DOCKER logs "$NAME" 2>&1 | grep -q 'Exchange\['; then FIRST=$(( ($(date +%s%N) - T0) / 1000000 )); break; fi
        [ "$($DOCKER inspect -f '{{.State.Running}}' "$NAME")" = true ] || break
        sleep 0.1
    done
    if [ -n "$FIRST" ]; then
        sleep 10
        RSS_KB=$( (grep VmRSS "/proc/$($DOCKER inspect -f '{{.State.Pid}}' "$NAME")/status" 2>/dev/null || true) | awk '{print $2}')
        log "camel-main floor with the image's routes: first exchange after $FIRST ms; RSS ${RSS_KB:+$((RSS_KB / 1024)) MiB} after 10 s"
    else
        log "WARN: the routes did not run on bare camel-main (they may need the agent's beans):"
        $DOCKER logs "$NAME" 2>&1 | tail -5
    fi
    $DOCKER rm -f "$NAME" >/dev/null
fi
log "done in $(( $(date +%s) - START )) s"
