#!/usr/bin/env bash
# bench/http_hello: wrk against one fixed JSON route of overworld's HTTP core (1 server thread,
# loopback), then against Debian's nginx (1 worker) serving the same bytes as a static file.
# Prints req/s, p50/p99 latency and server RSS for both, and the overworld/nginx ratio.
# Usage: bench/http_hello/run.sh [BUILD_DIR] ; env: DURATION (10s), CONNECTIONS (64), WRK_THREADS (1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
wrk_threads=${WRK_THREADS:-1}
port_ow=${PORT_OVERWORLD:-18090}
port_nginx=${PORT_NGINX:-18091}

command -v wrk >/dev/null || { echo "wrk is missing: run scripts/bootstrap"; exit 1; }
[ -x /usr/sbin/nginx ] || { echo "nginx is missing: run scripts/bootstrap"; exit 1; }
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened"; exit 1; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# Runs wrk and prints: req/s p50 p99 (latencies in ms)
measure() {
  local url=$1 out
  wrk -t1 -c8 -d1s "$url" >/dev/null  # warm-up
  out=$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$url")
  echo "$out" > "$work/last.txt"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else print v }'; }

# overworld
"$build/bin/bench_hello_server" "127.0.0.1:$port_ow" 1 > "$work/ow.log" 2>&1 &
pids+=($!); ow_pid=$!
wait_port "$port_ow"
read -r ow_rps ow_p50 ow_p99 < <(measure "http://127.0.0.1:$port_ow/hello")
ow_rss=$(rss_kb "$ow_pid")

# nginx, 1 worker, same body as a static file
mkdir -p "$work/www" "$work/logs"
cp "$here/body.json" "$work/www/hello"
truncate -s -1 "$work/www/hello"  # drop the trailing newline: same bytes as the route
chmod -R a+rX "$work"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  open_file_cache max=100 inactive=60s;
  default_type application/json;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$port_nginx; root $work/www; location / { } }
}
CONF
mkdir -p "$work/tmp"
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" > "$work/nginx.out" 2>&1 &
pids+=($!)
wait_port "$port_nginx"
worker_pid=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)
read -r ng_rps ng_p50 ng_p99 < <(measure "http://127.0.0.1:$port_nginx/hello")
ng_rss=$(rss_kb "$worker_pid")

ratio=$(awk -v a="$ow_rps" -v b="$ng_rps" 'BEGIN { printf "%.2f", a / b }')
printf '%-10s %12s %10s %10s %10s\n' server req/s p50_ms p99_ms rss_kb
printf '%-10s %12s %10s %10s %10s\n' overworld "$ow_rps" "$ow_p50" "$ow_p99" "$ow_rss"
printf '%-10s %12s %10s %10s %10s\n' nginx "$ng_rps" "$ng_p50" "$ng_p99" "$ng_rss"
echo "ratio overworld/nginx: $ratio (wrk -t$wrk_threads -c$connections -d$duration, 1 server thread / 1 nginx worker)"
