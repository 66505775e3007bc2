#!/usr/bin/env bash
# Rebuilds the agent jar and runs every benchmark scenario (about 11 minutes at the defaults), keeping the output.
#   bench/run.sh                       # all scenarios, default durations
#   bench/run.sh --scenario footprint --duration 1m --nmt
# BUILD_DIR keeps the build apart from other checkouts of the same machine (the pom's build.dir property).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-$PWD/target}"
mvn -B -q -o package -DskipTests -Dbuild.dir="$BUILD_DIR"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--scenario all)
out="bench/last-run.txt"
{
  echo "# $(date -u +%FT%TZ) on $(nproc) CPUs, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -version 2>&1 | sed 's/^/# /'
  echo "# java -jar $BUILD_DIR/ddbstream-scaler.jar bench ${args[*]}"
} > "$out"
java -jar "$BUILD_DIR/ddbstream-scaler.jar" bench "${args[@]}" | tee -a "$out"
