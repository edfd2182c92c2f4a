#!/usr/bin/env bash
# The Skyforge data API vs the AWS CLI, both against the same S3Proxy on loopback, in the same run.
#
# The server (the runnable jar, -Xmx from --heap) maps one LogicalBucket onto a bucket of the S3Proxy. The
# data API side is curl in ONE process with --parallel (10 transfers in flight, like the AWS CLI's
# default max_concurrent_requests), so neither side pays a process per object. The AWS CLI side
# writes and reads the same S3Proxy directly (`aws s3 cp --recursive`, default settings).
#
# Scenarios: 64 x 16 MiB and 2,000 x 64 KiB, upload and download; plus one 1 GiB PUT and GET through
# the data API (run it with --heap 256m: proof that bodies stream; sha256 compared).
#
# Usage: bench/scripts/data-api-vs-awscli.sh [--rounds N] [--warmup N] [--only medium|small|big] [--parallel N] [--heap 256m] [--jfr FILE]
#   --jfr records the server with Java Flight Recorder (profile settings) into FILE, to see where upload time goes.
#   --heap is the server's -Xmx (default 1g for the throughput scenarios; run `--only big --heap 256m`
#   for the streaming proof: the upload budget scales with the heap, so 256m admits ~6 uploads at once).
# Needs: the AWS CLI and curl on PATH; ~3 GiB free under bench/results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
ROUNDS=2
WARMUP=1
ONLY=all
PAR=10
HEAP=1g
JFR=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --parallel) PAR="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --jfr) JFR="$(realpath -m "$2")"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v aws >/dev/null || { echo "the AWS CLI is the baseline: install it (apt-get install awscli)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl drives the data API: install it" >&2; exit 2; }

./mvnw -B -q -pl skyforge-cli,bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$ROOT/bench/target/classpath.txt" -Dmdep.includeScope=runtime
JAR="$ROOT/skyforge-cli/target/skyforge.jar"
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"

WORK="$ROOT/bench/results/data-api-work"
OUT="$ROOT/bench/results"
rm -rf "$WORK"; mkdir -p "$WORK" "$OUT"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Plain http on loopback: a CA bundle from the environment would only confuse the CLI.
unset AWS_CA_BUNDLE AWS_PROFILE
export AWS_ACCESS_KEY_ID=skyforge-local AWS_SECRET_ACCESS_KEY=skyforge-local-secret AWS_DEFAULT_REGION=us-east-1
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
export AWS_CONFIG_FILE="$WORK/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/no-aws-credentials"

java -Xmx1g -cp "$CP" io.skyforge.testkit.storage.S3ProxyServer "$WORK/s3proxy" > "$WORK/s3proxy.log" 2>&1 &
S3PROXY_PID=$!
PIDS+=($S3PROXY_PID)
for _ in $(seq 1 300); do grep -q '^S3PROXY_ENDPOINT=' "$WORK/s3proxy.log" && break; sleep 0.1; done
S3="$(grep '^S3PROXY_ENDPOINT=' "$WORK/s3proxy.log" | cut -d= -f2)"
[[ -n "$S3" ]] || { echo "S3Proxy did not start: $(cat "$WORK/s3proxy.log")" >&2; exit 2; }

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$WORK/data/secrets"
printf '%s' "$AWS_SECRET_ACCESS_KEY" > "$WORK/data/secrets/BENCH_S3_SECRET"
cat > "$WORK/skyforge.yaml" <<YAML
storage_providers:
  - name: BENCH
    type: s3
    endpoint: $S3
    region: us-east-1
    access_key: skyforge-local
    secret_key: \${BENCH_S3_SECRET}
resources:
  - apiVersion: storage.mcp/v1
    kind: LogicalBucket
    metadata: {name: bench, namespace: default}
    spec:
      providers: [{cloud: BENCH, physicalId: bench-data}]
YAML
SERVER_JVM=(-Xmx"$HEAP")
[[ -n "$JFR" ]] && SERVER_JVM+=("-XX:StartFlightRecording=settings=profile,filename=$JFR,dumponexit=true")
java "${SERVER_JVM[@]}" -jar "$JAR" server --port "$PORT" --data-dir "$WORK/data" --config "$WORK/skyforge.yaml" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($SERVER_PID)
API="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -sf "$API/actuator/health" >/dev/null && break; sleep 0.2; done
TOKEN="$(cat "$WORK/data/admin.token")"
java -jar "$JAR" wait logicalbucket/bench --for=condition=Ready --timeout=120s --server "$API" --token "$TOKEN" >/dev/null
DATA="$API/data/v1/namespaces/default/buckets/bench/objects"

now() { date +%s.%N; }
# CPU seconds (user + system) a process has used so far: on a saturated machine throughput follows CPU per object.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$1/stat"; }
mibps() { python3 -c "import sys; print(f'{$1/1048576/($3-$2):.1f}')"; }

# curl --parallel with one config file: every transfer in one process, $PAR at a time.
curl_many() { # $1 = config file
  curl --parallel --parallel-max "$PAR" --no-progress-meter --fail --silent --show-error -H "Authorization: Bearer $TOKEN" -K "$1"
}

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$RESULTS"; }

scenario() { # name count size
  local name="$1" count="$2" size="$3" total=$(( $2 * $3 ))
  local src="$WORK/src-$name"
  mkdir -p "$src"
  for i in $(seq -f '%05g' 0 $((count - 1))); do head -c "$size" /dev/urandom > "$src/obj-$i.bin"; done
  local up_cfg="$WORK/up-$name.cfg" down_cfg="$WORK/down-$name.cfg"
  : > "$up_cfg"; : > "$down_cfg"
  for f in "$src"/*.bin; do
    b="$(basename "$f")"
    printf 'upload-file = "%s"\nurl = "%s/api-%s/%s"\noutput = "/dev/null"\n' "$f" "$DATA" "$name" "$b" >> "$up_cfg"
    printf 'url = "%s/api-%s/%s"\noutput = "%s/dst-api/%s"\n' "$DATA" "$name" "$b" "$WORK" "$b" >> "$down_cfg"
  done
  local best_ua=0 best_uc=0 best_da=0 best_dc=0 ratios_u="" ratios_d=""
  # Unmeasured warm-up rounds of both sides: the server (and S3Proxy) are long-running JVMs and are
  # measured warm, not while they JIT-compile the upload path (a cold first round ran at ~0.72x).
  for _ in $(seq 1 "$WARMUP"); do
    rm -rf "$WORK/dst-api" && mkdir -p "$WORK/dst-api"
    curl_many "$up_cfg"; curl_many "$down_cfg"
    aws --endpoint-url "$S3" s3 cp --recursive --quiet "$src" "s3://bench-data/cli-$name/"
  done
  for r in $(seq 1 "$ROUNDS"); do
    c0s=$(cpu_of "$SERVER_PID"); c0p=$(cpu_of "$S3PROXY_PID")
    t0=$(now); curl_many "$up_cfg"; t1=$(now)
    c1s=$(cpu_of "$SERVER_PID"); c1p=$(cpu_of "$S3PROXY_PID")
    /usr/bin/time -f '%U %S' -o "$WORK/aws-cpu" aws --endpoint-url "$S3" s3 cp --recursive --quiet "$src" "s3://bench-data/cli-$name/"; t2=$(now)
    c2p=$(cpu_of "$S3PROXY_PID")
    echo "    upload CPU per object: data API side server $(python3 -c "print(f'{($c1s-$c0s)*1000/$count:.2f}')") ms +" \
      "S3Proxy $(python3 -c "print(f'{($c1p-$c0p)*1000/$count:.2f}')") ms; AWS CLI side aws" \
      "$(awk -v n="$count" '{printf "%.2f", ($1 + $2) * 1000 / n}' "$WORK/aws-cpu") ms +" \
      "S3Proxy $(python3 -c "print(f'{($c2p-$c1p)*1000/$count:.2f}')") ms"
    rm -rf "$WORK/dst-api" "$WORK/dst-cli"; mkdir -p "$WORK/dst-api" "$WORK/dst-cli"
    t3=$(now); curl_many "$down_cfg"; t4=$(now)
    aws --endpoint-url "$S3" s3 cp --recursive --quiet "s3://bench-data/api-$name/" "$WORK/dst-cli"; t5=$(now)
    cmp -s "$src/obj-00000.bin" "$WORK/dst-api/obj-00000.bin" || { echo "data API download differs" >&2; exit 1; }
    cmp -s "$src/obj-00000.bin" "$WORK/dst-cli/obj-00000.bin" || { echo "AWS CLI download differs" >&2; exit 1; }
    [[ "$(ls "$WORK/dst-api" | wc -l)" -eq "$count" ]] || { echo "data API download incomplete" >&2; exit 1; }
    ua=$(mibps $total $t0 $t1); uc=$(mibps $total $t1 $t2); da=$(mibps $total $t3 $t4); dc=$(mibps $total $t4 $t5)
    echo "  $count x $((size / 1024)) KiB, round $r: upload API $ua / CLI $uc MiB/s; download API $da / CLI $dc MiB/s"
    ratios_u="$ratios_u $(python3 -c "print(round($ua/$uc,2))")"; ratios_d="$ratios_d $(python3 -c "print(round($da/$dc,2))")"
    best_ua=$(python3 -c "print(max($best_ua,$ua))"); best_uc=$(python3 -c "print(max($best_uc,$uc))")
    best_da=$(python3 -c "print(max($best_da,$da))"); best_dc=$(python3 -c "print(max($best_dc,$dc))")
    aws --endpoint-url "$S3" s3 rm --recursive --quiet "s3://bench-data/cli-$name/"
  done
  record "$count x $((size / 1024)) KiB upload" "$total" "$best_ua" "$best_uc" "$ratios_u"
  record "$count x $((size / 1024)) KiB download" "$total" "$best_da" "$best_dc" "$ratios_d"
  rm -rf "$src" "$WORK/dst-api" "$WORK/dst-cli"
}

big() {
  local f="$WORK/one-gib.bin" size=$((1024 * 1024 * 1024))
  head -c "$size" /dev/urandom > "$f"
  local want; want="$(sha256sum "$f" | cut -d' ' -f1)"
  t0=$(now)
  answer="$(curl --fail --silent --show-error -H "Authorization: Bearer $TOKEN" -T "$f" "$DATA/big/one-gib.bin")"
  t1=$(now)
  got_put="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["sha256"])' "$answer")"
  t2=$(now)
  got_get="$(curl --fail --silent --show-error -H "Authorization: Bearer $TOKEN" "$DATA/big/one-gib.bin" | sha256sum | cut -d' ' -f1)"
  t3=$(now)
  [[ "$got_put" == "$want" && "$got_get" == "$want" ]] || { echo "1 GiB round trip differs: $want / $got_put / $got_get" >&2; exit 1; }
  rss_kib="$(ps -o rss= -p "$SERVER_PID" | tr -d ' ')"
  echo "  1 GiB PUT $(mibps $size $t0 $t1) MiB/s, GET $(mibps $size $t2 $t3) MiB/s through a -Xmx$HEAP server (RSS now ${rss_kib} KiB); sha256 matches"
  rm -f "$f"
}

echo "S3Proxy $S3; Skyforge $API (-Xmx$HEAP); curl --parallel-max $PAR; $(aws --version 2>&1)"
if [[ "$ONLY" == all || "$ONLY" == medium ]]; then scenario medium 64 $((16 * 1024 * 1024)); fi
if [[ "$ONLY" == all || "$ONLY" == small ]]; then scenario small 2000 $((64 * 1024)); fi
if [[ "$ONLY" == all || "$ONLY" == big ]]; then big; fi

echo
# Rounds alternate the two sides back to back, so a round's own ratio is what the machine's load disturbs least.
echo "| scenario | data API MiB/s (best round) | AWS CLI MiB/s (best round) | per-round ratios | ratio (median of rounds) |"
echo "|---|---:|---:|---|---:|"
python3 - "$RESULTS" "$OUT/data-api.json" <<'PY'
import json, statistics, sys
rows = []
for line in open(sys.argv[1]):
    s, b, a, c, r = line.rstrip("\n").split("\t")
    per_round = [float(x) for x in r.split()]
    median = round(statistics.median(per_round), 2)
    rows.append({"scenario": s, "bytes": int(b), "dataApiMiBps": float(a), "awsCliMiBps": float(c),
                 "perRoundRatios": per_round, "medianRatio": median})
    print(f"| {s} | {float(a):.1f} | {float(c):.1f} | {', '.join(f'{x:.2f}' for x in per_round)} | {median:.2f} |")
json.dump(rows, open(sys.argv[2], "w"), indent=2)
PY
