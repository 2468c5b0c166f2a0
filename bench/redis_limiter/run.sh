#!/usr/bin/env bash
# The limiter's cost in process and through Redis (a redis-server on a Unix socket started here).
# Usage: bench/redis_limiter/run.sh [build/release/bin] [CHECKS]
set -euo pipefail
bin=${1:-build/release/bin}
work=$(mktemp -d "${TMPDIR:-/tmp}/overworld-bench-redis.XXXXXX")
redis-server --port 0 --unixsocket "$work/redis.sock" --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  [ "$(redis-cli -s "$work/redis.sock" ping 2>/dev/null)" = PONG ] && break
  sleep 0.05
done
"$bin/bench_redis_limiter" "unix://$work/redis.sock" "${2:-20000}"
