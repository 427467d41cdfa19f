#!/usr/bin/env bash
# Project-local PostgreSQL 15 + PostGIS 3 cluster under $DATA_DIR/pg.
#   pg-local.sh install   install Debian's packages when missing (machines run as root)
#   pg-local.sh start     init (first time) and start the cluster; prints its DATABASE_URL
#   pg-local.sh stop      stop it
# PostgreSQL refuses to run as root, so initdb/pg_ctl run as the Debian package's `postgres` user.
set -euo pipefail

DATA_DIR=${DATA_DIR:-.data}
mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
PG_DIR="$DATA_DIR/pg"
BIN=/usr/lib/postgresql/15/bin
URL_FILE="$DATA_DIR/postgres.url"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  if [ -x "$BIN/postgres" ] && [ -f /usr/share/postgresql/15/extension/postgis.control ]; then return; fi
  echo "[pg-local] installing postgresql-15 and postgresql-15-postgis-3 from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-postgis-3 >&2
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  install
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    mkdir -p "$PG_DIR"
    # The postgres user must be able to reach the folder, wherever the clone lives.
    chmod o+x "$DATA_DIR" "$(dirname "$DATA_DIR")" 2>/dev/null || true
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
    chmod 700 "$PG_DIR"
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$DATA_DIR/pg.password"
    cp "$DATA_DIR/pg.password" "$PG_DIR.pwfile"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR.pwfile"
    as_postgres "$BIN/initdb" -D "$PG_DIR" -U postgres --pwfile="$PG_DIR.pwfile" \
      --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$PG_DIR.pwfile"
    chmod 600 "$DATA_DIR/pg.password"
  fi
  # TLS for clients whose DATABASE_URL asks for it (sslmode=...): a self-signed pair, its certificate
  # left readable at $DATA_DIR/pg-tls/cert.pem for clients to verify against (sslrootcert=...).
  if [ ! -s "$PG_DIR/server.key" ]; then
    bash "$(dirname "$0")/tls-pair.sh" "$DATA_DIR/pg-tls"
    cp "$DATA_DIR/pg-tls/cert.pem" "$PG_DIR/server.crt"
    cp "$DATA_DIR/pg-tls/key.pem" "$PG_DIR/server.key"
    chmod 600 "$PG_DIR/server.key"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR/server.crt" "$PG_DIR/server.key"
  fi
  local port=${PG_PORT:-}
  if as_postgres "$BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$PG_DIR/postmaster.pid")
  else
    port=${port:-$(free_port)}
    as_postgres "$BIN/pg_ctl" -D "$PG_DIR" -w -t 60 -l "$PG_DIR/server.log" \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB -c fsync=${PG_FSYNC:-on} -c synchronous_commit=on -c wal_compression=on -c max_wal_size=4GB -c ssl=on" \
      start >/dev/null
  fi
  local url="postgres://postgres:$(cat "$DATA_DIR/pg.password")@127.0.0.1:$port/poc"
  if ! as_postgres "$BIN/psql" -h "$PG_DIR" -p "$port" -U postgres -tAc "select 1 from pg_database where datname='poc'" postgres | grep -q 1; then
    as_postgres "$BIN/createdb" -h "$PG_DIR" -p "$port" -U postgres poc
  fi
  echo "$url" > "$URL_FILE"
  chmod 600 "$URL_FILE"
  echo "$url"
}

stop() {
  if [ -f "$PG_DIR/PG_VERSION" ]; then
    as_postgres "$BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -f "$URL_FILE"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
