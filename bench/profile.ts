// Where the synth benchmark's gap is: CPU profiles of the timed part only
// (from the benchmark's t0 to its t2, bench/synth-child.ts with
// BENCH_PROFILE) of both programs, interleaved, and three tables: self time
// by package, the functions whose self time differs most between the
// programs, and the library's functions by inclusive time. Not part of
// `npm run bench` (the profiler slows both programs, by different amounts);
// run it after bench/synth.ts misses a target:
//   npx ts-node --transpile-only --project bench/tsconfig.json bench/profile.ts [containers=1000] [runs=5]
// Times are ms per run under the profiler (sampling every 0.1 ms).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Profiler, Runtime } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, machine, Program, requireCompiledLibrary, ROOT, synthInChild, table, transpileBench } from './common';

const PER_HOST = 10;
const TOP = 25;

/** Where a function's code comes from, for the first table. */
function packageOf(frame: Runtime.CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName === '(garbage collector)' ? 'GC' : `(${frame.functionName || 'native'})`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/lib/')) return 'library (lib/)';
  if (url.includes('/bench/')) return 'bench programs';
  return url;
}

/** A function's name and place, e.g. `renderStartScript lib/core/render/docker-run.js:66` or `resolve cdktf/lib/tokens/private/resolve.js:20`. */
function functionOf(frame: Runtime.CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const url = frame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(`${ROOT}/`, '');
  return `${name} ${url}:${frame.lineNumber + 1}`;
}

/** True for a sample taken while the profiler itself was being stopped (after the timed part). */
function inProfiler(frame: Runtime.CallFrame): boolean {
  return frame.url === 'node:inspector';
}

/** Per-run self and inclusive ms by key, summed over profiles and divided by their count. */
interface Totals {
  readonly selfByPackage: Map<string, number>;
  readonly selfByFunction: Map<string, number>;
  readonly inclusiveLibrary: Map<string, number>;
  total: number;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function aggregate(files: string[]): Totals {
  const totals: Totals = { selfByPackage: new Map(), selfByFunction: new Map(), inclusiveLibrary: new Map(), total: 0 };
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profiler.Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const ms = (deltas[i] ?? 0) / 1000 / files.length;
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (inProfiler(byId.get(at)!.callFrame)) return;
      const leaf = byId.get(id)!.callFrame;
      add(totals.selfByPackage, packageOf(leaf), ms);
      add(totals.selfByFunction, functionOf(leaf), ms);
      totals.total += ms;
      // Inclusive: once per sample for each library function on its stack (recursion counted once).
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        if (packageOf(frame) !== 'library (lib/)') continue;
        const key = functionOf(frame);
        if (!seen.has(key)) {
          seen.add(key);
          add(totals.inclusiveLibrary, key, ms);
        }
      }
    });
  }
  return totals;
}

function main(): void {
  const containers = Number(process.argv[2] ?? 1000);
  const n = Number(process.argv[3] ?? 5);
  if (!Number.isInteger(containers) || containers < 1 || !Number.isInteger(n) || n < 1) {
    throw new Error(`usage: bench/profile.ts [containers] [runs], got ${process.argv.slice(2).join(' ')}`);
  }
  requireCompiledLibrary();
  transpileBench();
  const dir = mkdtempSync(join(tmpdir(), 'cdktf-isolation-profile-'));
  try {
    const files: Record<Program, string[]> = { [Program.LIBRARY]: [], [Program.HAND_WRITTEN]: [] };
    const loadBefore = load();
    for (let i = 0; i < n; i++) {
      const order = i % 2 === 0 ? [Program.LIBRARY, Program.HAND_WRITTEN] : [Program.HAND_WRITTEN, Program.LIBRARY];
      for (const program of order) {
        const file = join(dir, `${program}-${i}.cpuprofile`);
        synthInChild(program, containers, PER_HOST, { profile: file });
        files[program].push(file);
      }
    }
    const lib = aggregate(files[Program.LIBRARY]);
    const hand = aggregate(files[Program.HAND_WRITTEN]);
    const ms = (x: number | undefined) => (x ?? 0).toFixed(1);
    console.log(`## Profile of the timed part at ${containers} containers (${n} runs a program; ${machine()}; load average ${loadBefore} before, ${load()} after)\n`);
    console.log(`Sampled time per run under the profiler: library ${ms(lib.total)} ms, hand-written ${ms(hand.total)} ms.\n`);
    const packages = [...new Set([...lib.selfByPackage.keys(), ...hand.selfByPackage.keys()])]
      .map((k) => ({ k, a: lib.selfByPackage.get(k) ?? 0, b: hand.selfByPackage.get(k) ?? 0 }))
      .sort((x, y) => (y.a + y.b) - (x.a + x.b)).slice(0, 15);
    console.log(table(['self time in', 'library (ms)', 'hand-written (ms)', 'difference'], packages.map((p) => [p.k, ms(p.a), ms(p.b), ms(p.a - p.b)])));
    console.log();
    const fns = [...new Set([...lib.selfByFunction.keys(), ...hand.selfByFunction.keys()])]
      .map((k) => ({ k, a: lib.selfByFunction.get(k) ?? 0, b: hand.selfByFunction.get(k) ?? 0 }))
      .sort((x, y) => (y.a - y.b) - (x.a - x.b)).slice(0, TOP);
    console.log(table(['function (self time)', 'library (ms)', 'hand-written (ms)', 'difference'], fns.map((f) => [`\`${f.k}\``, ms(f.a), ms(f.b), ms(f.a - f.b)])));
    console.log();
    const inclusive = [...lib.inclusiveLibrary].sort((x, y) => y[1] - x[1]).slice(0, TOP);
    console.log(table(['library function (inclusive time)', 'ms'], inclusive.map(([k, v]) => [`\`${k}\``, ms(v)])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
