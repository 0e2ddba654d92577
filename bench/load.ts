// Load cost: `require('cdktf-isolation')` against `require('cdktf')` alone.
// Each sample is a fresh Node.js process that times its own require() and
// reports its peak RSS; the two are interleaved so both see the same machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const lib = join(root, 'lib', 'index.js');
if (!existsSync(lib)) {
  throw new Error(`${lib} is missing: run 'npx projen compile' first (bench/run.sh does)`);
}

interface Sample { ms: number; rssMiB: number }

function sample(module: string): Sample {
  const code = `const t=process.hrtime.bigint();require(${JSON.stringify(module)});` +
    'const ms=Number(process.hrtime.bigint()-t)/1e6;' +
    'process.stdout.write(JSON.stringify({ms,rssMiB:process.resourceUsage().maxRSS/1024}))';
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.BENCH_RUNS ?? 15);
const baseline: Sample[] = [];
const library: Sample[] = [];
sample('cdktf'); sample(lib); // warm the file cache
for (let i = 0; i < runs; i++) {
  baseline.push(sample('cdktf'));
  library.push(sample(lib));
}
const b = { ms: median(baseline.map((s) => s.ms)), rss: median(baseline.map((s) => s.rssMiB)) };
const l = { ms: median(library.map((s) => s.ms)), rss: median(library.map((s) => s.rssMiB)) };
const timeRatio = l.ms / b.ms;
const extraMiB = l.rss - b.rss;
console.log(`## Load cost (median of ${runs} interleaved runs, node ${process.version})\n`);
console.log('| what | require() time | peak RSS |');
console.log('| --- | --- | --- |');
console.log(`| cdktf alone (baseline) | ${b.ms.toFixed(1)} ms | ${b.rss.toFixed(1)} MiB |`);
console.log(`| cdktf-isolation | ${l.ms.toFixed(1)} ms | ${l.rss.toFixed(1)} MiB |`);
console.log(`| ratio / difference | ${timeRatio.toFixed(2)}x (target < 1.30x) | +${extraMiB.toFixed(1)} MiB (target < +40 MiB) |`);
