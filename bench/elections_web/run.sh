#!/usr/bin/env bash
# Casting under load over HTTP (issue 9): see cast_load.mjs. Needs build/bin/veche and
# web/node_modules (scripts/deps). Arguments: CREDENTIALS BALLOTS CONCURRENCY.
set -euo pipefail
cd "$(dirname "$0")/../.."
node bench/elections_web/cast_load.mjs "${1:-10000}" "${2:-2000}" "${3:-16}"
