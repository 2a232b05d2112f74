#!/usr/bin/env bash
# Registry benchmarks (issue 3), on this machine:
# 1. join and login throughput through registry::Accounts on 2 threads (build/bench/accounts_bench);
# 2. the organizations page and API with 1,000 organizations and 100,000 constituents
#    (SQLite; wrk, 2 threads, 64 connections, 10 s each, loopback; server and load generator
#    share the 2 cores). Prints Markdown tables; docs/benchmarks.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
veche=${VECHE_BIN:-build/bin/veche}
bench=${ACCOUNTS_BENCH:-build/bench/accounts_bench}
duration=${DURATION:-10s}
command -v wrk >/dev/null || { echo "bench/registry: wrk is not installed (scripts/deps --bench)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench/registry: sqlite3 is not installed (scripts/deps)"; exit 1; }
[ -x "$bench" ] || { echo "bench/registry: $bench is not built"; exit 1; }

"$bench" 2 "${SECONDS_PER_OP:-10}"
echo

work=$(mktemp -d /tmp/veche-bench-registry-XXXXXX)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; sleep 0.2; rm -rf "$work"; }
trap cleanup EXIT
"$veche" demo --db "$work/r.db" > /dev/null
sqlite3 "$work/r.db" <<'SQL'
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 993)
INSERT INTO organizations (slug, name_en, name_ru, description_en, description_ru, website,
                           joined_at, focus_areas, regions)
SELECT 'org-' || i, 'Organization ' || i, 'Организация ' || i,
       'A fictional member organization, number ' || i || '.', '', '', 1790000000,
       'focus ' || (i % 17), 'region ' || (i % 23) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO accounts (handle, handle_key, passphrase_hash, display_name, created_at)
SELECT 'c' || i, 'c' || i, '!', '', 1790000000 FROM n;
INSERT INTO account_roles (account_id, role, organization_id, granted_at)
SELECT id, 'constituent', NULL, 1790000000 FROM accounts WHERE handle GLOB 'c[0-9]*';
COMMIT;
SQL
echo "organizations: $(sqlite3 "$work/r.db" 'SELECT COUNT(*) FROM organizations'), accounts: $(sqlite3 "$work/r.db" 'SELECT COUNT(*) FROM accounts')"
"$veche" serve --db "$work/r.db" --listen 127.0.0.1:0 --log-level off > "$work/veche.out" &
pid=$!
for _ in $(seq 100); do grep -q 'serving on' "$work/veche.out" 2>/dev/null && break; sleep 0.05; done
port=$(grep -Eo ':[0-9]+/$' "$work/veche.out" | tr -dc 0-9)
bytes=$(curl -s "http://127.0.0.1:$port/organizations" | wc -c)

run() {  # name url [header]
  local out rps p50 p99
  if [ $# -ge 3 ]; then out=$(wrk -t2 -c64 -d"$duration" --latency -H "$3" "$2"); else out=$(wrk -t2 -c64 -d"$duration" --latency "$2"); fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  printf '| %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99"
}
echo "| target (1,000 organizations, 100,000 constituents; page $bytes bytes) | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
run "/organizations, English" "http://127.0.0.1:$port/organizations" "Accept-Language: en"
run "/organizations, Russian (collation of the reader's language)" "http://127.0.0.1:$port/organizations" "Accept-Language: ru"
run "/api/v1/organizations" "http://127.0.0.1:$port/api/v1/organizations"
