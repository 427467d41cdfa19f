#!/usr/bin/env bash
# `npm run up`: the whole system on embedded defaults — a project-local PostGIS cluster, the service
# with its embedded MQTT broker, and demo data. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh
# SKIP_BUILD=true runs dist/ as built: the test of this script sets it, as a rebuild would swap the portal's
# files under the suites that run beside it.
if [ "${SKIP_BUILD:-false}" != true ]; then npm run --silent build; fi

export DATA_DIR="${DATA_DIR:-.data}"
export DEMO_DATA="${DEMO_DATA:-true}"
started_pg=false
if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL=$(bash scripts/pg-local.sh start)
  export DATABASE_URL
  started_pg=true
  echo "PostgreSQL + PostGIS (project-local cluster under $DATA_DIR/pg) on ${DATABASE_URL##*@}"
fi

# Secure ports out of the box: a self-signed pair made once under DATA_DIR (a real one in production).
if [ -z "${TLS_CERT_FILE:-}" ]; then
  bash scripts/tls-pair.sh "$DATA_DIR/tls"
  export TLS_CERT_FILE="$DATA_DIR/tls/cert.pem" TLS_KEY_FILE="$DATA_DIR/tls/key.pem"
fi

service_pid=""
stop() {
  trap - INT TERM EXIT
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  if [ "$started_pg" = true ]; then bash scripts/pg-local.sh stop; echo "stopped PostgreSQL"; fi
}
trap stop INT TERM EXIT

node dist/apps/api/src/main.js &
service_pid=$!
wait "$service_pid"
