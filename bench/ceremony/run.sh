#!/usr/bin/env bash
# The trustee's and registrar's work in JavaScript (issue 9): see ceremony.mjs. Needs
# web/node_modules (scripts/deps). Argument: BALLOTS (default 10000).
set -euo pipefail
cd "$(dirname "$0")/../.."
node bench/ceremony/ceremony.mjs "${1:-10000}"
