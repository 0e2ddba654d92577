#!/usr/bin/env bash
# Runs every benchmark in bench/ and prints its table. No benchmark asserts a
# time; each reports a ratio against a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f lib/index.js ] || [ -n "$(find src -newer lib/index.js -name '*.ts' -print -quit)" ]; then
  npx projen compile >/dev/null
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), node $(node --version)"
echo
npx ts-node --transpile-only --project bench/tsconfig.json bench/load.ts
