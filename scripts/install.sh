#!/usr/bin/env bash
# Installs what is missing: node modules (from the lockfile) and Debian's PostgreSQL 15 + PostGIS 3; with
# `--test-tools`, also what only the tests and benchmarks run (Mosquitto, Chromium). `npm run up` needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` (not `npm ci`): npm 11 leaves other platforms' optional binaries out of the lockfile,
  # which `npm ci` then calls out of sync. The lockfile still pins every version.
  npm install --no-audit --no-fund
fi
if [ -z "${DATABASE_URL:-}" ]; then bash scripts/pg-local.sh install; fi
if [ "${1:-}" != --test-tools ]; then exit 0; fi
# Debian's Mosquitto 2: the external broker that the MQTT_URL-mode tests consume from; its clients load
# `npm run bench:independent`.
if { ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; } || ! command -v mosquitto_pub >/dev/null; then
  echo "[install] installing mosquitto and mosquitto-clients from Debian's packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients >&2; }
fi
# Debian's Chromium: the browser the portal tests drive through playwright-core (Playwright's own
# browser download cannot work on these machines).
if [ ! -x /usr/bin/chromium ]; then
  echo "[install] installing chromium from Debian's packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2; }
fi
