#!/usr/bin/env bash
# Control-plane API benchmark (issue 2): a real server on H2 in a fresh data dir, a load client on
# loopback, and `skyforge apply` of 1,000 documents timed end to end through the CLI.
# Usage: bench/scripts/api-bench.sh [TOTAL=10000] [RATE=500] [SECONDS=20]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOTAL="${1:-10000}"; RATE="${2:-500}"; SECONDS_="${3:-20}"
PORT="${SKYFORGE_BENCH_PORT:-18199}"
WORK="$(mktemp -d /tmp/skyforge-api-bench.XXXXXX)"
SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cd "$ROOT"
./mvnw -q -B -DskipTests package -pl bench -am
"$ROOT/skyforge" server --port "$PORT" --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
export SKYFORGE_SERVER="http://127.0.0.1:$PORT" SKYFORGE_TOKEN="$(cat "$WORK/data/admin.token")"

# 1,000 documents in one multi-document file, applied through the CLI as a user would.
python3 - "$WORK/apply.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        f.write(f"---\napiVersion: data.mcp/v1\nkind: Dataset\nmetadata:\n  name: ds-{i}\n  namespace: bench-apply\n"
                f"  labels: {{batch: b{i % 10}}}\nspec:\n  seed: {i}\n  tables:\n  - name: t\n    rows: 1000\n"
                f"    columns:\n    - {{name: id, type: bigint, generator: sequence}}\n")
PY
START=$(date +%s.%N)
"$ROOT/skyforge" apply -f "$WORK/apply.yaml" > /dev/null
END=$(date +%s.%N)
APPLY=$(python3 -c "print(f'{$END - $START:.2f}')")
echo "apply of 1000 documents through the CLI: ${APPLY} s"
echo "RESULT apply_1000_s=${APPLY}"

java -cp "$ROOT/bench/target/skyforge-bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*" \
  io.skyforge.bench.api.ApiLoad "$SKYFORGE_SERVER" "$SKYFORGE_TOKEN" "$TOTAL" "$RATE" "$SECONDS_"
