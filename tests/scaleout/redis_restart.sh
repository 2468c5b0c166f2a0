#!/usr/bin/env bash
# Redis restarted under load: two overworld-server nodes on one Redis (on a Unix socket), every
# process on loopback in a temporary folder and stopped at the end even on failure. One client
# (127.0.0.2) sends TTCC logins to the nodes in turn without pause while Redis is shut down with
# its data saved (SHUTDOWN SAVE) and started again on the same socket. It checks that:
#   1. while Redis is away every answer is 503 with Retry-After: 5 and a documented body (never a
#      200, never unlimited);
#   2. both nodes serve logins again by themselves once Redis is back (no node restarted);
#   3. the limit never opened up: over the whole run no `limit` successful answers (neither 429
#      nor 503) ever fit in one window, across both nodes, before, during and after the restart.
#      The window (5 s) is longer than the outage, so a Redis that came back without the window's
#      hits would let more through and fail the check.
# About 10 s. Usage: tests/scaleout/redis_restart.sh path/to/overworld-server
# Needs redis-server, redis-cli (package redis-server), curl and python3.
set -euo pipefail
export LC_ALL=C  # $EPOCHREALTIME with a decimal point

server=${1:?usage: redis_restart.sh path/to/overworld-server}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../scripts/lib/server.sh"
. "$here/../../scripts/lib/redis.sh"

for tool in redis-server redis-cli curl python3; do
  command -v "$tool" >/dev/null || {
    echo "redis_restart.sh: $tool is not installed (scripts/bootstrap installs redis-server, curl)" >&2
    exit 1
  }
done
[ -x "$server" ] || { echo "redis_restart.sh: $server is not an executable" >&2; exit 1; }

limit=10 window=5  # ratelimit.ttcc for the run: 10 per 5 s, never blocked (so that it serves again)
work=$(mktemp -d "${TMPDIR:-/tmp}/overworld-redis-restart.XXXXXX")
a_pid="" b_pid="" a_log="" b_log="" load_pid=""
cleanup() {
  set +e
  : >"$work/stop"
  [ -n "$load_pid" ] && wait "$load_pid" 2>/dev/null  # it stops at the next answer (5 s at most)
  redis_stop
  servers_kill a b
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "redis_restart.sh: FAILED: $*" >&2
  logs_tail "$work"
  exit 1
}

# 1. Redis, then the two nodes on it (their own SQLite files, each with the demo account).
redis_start "$work" || fail "redis-server did not start"
for node in a b; do
  mkdir -p "$work/$node"
  server_start "$work/$node.log" "" env OVERWORLD_REDIS_URL="$redis_url" OVERWORLD_SANDBOX_LISTEN="" OVERWORLD_ADMIN_LISTEN="" \
    OVERWORLD_RATELIMIT_TTCC_LIMIT=$limit OVERWORLD_RATELIMIT_TTCC_WINDOW=${window}s OVERWORLD_RATELIMIT_TTCC_BLOCK_AFTER=0 \
    OVERWORLD_LAUNCHER_ACCOUNT_ATTEMPTS=100000 OVERWORLD_LAUNCHER_ACCOUNT_WINDOW=1s \
    OVERWORLD_LAUNCHER_ARGON2_MEMORY=64KiB "$server" --demo --listen 127.0.0.1:0 --data "$work/$node" ||
    fail "node $node"
  eval "${node}_pid=\$server_pid ${node}_log=\$server_log"
  eval "${node}_port=\$(server_log_port \"\$work/$node.log\" '^listening on 127\.0\.0\.1:\([0-9]*\)\$')"
done
ports=("$a_port" "$b_port")
for port in "${ports[@]}"; do  # connected to Redis: a limited route answers (asked from 127.0.0.1)
  status=""
  for _ in $(seq 1 100); do
    status=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/districts.js")
    [ "$status" = 200 ] && break
    sleep 0.05
  done
  [ "$status" = 200 ] || fail "node on port $port never answered 200 (last: $status)"
done
echo "redis_restart.sh: nodes on ports $a_port and $b_port, limit $limit per ${window}s"

# 2. The client: logins to A and B in turn until told to stop (30 s or 3000 logins at most), one
#    line per answer: sent, answered (epoch seconds), node, status, Retry-After, body.
load() {
  local i=0 node out t0 t1 deadline=$((${EPOCHREALTIME%.*} + 30))
  while [ ! -e "$work/stop" ] && [ "$i" -lt 3000 ] && [ "${EPOCHREALTIME%.*}" -lt "$deadline" ]; do
    node=$((i % 2))
    t0=$EPOCHREALTIME
    out=$(curl -s --max-time 5 --interface 127.0.0.2 -H 'Content-Type: application/json' \
      -d '{"username":"demo","password":"demo"}' -w '\n%{http_code} %header{retry-after}' \
      "http://127.0.0.1:${ports[$node]}/api/v1/login/") || out=$'\n000 '
    t1=$EPOCHREALTIME
    printf '%s %s %s %s %s\n' "$t0" "$t1" "$node" "${out##*$'\n'}" "${out%$'\n'*}"
    i=$((i + 1))
  done >"$work/answers"
}
# count_since T STATUS [NODE]: answers with that status sent at T or later (by that node).
count_since() {
  awk -v t="$1" -v s="$2" -v n="${3:-}" '$1 >= t && $4 == s && (n == "" || $3 == n) { c++ } END { print c + 0 }' \
    "$work/answers"
}
# wait_for SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds, SECONDS at most.
wait_for() {
  local end=$((${EPOCHREALTIME%.*} + $1))
  shift
  until "$@"; do
    [ "${EPOCHREALTIME%.*}" -lt "$end" ] || return 1
    sleep 0.05
  done
}
both_nodes_answered() { [ "$(count_since "$1" "$2" 0)" -ge "$3" ] && [ "$(count_since "$1" "$2" 1)" -ge "$3" ]; }

started=$EPOCHREALTIME
: >"$work/answers"
load &
load_pid=$!

# 3. Once the window is full (a 429), Redis is shut down with its data and, after each node has
#    refused two logins with 503 (and half a second at least), started again on the same socket.
wait_for 10 both_nodes_answered "$started" 429 1 || fail "no 429 from both nodes: the limit never filled"
redis_shutdown || fail "Redis did not shut down with its data"
down=$EPOCHREALTIME
wait_for 10 both_nodes_answered "$down" 503 2 || fail "no 503 from both nodes while Redis was away"
sleep 0.5
up=$EPOCHREALTIME
redis_start "$work" || fail "redis-server did not start again"
echo "redis_restart.sh: Redis away for $(python3 -c "print(f'{$up - $down:.2f}')") s"

# 4. Service resumes by itself: each node lets a login in again (the window first has to pass).
wait_for $((window + 10)) both_nodes_answered "$up" 200 1 || fail "a node never let a login in after Redis came back"
: >"$work/stop"
wait "$load_pid" || fail "the client failed"
load_pid=""
for node in a b; do
  eval "pid=\$${node}_pid"
  kill -0 "$pid" 2>/dev/null || fail "node $node is gone"
done

# 5. Every answer against the rules.
python3 - "$work/answers" "$down" "$up" "$limit" "$window" <<'EOF' || fail "the answers broke the rules"
import json, re, sys
path, down, up, limit, window = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
unavailable = {
    # the ratelimit.ttcc filter, then the login's own limit or token store
    '{"status":false,"reason":503,"friendlyreason":"The service is unavailable. Try again in 5 seconds.","token":""}',
    '{"status":false,"reason":503,"friendlyreason":"The login service is unavailable. Try again in 5 seconds.","token":""}',
}
limited = re.compile(r'\{"status":false,"reason":429,"friendlyreason":"You are being rate limited\. Try again in [0-9]+ seconds\.","token":""\}')
answers, errors = [], []
for line in open(path):
    t0, t1, node, status, retry, body = line.rstrip("\n").split(" ", 5)
    a = dict(t0=float(t0), t1=float(t1), node="AB"[int(node)], status=status, retry=retry, body=body)
    answers.append(a)
    if status == "200":
        j = json.loads(body)
        if j.get("reason") != 1000 or not re.fullmatch(r"[0-9a-f]{64}", j.get("token", "")):
            errors.append(f"a 200 that is no successful login: {body}")
    elif status == "429":
        if not retry.isdigit() or int(retry) < 1 or not limited.fullmatch(body):
            errors.append(f"429 with Retry-After '{retry}': {body}")
    elif status == "503":
        if retry != "5" or body not in unavailable:
            errors.append(f"503 with Retry-After '{retry}': {body}")
    else:
        errors.append(f"answered {status}: {body}")
    if a["t0"] >= down and a["t1"] <= up and status != "503":
        errors.append(f"answered {status} by {a['node']} while Redis was away: {body}")
ok = [a for a in answers if a["status"] not in ("429", "503")]
for first, last in zip(ok, ok[limit:]):  # limit + 1 successes: the first sent, the last answered
    if last["t1"] - first["t0"] < window:
        errors.append(f"{limit + 1} successes within {last['t1'] - first['t0']:.2f} s "
                      f"(from {first['t0'] - answers[0]['t0']:.2f} s): the limit opened up")
        break
count = lambda s: sum(a["status"] == s for a in answers)
print(f"redis_restart.sh: {len(answers)} logins: {len(ok)} let in, {count('429')} limited, {count('503')} refused (503)")
for e in errors[:10]:
    print("redis_restart.sh:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF

for node in a b; do
  eval "server_pid=\$${node}_pid server_log=\$${node}_log"
  server_stop || fail "node $node did not stop cleanly"
  eval "${node}_pid=''"
done
echo "redis_restart.sh: passed"
