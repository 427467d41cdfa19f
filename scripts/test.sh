#!/usr/bin/env bash
# `npm test`: installs what is missing, starts a project-local PostGIS (unless DATABASE_URL is set),
# then runs lint, the type check, and every unit and end-to-end test against it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh --test-tools

if [ -z "${DATABASE_URL:-}" ]; then
  # Tests keep their own cluster, apart from the one `npm run up` uses.
  export DATA_DIR="${TEST_DATA_DIR:-.data/test}"
  trap 'bash scripts/pg-local.sh stop' EXIT
  DATABASE_URL=$(bash scripts/pg-local.sh start)
  export DATABASE_URL
fi

npm run --silent lint
npm run --silent typecheck
# The fault-injection tests run the built service as a process of its own (to kill -9 it).
npm run --silent build
results="${DATA_DIR:-.data}/jest-results.json"
mkdir -p "$(dirname "$results")"
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
# The plain closing line CI reads, whatever the runner printed above.
node -e 'const r=require(require("path").resolve(process.argv[1]));console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results" || true
exit "$status"
