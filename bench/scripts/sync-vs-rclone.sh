#!/usr/bin/env bash
# One-way replication throughput: skyforge-sync vs `rclone copy` (defaults, and --transfers 16 --checkers 16)
# between the same two S3Proxy endpoints (each in its own JVM), same objects, same run; prints seconds, MiB/s, ratios.
# Usage: bench/scripts/sync-vs-rclone.sh [--only small|big] [--rounds N] [--warm-up W] [--dir DIR] [--skip-rclone] [--jfr FILE]
#        [--jfr-endpoints DIR]
#   small = 10,000 x 64 KiB, big = 64 x 16 MiB. W warm-up rounds (default 1: every tool, reported, not
#   counted) come before the N counted ones; a RESULT line gives each set's median ratios over the counted
#   rounds. Needs rclone on PATH (apt-get install rclone) and ~4 GiB free under bench/results/sync.
#   --jfr records the replicator's JVM (not the S3Proxy endpoints) with Java Flight Recorder (profile settings),
#   --jfr-endpoints the two S3Proxy JVMs (DIR/a.jfr and DIR/b.jfr);
#   --skip-rclone times the replicator alone (for profiling; no ratios).
set -euo pipefail
cd "$(dirname "$0")/../.."
ARGS=()
JVM=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jfr-endpoints) mkdir -p "$2"; JVM+=("-Dbench.endpointJfr=$(realpath -m "$2")"); shift 2 ;;
    --jfr) JVM+=("-XX:StartFlightRecording=settings=profile,filename=$(realpath -m "$2"),dumponexit=true"); shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
command -v rclone >/dev/null || { echo "rclone is the baseline: install it (apt-get install rclone)" >&2; exit 2; }
./mvnw -B -q -pl skyforge-sync -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/skyforge-sync/target/bench-classpath.txt" -Dmdep.includeScope=test
# Plain http on loopback: a CA bundle from the environment would only confuse the clients.
unset AWS_CA_BUNDLE
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g "${JVM[@]}" -cp "skyforge-sync/target/test-classes:skyforge-sync/target/classes:$(cat skyforge-sync/target/bench-classpath.txt)" \
  -Dlogback.configurationFile=skyforge-sync/src/test/resources/logback-test.xml \
  io.skyforge.sync.bench.SyncVsRclone "${ARGS[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
