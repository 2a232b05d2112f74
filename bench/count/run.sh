#!/usr/bin/env bash
# Counting benchmark (issue 4): `veche count` against the npm package `votes`, side by side, on
# the synthetic workload of ../shared/tools/gen_blt.py (1,000,000 ranked ballots, 15 candidates,
# 5 seats, seed 2024) and on a 10,000,000-ballot file for linearity.
#
# usage: bench/count/run.sh [BUILD_DIR]   (default: build; the `veche` binary is BUILD_DIR/bin/veche)
# Environment: VECHE_SHARED_DIR (default: <repo>/../shared), COUNT_BENCH_BIG=0 skips the 10M file,
# COUNT_BENCH_BIG=replicate builds it from ten copies of the 1M ballots instead of gen_blt.py
# (minutes instead of the generator's hour on a loaded machine; same distinct rankings),
# COUNT_BENCH_PEERS=0 skips the npm peer.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${1:-$repo/build}"
veche="$build/bin/veche"
shared="${VECHE_SHARED_DIR:-$repo/../shared}"
gen="$shared/tools/gen_blt.py"
if [[ ! -f "$gen" ]]; then
  echo "skipped: $gen not found (set VECHE_SHARED_DIR to the shared folder)"
  exit 0
fi
if [[ ! -x "$veche" ]]; then
  echo "error: $veche not built (cmake --build $build --target veche)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "# workload in $work"
python3 "$gen" 1000000 15 5 2024 "$work/syn.blt"
ls -l "$work/syn.blt"

# time_cmd LABEL CMD...: wall time and peak memory of one run (hyperfine when installed gives
# the mean of several runs instead).
time_cmd() {
  local label="$1"
  shift
  if command -v hyperfine > /dev/null; then
    hyperfine --warmup 1 --runs 5 --export-json "$work/h.json" "$*" > /dev/null 2>&1
    local mean
    mean="$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/h.json")"
    /usr/bin/time -f "%M" -o "$work/mem" "$@" > /dev/null
    printf '| %s | %s | %s |\n' "$label" "$mean" "$(( $(cat "$work/mem") / 1024 ))"
  else
    local best=""
    for _ in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$work/t" "$@" > /dev/null
      read -r secs kb < "$work/t"
      if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if $secs < $best else 1)"; then
        best="$secs"
        mem="$kb"
      fi
    done
    printf '| %s | %s | %s |\n' "$label" "$best" "$(( mem / 1024 ))"
  fi
}

echo
echo "| run (1,000,000 ballots, 15 candidates, 5 seats) | wall s | peak MB |"
echo "|---|---:|---:|"
for m in meek scottish schulze irv; do
  seats=()
  [[ "$m" == irv || "$m" == schulze ]] && seats=(--seats 1)
  time_cmd "veche count --method $m" "$veche" --quiet count "$work/syn.blt" --method "$m" "${seats[@]}" --format json
done
if [[ "${COUNT_BENCH_PEERS:-1}" != 0 ]] && command -v node > /dev/null; then
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts > /dev/null 2>&1) || echo "npm ci failed: peer skipped"
  if [[ -d "$here/node_modules/votes" ]]; then
    time_cmd "npm votes Schulze" node "$here/votes_peer.mjs" schulze "$work/syn.blt"
    # votes' IRV takes about a minute on this file: one run only.
    /usr/bin/time -f "%e %M" -o "$work/t" node "$here/votes_peer.mjs" irv "$work/syn.blt" > /dev/null
    read -r secs kb < "$work/t"
    printf '| npm votes InstantRunoff (1 run) | %s | %s |\n' "$secs" "$(( kb / 1024 ))"
  fi
fi

if [[ "${COUNT_BENCH_BIG:-1}" == replicate ]]; then
  python3 - "$work/syn.blt" "$work/big.blt" << 'PY'
import sys
lines = open(sys.argv[1]).read().split('\n')
end = lines.index('0', 1)
body = '\n'.join(lines[1:end]) + '\n'
with open(sys.argv[2], 'w') as f:
    f.write(lines[0] + '\n' + body * 10 + '\n'.join(lines[end:]))
PY
elif [[ "${COUNT_BENCH_BIG:-1}" != 0 ]]; then
  python3 "$gen" 10000000 15 5 2024 "$work/big.blt"
fi
if [[ "${COUNT_BENCH_BIG:-1}" != 0 ]]; then
  echo
  echo "| run (10,000,000 ballots) | wall s | peak MB |"
  echo "|---|---:|---:|"
  for m in meek scottish schulze; do
    time_cmd "veche count --method $m" "$veche" --quiet count "$work/big.blt" --method "$m" --format json
  done
fi
