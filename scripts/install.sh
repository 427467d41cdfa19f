#!/usr/bin/env bash
# Installs what is missing: node modules (from the lockfile) and Debian's PostgreSQL 15 + PostGIS 3.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` (not `npm ci`): npm 11 leaves other platforms' optional binaries out of the lockfile,
  # which `npm ci` then calls out of sync. The lockfile still pins every version.
  npm install --no-audit --no-fund
fi
if [ -z "${DATABASE_URL:-}" ]; then bash scripts/pg-local.sh install; fi
