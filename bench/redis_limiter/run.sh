#!/usr/bin/env bash
# The limiter's cost in process and through Redis (a redis-server on a Unix socket started here).
# Usage: bench/redis_limiter/run.sh [build/release/bin] [CHECKS]
set -euo pipefail
bin=${1:-build/release/bin}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../scripts/lib/redis.sh
. "$here/../../scripts/lib/redis.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/overworld-bench-redis.XXXXXX")
trap 'redis_stop; rm -rf "$work"' EXIT
redis_start "$work"
"$bin/bench_redis_limiter" "$redis_url" "${2:-20000}"
