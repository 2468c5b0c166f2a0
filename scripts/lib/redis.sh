# A Redis 7 server for scripts (benchmarks, tests of several nodes): on a Unix socket in a folder
# (no port to collide with), no persistence unless asked, stopped by the script. Source it:
#   . "$repo/scripts/lib/redis.sh"
#   redis_start "$work" || exit 1     # sets redis_sock, redis_url (unix://…) and redis_pid
#   redis_kill                        # as a crash would; redis_start again brings it back
#   redis_shutdown                    # as an operator would, its data saved; redis_start reloads it
#   redis_stop                        # also in the EXIT trap: harmless when stopped

redis_pid=""
redis_sock=""
redis_url=""

# redis_start FOLDER: redis-server on FOLDER/redis.sock (log FOLDER/redis.log, dump in FOLDER),
# waiting until it answers PING (5 s at most). What `redis-cli save` wrote there is loaded again.
redis_start() {
  local folder=$1 _
  command -v redis-server >/dev/null || { echo "redis-server is not installed; run scripts/bootstrap" >&2; return 1; }
  redis_sock="$folder/redis.sock"
  redis_url="unix://$redis_sock"
  redis-server --port 0 --unixsocket "$redis_sock" --unixsocketperm 700 --save "" --appendonly no \
    --dir "$folder" >>"$folder/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do
    [ "$(redis-cli -s "$redis_sock" ping 2>/dev/null)" = PONG ] && return 0
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.05
  done
  tail -n 20 "$folder/redis.log" >&2
  echo "${0##*/}: redis-server did not start" >&2
  return 1
}

# redis_kill: SIGKILL, as a crash would, and wait.
redis_kill() {
  if [ -n "$redis_pid" ]; then
    kill -KILL "$redis_pid" 2>/dev/null || true
    { wait "$redis_pid"; } 2>/dev/null || true
  fi
  redis_pid=""
}

# redis_shutdown: SHUTDOWN SAVE (the data written to the folder's dump.rdb, which redis_start
# loads again), and wait (5 s at most) until the process has exited. Returns 1 if it did not save
# and exit (a Redis that cannot save refuses to shut down: redis_stop still kills it).
redis_shutdown() {
  [ -n "$redis_pid" ] || return 0
  redis-cli -s "$redis_sock" shutdown save >/dev/null 2>&1 || true  # the connection ends with it
  local _ status=0
  for _ in $(seq 1 100); do
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$redis_pid" 2>/dev/null && { echo "${0##*/}: redis-server did not shut down" >&2; return 1; }
  { wait "$redis_pid"; } 2>/dev/null || status=$?
  redis_pid=""
  [ "$status" -eq 0 ] || { echo "${0##*/}: redis-server exited with $status on SHUTDOWN SAVE" >&2; return 1; }
}

# redis_stop: for EXIT traps.
redis_stop() { redis_kill; }
