#!/usr/bin/env bash
# bench/http_hello: wrk against one fixed JSON route of overworld's HTTP core (1 server thread,
# loopback), then against Debian's nginx (1 worker) serving the same bytes as a static file.
# Prints req/s, p50/p99 latency and server RSS for both, and the overworld/nginx ratio.
# Usage: bench/http_hello/run.sh [BUILD_DIR] ; env: DURATION (10s), CONNECTIONS (64), WRK_THREADS (1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
port_ow=${PORT_OVERWORLD:-18090}
port_nginx=${PORT_NGINX:-18091}
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/bootstrap"; exit 1; }
[ -x /usr/sbin/nginx ] || { echo "nginx is missing: run scripts/bootstrap"; exit 1; }
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
chmod 755 "$work"
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT

"$build/bin/bench_hello_server" "127.0.0.1:$port_ow" 1 > "$work/ow.log" 2>&1 &
pids+=($!); ow_pid=$!
wait_port "$port_ow"
read -r ow_rps ow_p50 ow_p99 < <(measure "http://127.0.0.1:$port_ow/hello")
ow_rss=$(rss_kb "$ow_pid")

mkdir -p "$work/www"
cp "$here/body.json" "$work/www/hello"
truncate -s -1 "$work/www/hello"  # drop the trailing newline: same bytes as the route
start_nginx "$port_nginx" "$work/www"
read -r ng_rps ng_p50 ng_p99 < <(measure "http://127.0.0.1:$port_nginx/hello")
ng_rss=$(rss_kb "$nginx_worker")

ratio=$(awk -v a="$ow_rps" -v b="$ng_rps" 'BEGIN { printf "%.2f", a / b }')
printf '%-10s %12s %10s %10s %10s\n' server req/s p50_ms p99_ms rss_kb
printf '%-10s %12s %10s %10s %10s\n' overworld "$ow_rps" "$ow_p50" "$ow_p99" "$ow_rss"
printf '%-10s %12s %10s %10s %10s\n' nginx "$ng_rps" "$ng_p50" "$ng_p99" "$ng_rss"
echo "ratio overworld/nginx: $ratio (wrk -t${WRK_THREADS:-1} -c${CONNECTIONS:-64} -d${DURATION:-10s}, 1 server thread / 1 nginx worker)"
