#!/usr/bin/env bash
# bench/coc_client on real-sized answers: a static server (bench_coc_static, overworld's HTTP core,
# 1 thread) answering every GET /v1/players/{tag} with the recorded 17.5 KB player, /v1/clans/{tag}
# with a clan of 50 members and /v1/clans/{tag}/warlog with a 50-war log (made by make_bodies.mjs
# from data/coc-seed). For each of the three, side by side in one run: our client
# (bench_coc_client, typed models; then raw answers, the read path alone), clashofclans.js@4.0.5
# (its models) and wrk (no parsing), each
# TOTAL requests (wrk: DURATION) with INFLIGHT in flight, the cache off. Prints req/s, CPU seconds
# per 1,000 requests and the ratios the targets are about: ours/js req/s (>= 3), js/ours CPU
# (>= 4), ours/wrk req/s (>= 0.5), and raw/wrk (our read path against wrk's); then decoding alone
# of the same three bodies (bench_coc_decode, GB/s of CPU time, target >= 1.5).
# Usage: bench/coc_client/real_sized.sh [BUILD_DIR]
# With ROUNDS=N each answer is measured N times in a row (ours, raw, clashofclans.js, wrk each
# round) and a last row gives the median of every column over the rounds, ratios included.
# env: TOTAL (20000), INFLIGHT (64), DURATION (3s), OPS ("player clan warlog"), ROUNDS (1),
#      COCJS_DIR (a folder whose node_modules holds clashofclans.js 4.0.5; default: npm install)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/release}
total=${TOTAL:-20000}
inflight=${INFLIGHT:-64}
duration=${DURATION:-3s}
ops=${OPS:-player clan warlog}
rounds=${ROUNDS:-1}
port=${PORT_STATIC:-18111}
package=clashofclans.js@4.0.5
for tool in node npm wrk; do command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/bootstrap"; exit 1; }; done
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT

js=${COCJS_DIR:-}
if [[ -z $js ]]; then
  js=$work/js
  mkdir -p "$js"
  echo '{"name":"overworld-coc-client-bench","private":true,"type":"module"}' > "$js/package.json"
  (cd "$js" && npm install --no-audit --no-fund --loglevel=error "$package" > "$work/npm.log" 2>&1) ||
    { cat "$work/npm.log"; echo "npm could not install $package"; exit 1; }
fi
cp "$here/cocjs_bench.mjs" "$work/cocjs_bench.mjs"
ln -s "$js/node_modules" "$work/node_modules"

node "$here/make_bodies.mjs" "$root/data/coc-seed" "$work" 2000
"$build/bin/bench_coc_static" "127.0.0.1:$port" 1 "$root/data/coc-seed/player.json" "$work/clan_50.json" \
  "$work/warlog_50.json" > "$work/static.log" 2>&1 &
pids+=($!)
wait_port "$port"
base="http://127.0.0.1:$port/v1"
key=bench-client-key

path_of() {
  case $1 in
    player) echo "/v1/players/%232PP" ;;
    clan) echo "/v1/clans/%232PP" ;;
    warlog) echo "/v1/clans/%232PP/warlog" ;;
  esac
}

row_format='%-8s %6s %9s %10s %10s %10s %10s %10s %10s %9s %9s %9s %9s\n'
# shellcheck disable=SC2059
printf "$row_format" answer round bytes ours_rps ours_cpu raw_rps js_rps js_cpu wrk_rps ours/js js/ours_cpu \
  ours/wrk raw/wrk
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for op in $ops; do
  bytes=$(curl -s "http://127.0.0.1:$port$(path_of "$op")" | wc -c)
  # A short warm-up of each, then the measured runs, one after the other against the same server.
  "$build/bin/bench_coc_client" "$base" "$key" "$work/tags" 2000 "$inflight" "$op" > /dev/null
  (cd "$work" && node cocjs_bench.mjs "$base" "$key" "$work/tags" 2000 "$inflight" "$op" > /dev/null)
  : > "$work/rounds"
  for round in $(seq 1 "$rounds"); do
    read -r ours_rps ours_cpu ours_err < <("$build/bin/bench_coc_client" "$base" "$key" "$work/tags" "$total" \
      "$inflight" "$op")
    read -r raw_rps _ raw_err < <("$build/bin/bench_coc_client" "$base" "$key" "$work/tags" "$total" \
      "$inflight" "raw-$op")
    read -r js_rps js_cpu js_err < <(cd "$work" && node cocjs_bench.mjs "$base" "$key" "$work/tags" "$total" \
      "$inflight" "$op")
    wrk_rps=$(wrk -t1 -c"$inflight" -d"$duration" "http://127.0.0.1:$port$(path_of "$op")" |
      awk '/^Requests\/sec/ {printf "%.0f", $2}')
    (( ours_err == 0 && raw_err == 0 && js_err == 0 )) ||
      echo "errors: ours $ours_err, ours raw $raw_err, clashofclans.js $js_err"
    # Ratios are taken within a round (the runs a few seconds apart), then their median over rounds.
    fields=("$ours_rps" "$ours_cpu" "$raw_rps" "$js_rps" "$js_cpu" "$wrk_rps" "$(ratio "$ours_rps" "$js_rps")"
      "$(ratio "$js_cpu" "$ours_cpu")" "$(ratio "$ours_rps" "$wrk_rps")" "$(ratio "$raw_rps" "$wrk_rps")")
    echo "${fields[*]}" >> "$work/rounds"
    # shellcheck disable=SC2059
    printf "$row_format" "$op" "$round" "$bytes" "${fields[@]}"
  done
  if ((rounds > 1)); then
    medians=()
    for column in $(seq 1 10); do medians+=("$(awk -v c="$column" '{print $c}' "$work/rounds" | median_of)"); done
    # shellcheck disable=SC2059
    printf "$row_format" "$op" median "$bytes" "${medians[@]}"
  fi
done
echo "$total requests each ($package: same loop; wrk: $duration, 1 thread, no parsing), $inflight in flight," \
  "$rounds round(s) per answer," \
  "cache off, server 1 thread; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Decoding alone, the same bodies (bench/coc_decode): median and best of 5 repetitions, CPU time.
echo
printf '%-18s %12s %12s\n' decode median_GB/s best_GB/s
OVERWORLD_BENCH_BODIES=$work "$build/bin/bench_coc_decode" --benchmark_filter='^(player|clan_50|war_log_50)_decode$' \
  --benchmark_repetitions=5 --benchmark_min_time=0.2 --benchmark_format=csv 2> /dev/null |
  awk -F, 'NR > 1 && $1 !~ /_(mean|median|stddev|cv)"?$/ && $6 != "" { gsub(/"/, "", $1); print $1, $6 / 1e9 }' |
  sort -k1,1 -k2,2g |
  awk '$1 != n { if (n != "") report(); n = $1; k = 0 } { v[++k] = $2 } END { if (n != "") report() }
       function report() { printf "%-18s %12.2f %12.2f\n", n, v[int((k + 1) / 2)], v[k] }'
