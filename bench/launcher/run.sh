#!/usr/bin/env bash
# bench/launcher: what the launcher API sustains on this machine, on loopback only.
#   1. argon2id verifications/s on one core (bench_launcher) and the manifest of 10,000 files;
#   2. logins/s of overworld-server with one hashing thread, against the argon2id bound of one
#      core measured right before and after them: the share of the hashing ceiling that reaches
#      clients (target >= 90%);
#   3. a 1,000-connection login flood: the server's peak RSS (target <= 300 MB) and the p99 of
#      GET /api/v1/launcher/version/ measured at the same time (it must keep answering);
#   4. download throughput of a 256 MiB game file served by the server (sendfile).
# Usage: bench/launcher/run.sh [BUILD_DIR]   env: DURATION (default 10s), PORT_OVERWORLD
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
port=${PORT_OVERWORLD:-18094}
duration=${DURATION:-10s}
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/bootstrap"; exit 1; }
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT
ulimit -n 8192

echo "== argon2id and manifest (bench_launcher)"
"$build/bin/bench_launcher" --benchmark_min_time=2 --benchmark_format=console | tee "$work/gbench.txt"

data="$work/data"
mkdir -p "$data/files/game"
head -c $((256 * 1024 * 1024)) /dev/zero > "$data/files/game/big.bin"
printf '%s\n' "correct horse battery staple" |
  "$build/bin/overworld-server" admin --data "$data" account create bench >/dev/null
# The flood stands for a thousand launchers, but wrk can only send it from 127.0.0.1, the address the
# version client uses too: the per-address connection cap (http.max_connections_per_address) would
# refuse that client for sharing an address with the flood, so it is off here.
OVERWORLD_LAUNCHER_HASHING_THREADS=1 OVERWORLD_LAUNCHER_HASHING_QUEUE=64 \
OVERWORLD_LAUNCHER_ACCOUNT_ATTEMPTS=1000000000 OVERWORLD_RATELIMIT_TTCC_LIMIT=0 \
OVERWORLD_HTTP_MAX_CONNECTIONS_PER_ADDRESS=0 \
OVERWORLD_LAUNCHER_FILES="$data/files" OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 \
  "$build/bin/overworld-server" --listen "127.0.0.1:$port" --threads 1 --data "$data" > "$work/ow.log" 2>&1 &
pids+=($!); ow_pid=$!
wait_port "$port"
for _ in $(seq 1 100); do grep -q "manifest:" "$work/ow.log" && break; sleep 0.1; done
base="http://127.0.0.1:$port"

echo "== logins/s, 1 hashing thread, 16 connections"
DURATION=$duration measure_logins "$base/api/v1/login/" "$base/metrics" > "$work/login.txt"
read -r login_rps login_p50 login_p99 ceiling situ < "$work/login.txt"
login_errors=$(awk '/Non-2xx/ {print $5}' "$work/last-wrk.txt")

echo "== 1,000-connection login flood, version p99 and RSS meanwhile"
rss_peak=0
( wrk -t2 -c1000 -d"$duration" -s "$here/login.lua" "$base/api/v1/login/" > "$work/flood.txt" 2>&1 ) &
flood=$!
sleep 1
( wrk -t1 -c4 -d"$(( ${duration%s} - 2 ))s" --latency "$base/api/v1/launcher/version/" > "$work/version.txt" 2>&1 ) &
version=$!
while kill -0 "$flood" 2>/dev/null; do
  r=$(rss_kb "$ow_pid"); (( r > rss_peak )) && rss_peak=$r
  sleep 0.2
done
wait "$flood" "$version"
flood_rps=$(awk '/^Requests\/sec/ {print $2}' "$work/flood.txt")
flood_refused=$(awk '/Non-2xx/ {print $5}' "$work/flood.txt")
version_rps=$(awk '/^Requests\/sec/ {print $2}' "$work/version.txt")
version_p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$work/version.txt")")
version_errors=$(awk '/Non-2xx|Socket errors/' "$work/version.txt")

echo "== download of a 256 MiB file (3 runs, best)"
best=0
for _ in 1 2 3; do
  s=$(curl -s -o /dev/null -w '%{speed_download}' "$base/files/game/big.bin")
  best=$(awk -v a="$s" -v b="$best" 'BEGIN { print (a > b) ? a : b }')
done

echo
echo "argon2id verify (OWASP, 1 core), mean of right before and after the logins: ${ceiling}/s"
echo "logins/s (1 hashing thread): ${login_rps} (p50 ${login_p50} ms, p99 ${login_p99} ms, non-2xx: ${login_errors:-0})"
echo "share of the argon2id ceiling: $(awk -v a="$login_rps" -v b="$ceiling" 'BEGIN { printf "%.0f%%", 100 * a / b }') (target >= 90%)"
echo "the server's hashing thread during the logins: ${situ} verifications/s of its time," \
  "share $(awk -v a="$login_rps" -v b="$situ" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
echo "flood (1,000 connections): ${flood_rps} answers/s, refused (503 busy / 429): ${flood_refused:-0}"
echo "  server RSS peak: $(( rss_peak / 1024 )) MB (target <= 300 MB)"
echo "  version during the flood: ${version_rps} req/s, p99 ${version_p99} ms ${version_errors}"
echo "download: $(awk -v b="$best" 'BEGIN { printf "%.0f MB/s", b / 1e6 }')"
