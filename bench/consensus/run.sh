#!/usr/bin/env bash
# Times `veche consensus analyse` (wall time and peak memory, /usr/bin/time) on synthetic
# conversations at Pol.is scale, next to the figures Pol.is's Python port reports for the same
# shapes; then, on one workload (CONSENSUS_LIVE, default issue-target-10M), the engine's phases
# and the latency of single-vote updates (consensus_live_bench, when built).
# Usage: bench/consensus/run.sh [BUILD_DIR]   (default: build)
# Needs the targets `veche` and `consensus_generate` (and `consensus_live_bench`) in BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build}"
veche="${VECHE:-$build/bin/veche}"   # VECHE=path overrides
generate="$build/bench/consensus_generate"
live="$build/bench/consensus_live_bench"
live_workload="${CONSENSUS_LIVE:-issue-target-10M}"
if [[ ! -x "$veche" || ! -x "$generate" ]]; then
  echo "build the targets veche and consensus_generate in $build first" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# name participants statements votes camps peer_seconds
workloads=(
  "polis-400k 18081 9034 400000 5 179"
  "polis-1M 18081 9034 1030000 5 87"
  "participants-100k 100000 10000 2000000 6 -"
  "issue-target-10M 100000 10000 10000000 6 -"
)
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
printf '| workload | participants | statements | votes | veche wall (s) | CPU user+sys (s) | peak memory (MiB) | groups | Pol.is Python port (s) | ratio (wall) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for w in "${workloads[@]}"; do
  read -r name n m v camps peer <<<"$w"
  if [[ -n "${CONSENSUS_BENCH_ONLY:-}" && "$name" != ${CONSENSUS_BENCH_ONLY} ]]; then continue; fi
  "$generate" "$n" "$m" "$v" "$camps" 7 >"$work/votes.csv"
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" \
    "$veche" consensus analyse "$work/votes.csv" --format json -o "$work/report.json"
  read -r seconds kib user sys <"$work/time"
  groups=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["groups"]))' \
    "$work/report.json")
  ratio="-"
  if [[ "$peer" != "-" ]]; then ratio=$(python3 -c "print(f'{$peer/max($seconds,0.01):.0f}x')"); fi
  cpu=$(python3 -c "print(f'{$user+$sys:.2f}')")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$n" "$m" "$v" "$seconds" \
    "$cpu" "$((kib / 1024))" "$groups" "$peer" "$ratio"
  if [[ "$name" == "$live_workload" && -x "$live" ]]; then
    "$live" "$work/votes.csv" "${CONSENSUS_UPDATES:-2000}" >"$work/live.txt"
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/live.txt"
  fi
  rm -f "$work/votes.csv"
done
if [[ -s "$work/live.txt" ]]; then
  printf '\nconsensus_live_bench on %s:\n' "$live_workload"
  cat "$work/live.txt"
fi
