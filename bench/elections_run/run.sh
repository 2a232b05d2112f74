#!/usr/bin/env bash
# Site-run elections benchmark (issue 9, server side): builds nothing; runs
# build/bench/elections_run_bench on a temporary SQLite file. Env: BALLOTS=2000 CHOICES=12.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BENCH_BIN:-build/bench/elections_run_bench}
[ -x "$bin" ] || { echo "bench/elections_run: build the elections_run_bench target first"; exit 1; }
file=$(mktemp -u /tmp/veche-bench-elections-run-XXXXXX.db)
trap 'rm -f "$file" "$file-wal" "$file-shm"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" "${BALLOTS:-2000}" "${CHOICES:-12}" "$file"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
