# Debian's nginx as the balancer in front of overworld-server nodes on loopback, configured from
# scripts/lib/balancer.conf.in (the shape docs/deploy.md recommends). Source it:
#   . "$repo/scripts/lib/balancer.sh"
#   balancer_start "$work" 18113 18111 18112 || exit 1   # FOLDER PORT NODE_PORT...
#   balancer_stop                                        # also in the EXIT trap: harmless when stopped

balancer_pid=""

# balancer_start FOLDER PORT NODE_PORT...: nginx on 127.0.0.1:PORT, waiting (5 s at most) until it
# accepts connections. Its configuration, pid and error log are kept in FOLDER.
balancer_start() {
  local folder=$1 port=$2 servers="" here
  shift 2
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  for p in "$@"; do servers+="server 127.0.0.1:$p; "; done
  mkdir -p "$folder/balancer-tmp"
  sed -e "s|@WORK@|$folder|g" -e "s|@PORT@|$port|g" -e "s|@SERVERS@|$servers|g" "$here/balancer.conf.in" \
    >"$folder/balancer.conf"
  /usr/sbin/nginx -p "$folder" -c "$folder/balancer.conf" >"$folder/balancer.out" 2>&1 &
  balancer_pid=$!
  local _
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$balancer_pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$folder/balancer.out" "$folder/balancer-error.log" >&2 2>/dev/null
  echo "${0##*/}: nginx did not start on port $port" >&2
  return 1
}

# balancer_stop: TERM (the master stops its workers before it exits) and wait.
balancer_stop() {
  if [ -n "$balancer_pid" ]; then
    kill -TERM "$balancer_pid" 2>/dev/null || true
    wait "$balancer_pid" 2>/dev/null || true
  fi
  balancer_pid=""
}
