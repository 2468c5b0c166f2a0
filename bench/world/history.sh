#!/usr/bin/env bash
# bench/world/history.sh: GET /api/v2/invasions/history from a node's SQLite file and from a node on
# PostgreSQL (store.backend = postgres, a PostgreSQL 15 this script starts), in one run. The
# history holds HISTORY ended invasions (default 20000), written into world.sqlite and copied to
# PostgreSQL with `overworld-server admin migrate`, so both serve the same rows and cursors.
# Workloads: the newest page (limit=50) and a page in the middle (before=HISTORY/2). Everything on
# loopback; each measurement DURATION long; ROUNDS rounds alternating the two nodes, then medians.
# Usage: bench/world/history.sh [BUILD_DIR]
# env: DURATION (default 4s), ROUNDS (default 3), HISTORY (default 20000), BASE_PORT (default 18130)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build/release}
duration=${DURATION:-4s}
rounds=${ROUNDS:-3}
history=${HISTORY:-20000}
base_port=${BASE_PORT:-18130}
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/bootstrap"; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: run scripts/bootstrap"; exit 1; }
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
chmod 755 "$work"  # PostgreSQL runs as its own user and must reach its folder
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"
# shellcheck source=../../scripts/lib/postgres.sh
source "$repo/scripts/lib/postgres.sh"
trap 'pg_stop; cleanup' EXIT

# node NAME PORT [VAR=value…]: an overworld-server on PORT with the data folder $work/NAME.
node() {
  local name=$1 port=$2
  shift 2
  mkdir -p "$work/$name"
  env OVERWORLD_RATELIMIT_TTCC_LIMIT=0 OVERWORLD_RATELIMIT_TTR_LIMIT=0 OVERWORLD_ADMIN_LISTEN="" \
    OVERWORLD_SANDBOX_LISTEN="" "$@" "$build/bin/overworld-server" --listen "127.0.0.1:$port" --threads 1 \
    --data "$work/$name" > "$work/$name.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
}

pg_start "$work/pg"
db=$(pg_create_database overworld)
port_sqlite=$base_port port_pg=$((base_port + 1))

# The node creates world.sqlite; stopped, it is filled and copied.
node sqlite "$port_sqlite"
kill "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null || true
sqlite3 "$work/sqlite/world.sqlite" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $history)
INSERT INTO invasion_history (invasion_id, district, district_id, cog, department, skelecog, v2, mega, defeated,
                              total, started_at, ended_at)
SELECT 'district-' || (i % 50) || '-flunky-' || i, 'District ' || (i % 50), 'district-' || (i % 50), 'Flunky',
       'sellbot', 0, i % 7 = 0, 0, 3000 + i % 1000, 3000 + i % 1000, 1700000000 + i * 600, 1700000000 + i * 600 + 540
FROM n;
SQL
start=$(date +%s.%N)
"$build/bin/overworld-server" admin --data "$work/sqlite" migrate --to postgres "$db" > "$work/migrate.log"
migrated=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
node sqlite "$port_sqlite"
node postgres "$port_pg" OVERWORLD_STORE_BACKEND=postgres OVERWORLD_STORE_POSTGRES="$db"

middle="before=$((history / 2))"
: > "$work/results"
printf '%-9s %14s %9s %14s %9s\n' backend newest_req/s p99_ms middle_req/s p99_ms
for round in $(seq 1 "$rounds"); do
  for setup in sqlite postgres; do
    port=$port_sqlite
    [ "$setup" = postgres ] && port=$port_pg
    read -r newest _ newest_p99 < <(measure "http://127.0.0.1:$port/api/v2/invasions/history?limit=50")
    read -r mid _ mid_p99 < <(measure "http://127.0.0.1:$port/api/v2/invasions/history?limit=50&$middle")
    printf '%-9s %14s %9s %14s %9s\n' "$setup" "$newest" "$newest_p99" "$mid" "$mid_p99"
    echo "$setup $newest $mid" >> "$work/results"
  done
done

echo
echo "medians of $rounds rounds ($history ended invasions; admin migrate copied them in ${migrated}s):"
for setup in sqlite postgres; do
  printf '%-9s %14s %14s\n' "$setup" "$(median "$setup" 2)" "$(median "$setup" 3)"
done
echo "one server thread per node, 64 connections (wrk), one machine of $(nproc) cores shared by the nodes," \
  "PostgreSQL and wrk; load average $(cut -d' ' -f1-3 /proc/loadavg)"
