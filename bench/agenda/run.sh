#!/usr/bin/env bash
# Agenda benchmark (issue 5): casting a support and reading the agenda page with 100,000
# constituents and 2,000 issues, through `veche serve` on loopback (SQLite, WAL). The load
# generator is wrk (2 threads, 64 connections, DURATION each); server and wrk share the
# machine's cores. Prints a Markdown table; docs/benchmarks.md records the figures.
#   bench/agenda/run.sh   # env: VECHE_BIN=build/bin/veche DURATION=20s CONSTITUENTS=100000
#                         #      ISSUES=2000 CONNECTIONS=64 USED_TODAY=1 RATE=2400
set -euo pipefail
cd "$(dirname "$0")/../.."
veche=${VECHE_BIN:-build/bin/veche}
duration=${DURATION:-20s}
constituents=${CONSTITUENTS:-100000}
issues=${ISSUES:-2000}
connections=${CONNECTIONS:-64}
rate=${RATE:-2400}  # supports per second offered in the steady-load row
used_today=${USED_TODAY:-1}  # 0: every token's first request also writes its "last used" day
command -v wrk >/dev/null || { echo "bench/agenda: wrk is not installed (scripts/deps --bench)"; exit 1; }
[ -x "$veche" ] || { echo "bench/agenda: $veche is not built"; exit 1; }

work=$(mktemp -d /tmp/veche-bench-agenda-XXXXXX)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; sleep 0.2; rm -rf "$work"; }
trap cleanup EXIT
# Migrates the database and creates its data key (veche-data.key beside it).
"$veche" agenda threshold 50 --db "$work/a.db" > /dev/null
python3 bench/agenda/setup.py "$work/a.db" "$work/veche-data.key" "$constituents" "$issues" \
  "$work/tokens.txt" "$used_today"
"$veche" serve --db "$work/a.db" --listen 127.0.0.1:0 --log-level off > "$work/veche.out" &
pid=$!
for _ in $(seq 200); do grep -q 'serving on' "$work/veche.out" 2>/dev/null && break; sleep 0.05; done
port=$(grep -Eo ':[0-9]+/$' "$work/veche.out" | tr -dc 0-9)
[ -n "$port" ] || { echo "bench/agenda: veche serve did not start"; cat "$work/veche.out"; exit 1; }
bytes=$(curl -s "http://127.0.0.1:$port/agenda" | wc -c)

row() {  # name wrk-output
  local rps p50 p99 errors
  rps=$(echo "$2" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$2" | awk '$1=="50%" {print $2}')
  p99=$(echo "$2" | awk '$1=="99%" {print $2}')
  errors=$(echo "$2" | awk '/non-2xx or socket errors/ {print $NF} /Non-2xx or 3xx/ {print $NF}' | head -1)
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
}
echo "| target ($constituents constituents, $issues issues, $connections connections, tokens used today: $used_today; /agenda page $bytes bytes) | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
out=$(wrk -t2 -c"$connections" -d"$duration" --latency -s bench/agenda/support.lua \
  "http://127.0.0.1:$port" -- "$issues" 2 "$work/tokens.txt")
row "POST /api/v1/agenda/issues/{id}/support (bearer token), as fast as answered" "$out"
# The same at a steady offered load: each connection pauses between requests so that all of
# them together offer about RATE supports per second (the latencies add a little to the pause).
pause=$(python3 -c "print(round($connections * 1000 / $rate, 2))")
out=$(wrk -t2 -c"$connections" -d"$duration" --latency -s bench/agenda/support.lua \
  "http://127.0.0.1:$port" -- "$issues" 2 "$work/tokens.txt" "$pause" $((constituents * 50)))
row "POST /api/v1/agenda/issues/{id}/support, offered about $rate/s" "$out"
supports=$(curl -s "http://127.0.0.1:$port/api/v1/agenda/issues?limit=1000" | python3 -c \
  'import json,sys; print(sum(i["supports"] for i in json.load(sys.stdin)["issues"]))')
out=$(wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port/agenda")
row "GET /agenda (first page: the 100 most supported)" "$out"
out=$(wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port/api/v1/agenda/issues")
row "GET /api/v1/agenda/issues" "$out"
echo
echo "supports recorded in the top 1,000 issues after the run: $supports"
