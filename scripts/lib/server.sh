# Runs overworld-server in the background for a script: starts it with its output in a log, waits
# until it serves, reads the ports it chose from the log, and stops it. Source it:
#   . "$repo/scripts/lib/server.sh"
#   server_start "$work/server.log" "$work/data/reporter-key" env OVERWORLD_ADMIN_LISTEN=127.0.0.1:0 \
#     "$server" --listen 127.0.0.1:0 --data "$work/data" || exit 1
#   port=$(server_log_port "$work/server.log" '^listening on 127\.0\.0\.1:\([0-9]*\)$')
#   ...
#   server_stop || exit 1
# The caller's EXIT trap calls server_kill, which is harmless when the server is already stopped.

server_pid=""
server_log=""

# server_start LOG READY_FILE COMMAND...: runs COMMAND with its output in LOG and waits (10 s at
# most) until it logs "listening on" and READY_FILE, unless empty, exists and is not empty. Sets
# server_pid. On failure prints the log to stderr and returns 1.
server_start() {
  server_log=$1
  local ready_file=$2
  shift 2
  # The log exists before the server starts: the loop reads it at once, and a background job opens
  # its redirection only when it runs.
  : >"$server_log"
  "$@" >"$server_log" 2>&1 &
  server_pid=$!
  local _
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$server_log" && { [ -z "$ready_file" ] || [ -s "$ready_file" ]; }; then
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$server_log" >&2
  echo "${0##*/}: the server did not start" >&2
  return 1
}

# server_log_port LOG SED_PATTERN: \1 of the first line of LOG that SED_PATTERN matches whole (a
# port the server chose).
server_log_port() {
  sed -n "s|$2|\1|p" "$1" | head -n1
}

# server_stop: stops the server with SIGTERM, as an operator would, and waits for it. Returns 1,
# with its log on stderr, if it did not exit cleanly.
server_stop() {
  [ -n "$server_pid" ] || return 0
  local status=0
  kill -TERM "$server_pid"
  wait "$server_pid" || status=$?
  server_pid=""
  if [ "$status" -ne 0 ]; then
    cat "$server_log" >&2
    echo "${0##*/}: the server exited with $status after SIGTERM" >&2
    return 1
  fi
}

# server_kill: for EXIT traps; stops the server if it still runs and ignores how it ends.
server_kill() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# servers_kill NAME...: server_kill for each node whose pid and log are in $NAME_pid and $NAME_log
# (for EXIT traps of scripts that run several nodes).
servers_kill() {
  local node
  for node in "$@"; do
    eval "server_pid=\${${node}_pid:-} server_log=\${${node}_log:-}"
    server_kill
  done
}

# logs_tail FOLDER: the last 20 lines of each FOLDER/*.log on stderr, for a failure's report.
logs_tail() {
  local f
  for f in "$1"/*.log; do
    echo "--- $f" >&2
    tail -n 20 "$f" >&2
  done
}
