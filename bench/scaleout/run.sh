#!/usr/bin/env bash
# bench/scaleout: the workloads of bench/world and bench/launcher, in one run, on
#   embedded  one overworld-server with its state in the process and SQLite files;
#   shared    one node with store.backend = postgres and redis.url set (a PostgreSQL 15 and a
#             Redis 7 this script starts): accounts in PostgreSQL, rate limits, game tokens and
#             district reports in Redis;
#   2 nodes   two such nodes on the same database and Redis behind Debian's nginx
#             (scripts/lib/balancer.sh: round robin, keep-alive to the nodes, the nodes trusting
#             its X-Forwarded-For).
# Workloads: GET /api/invasions (50 districts), district reports (POST), and logins/s of the
# benchmark account with one hashing thread per node, against the argon2id bound of one core
# (bench_launcher, alone, right before and after each login run) and against the node's own hashing
# thread during the run (bench/lib.sh measure_logins).
# Everything on loopback; each measurement DURATION long; ROUNDS rounds that alternate the three
# setups (the machine is shared), then the medians.
# Usage: bench/scaleout/run.sh [BUILD_DIR]
# env: DURATION (default 4s), ROUNDS (default 3), BASE_PORT (default 18110)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build/release}
duration=${DURATION:-4s}
rounds=${ROUNDS:-3}
base_port=${BASE_PORT:-18110}
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/bootstrap"; exit 1; }
[ -x /usr/sbin/nginx ] || { echo "nginx is missing: run scripts/bootstrap"; exit 1; }
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
chmod 755 "$work"  # PostgreSQL runs as its own user and must reach its folder
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"
# shellcheck source=../../scripts/lib/postgres.sh
source "$repo/scripts/lib/postgres.sh"
# shellcheck source=../../scripts/lib/balancer.sh
source "$repo/scripts/lib/balancer.sh"
# shellcheck source=../../scripts/lib/redis.sh
source "$repo/scripts/lib/redis.sh"
trap 'balancer_stop; redis_stop; pg_stop; cleanup' EXIT
ulimit -n 8192

password="correct horse battery staple"
cat > "$work/node.toml" <<'TOML'
[http]
trusted_proxies = ["127.0.0.1/32"]
TOML

# node NAME PORT [VAR=value…]: an overworld-server on PORT with a data folder of its own and the
# benchmark's settings (reporter key "bench", unknown districts allowed, no per-address limit).
node() {
  local name=$1 port=$2
  shift 2
  mkdir -p "$work/$name"
  env OVERWORLD_WORLD_REPORTER_KEY=bench OVERWORLD_WORLD_ALLOW_UNKNOWN_DISTRICTS=true \
    OVERWORLD_LAUNCHER_HASHING_THREADS=1 OVERWORLD_LAUNCHER_HASHING_QUEUE=64 \
    OVERWORLD_LAUNCHER_ACCOUNT_ATTEMPTS=1000000000 OVERWORLD_RATELIMIT_TTCC_LIMIT=0 \
    OVERWORLD_RATELIMIT_TTR_LIMIT=0 OVERWORLD_ADMIN_LISTEN="" OVERWORLD_SANDBOX_LISTEN="" "$@" \
    "$build/bin/overworld-server" --config "$work/node.toml" --listen "127.0.0.1:$port" --threads 1 \
    --data "$work/$name" > "$work/$name.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
}

# run_workloads LABEL URL [METRICS_URL]: the three measurements against URL; one line of the table.
run_workloads() {
  local label=$1 url=$2 metrics=${3:-} get post login ceiling situ
  # 50 districts reporting first, so that GET has something to serve.
  DURATION=1s measure "$url" -s "$repo/bench/world/report.lua" >/dev/null
  read -r get _ get_p99 < <(DURATION=$duration measure "$url/api/invasions")
  read -r post _ post_p99 < <(DURATION=$duration measure "$url" -s "$repo/bench/world/report.lua")
  read -r login _ login_p99 ceiling situ < <(DURATION=$duration measure_logins "$url/api/v1/login/" "$metrics")
  printf '%-10s %12s %9s %12s %9s %10s %9s %8s %8s\n' "$label" "$get" "$get_p99" "$post" "$post_p99" "$login" \
    "$login_p99" "$ceiling" "$situ"
  echo "${label// /_} $get $post $login $(awk -v l="$login" -v c="$ceiling" -v s="$situ" \
    'BEGIN {printf "%.3f %.3f", l / c, (s == "-") ? 0 : l / s}')" >> "$work/results"
}

pg_start "$work/pg"
db=$(pg_create_database overworld)
redis_start "$work"
mkdir -p "$work/embedded"
printf '%s\n' "$password" | "$build/bin/overworld-server" admin --data "$work/embedded" account create bench >/dev/null
printf '%s\n' "$password" | OVERWORLD_STORE_BACKEND=postgres OVERWORLD_STORE_POSTGRES="$db" \
  "$build/bin/overworld-server" admin --data "$work" account create bench >/dev/null

port_embedded=$base_port port_a=$((base_port + 1)) port_b=$((base_port + 2)) port_lb=$((base_port + 3))
node embedded "$port_embedded"
shared=(OVERWORLD_STORE_BACKEND=postgres OVERWORLD_STORE_POSTGRES="$db" OVERWORLD_REDIS_URL="$redis_url")
node a "$port_a" "${shared[@]}"
node b "$port_b" "${shared[@]}"
balancer_start "$work" "$port_lb" "$port_a" "$port_b"

printf '%-10s %12s %9s %12s %9s %10s %9s %8s %8s\n' setup GET_req/s p99_ms reports/s p99_ms logins/s p99_ms bound/s \
  in_situ/s
for round in $(seq 1 "$rounds"); do
  echo "-- round $round"
  run_workloads embedded "http://127.0.0.1:$port_embedded" "http://127.0.0.1:$port_embedded/metrics"
  run_workloads shared "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_a/metrics"
  run_workloads "2 nodes" "http://127.0.0.1:$port_lb"
done

echo
echo "medians of $rounds rounds:"
printf '%-10s %12s %12s %10s\n' setup GET_req/s reports/s logins/s
for setup in embedded shared 2_nodes; do
  printf '%-10s %12s %12s %10s\n' "${setup//_/ }" "$(median "$setup" 2)" "$(median "$setup" 3)" "$(median "$setup" 4)"
done
awk -v ge="$(median embedded 2)" -v gp="$(median shared 2)" -v re="$(median embedded 3)" -v rp="$(median shared 3)" \
  -v le="$(median embedded 5)" \
  -v lp="$(median shared 5)" -v l2="$(median 2_nodes 5)" -v se="$(median embedded 6)" \
  -v sp="$(median shared 6)" 'BEGIN {
    printf "GET on the shared node / embedded: %.2f (target >= 0.9)\n", gp / ge
    printf "district reports through Redis on the shared node: %.0f/s (target >= 20000), %.2f of embedded\n", rp, rp / re
    printf "logins, share of the argon2id bound of one core measured around them: embedded %.0f%%," \
      " shared %.0f%% (target >= 90%%), 2 nodes %.0f%% (two hashing threads on a machine shared with nginx," \
      " PostgreSQL and wrk)\n", 100 * le, 100 * lp, 100 * l2
    printf "logins, share of the bound of the node hashing thread in the same run (1 / its mean verification" \
      " time): embedded %.0f%%," \
      " shared %.0f%% (target >= 90%%)\n", 100 * se, 100 * sp
  }'
echo "nodes: 1 server thread and 1 hashing thread each, one machine of $(nproc) cores shared by nodes, nginx," \
  "PostgreSQL and wrk; load average $(cut -d' ' -f1-3 /proc/loadavg)"
