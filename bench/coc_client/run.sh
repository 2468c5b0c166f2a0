#!/usr/bin/env bash
# bench/coc_client: 20,000 GET /players over 2,000 generated players of the sandbox, 64 in flight,
# cache off — our client (bench_coc_client) and clashofclans.js@4.0.5 (from npm) doing the same,
# one after the other against the same server. Prints both rates, the ratio (target >= 3x) and CPU
# seconds per 1,000 requests; then the cache's lookups per second (Google Benchmark).
# Usage: bench/coc_client/run.sh [BUILD_DIR]; env: TOTAL (20000), INFLIGHT (64)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
total=${TOTAL:-20000}
inflight=${INFLIGHT:-64}
port_main=${PORT_OVERWORLD:-18098}
port_sandbox=${PORT_SANDBOX:-18099}
package=clashofclans.js@4.0.5
for tool in node npm curl; do command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/bootstrap"; exit 1; }; done
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT

mkdir -p "$work/js"
echo '{"name":"overworld-coc-client-bench","private":true,"type":"module"}' > "$work/js/package.json"
(cd "$work/js" && npm install --no-audit --no-fund --loglevel=error "$package" > "$work/npm.log" 2>&1) ||
  { cat "$work/npm.log"; echo "npm could not install $package"; exit 1; }
cp "$here/cocjs_bench.mjs" "$work/js/"

key=bench-client-key
cat > "$work/overworld.toml" <<CONF
[sandbox]
generate_clans = 100
members_per_clan = 20
[sandbox.keys]
"$key" = "127.0.0.1"
CONF
OVERWORLD_RATELIMIT_SANDBOX_LIMIT=0 OVERWORLD_SANDBOX_LISTEN="127.0.0.1:$port_sandbox" \
OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 \
  "$build/bin/overworld-server" --config "$work/overworld.toml" --listen "127.0.0.1:$port_main" --threads 1 \
  --data "$work/data" > "$work/ow.log" 2>&1 &
pids+=($!)
wait_port "$port_sandbox"
base="http://127.0.0.1:$port_sandbox/v1"
sandbox_player_tags "$base" "$key" "$work/tags"
players=$(wc -l < "$work/tags")
(( players >= 2000 )) || { echo "expected 2,000 generated players, found $players"; exit 1; }
head -2000 "$work/tags" > "$work/tags2000"

# A short warm-up of each, then the measured runs.
"$build/bin/bench_coc_client" "$base" "$key" "$work/tags2000" 2000 "$inflight" > /dev/null
(cd "$work/js" && node cocjs_bench.mjs "$base" "$key" "$work/tags2000" 2000 "$inflight" > /dev/null)
read -r ours_rps ours_cpu ours_err < <("$build/bin/bench_coc_client" "$base" "$key" "$work/tags2000" "$total" "$inflight")
read -r js_rps js_cpu js_err < <(cd "$work/js" && node cocjs_bench.mjs "$base" "$key" "$work/tags2000" "$total" "$inflight")

printf '%-24s %10s %22s %8s\n' client req/s cpu_s_per_1000_req errors
printf '%-24s %10s %22s %8s\n' "overworld coc::client" "$ours_rps" "$ours_cpu" "$ours_err"
printf '%-24s %10s %22s %8s\n' "$package" "$js_rps" "$js_cpu" "$js_err"
echo "ratio: $(awk -v a="$ours_rps" -v b="$js_rps" 'BEGIN { printf "%.2f", a / b }') (target >= 3); $total requests over 2,000 players, $inflight in flight, cache off, server 1 thread"
echo
"$build/bin/bench_coc_cache" --benchmark_min_time=0.5
