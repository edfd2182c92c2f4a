#!/usr/bin/env bash
# Job execution benchmarks (issue 6), against a real `skyforge server` on H2 in a fresh data dir:
#  1. end-to-end overhead of a one-partition tiny job, apply -> Succeeded, on the local backend
#     (JOBS jobs, one after another; baseline in the same run: the apply request alone);
#  2. a ROWS-row job in PARTS partitions on a `compute: worker` cloud, run by one fresh worker
#     process, then by two fresh worker processes (ROUNDS times each, alternating); the speed-up
#     is the ratio of the two wall times;
#  3. the first partition of a fresh worker: CPU seconds a new worker JVM spends on its first
#     ROWS/PARTS-row partition against the same JVM's second one, started by the launcher (on JDK 25+
#     with the AOT cache it makes once per build) and, as the baseline in the same run, by a bare
#     `java -jar` of the same JVM without one (both without the warm-up), then by the launcher with
#     the warm-up a worker runs by default.
# Workers are started through ./skyforge, as a user starts them; SKYFORGE_JAVA chooses their JVM.
# Usage: [MODES="cold started warm"] bench/scripts/job-bench.sh [JOBS=20] [ROWS=10000000] [PARTS=8] [ROUNDS=2]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JOBS="${1:-20}"; ROWS="${2:-10000000}"; PARTS="${3:-8}"; ROUNDS="${4:-2}"
PORT="${SKYFORGE_BENCH_PORT:-18299}"
# In memory where the machine has a tmpfs: the parts (1.2 GB a job) are written to the page cache
# either way, but on disk the kernel's write-back of each job's parts takes CPU that two workers on
# two cores need, and that one worker leaves free: this measures the workers' scaling, not the disk's.
WORK="$(mktemp -d "$( [[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo /tmp)/skyforge-job-bench.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
load() { uptime | sed 's/.*load average: //'; }

cd "$ROOT"
./mvnw -q -B -DskipTests package -pl bench -am
JAR="$ROOT/skyforge-cli/target/skyforge.jar"
# On JDK 25+ the launcher makes the worker's AOT cache on first use after a build, as a user's first
# `skyforge worker` does; make it here, untimed, so that no timed worker start pays for it.
SKYFORGE_NO_BUILD=1 ./skyforge worker --help > /dev/null
BENCH=(java -cp "$ROOT/bench/target/skyforge-bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*" io.skyforge.bench.jobs.JobBench)

cat > "$WORK/config.yaml" <<YAML
storage_providers:
  - name: bench-local
    type: filesystem
    root: $WORK/fs-local
    compute: {type: local, slots: 2}
  - name: bench-workers
    type: filesystem
    root: $WORK/fs-workers
    compute: {type: worker, slots: 8}
YAML
java -jar "$JAR" server --port "$PORT" --data-dir "$WORK/data" --config "$WORK/config.yaml" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($SERVER_PID)
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
URL="http://127.0.0.1:$PORT"
TOKEN="$(cat "$WORK/data/admin.token")"
echo "cores: $(nproc); load average at start: $(load)"

echo "== 1. one-partition tiny job on the local backend, $JOBS jobs"
"${BENCH[@]}" latency "$URL" "$TOKEN" "$JOBS"
echo "load average: $(load)"

WORKER=("$ROOT/skyforge")
# Starts N fresh worker processes for bench-workers, with any further arguments; echoes their pids.
start_workers() {
  local n=$1 tag=$2 pids=()
  shift 2
  for i in $(seq 1 "$n"); do
    SKYFORGE_NO_BUILD=1 "${WORKER[@]}" worker --server "$URL" --token "$TOKEN" --cloud bench-workers --slots 1 \
      --name "$tag-$i" "$@" > "$WORK/$tag-$i.log" 2>&1 &
    pids+=($!)
    PIDS+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 240); do grep -q "cloud bench-workers at" "$WORK/$tag-$i.log" && break; sleep 0.25; done
  done
  echo "${pids[@]}"
}
# The workers were started in a subshell, so `wait` cannot see them: poll until each has exited.
stop_workers() {
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for p in "$@"; do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
}
# Waits (up to 15 s) until the given processes are idle: new workers done with their start-up
# compilation, the server with the previous run's, so that a timed job shares the cores with nothing
# but itself.
settle() {
  local before now
  before=$(cpu_seconds "$@")
  for _ in $(seq 1 30); do
    sleep 0.5
    now=$(cpu_seconds "$@")
    python3 -c "import sys; sys.exit(0 if $now - $before < 0.03 else 1)" && return 0
    before=$now
  done
}
# Rows a second of the generator alone, one thread, in a fresh process (JobBench cpu).
generator_rate() {
  "${BENCH[@]}" cpu 3 | sed -n 's/.*cpu_rows_per_s=\([0-9]*\).*/\1/p'
}
# CPU seconds (user + system) the given processes have used so far.
cpu_seconds() {
  local ticks=0 t
  for p in "$@"; do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    ticks=$((ticks + t))
  done
  python3 -c "print(f'{$ticks / $(getconf CLK_TCK):.2f}')"
}

# The control plane is a long-running process: warm its worker API (claims, reports, status writes)
# with one untimed job run by a worker of its own, so that no timed run pays for the server's JIT.
pids=$(start_workers 1 "server-warmup" --no-warm-up)
"${BENCH[@]}" run "$URL" "$TOKEN" bench-workers server-warmup "$((ROWS / 10))" "$PARTS" > /dev/null
# shellcheck disable=SC2086
stop_workers $pids
rm -rf "$WORK/fs-workers/bench-out/server-warmup"

# Three ways to start the workers of a run:
#   cold    - fresh JVMs that have run nothing (--no-warm-up): each pays class loading and JIT
#             compilation in its first partition, a serial cost that does not split between workers;
#   started - fresh JVMs as a user starts them: before its first claim a worker runs its warm-up
#             (the built-in generator tour into a scratch directory, not this job's dataset);
#   warm    - fresh JVMs without the warm-up that first ran an untimed job of ROWS/10 rows in PARTS
#             parts, as the long-running workers of a fleet would have: the scaling of the work itself.
for mode in ${MODES:-cold started warm}; do
  if [[ $mode == started ]]; then WORKER_ARGS=(); else WORKER_ARGS=(--no-warm-up); fi
  echo "== 2. $ROWS rows in $PARTS partitions: one worker process, then two ($mode JVMs, fresh each run)"
  ONE=(); TWO=(); CEIL=()
  for r in $(seq 1 "$ROUNDS"); do
    for n in 1 2; do
      pids=$(start_workers "$n" "$mode-r$r-n$n" "${WORKER_ARGS[@]}")
      # shellcheck disable=SC2086
      settle $pids "$SERVER_PID"
      name="$mode-r$r-workers-$n"
      if [[ $mode == warm ]]; then
        "${BENCH[@]}" run "$URL" "$TOKEN" bench-workers "warmup-$name" "$((ROWS / 10))" "$PARTS" > /dev/null
        rm -rf "$WORK/fs-workers/bench-out/warmup-$name"
        # shellcheck disable=SC2086
        settle $pids "$SERVER_PID"
      fi
      # shellcheck disable=SC2086
      before=$(cpu_seconds $pids); server_before=$(cpu_seconds "$SERVER_PID")
      out=$("${BENCH[@]}" run "$URL" "$TOKEN" bench-workers "$name" "$ROWS" "$PARTS")
      # shellcheck disable=SC2086
      after=$(cpu_seconds $pids); server_after=$(cpu_seconds "$SERVER_PID")
      secs=$(echo "$out" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
      cpu=$(python3 -c "print(f'{$after - $before:.1f}')")
      echo "$out worker_cpu_s=$cpu cores_used=$(python3 -c "print(f'{($after - $before) / $secs:.2f}')") server_cpu_s=$(python3 -c "print(f'{$server_after - $server_before:.1f}')")  (workers: $n, load average: $(load))"
      if [[ $n == 1 ]]; then ONE+=("$secs"); else TWO+=("$secs"); fi
      if [[ $n == 2 ]]; then
        # The machine's ceiling in the same round: the generator alone in one process, then in two at once.
        c1=$(generator_rate)
        generator_rate > "$WORK/cpu-a" & a=$!
        c2b=$(generator_rate)
        wait $a
        c2a=$(cat "$WORK/cpu-a")
        CEIL+=("$(python3 -c "print(f'{($c2a + $c2b) / $c1:.2f}')")")
        echo "RESULT machine_ceiling one_process=$c1 two_processes=$c2a+$c2b ratio=${CEIL[-1]}"
      fi
      # shellcheck disable=SC2086
      stop_workers $pids
      rm -rf "$WORK/fs-workers/bench-out/$name"
    done
  done
  python3 - "$mode" "${ONE[*]}" "${TWO[*]}" "${CEIL[*]}" <<'PY'
import statistics
import sys
mode = sys.argv[1]
one = [float(x) for x in sys.argv[2].split()]
two = [float(x) for x in sys.argv[3].split()]
ceil = [float(x) for x in sys.argv[4].split()]
for i, (a, b, c) in enumerate(zip(one, two, ceil), 1):
    print(f"{mode} round {i}: one worker {a:.2f} s, two workers {b:.2f} s, speed-up {a / b:.2f}x;"
          f" the machine's ceiling {c:.2f}x, so {a / b / c:.0%} of it")
print(f"RESULT mode={mode} speedup_best={min(one) / min(two):.2f} one_best_s={min(one):.2f} two_best_s={min(two):.2f}"
      f" speedup_median={statistics.median(one) / statistics.median(two):.2f}"
      f" round_ratios={','.join(f'{a / b:.2f}' for a, b in zip(one, two))}"
      f" machine_ceilings={','.join(f'{c:.2f}' for c in ceil)}")
PY
done
echo "== 3. first partition ($((ROWS / PARTS)) rows) of a fresh worker JVM against its second, CPU seconds"
BARE_JAVA="${SKYFORGE_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}"
for r in $(seq 1 "$ROUNDS"); do
  for how in launcher bare started; do
    if [[ $how == bare ]]; then WORKER=("${BARE_JAVA:-java}" -jar "$JAR"); else WORKER=("$ROOT/skyforge"); fi
    if [[ $how == started ]]; then WORKER_ARGS=(); else WORKER_ARGS=(--no-warm-up); fi
    started=$(date +%s%N)
    pid=$(start_workers 1 "first-$how-r$r" "${WORKER_ARGS[@]}")
    ready_s=$(python3 -c "print(f'{($(date +%s%N) - $started) / 1e9:.2f}')")
    c0=$(cpu_seconds "$pid")
    one=$("${BENCH[@]}" run "$URL" "$TOKEN" bench-workers "first-$how-r$r-a" "$((ROWS / PARTS))" 1 | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
    c1=$(cpu_seconds "$pid")
    two=$("${BENCH[@]}" run "$URL" "$TOKEN" bench-workers "first-$how-r$r-b" "$((ROWS / PARTS))" 1 | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
    c2=$(cpu_seconds "$pid")
    echo "RESULT first_partition worker=$how round=$r start_to_ready_s=$ready_s start_cpu_s=$c0" \
      "first_s=$one first_cpu_s=$(python3 -c "print(f'{$c1 - $c0:.2f}')") second_s=$two" \
      "second_cpu_s=$(python3 -c "print(f'{$c2 - $c1:.2f}')")  (load average: $(load))"
    stop_workers "$pid"
    rm -rf "$WORK/fs-workers/bench-out/first-$how-r$r-"*
  done
done
echo "load average at end: $(load)"
