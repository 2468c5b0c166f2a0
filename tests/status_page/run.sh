#!/usr/bin/env bash
# The live status page in headless Chromium: starts overworld-server on a free loopback port with an
# empty data folder, starts Chromium with remote debugging on a free port, and runs
# status_page_test.mjs (Node's own WebSocket, no npm package). Screenshots go to OUT_DIR.
# Usage: tests/status_page/run.sh path/to/overworld-server OUT_DIR
# Needs chromium (Debian's package; scripts/bootstrap installs it) and Node.js 20 or newer.
set -euo pipefail

server=${1:?usage: run.sh path/to/overworld-server OUT_DIR}
out=${2:?usage: run.sh path/to/overworld-server OUT_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../scripts/lib/server.sh"

browser=""
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null; then browser=$(command -v "$candidate"); break; fi
done
[ -n "$browser" ] || { echo "run.sh: chromium is not installed (apt-get install chromium; scripts/bootstrap does)" >&2; exit 1; }
command -v node >/dev/null || { echo "run.sh: node is not installed (scripts/bootstrap installs it)" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "run.sh: the test needs Node.js 20 or newer (its WebSocket), this is $(node --version)" >&2
  exit 1
fi
[ -x "$server" ] || { echo "run.sh: $server is not an executable" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/overworld-status.XXXXXX")
browser_pid=""
cleanup() {
  # The browser runs in a process group of its own (setsid below): its launcher script, the browser
  # and its helper processes all go, and nothing writes into the profile while it is removed.
  if [ -n "$browser_pid" ]; then
    kill -TERM -- "-$browser_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$browser_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$browser_pid" 2>/dev/null || true
    wait "$browser_pid" 2>/dev/null || true
  fi
  server_kill
  rm -rf "$work" 2>/dev/null || { sleep 0.5; rm -rf "$work" || echo "run.sh: could not remove $work" >&2; }
}
trap cleanup EXIT

# 1. The server: no simulator (the test reports its own districts), no sandbox, admin on a free port.
mkdir -p "$work/data" "$work/profile"
server_start "$work/server.log" "$work/data/reporter-key" env OVERWORLD_SANDBOX_LISTEN="" \
  OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 OVERWORLD_LAUNCHER_ARGON2_MEMORY=64KiB \
  "$server" --listen 127.0.0.1:0 --data "$work/data" || exit 1
port=$(server_log_port "$work/server.log" '^listening on 127\.0\.0\.1:\([0-9]*\)$')
key=$(head -n1 "$work/data/reporter-key")
echo "run.sh: server on port $port"

# 2. The browser, on loopback only, talking to nothing but the server.
setsid "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
  --disable-default-apps --disable-dev-shm-usage --mute-audio --hide-scrollbars --user-data-dir="$work/profile" \
  --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 about:blank >"$work/browser.log" 2>&1 &
browser_pid=$!
devtools=""
for _ in $(seq 1 200); do
  # Two lines: the port, then the browser's path (written once both are known).
  devtools_port=$(sed -n 1p "$work/profile/DevToolsActivePort" 2>/dev/null || true)
  devtools_path=$(sed -n 2p "$work/profile/DevToolsActivePort" 2>/dev/null || true)
  if [ -n "$devtools_port" ] && [ -n "$devtools_path" ]; then
    devtools="ws://127.0.0.1:$devtools_port$devtools_path"
    break
  fi
  if ! kill -0 "$browser_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$devtools" ]; then
  cat "$work/browser.log" >&2
  echo "run.sh: chromium did not start its DevTools endpoint" >&2
  exit 1
fi
echo "run.sh: chromium at $devtools"

# 3. The checks.
status=0
node --experimental-websocket --no-warnings "$here/status_page_test.mjs" "http://127.0.0.1:$port" "$key" \
  "$devtools" "$out" || status=$?

# 4. A clean stop of the server.
server_stop || exit 1
if [ "$status" -ne 0 ]; then
  tail -n 20 "$work/server.log" >&2
  echo "run.sh: status_page_test.mjs failed (exit $status)" >&2
  exit 1
fi
echo "run.sh: passed"
