#!/usr/bin/env bash
# HTTP throughput and latency on loopback, side by side with nginx in the same run.
# Workload: wrk, 2 threads, 64 connections, 10 s per target, keep-alive, on this machine
# (server and load generator share its cores). Targets: Veche's rendered home page (demo
# coalition, SQLite), Veche's static CSS file, and nginx serving the very same CSS file.
# Prints a Markdown table; docs/benchmarks.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
veche=${VECHE_BIN:-build/bin/veche}
duration=${DURATION:-10s}
command -v wrk >/dev/null || { echo "bench/http: wrk is not installed (scripts/deps installs it)"; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || { echo "bench/http: nginx is not installed (scripts/deps installs nginx-light)"; exit 1; }

work=$(mktemp -d /tmp/veche-bench-http-XXXXXX)
cleanup() {
  [ -n "${veche_pid:-}" ] && kill "$veche_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 0.2; rm -rf "$work"
}
trap cleanup EXIT

"$veche" serve --db "$work/bench.db" --listen 127.0.0.1:0 --demo --log-level off > "$work/veche.out" &
veche_pid=$!
for _ in $(seq 100); do grep -q 'serving on' "$work/veche.out" 2>/dev/null && break; sleep 0.05; done
vport=$(grep -Eo ':[0-9]+/$' "$work/veche.out" | tr -dc 0-9)

nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/www"
cp web/static/veche.css "$work/www/veche.css"
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  types { text/css css; }
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$nport; root $work/www; location /static/ { alias $work/www/; } }
}
CONF
mkdir -p "$work/tmp"
"$nginx_bin" -c "$work/nginx.conf" -p "$work"
sleep 0.3

run() {  # name url
  local out rps p50 p99
  out=$(wrk -t2 -c64 -d"$duration" --latency "$2")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  printf '| %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99"
}

echo "| target | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
run "Veche home page (rendered, SQLite, en)" "http://127.0.0.1:$vport/"
run "Veche static file (veche.css)" "http://127.0.0.1:$vport/static/veche.css"
run "nginx static file (same veche.css)" "http://127.0.0.1:$nport/static/veche.css"
