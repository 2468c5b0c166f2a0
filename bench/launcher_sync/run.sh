#!/usr/bin/env bash
# bench/launcher_sync: launcher sync of a 1 GiB folder of 1,000 files (1 MiB each, random bytes)
# from a local overworld-server, against ONE curl process fetching the same files with the same
# parallelism (curl --parallel --parallel-max N, one config file with every URL: curl keeps its
# connections alive, as the sync does). Runs alternate (sync, curl, sync, curl, …) into an empty
# folder each time; the median of each is compared (target: sync >= 0.9x curl). The sync also
# checks every md5 and writes through .part files; curl only writes. Then one sync of the
# already complete folder (all md5 checked locally, nothing fetched).
# Usage: bench/launcher_sync/run.sh [BUILD_DIR]
#   env: PARALLEL (4), RUNS (3), FILES (1000), FILE_KIB (1024), THREADS (server threads, 2), PORT_OVERWORLD
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/release}
port=${PORT_OVERWORLD:-18096}
parallel=${PARALLEL:-4}
runs=${RUNS:-3}
files=${FILES:-1000}
kib=${FILE_KIB:-1024}
threads=${THREADS:-2}
command -v curl >/dev/null || { echo "curl is missing"; exit 1; }
for b in overworld-server bench_launcher_sync; do
  [ -x "$build/bin/$b" ] || { echo "$build/bin/$b is missing: build it first"; exit 1; }
done
work=$(mktemp -d /tmp/overworld-bench.XXXXXX)
# shellcheck source=../lib.sh
source "$here/../lib.sh"
trap cleanup EXIT

echo "== $files files of $kib KiB in $work/files"
groups=(win32 game darwin resources)
for ((i = 0; i < files; i++)); do
  dir="$work/files/${groups[i % 4]}/part_$((i / 100))"
  [ -d "$dir" ] || mkdir -p "$dir"
  head -c $((kib * 1024)) /dev/urandom > "$dir/file_$i.bin"
done
total_bytes=$((files * kib * 1024))

OVERWORLD_LAUNCHER_FILES="$work/files" OVERWORLD_RATELIMIT_TTCC_LIMIT=0 OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 \
  "$build/bin/overworld-server" --listen "127.0.0.1:$port" --threads "$threads" --data "$work/data" > "$work/ow.log" 2>&1 &
pids+=($!)
wait_port "$port"
for _ in $(seq 1 600); do grep -q "manifest:" "$work/ow.log" && break; sleep 0.1; done
base="http://127.0.0.1:$port"
manifest_url="$base/api/v1/launcher/manifest/"

# curl's config: every file of the manifest, each to the same place the sync puts it.
curl -sf -X POST "$manifest_url" > "$work/manifest.json"
grep -o '"path":"[^"]*"' "$work/manifest.json" | cut -d'"' -f4 > "$work/paths"
[ "$(wc -l < "$work/paths")" -eq "$files" ] || { echo "the manifest lists $(wc -l < "$work/paths") files"; exit 1; }
: > "$work/curl.cfg"
while read -r p; do printf 'url = "%s/files/%s"\noutput = "%s/curl-dest/%s"\n' "$base" "$p" "$work" "$p" >> "$work/curl.cfg"; done < "$work/paths"

now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
mibs() { awk -v b="$total_bytes" -v s="$1" 'BEGIN { printf "%.0f", b / 1048576 / s }'; }
fresh() { rm -rf "$work/sync-dest" "$work/curl-dest"; sync; }

: > "$work/sync.times"; : > "$work/curl.times"
for ((r = 1; r <= runs; r++)); do
  fresh
  t=$(now)
  "$build/bin/bench_launcher_sync" "$manifest_url" "$work/sync-dest" "$parallel" > "$work/sync.out"
  s=$(seconds_since "$t")
  grep -q "downloaded=$files failed=0" "$work/sync.out" || { cat "$work/sync.out"; exit 1; }
  echo "$s" >> "$work/sync.times"
  echo "run $r: sync $s s ($(mibs "$s") MiB/s)"

  fresh
  t=$(now)
  curl -sf --no-progress-meter --parallel --parallel-max "$parallel" --create-dirs -K "$work/curl.cfg"
  c=$(seconds_since "$t")
  [ "$(find "$work/curl-dest" -type f | wc -l)" -eq "$files" ] || { echo "curl fetched too few files"; exit 1; }
  echo "$c" >> "$work/curl.times"
  echo "run $r: curl $c s ($(mibs "$c") MiB/s)"
done

# The last sync's folder is complete (curl's went to another one): check it again.
fresh
"$build/bin/bench_launcher_sync" "$manifest_url" "$work/sync-dest" "$parallel" > /dev/null
t=$(now)
"$build/bin/bench_launcher_sync" "$manifest_url" "$work/sync-dest" "$parallel" > "$work/check.out"
k=$(seconds_since "$t")
grep -q "up_to_date=$files downloaded=0 failed=0" "$work/check.out" || { cat "$work/check.out"; exit 1; }

sync_s=$(median_of < "$work/sync.times")
curl_s=$(median_of < "$work/curl.times")
echo
echo "folder: $files files, $((total_bytes / 1048576)) MiB; parallel $parallel; server threads $threads; $runs runs each, medians"
echo "launcher sync (md5-verified): ${sync_s} s = $(mibs "$sync_s") MiB/s"
echo "curl --parallel-max $parallel:        ${curl_s} s = $(mibs "$curl_s") MiB/s"
echo "ratio sync/curl: $(awk -v a="$curl_s" -v b="$sync_s" 'BEGIN { printf "%.2fx", a / b }') (target >= 0.9x)"
echo "sync of the complete folder (md5 of every file, nothing fetched): ${k} s = $(mibs "$k") MiB/s"
