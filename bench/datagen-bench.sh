#!/usr/bin/env bash
# Data generation benchmarks (bench/README.md, "Data generation"): end-to-end `skyforge generate`
# runs of the TPC-H lineitem spec, TPC-H dbgen as the baseline when DBGEN names a built dbgen
# binary, and the JMH suite (Skyforge vs a naive Datafaker loop), all in one run.
#   bench/datagen-bench.sh                 # everything
#   DBGEN=/tmp/tpch-dbgen/dbgen bench/datagen-bench.sh
#   SKIP_JMH=1 bench/datagen-bench.sh      # end-to-end only
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/skyforge-datagen-bench}
rm -rf "$OUT" && mkdir -p "$OUT"
./mvnw -B -q -pl bench -am compile dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
CP="bench/target/classes:$(cat "$OUT/classpath.txt")"
SPEC=bench/specs/tpch-lineitem.yaml
RESULTS="$OUT/results.md"
echo "| run | rows | wall s | user s | rows/s (wall) | rows/s per core (user) |" > "$RESULTS"
echo "|---|---|---|---|---|---|" >> "$RESULTS"

# label, row count, command...: user CPU time is the per-core measure, as for dbgen
run() {
    local label=$1 rows=$2
    shift 2
    /usr/bin/time -f "%U %S %e %M" -o "$OUT/time.txt" "$@" > "$OUT/last.log" 2>&1 || { cat "$OUT/last.log"; exit 1; }
    read -r user sys wall rss < "$OUT/time.txt"
    awk -v l="$label" -v r="$rows" -v u="$user" -v w="$wall" -v m="$rss" \
        'BEGIN { printf "| %s | %d | %.2f | %.2f | %.0f | %.0f |\n", l, r, w, u, r / w, r / u }' >> "$RESULTS"
    echo "$label: wall ${wall}s user ${user}s maxrss ${rss}KB"
}
gen() {
    java ${JAVA_OPTS:-} -cp "$CP" io.skyforge.bench.datagen.GenerateMain "$@" -q
}
rows_of() {
    grep -m1 '"rows"' "$1/_manifest.json" | tr -dc '0-9'
}

uptime | sed 's/^/load: /'
gen "$SPEC" --table lineitem --out "$OUT/csv1" --format csv --delimiter '|' --no-header --threads 1   # JIT and page-cache warm-up
N=$(rows_of "$OUT/csv1")
run "skyforge lineitem csv, 1 thread" "$N" java -cp "$CP" io.skyforge.bench.datagen.GenerateMain "$SPEC" --table lineitem --out "$OUT/csv1" --format csv --delimiter '|' --no-header --threads 1 -q
run "skyforge lineitem csv, 2 threads" "$N" java -cp "$CP" io.skyforge.bench.datagen.GenerateMain "$SPEC" --table lineitem --out "$OUT/csv2" --format csv --delimiter '|' --no-header --threads 2 -q
cmp "$OUT/csv1/lineitem/part-0-of-1.csv" "$OUT/csv2/lineitem/part-0-of-1.csv" && echo "1 and 2 threads: identical bytes"
run "skyforge lineitem parquet (snappy), 1 thread" "$N" java -cp "$CP" io.skyforge.bench.datagen.GenerateMain "$SPEC" --table lineitem --out "$OUT/pq1" --format parquet --threads 1 -q
run "skyforge lineitem parquet, 10 M rows, -Xmx256m, 2 threads" 10000001 java -Xmx256m -cp "$CP" io.skyforge.bench.datagen.GenerateMain "$SPEC" --table lineitem --scale 1.6667 --out "$OUT/pq10m" --format parquet --threads 2 -q
echo "10 M rows: $(rows_of "$OUT/pq10m") rows written"
if [[ -n "${DBGEN:-}" ]]; then
    mkdir -p "$OUT/dbgen" && cp "$(dirname "$DBGEN")/dists.dss" "$OUT/dbgen/"
    (cd "$OUT/dbgen" && run "TPC-H dbgen -s 1 -T L (baseline)" 6001215 "$DBGEN" -s 1 -T L -f -b dists.dss)
fi
rm -rf "$OUT/csv1" "$OUT/csv2" "$OUT/pq1" "$OUT/pq10m" "$OUT/dbgen"

# the person comparison and warmed lineitem rate in thread CPU time: robust when the machine is shared
java -Xmx1g -cp "$CP" io.skyforge.bench.datagen.CpuTimeComparison 2000000 100000 | tee "$OUT/cpu-time.md"

# steady-state 1 -> 2 threads (warmed, one JVM, SHA-256 of the part computed as for a real part, bytes dropped)
java -cp "$CP" io.skyforge.bench.datagen.ThreadScaling 2000000 5 csv,parquet | tee "$OUT/scaling.md"

if [[ -z "${SKIP_JMH:-}" ]]; then
    java -cp "$CP" org.openjdk.jmh.Main io.skyforge.bench.datagen.DatagenBenchmarks -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt" | grep -E "^Benchmark|^DatagenBenchmarks"
fi
echo
cat "$RESULTS"
echo
cat "$OUT/cpu-time.md"
echo
cat "$OUT/scaling.md"
