#!/usr/bin/env bash
# bench/world: GET /api/invasions (50 districts, 20 invasions, 1 server thread) against nginx
# serving the same bytes from a file; then district report ingest (POSTs) on the same thread;
# then the server's RSS. Usage: bench/world/run.sh [BUILD_DIR]; env as bench/http_hello.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
port_ow=${PORT_OVERWORLD:-18092}
port_nginx=${PORT_NGINX:-18093}
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/bootstrap"; exit 1; }
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
chmod 755 "$work"
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT

"$build/bin/bench_world_server" "127.0.0.1:$port_ow" > "$work/ow.log" 2>&1 &
pids+=($!); ow_pid=$!
wait_port "$port_ow"
rss_start=$(rss_kb "$ow_pid")
read -r get_rps get_p50 get_p99 < <(measure "http://127.0.0.1:$port_ow/api/invasions")
read -r post_rps post_p50 post_p99 < <(measure "http://127.0.0.1:$port_ow" -s "$here/report.lua")
rss_end=$(rss_kb "$ow_pid")

mkdir -p "$work/www/api"
curl -s "http://127.0.0.1:$port_ow/api/invasions" > "$work/www/api/invasions"
bytes=$(stat -c %s "$work/www/api/invasions")
start_nginx "$port_nginx" "$work/www"
read -r ng_rps ng_p50 ng_p99 < <(measure "http://127.0.0.1:$port_nginx/api/invasions")

printf '%-22s %12s %10s %10s\n' what req/s p50_ms p99_ms
printf '%-22s %12s %10s %10s\n' "overworld GET" "$get_rps" "$get_p50" "$get_p99"
printf '%-22s %12s %10s %10s\n' "nginx GET (same file)" "$ng_rps" "$ng_p50" "$ng_p99"
printf '%-22s %12s %10s %10s\n' "overworld reports" "$post_rps" "$post_p50" "$post_p99"
echo "body: $bytes bytes; ratio overworld/nginx: $(awk -v a="$get_rps" -v b="$ng_rps" 'BEGIN { printf "%.2f", a / b }')"
echo "ingest/GET: $(awk -v a="$post_rps" -v b="$get_rps" 'BEGIN { printf "%.2f", a / b }') (target >= 0.7)"
echo "RSS: ${rss_start} kB at start, ${rss_end} kB after the runs (target <= 30 MB)"
