#!/usr/bin/env bash
# Runs CI (.ci/run) N times in a row, each on a fresh clone of this repository's HEAD, and prints the tally:
# a suite that fails one run in ten is a defect. Logs of failed runs are kept under the printed folder.
#   bash scripts/ci-repeat.sh [N=10]
set -uo pipefail
runs=${1:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$repo" rev-parse --short HEAD)
work=$(mktemp -d /tmp/ci-repeat.XXXXXX)
chmod 755 "$work" # the clone's database cluster runs as the postgres user, who must reach it
passed=0
for i in $(seq 1 "$runs"); do
  clone="$work/clone"
  rm -rf "$clone"
  git clone -q "$repo" "$clone" && git -C "$clone" checkout -q "$head" # the same commit every run
  start=$(date +%s)
  if (cd "$clone" && bash .ci/run >"$work/run-$i.log" 2>&1); then ok=1; else ok=0; fi
  tally=$(grep -ho 'tests: [0-9]* passed, [0-9]* failed' "$work/run-$i.log" || true)
  if [ "$ok" -eq 1 ]; then
    passed=$((passed + 1))
    verdict=passed
    rm -f "$work/run-$i.log"
  else
    verdict="FAILED (log: $work/run-$i.log)"
  fi
  echo "run $i/$runs at $head: $verdict in $(($(date +%s) - start)) s ${tally}"
done
rm -rf "$work/clone"
echo "fresh-clone CI at $head: $passed of $runs runs passed"
[ "$passed" -eq "$runs" ]
