#!/usr/bin/env bash
# Installs clashofclans.js from npm into a temporary folder, starts overworld-server --demo and runs
# clashofclans_js_test.mjs and world_walk_test.mjs against its Clash of Clans sandbox.
# Usage: tests/sandbox_js/run.sh path/to/overworld-server
# Needs node and npm, and the npm registry (or a mirror configured for npm).
set -euo pipefail

server=${1:?usage: run.sh path/to/overworld-server}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/scripts/lib/server.sh"
package=clashofclans.js@4.0.5

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed (scripts/bootstrap installs it)" >&2; exit 1; }
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "run.sh: $package needs Node.js 20 or newer, this is $(node --version)" >&2
  exit 1
fi
[ -x "$server" ] || { echo "run.sh: $server is not an executable" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/overworld-cocjs.XXXXXX")
cleanup() {
  server_kill
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The package, exactly as a user gets it.
echo "run.sh: npm install $package"
mkdir -p "$work/js" "$work/data"
echo '{"name":"overworld-sandbox-cocjs-test","private":true}' >"$work/js/package.json"
if ! (cd "$work/js" && npm install --no-audit --no-fund --no-update-notifier --loglevel=error \
        --fetch-timeout=60000 --fetch-retries=2 "$package" >"$work/npm.log" 2>&1); then
  cat "$work/npm.log" >&2
  echo "run.sh: npm could not install $package: is the npm registry ($(npm config get registry)) reachable?" >&2
  exit 1
fi
cp "$here/clashofclans_js_test.mjs" "$here/world_walk_test.mjs" "$work/js/"

# 2. The server, every listener on a free port, without a request limit that the parallel calls of
#    the library (CWL rounds, members) would hit.
server_start "$work/server.log" "$work/data/sandbox-api-key" env OVERWORLD_SANDBOX_LISTEN=127.0.0.1:0 \
  OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 OVERWORLD_RATELIMIT_SANDBOX_LIMIT=0 OVERWORLD_LAUNCHER_ARGON2_MEMORY=64KiB \
  "$server" --demo --listen 127.0.0.1:0 --data "$work/data" || exit 1
port=$(server_log_port "$work/server.log" '.*Clash of Clans sandbox on http://127\.0\.0\.1:\([0-9]*\)/v1/.*')
key=$(head -n1 "$work/data/sandbox-api-key")
echo "run.sh: sandbox on port $port"

# 3. The calls.
status=0
(cd "$work/js" && node clashofclans_js_test.mjs "http://127.0.0.1:$port/v1" "$key" "$repo/data/coc-seed") || status=$?
walk_status=0
(cd "$work/js" && node world_walk_test.mjs "http://127.0.0.1:$port/v1" "$key" "$repo/data/coc-seed") || walk_status=$?

# 4. A clean stop.
server_stop || exit 1
if [ "$status" -ne 0 ]; then
  echo "run.sh: clashofclans_js_test.mjs failed (exit $status)" >&2
  exit 1
fi
if [ "$walk_status" -ne 0 ]; then
  echo "run.sh: world_walk_test.mjs failed (exit $walk_status)" >&2
  exit 1
fi
echo "run.sh: passed"
