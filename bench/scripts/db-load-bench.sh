#!/usr/bin/env bash
# Database loading benchmark (issue 5): the same N rows of a 10-column table loaded
#   - into PostgreSQL by `skyforge generate --out jdbc:postgresql:...` (COPY, generated on the fly)
#     vs `psql \copy` of the same rows pre-generated as CSV;
#   - into MariaDB by `skyforge generate --out jdbc:mariadb:...` (LOAD DATA LOCAL from a pipe)
#     vs `mysql` LOAD DATA LOCAL INFILE of the same CSV.
# Both sides load into the same empty table (primary key only), timed end to end (Skyforge includes
# JVM start and generation; the baselines exclude the CSV generation).
# Usage: bench/scripts/db-load-bench.sh [ROWS=5000000] [CONNECTIONS=2] [ENGINES=postgresql,mariadb]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROWS="${1:-5000000}"; CONN="${2:-2}"; ENGINES="${3:-postgresql,mariadb}"
WORK="$(mktemp -d /tmp/skyforge-db-bench.XXXXXX)"
PGDB=sf_bench_load; MYDB=sf_bench_load
cleanup() {
  rm -rf "$WORK"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true
  mysql -h 127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $MYDB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
rate() { python3 -c "print(f'{$ROWS / ($2 - $1):,.0f}')"; }
ratio() { python3 -c "print(f'{($4 - $3) / ($2 - $1):.2f}')"; }   # baseline time / skyforge time

cd "$ROOT"
./skyforge --version >/dev/null   # builds the jar on first use
export SKYFORGE_NO_BUILD=1        # never rebuild inside a timed run
cat > "$WORK/orders.yaml" <<YAML
apiVersion: data.mcp/v1
kind: Dataset
metadata: {name: bench-orders}
spec:
  seed: 5
  tables:
    - name: orders
      rows: $ROWS
      primaryKey: [order_id]
      columns:
        - {name: order_id, type: bigint, generator: sequence}
        - {name: customer_id, type: bigint, generator: {kind: uniform, min: 1, max: 1000000}}
        - {name: sku, type: varchar(12), generator: {kind: pattern, pattern: "[A-Z]{3}-[0-9]{6}"}}
        - {name: city, type: varchar(40), generator: city}
        - {name: amount, type: "decimal(10,2)", generator: {kind: lognormal, mu: 3.5, sigma: 1, min: 0.99, max: 99999}}
        - {name: quantity, type: int, generator: {kind: zipf, n: 20, s: 1.3}}
        - {name: status, type: varchar(10), generator: {kind: choice, values: [paid, shipped, delivered, cancelled]}}
        - {name: ordered_at, type: timestamp, generator: {kind: timestamp, min: "2023-01-01T00:00:00", max: "2024-12-31T23:59:59"}}
        - {name: gift, type: boolean, generator: {kind: boolean, probability: 0.1}}
        - {name: note, type: varchar(60), generator: {kind: words, min: 1, max: 4}}
YAML
PG_DDL="CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id bigint NOT NULL, sku varchar(12) NOT NULL,
  city varchar(40) NOT NULL, amount numeric(10,2) NOT NULL, quantity integer NOT NULL, status varchar(10) NOT NULL,
  ordered_at timestamp NOT NULL, gift boolean NOT NULL, note varchar(60) NOT NULL)"
MY_DDL="${PG_DDL/timestamp NOT NULL/datetime(6) NOT NULL}) ENGINE=InnoDB"
MY_DDL="${MY_DDL/NOT NULL)) ENGINE/NOT NULL) ENGINE}"

echo "pre-generating $ROWS rows as CSV for the baselines..."
./skyforge generate "$WORK/orders.yaml" --out "$WORK/csv" --format csv --no-header -q
cat "$WORK"/csv/orders/part-*.csv > "$WORK/orders.csv"
ls -l "$WORK/orders.csv" | awk '{printf "CSV: %.0f MB\n", $5/1048576}'

# ---------------------------------------------------------------- PostgreSQL
if [[ ",$ENGINES," == *,postgresql,* ]]; then
PGURL="jdbc:postgresql://127.0.0.1:5432/$PGDB?user=postgres"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB"
psql -h 127.0.0.1 -U postgres -d $PGDB -qc "$PG_DDL"
psql -h 127.0.0.1 -U postgres -d $PGDB -qc "CHECKPOINT"
A=$(now); psql -h 127.0.0.1 -U postgres -d $PGDB -qc "\\copy orders FROM '$WORK/orders.csv' WITH (FORMAT csv)"; B=$(now)
psql -h 127.0.0.1 -U postgres -d $PGDB -qc "TRUNCATE orders" -c "CHECKPOINT"
C=$(now); ./skyforge generate "$WORK/orders.yaml" --out "$PGURL" --partitions "$CONN" --connections "$CONN" -q; D=$(now)
N=$(psql -h 127.0.0.1 -U postgres -d $PGDB -tAc "SELECT count(*) FROM orders")
echo "PostgreSQL  psql \\copy:            $(secs $A $B) s  $(rate $A $B) rows/s"
echo "PostgreSQL  skyforge (COPY, ${CONN} conn): $(secs $C $D) s  $(rate $C $D) rows/s  rows=$N"
echo "RESULT pg_ratio=$(ratio $C $D $A $B)"
fi

# ---------------------------------------------------------------- MariaDB
if [[ ",$ENGINES," == *,mariadb,* ]]; then
MYURL="jdbc:mariadb://127.0.0.1:3306/$MYDB?user=root"
mysql -h 127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $MYDB; CREATE DATABASE $MYDB"
mysql -h 127.0.0.1 -uroot $MYDB -e "$MY_DDL"
A=$(now)
mysql -h 127.0.0.1 -uroot --local-infile=1 $MYDB -e "LOAD DATA LOCAL INFILE '$WORK/orders.csv' INTO TABLE orders
  FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n'
  (order_id, customer_id, sku, city, amount, quantity, status, ordered_at, @gift, note) SET gift = (@gift = 'true')"
B=$(now)
mysql -h 127.0.0.1 -uroot $MYDB -e "TRUNCATE orders"
C=$(now); ./skyforge generate "$WORK/orders.yaml" --out "$MYURL" --partitions "$CONN" --connections "$CONN" -q; D=$(now)
N=$(mysql -h 127.0.0.1 -uroot -N $MYDB -e "SELECT count(*) FROM orders")
echo "MariaDB     LOAD DATA LOCAL INFILE:  $(secs $A $B) s  $(rate $A $B) rows/s"
echo "MariaDB     skyforge (LOAD DATA, ${CONN} conn): $(secs $C $D) s  $(rate $C $D) rows/s  rows=$N"
echo "RESULT mariadb_ratio=$(ratio $C $D $A $B)"
fi
