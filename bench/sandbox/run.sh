#!/usr/bin/env bash
# bench/sandbox: GET /v1/players/%23{tag} over 10,000 generated players (500 clans of 20), one
# server thread, wrk on loopback, alternating with bench/http_hello's fixed route in the same run,
# so the ratio compares like with like. Targets: >= 50,000 req/s and >= 0.8 x the hello figure.
# SHARED=1: the node shares its keys and throttle through a Redis started here (redis.url; the
# throttle on, at a limit never reached, so every request runs its Redis script; THROTTLE=0 turns it
# off, leaving only the keys' copy).
# Usage: bench/sandbox/run.sh [BUILD_DIR]; env: DURATION (10s), CONNECTIONS (64), ROUNDS (3), SHARED (0)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
port_main=${PORT_OVERWORLD:-18095}
port_sandbox=${PORT_SANDBOX:-18096}
port_hello=${PORT_HELLO:-18097}
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/bootstrap"; exit 1; }
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT

key=bench-sandbox-key
cat > "$work/overworld.toml" <<CONF
[sandbox]
generate_clans = 500
members_per_clan = 20
[sandbox.keys]
"$key" = "127.0.0.1"
CONF
throttle=0
if [ "${SHARED:-0}" = 1 ]; then
  # shellcheck source=../../scripts/lib/redis.sh
  . "$here/../../scripts/lib/redis.sh"
  redis_start "$work" || exit 1
  pids+=("$redis_pid")
  export OVERWORLD_REDIS_URL=$redis_url
  throttle=${THROTTLE:-1000000000}
fi
OVERWORLD_RATELIMIT_SANDBOX_LIMIT=$throttle OVERWORLD_SANDBOX_LISTEN="127.0.0.1:$port_sandbox" \
OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 \
  "$build/bin/overworld-server" --config "$work/overworld.toml" --listen "127.0.0.1:$port_main" --threads 1 \
  --data "$work/data" > "$work/ow.log" 2>&1 &
pids+=($!); ow_pid=$!
wait_port "$port_sandbox"
base="http://127.0.0.1:$port_sandbox/v1"

sandbox_player_tags "$base" "$key" "$work/tags"
players=$(wc -l < "$work/tags")
(( players >= 10000 )) || { echo "expected 10,000 generated players, found $players"; exit 1; }
# The key is checked on every request: one warm-up call proves it works.
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$base/players/%23$(head -1 "$work/tags")")
[ "$status" = 200 ] || { echo "a generated player answered $status"; exit 1; }

"$build/bin/bench_hello_server" "127.0.0.1:$port_hello" 1 > "$work/hello.log" 2>&1 &
pids+=($!)
wait_port "$port_hello"

# Rounds alternate the two, so that a slow spell of the machine weighs on both sides alike; each
# round gives a ratio, and the figures printed are the medians.
rounds=${ROUNDS:-3}
: > "$work/rounds.txt"
sb_errors=0
printf '%-8s %14s %14s %8s\n' round sandbox_req/s hello_req/s ratio
for round in $(seq 1 "$rounds"); do
  TAGS="$work/tags" KEY=$key measure "http://127.0.0.1:$port_sandbox" -s "$here/players.lua" > "$work/players.txt"
  read -r sb_rps sb_p50 sb_p99 < "$work/players.txt"
  errors=$(awk '/Non-2xx/ {print $5}' "$work/last-wrk.txt")
  sb_errors=$(( sb_errors + ${errors:-0} ))
  read -r hello_rps hello_p50 hello_p99 < <(measure "http://127.0.0.1:$port_hello/hello")
  ratio=$(awk -v a="$sb_rps" -v b="$hello_rps" 'BEGIN { printf "%.3f", a / b }')
  echo "$sb_rps $sb_p50 $sb_p99 $hello_rps $hello_p50 $hello_p99 $ratio" >> "$work/rounds.txt"
  printf '%-8s %14s %14s %8s\n' "$round" "$sb_rps" "$hello_rps" "$ratio"
done
sb_rss=$(rss_kb "$ow_pid")
col() { awk -v c="$1" '{ print $c }' "$work/rounds.txt" | median_of; }

echo
printf '%-28s %12s %10s %10s\n' "median of $rounds rounds" req/s p50_ms p99_ms
printf '%-28s %12s %10s %10s\n' "sandbox GET /v1/players" "$(col 1)" "$(col 2)" "$(col 3)"
printf '%-28s %12s %10s %10s\n' "http_hello (same run)" "$(col 4)" "$(col 5)" "$(col 6)"
echo "players: $players generated; non-2xx: $sb_errors; server RSS: $(( sb_rss / 1024 )) MB"
echo "sandbox/hello: $(col 7) (median of the rounds' ratios; target >= 0.8); target >= 50,000 req/s"
