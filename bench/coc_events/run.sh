#!/usr/bin/env bash
# bench/coc_events: the events engine watching every clan of overworld-server's sandbox with
# CLANS generated clans (10,000) of MEMBERS (10) whose world runs at TIME_SCALE (60: an hour a
# minute, so members donate and trophies drift while it runs), for DURATION (20 s) after the first
# round of polls, at most RATE (5,000) requests per second. Loopback only, one run under a minute
# (the world's generation takes most of it).
# Usage: bench/coc_events/run.sh [BUILD_DIR]; env: CLANS, MEMBERS, TIME_SCALE, DURATION, RATE, THREADS
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
port_main=${PORT_OVERWORLD:-18105}
port_sandbox=${PORT_SANDBOX:-18106}
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT

key=bench-events-key
cat > "$work/overworld.toml" <<CONF
[sandbox]
generate_clans = ${CLANS:-10000}
members_per_clan = ${MEMBERS:-10}
time_scale = ${TIME_SCALE:-60}
[sandbox.keys]
"$key" = "127.0.0.1"
CONF
OVERWORLD_RATELIMIT_SANDBOX_LIMIT=0 OVERWORLD_SANDBOX_LISTEN="127.0.0.1:$port_sandbox" \
OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 \
  "$build/bin/overworld-server" --config "$work/overworld.toml" --listen "127.0.0.1:$port_main" \
  --threads "${THREADS:-1}" --data "$work/data" > "$work/ow.log" 2>&1 &
pids+=($!)
# Generating the world comes before the listener: up to two minutes.
for _ in $(seq 1 1200); do (exec 3<>/dev/tcp/127.0.0.1/"$port_sandbox") 2>/dev/null && break; sleep 0.1; done
wait_port "$port_sandbox"
echo "server up (RSS $(rss_kb "${pids[0]}") kB); watching every clan for ${DURATION:-20} s"
"$build/bin/bench_coc_events" "http://127.0.0.1:$port_sandbox/v1" "$key" "${DURATION:-20}" "${RATE:-5000}" "${CLANS:-10000}"
