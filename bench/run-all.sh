#!/usr/bin/env bash
# Runs every benchmark script (bench/<topic>/run.sh) in turn. Each prints its own table;
# docs/benchmarks.md records the figures with the workload and the machine.
set -uo pipefail
cd "$(dirname "$0")/.."
for script in bench/*/run.sh; do
  echo "== ${script}"
  bash "$script" || echo "(${script} failed or was skipped)"
done
