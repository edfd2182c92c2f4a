#!/usr/bin/env bash
# Replication lag through the data API: writes at a fixed rate (open loop) to a two-copy logical bucket on
# CLOUD_A; CLOUD_B's S3 endpoint stamps when each object lands. Prints p50/p95/p99/max of the lag and of the
# write itself (the baseline, same run). The control plane runs as `java -jar skyforge.jar server`, the two
# S3Proxy endpoints and the load generator in one other JVM.
# Failed writes are counted by reason; the CPU the control plane and the other JVM spent is printed too; the
# control plane's log is kept as bench/results/sync-lag-server.log.
# Usage: bench/scripts/sync-lag.sh [--rate 100] [--seconds 60] [--warmup 10] [--size 4096] [--jfr FILE]
#   --jfr records the control plane with Java Flight Recorder (profile settings) into FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
./mvnw -B -q -pl skyforge-cli,bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$ROOT/bench/target/classpath.txt" -Dmdep.includeScope=runtime
WORK="$ROOT/bench/results/sync-lag-work"
rm -rf "$WORK"; mkdir -p "$WORK"
trap 'cp -f "$WORK/server.log" "$ROOT/bench/results/sync-lag-server.log" 2>/dev/null; rm -rf "$WORK"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -cp "$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")" \
  -Dlogback.configurationFile="$ROOT/bench/scripts/storage-logback.xml" \
  io.skyforge.bench.sync.ReplicationLag "$ROOT/skyforge-cli/target/skyforge.jar" "$WORK" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
