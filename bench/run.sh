#!/usr/bin/env bash
# Runs every benchmark in bench/ and prints its table. No benchmark asserts a
# time; each reports a ratio against a baseline measured in the same run.
# BENCH_RUNS=<n> changes the number of runs of the timed benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

# The synth benchmarks run the compiled library (lib/), as users do: compile
# it when it is missing or older than src/ (`projen compile`: jsii, then the
# lazy index of projenrc/lazy-index.ts).
if [ ! -f lib/index.js ] || [ -n "$(find src projenrc -newer lib/index.js -name '*.ts' -print -quit)" ]; then
  echo "compiling src/ to lib/ ..." >&2
  npx projen compile >/dev/null
fi

run() {
  echo
  npx ts-node --transpile-only --project bench/tsconfig.json "bench/$1"
}

echo "# cdktf-isolation benchmarks"
echo
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), node $(node --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$SECONDS
run load.ts        # 1. require() time and memory against cdktf alone
run synth.ts       # 2. synth time and memory against a hand-written program
run scaling.ts     # 3. growth from 250 to 2,000 containers
run packing.ts     # 4. hosts used against the lower bound; moves on insertion
run placement-file.ts # 4. the same insertion through HostPool, with and without placementFile
run user-data.ts   # 5. user data bytes against containers per host
# 7. in-place update against replacement: boots a QEMU VM (minutes); BENCH_VM=0 leaves it out.
if [ "${BENCH_VM:-1}" != 0 ]; then run vm-update.ts; fi
echo
echo "total benchmark time: $((SECONDS - start)) s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
