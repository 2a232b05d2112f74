#!/usr/bin/env bash
# Campaigns benchmark (issue 6): the track-record page of an organization that runs 500
# campaigns with 20,000 actions, through `veche serve` on loopback (SQLite, WAL). Target: under
# 20 ms server time. One kept-alive connection, one request at a time (bench/campaigns/
# measure.py), so each time is the server's time for the answer plus a loopback round trip:
# the page, its JSON, its SVG timeline and one campaign's page. Prints a Markdown table;
# docs/benchmarks.md records the figures.
#   bench/campaigns/run.sh   # env: VECHE_BIN=build/bin/veche DURATION=10s CAMPAIGNS=500
#                            #      ACTIONS=20000
set -euo pipefail
cd "$(dirname "$0")/../.."
veche=${VECHE_BIN:-build/bin/veche}
duration=${DURATION:-10s}
campaigns=${CAMPAIGNS:-500}
actions=${ACTIONS:-20000}
org=northern-forum
[ -x "$veche" ] || { echo "bench/campaigns: $veche is not built"; exit 1; }

work=$(mktemp -d /tmp/veche-bench-campaigns-XXXXXX)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; sleep 0.2; rm -rf "$work"; }
trap cleanup EXIT
"$veche" demo --db "$work/c.db" > /dev/null  # migrates; the demo organizations
python3 bench/campaigns/setup.py "$work/c.db" "$org" "$campaigns" "$actions"
"$veche" serve --db "$work/c.db" --listen 127.0.0.1:0 --log-level off > "$work/veche.out" &
pid=$!
for _ in $(seq 200); do grep -q 'serving on' "$work/veche.out" 2>/dev/null && break; sleep 0.05; done
port=$(grep -Eo ':[0-9]+/$' "$work/veche.out" | tr -dc 0-9)
[ -n "$port" ] || { echo "bench/campaigns: veche serve did not start"; cat "$work/veche.out"; exit 1; }
base="http://127.0.0.1:$port"
page="/track-record/organizations/$org"
bytes=$(curl -s "$base$page" | wc -c)
svg_bytes=$(curl -s "$base$page/timeline.svg" | wc -c)

row() {  # name path
  local r
  r=$(python3 bench/campaigns/measure.py 127.0.0.1 "$port" "$2" "${duration%s}")
  set -- "$1" $r
  printf '| %s | %s | %s ms | %s ms | %s ms |\n' "$1" "$2" "$3" "$4" "$5"
}
echo "| one request at a time ($campaigns campaigns, $actions actions; page $bytes bytes, SVG $svg_bytes bytes) | requests | p50 | p99 | mean |"
echo "|---|---|---|---|---|"
row "GET $page" "$page"
row "GET /api/v1/track-record/organizations/$org" "/api/v1/track-record/organizations/$org"
row "GET $page/timeline.svg" "$page/timeline.svg"
row "GET /campaigns/250 (one campaign, $((actions / campaigns)) actions)" "/campaigns/250"
