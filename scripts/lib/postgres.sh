# A PostgreSQL 15 server for scripts (benchmarks, tests of several nodes): a new cluster in a
# folder, listening on a Unix socket in that folder only (no port to collide with), stopped by the
# script. As root the server runs as the `postgres` user, as PostgreSQL requires; the folder's
# parents must then be open to it (chmod 755). Source it:
#   . "$repo/scripts/lib/postgres.sh"
#   pg_start "$work/pg" || exit 1          # sets pg_conninfo (the database "postgres")
#   db=$(pg_create_database overworld)      # a new database's connection string
#   pg_stop                                 # also in the EXIT trap: harmless when stopped

pg_bin=/usr/lib/postgresql/15/bin
pg_dir=""
pg_conninfo=""

# pg_as_owner COMMAND...: runs COMMAND as the cluster's owner (`postgres` when we are root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR: a new cluster in DIR/data, started and accepting connections (30 s at most).
pg_start() {
  pg_dir=$1
  [ -x "$pg_bin/postgres" ] || { echo "PostgreSQL 15 is not installed ($pg_bin); run scripts/bootstrap" >&2; return 1; }
  mkdir -p "$pg_dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$pg_dir"; fi
  pg_as_owner "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-sync --locale=C \
    >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; return 1; }
  pg_as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 30 \
    -o "-k $pg_dir -c listen_addresses= -c max_connections=100" start >/dev/null ||
    { cat "$pg_dir/postgres.log" >&2; return 1; }
  pg_conninfo="host=$pg_dir user=postgres dbname=postgres"
}

# pg_create_database NAME: creates it and prints its connection string.
pg_create_database() {
  pg_as_owner "$pg_bin/psql" -q -h "$pg_dir" -U postgres -d postgres -c "CREATE DATABASE $1" >&2 || return 1
  echo "host=$pg_dir user=postgres dbname=$1"
}

# pg_stop: stops the server at once (immediate shutdown: scripts keep nothing).
pg_stop() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    pg_as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}
