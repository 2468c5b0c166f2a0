# Shell helpers shared by the wrk benchmarks (source it; needs $work, a temporary folder).
# Every load goes to 127.0.0.1 only, for a bounded duration.

pids=()
bench_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }

wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened"; exit 1; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else print v }'; }

# measure URL [extra wrk args…] → prints "req/s p50_ms p99_ms"
measure() {
  local url=$1 out
  shift
  wrk -t1 -c8 -d1s "$@" "$url" >/dev/null  # warm-up
  out=$(wrk -t"${WRK_THREADS:-1}" -c"${CONNECTIONS:-64}" -d"${DURATION:-10s}" --latency "$@" "$url")
  echo "$out" > "$work/last-wrk.txt"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}

# argon2_bound → argon2id verifications per second of one core right now (bench_launcher, about
# one second; needs $build).
argon2_bound() {
  "$build/bin/bench_launcher" --benchmark_filter=argon2id_verify --benchmark_min_time=1 2>/dev/null |
    awk '$1 ~ /^argon2id_verify/ {printf "%.1f", 1000 / $2; exit}'
}

# hash_totals METRICS_URL → "sum count" of overworld_launcher_hash_seconds (the server's argon2id
# verifications and the seconds they took on its hashing threads).
hash_totals() {
  curl -fsS "$1" | awk '/^overworld_launcher_hash_seconds_sum/ {s = $2} /^overworld_launcher_hash_seconds_count/ {c = $2}
    END {print s + 0, c + 0}'
}

# measure_logins URL [METRICS_URL] → "logins/s p50_ms p99_ms bound/s in_situ/s": correct logins
# (bench/launcher/login.lua, 16 connections, DURATION), with two bounds of one hashing thread:
#   bound/s    argon2id verifications per second of one core measured alone (bench_launcher), the
#              mean of a measurement right before and one right after the logins. On a shared or
#              virtual machine it moves between seconds (fresh pages for argon2id's 19 MiB cost
#              what the host makes them cost), so it is reported with the other;
#   in_situ/s  verifications per second of the server's own hashing thread during the logins
#              (count / seconds of overworld_launcher_hash_seconds from METRICS_URL; "-" without
#              it): the same verifications under the same load, so logins/s over it is the share of
#              the hashing thread's time that ends as a served login.
measure_logins() {
  local url=$1 metrics=${2:-} before after logins t0 t1 situ=-
  before=$(argon2_bound)
  [ -n "$metrics" ] && t0=$(hash_totals "$metrics")
  logins=$(CONNECTIONS=16 measure "$url" -s "$bench_lib_dir/launcher/login.lua")
  [ -n "$metrics" ] && t1=$(hash_totals "$metrics")
  after=$(argon2_bound)
  [ -n "$metrics" ] && situ=$(awk -v a="$t0" -v b="$t1" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.1f", (y[2] - x[2]) / (y[1] - x[1]) }')
  echo "$logins $(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.1f", (a + b) / 2 }') $situ"
}

# median_of → the median of the numbers on standard input, one per line.
median_of() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# median SETUP COLUMN → the median of COLUMN over the lines of $work/results whose first field is
# SETUP (one line per round: "setup figure figure …").
median() { awk -v s="$1" -v c="$2" '$1 == s {print $c}' "$work/results" | median_of; }

# start_nginx PORT ROOT_DIR → starts Debian's nginx with one worker serving ROOT_DIR; sets nginx_worker
start_nginx() {
  local port=$1 root=$2
  mkdir -p "$work/nginx-logs" "$work/nginx-tmp"
  chmod -R a+rX "$work"
  cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  open_file_cache max=100 inactive=60s;
  default_type application/json;
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  server { listen 127.0.0.1:$port; root $root; location / { } }
}
CONF
  /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" > "$work/nginx.out" 2>&1 &
  pids+=($!)
  wait_port "$port"
  nginx_worker=$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)
}

# sandbox_player_tags BASE_URL KEY OUT → writes the tags (without '#') of every member of every clan
# with 20 members of a sandbox with generated data, one per line, sorted.
sandbox_player_tags() {
  local base=$1 key=$2 out=$3 after="" page clan
  : > "$work/clans"
  while :; do
    page=$(curl -sf -H "Authorization: Bearer $key" "$base/clans?minMembers=20&limit=200${after:+&after=$after}")
    grep -o '"tag":"#[0-9A-Z]*","name"' <<<"$page" | cut -d'"' -f4 | cut -c2- >> "$work/clans"
    after=$(grep -o '"after":"[^"]*"' <<<"$page" | cut -d'"' -f4 || true)
    [ -n "$after" ] || break
  done
  : > "$out"
  while read -r clan; do
    curl -sf -H "Authorization: Bearer $key" "$base/clans/%23$clan/members?limit=50" |
      grep -o '"tag":"#[0-9A-Z]*","name"' | cut -d'"' -f4 | cut -c2- >> "$out"
  done < "$work/clans"
  sort -u -o "$out" "$out"
}
