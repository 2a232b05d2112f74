#!/usr/bin/env bash
# Conversations benchmark (issue 10, web half): builds nothing; runs build/bench/conversations_bench
# on a temporary SQLite file. Env: PARTICIPANTS=20000 STATEMENTS=1000 VOTES_EACH=25.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BENCH_BIN:-build/bench/conversations_bench}
[ -x "$bin" ] || { echo "bench/conversations: build the conversations_bench target first"; exit 1; }
file=$(mktemp -u /tmp/veche-bench-conversations-XXXXXX.db)
trap 'rm -f "$file" "$file-wal" "$file-shm"' EXIT
"$bin" "${PARTICIPANTS:-20000}" "${STATEMENTS:-1000}" "${VOTES_EACH:-25}" "$file"
