// Load cost: loading `cdktf-isolation` against `require('cdktf')` alone.
// Each sample is a fresh Node.js process that times its own loading and
// reports its peak RSS; the samples are interleaved so all see the same
// machine. lib/index.js loads a module when its export is first read
// (projenrc/lazy-index.ts), so `require()` alone loads almost nothing:
// the target row is what a program that builds VmHosts and containers loads
// (require, then VmHost, ContainerOnVm and ContainerImage, the synth
// benchmark's program), beside require() alone and every export read.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROGRAM_EXPORTS } from './programs/library-program';

const root = join(__dirname, '..');
const lib = join(root, 'lib', 'index.js');
if (!existsSync(lib)) {
  throw new Error(`${lib} is missing: run 'npx projen compile' first (bench/run.sh does)`);
}

interface Sample { ms: number; rssMiB: number }

/** Loading `module` and then reading `exports` of it (all of them for '*'), in a fresh process. */
function sample(module: string, exports: string[] | '*' = []): Sample {
  const read = exports === '*' ? 'for(const k of Object.keys(m))void m[k];' : exports.map((e) => `void m.${e};`).join('');
  const code = `const t=process.hrtime.bigint();const m=require(${JSON.stringify(module)});${read}` +
    'const ms=Number(process.hrtime.bigint()-t)/1e6;' +
    'process.stdout.write(JSON.stringify({ms,rssMiB:process.resourceUsage().maxRSS/1024}))';
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const PROGRAM = [...PROGRAM_EXPORTS];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.BENCH_RUNS ?? 15);
const kinds = {
  baseline: () => sample('cdktf'),
  required: () => sample(lib),
  program: () => sample(lib, PROGRAM),
  everything: () => sample(lib, '*'),
};
const samples: Record<keyof typeof kinds, Sample[]> = { baseline: [], required: [], program: [], everything: [] };
for (const k of Object.keys(kinds) as Array<keyof typeof kinds>) kinds[k](); // warm the file cache
for (let i = 0; i < runs; i++) {
  const order = Object.keys(kinds) as Array<keyof typeof kinds>;
  for (const k of i % 2 === 0 ? order : [...order].reverse()) samples[k].push(kinds[k]());
}
const m = (k: keyof typeof kinds) => ({ ms: median(samples[k].map((s) => s.ms)), rss: median(samples[k].map((s) => s.rssMiB)) });
const b = m('baseline');
const row = (what: string, k: keyof typeof kinds, target: boolean) => {
  const l = m(k);
  const ratio = `${(l.ms / b.ms).toFixed(2)}x${target ? ` (target < 1.30x: ${l.ms / b.ms < 1.3 ? 'met' : 'MISSED'})` : ''}`;
  const extra = `+${(l.rss - b.rss).toFixed(1)} MiB${target ? ` (target < +40 MiB: ${l.rss - b.rss < 40 ? 'met' : 'MISSED'})` : ''}`;
  return `| ${what} | ${l.ms.toFixed(1)} ms | ${l.rss.toFixed(1)} MiB | ${ratio} | ${extra} |`;
};
console.log(`## Load cost (median of ${runs} interleaved runs, node ${process.version})\n`);
console.log('| what | load time | peak RSS | time / cdktf alone | RSS over cdktf alone |');
console.log('| --- | --- | --- | --- | --- |');
console.log(`| cdktf alone (baseline) | ${b.ms.toFixed(1)} ms | ${b.rss.toFixed(1)} MiB | - | - |`);
console.log(row('cdktf-isolation: require() only', 'required', false));
console.log(row(`cdktf-isolation: require(), then ${PROGRAM.join(', ')} (a VmHost program)`, 'program', true));
console.log(row('cdktf-isolation: require(), then every export', 'everything', false));
