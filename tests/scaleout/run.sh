#!/usr/bin/env bash
# Two overworld-server nodes sharing one Redis behind Debian's nginx, as docs/deploy.md describes:
# every process on loopback, in a temporary folder, stopped at the end even on failure.
#   1. 40 requests from one client (127.0.0.2) through nginx, alternating the nodes, get exactly
#      ratelimit.ttcc.limit (10) answers in the window and 429 with TTCC's body for the rest;
#   2. a game token issued by node A is redeemed once on node B, then never again on either;
#   3. a district report accepted by A is in B's /api/invasions within a tick or two, and a
#      subscriber to B's event stream gets its invasion.started;
#   4. Redis gone: 503 with Retry-After and the body, never unlimited; B's v2 API and /healthz say
#      its snapshot is stale while /api/invasions still serves it; Redis back (with its data):
#      service resumes by itself and the client is still over its limit;
#   5. the nodes share a PostgreSQL: an account made with the admin command logs in on the other
#      node; node A killed (-9) while B is under load: B keeps answering, and every article A
#      acknowledged is served by B.
# Usage: tests/scaleout/run.sh path/to/overworld-server
# Needs redis-server, redis-cli (package redis-server), PostgreSQL 15, nginx (nginx-light), curl and
# python3.
set -euo pipefail

server=${1:?usage: run.sh path/to/overworld-server}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../scripts/lib/server.sh"
. "$here/../../scripts/lib/balancer.sh"
. "$here/../../scripts/lib/redis.sh"
. "$here/../../scripts/lib/postgres.sh"

for tool in redis-server redis-cli nginx curl python3; do
  command -v "$tool" >/dev/null || {
    echo "run.sh: $tool is not installed (scripts/bootstrap installs redis-server, nginx-light, curl)" >&2
    exit 1
  }
done
[ -x "$server" ] || { echo "run.sh: $server is not an executable" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/overworld-scaleout.XXXXXX")
a_pid="" b_pid="" a_log="" b_log=""
cleanup() {
  set +e
  balancer_stop
  redis_stop
  pg_stop
  servers_kill a b
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "run.sh: FAILED: $*" >&2
  logs_tail "$work"
  exit 1
}

start_redis() { redis_start "$work" || fail "redis-server did not start"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# 1. Redis and PostgreSQL, then the two nodes: the same Redis, database, reporter key and trusted
#    proxy (nginx on 127.0.0.1); A's admin API on a free port.
start_redis
chmod 755 "$work"  # PostgreSQL runs as its own user and must reach its folder
pg_start "$work/pg" || fail "PostgreSQL did not start"
db=$(pg_create_database overworld) || fail "CREATE DATABASE"
for node in a b; do
  mkdir -p "$work/$node"
  admin_listen=""
  [ "$node" = a ] && admin_listen=127.0.0.1:0
  server_start "$work/$node.log" "" env OVERWORLD_REDIS_URL="$redis_url" OVERWORLD_STORE_BACKEND=postgres \
    OVERWORLD_STORE_POSTGRES="$db" OVERWORLD_ADMIN_LISTEN="$admin_listen" OVERWORLD_RATELIMIT_TTR_LIMIT=0 \
    OVERWORLD_HTTP_TRUSTED_PROXIES=127.0.0.1/32 OVERWORLD_WORLD_REPORTER_KEY=scaleout-key \
    OVERWORLD_RATELIMIT_TTCC_WINDOW=30s OVERWORLD_SANDBOX_LISTEN="" OVERWORLD_WORLD_SIMULATE=false \
    OVERWORLD_WORLD_TICK=250ms \
    OVERWORLD_LAUNCHER_ARGON2_MEMORY=64KiB "$server" --demo --listen 127.0.0.1:0 --data "$work/$node" || fail "node $node"
  eval "${node}_pid=\$server_pid ${node}_log=\$server_log"
  eval "${node}_port=\$(server_log_port \"\$work/$node.log\" '^listening on 127\.0\.0\.1:\([0-9]*\)\$')"
done
echo "run.sh: nodes on ports $a_port and $b_port"

# 2. nginx in front (scripts/lib/balancer.conf.in): round robin, X-Forwarded-For as the docs
#    recommend; a 429 or 503 is an answer and is never retried on the other node.
port=$(free_port)
balancer_start "$work" "$port" "$a_port" "$b_port" || fail "nginx"

# 3. 40 requests of one client through nginx: exactly 10 answers, the rest 429 with TTCC's body.
ok=0 limited=0
: >"$work/upstreams"
for i in $(seq 1 40); do
  status=$(curl -s --max-time 5 --interface 127.0.0.2 -D "$work/head" -o "$work/body" -w '%{http_code}' \
    "http://127.0.0.1:$port/api/v1/districts.js")
  grep -i '^X-Upstream:' "$work/head" | tr -d '\r' >>"$work/upstreams"
  case $status in
    200) ok=$((ok + 1)) ;;
    429)
      limited=$((limited + 1))
      grep -qi '^Retry-After: [1-9][0-9]*' "$work/head" || fail "429 without Retry-After"
      grep -qE '^\{"status":false,"reason":429,"friendlyreason":"You are being rate limited\. Try again in [0-9]+ seconds\.","token":""\}$' \
        "$work/body" || fail "429 body: $(cat "$work/body")"
      ;;
    *) fail "request $i answered $status: $(cat "$work/body")" ;;
  esac
done
nodes=$(sort -u "$work/upstreams" | wc -l)
echo "run.sh: 40 requests through nginx over $nodes nodes: $ok answered, $limited limited"
[ "$nodes" -eq 2 ] || fail "nginx did not alternate the nodes"
[ "$ok" -eq 10 ] && [ "$limited" -eq 30 ] || fail "expected 10 answers and 30 refusals"

# 4. A game token from node A, redeemed once on node B, never again on either.
login=$(curl -s --max-time 5 -X POST -H 'Content-Type: application/json' -d '{"username":"demo","password":"demo"}' \
  "http://127.0.0.1:$a_port/api/v1/login/")
token=$(printf '%s' "$login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') ||
  fail "login on A: $login"
[ ${#token} -eq 64 ] || fail "login on A: $login"
redeem() {
  curl -s --max-time 5 -o "$work/body" -w '%{http_code}' -X POST -H 'Authorization: Bearer scaleout-key' \
    -H 'Content-Type: application/json' -d "{\"token\":\"$token\"}" "http://127.0.0.1:$1/internal/v1/tokens/redeem"
}
[ "$(redeem "$b_port")" = 200 ] || fail "redeem on B: $(cat "$work/body")"
grep -q '"username":"demo"' "$work/body" || fail "redeem on B: $(cat "$work/body")"
[ "$(redeem "$b_port")" = 404 ] || fail "a second redemption on B was not 404"
[ "$(redeem "$a_port")" = 404 ] || fail "a redemption on A after B's was not 404"
echo "run.sh: a token from node A was redeemed once on node B"

# 5. A district report accepted by A: in B's snapshot within a tick or two (the nodes tick every
#    250 ms; polled for 5 s at most), and an event on B's stream, whose subscriber came first.
curl -s -N --max-time 10 "http://127.0.0.1:$b_port/api/v2/invasions/stream" >"$work/b_stream" &
stream=$!
for _ in $(seq 1 50); do grep -q '^: ' "$work/b_stream" 2>/dev/null && break; sleep 0.05; done
started=$(date +%s%N)
report='{"population":42,"invasion":{"cog":"Flunky","defeated":10,"total":4000,"started_at":1700000000}}'
status=$(curl -s --max-time 5 -o "$work/body" -w '%{http_code}' -X POST -H 'Authorization: Bearer scaleout-key' \
  -H 'Content-Type: application/json' -d "$report" "http://127.0.0.1:$a_port/internal/v1/districts/Shared%20Shores/report")
[ "$status" = 200 ] || fail "report to A: $status $(cat "$work/body")"
seen=""
for _ in $(seq 1 100); do
  curl -s --max-time 5 "http://127.0.0.1:$b_port/api/invasions" | grep -q '"Shared Shores":{' && { seen=1; break; }
  sleep 0.05
done
[ -n "$seen" ] || fail "a report accepted by A never reached B's /api/invasions"
echo "run.sh: a report to A was in B's /api/invasions after $((($(date +%s%N) - started) / 1000000)) ms"
for _ in $(seq 1 100); do grep -q '^event: invasion.started$' "$work/b_stream" && break; sleep 0.05; done
kill "$stream" 2>/dev/null || true
wait "$stream" 2>/dev/null || true
grep -A1 '^event: invasion.started$' "$work/b_stream" | grep -q '"district":"Shared Shores"' ||
  fail "B's event stream has no invasion.started for the report: $(cat "$work/b_stream")"
[ "$(curl -s --max-time 5 "http://127.0.0.1:$b_port/healthz")" = '{"status":"ok","redis":"up","world":"fresh"}' ] ||
  fail "B's /healthz: $(curl -s "http://127.0.0.1:$b_port/healthz")"
echo "run.sh: B's event stream sent invasion.started for the report to A"

# 6. Redis gone: refused with 503 (never unlimited), B's snapshot served marked stale; back with its
#    data: resumes, still limited, fresh again.
redis-cli -s "$redis_sock" save >/dev/null
redis_kill
status=""
for _ in $(seq 1 100); do  # until the node through which the request goes has seen the loss
  status=$(curl -s --max-time 5 -D "$work/head" -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/districts.js")
  [ "$status" = 503 ] && break
  [ "$status" = 200 ] && fail "a request was answered without its limit while Redis was gone"
  sleep 0.05
done
[ "$status" = 503 ] || fail "no 503 while Redis was gone (last: $status)"
grep -qi '^Retry-After: 5' "$work/head" || fail "503 without Retry-After: 5"
grep -q '"reason":503' "$work/body" || fail "503 body: $(cat "$work/body")"
for _ in $(seq 1 100); do  # until B's next tick finds Redis gone
  curl -s --max-time 5 "http://127.0.0.1:$b_port/api/v2/invasions" | grep -q '"stale":true' && break
  sleep 0.05
done
curl -s --max-time 5 "http://127.0.0.1:$b_port/api/v2/invasions" | grep -q '"stale":true,"invasions":\[{' ||
  fail "B's v2 invasions are not marked stale without Redis"
[ "$(curl -s --max-time 5 "http://127.0.0.1:$b_port/healthz")" = '{"status":"ok","redis":"unreachable","world":"stale"}' ] ||
  fail "B's /healthz without Redis: $(curl -s "http://127.0.0.1:$b_port/healthz")"
curl -s --max-time 5 "http://127.0.0.1:$b_port/api/invasions" | grep -q '"Shared Shores":{' ||
  fail "B stopped serving its last snapshot without Redis"
start_redis
status=""
for _ in $(seq 1 100); do
  status=$(curl -s --max-time 5 --interface 127.0.0.2 -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/districts.js")
  [ "$status" != 503 ] && break
  sleep 0.05
done
[ "$status" = 429 ] || fail "after Redis came back the client over its limit got $status"
for _ in $(seq 1 100); do
  [ "$(curl -s --max-time 5 "http://127.0.0.1:$b_port/healthz")" = '{"status":"ok","redis":"up","world":"fresh"}' ] && break
  sleep 0.05
done
curl -s --max-time 5 "http://127.0.0.1:$b_port/api/v2/invasions" | grep -q '"stale"' && fail "B still stale with Redis back"
echo "run.sh: Redis gone: 503 with Retry-After, B's snapshot served marked stale; back: resumed, the limit kept"

# 7. An account made with the admin command (as on A's machine) logs in on B: one database.
printf '%s' 'pw-of-ada' | OVERWORLD_STORE_BACKEND=postgres OVERWORLD_STORE_POSTGRES="$db" \
  "$server" admin --data "$work/a" account create ada >/dev/null || fail "admin account create"
login=$(curl -s --max-time 5 -X POST -H 'Content-Type: application/json' \
  -d '{"username":"ada","password":"pw-of-ada"}' "http://127.0.0.1:$b_port/api/v1/login/")
grep -q '"status":true' <<<"$login" || fail "ada's login on B: $login"
echo "run.sh: an account made with the admin command logged in on node B"
# TTR's two-step login across the nodes: the code asked for by A is accepted by B (through Redis).
printf '%s' 'tulip-4242' | OVERWORLD_STORE_BACKEND=postgres OVERWORLD_STORE_POSTGRES="$db" \
  "$server" admin --data "$work/a" account two-step ada >/dev/null || fail "admin account two-step"
partial=$(curl -s --max-time 5 -d 'username=ada&password=pw-of-ada' "http://127.0.0.1:$a_port/api/login?format=json")
code=$(printf '%s' "$partial" | python3 -c 'import json, sys; print(json.load(sys.stdin)["responseToken"])') ||
  fail "ada's TTR login on A: $partial"
login=$(curl -s --max-time 5 -d "appToken=tulip-4242&authToken=$code" "http://127.0.0.1:$b_port/api/login?format=json")
grep -q '"success":"true"' <<<"$login" || fail "ada's two-step code on B: $login"
echo "run.sh: a two-step TTR login asked for on node A was completed on node B"

# 8. A killed (-9) while B answers a stream of requests: B never stops answering, and each article
#    A's admin API acknowledged (201) is in B's news.
admin_port=$(server_log_port "$work/a.log" '.*admin API on http://127\.0\.0\.1:\([0-9]*\)/admin/v1/.*')
admin_key=$(cat "$work/a/admin-key")
(for _ in $(seq 1 300); do
  curl -s -o /dev/null --max-time 5 -w '%{http_code}\n' "http://127.0.0.1:$b_port/api/invasions"
done >"$work/b_statuses") &
load=$!
acked=()
for i in $(seq 1 20); do
  s=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -X POST -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' -d "{\"title\":\"Kept $i\",\"summary\":\"s\"}" \
    "http://127.0.0.1:$admin_port/admin/v1/news")
  [ "$s" = 201 ] && acked+=("Kept $i")
done
kill -KILL "$a_pid"
{ wait "$a_pid"; } 2>/dev/null || true
a_pid=""
wait "$load"
[ "${#acked[@]}" -eq 20 ] || fail "A acknowledged ${#acked[@]} of 20 articles before it was killed"
[ "$(grep -cv '^200$' "$work/b_statuses")" -eq 0 ] || fail "B did not answer every request: $(sort "$work/b_statuses" | uniq -c)"
news=$(curl -s --max-time 5 "http://127.0.0.1:$b_port/api/v1/launcher/news/")
for title in "${acked[@]}"; do
  grep -q "\"title\":\"$title\"" <<<"$news" || fail "acknowledged article '$title' missing on B: $news"
done
echo "run.sh: node A killed under load: B answered all $(wc -l <"$work/b_statuses") requests and serves the ${#acked[@]} acknowledged articles"

for node in a b; do
  eval "server_pid=\$${node}_pid server_log=\$${node}_log"
  server_stop || fail "node $node did not stop cleanly"
  eval "${node}_pid=''"
done
echo "run.sh: passed"
