// Where the synth benchmark's gap is: CPU profiles of the timed part only
// (from the benchmark's t0 to its t2, bench/synth-child.ts with
// BENCH_PROFILE) of both programs, interleaved, and four tables: self time
// by package, the functions whose self time differs most between the
// programs, the library's functions by inclusive time, and each program's
// time by its outermost own function (below). Not part of
// `npm run bench` (the profiler slows both programs, by different amounts);
// run it after bench/synth.ts misses a target:
//   npx ts-node --transpile-only --project bench/tsconfig.json bench/profile.ts [containers=1000] [runs=5]
// The fourth table splits each program's time by the outermost of its own
// functions on the stack (the library's entry points, the hand-written
// program's renderers) and the rest (cdktf, the provider classes called
// from the program's loop, synthesis): self times name different functions
// for the same work in the two programs, this split does not.
// Times are ms per run under the profiler (sampling every 0.1 ms).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Profiler, Runtime } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, machine, Program, requireCompiledLibrary, ROOT, synthInChild, table, transpileBench } from './common';

const PER_HOST = 10;
const TOP = 25;
const LIBRARY = 'library (lib/)';
/** The programs' loops (bench/programs): what they call directly is what the split attributes. */
const ENTRY = /^(buildWithLibrary|buildByHand)$/;

/** True for a function of the library or of a program module (not the child's main), other than the programs' loops. */
function isOwnCode(node: { frame: Runtime.CallFrame; pkg: string }): boolean {
  return (node.pkg === LIBRARY || node.frame.url.includes('/bench/out/programs/')) && !ENTRY.test(node.frame.functionName);
}

/** Where a function's code comes from, for the first table. */
function packageOf(frame: Runtime.CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName === '(garbage collector)' ? 'GC' : `(${frame.functionName || 'native'})`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/lib/')) return LIBRARY;
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
  /** Inclusive ms by the outermost program function on the stack (library or hand-written, below the loop); samples with none under `OUTSIDE`. */
  readonly byOutermost: Map<string, number>;
  total: number;
}

const OUTSIDE = '(none: cdktf, provider classes, synthesis)';

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function aggregate(files: string[]): Totals {
  const totals: Totals = { selfByPackage: new Map(), selfByFunction: new Map(), inclusiveLibrary: new Map(), byOutermost: new Map(), total: 0 };
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profiler.Profile;
    // Per node, once: its parent, package and function (a profile has thousands of nodes and tens of thousands of samples).
    const nodes = new Map(profile.nodes.map((n) => [n.id, { frame: n.callFrame, pkg: packageOf(n.callFrame), fn: functionOf(n.callFrame) }]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      // One walk of the sample's stack: the library functions on it (recursion counted once) and the outermost
      // program function, unless the profiler was stopping.
      const libraryFunctions = new Set<string>();
      let outermost = OUTSIDE;
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const node = nodes.get(at)!;
        if (inProfiler(node.frame)) return;
        if (node.pkg === LIBRARY) libraryFunctions.add(node.fn);
        if (isOwnCode(node)) outermost = node.fn;
      }
      const ms = (deltas[i] ?? 0) / 1000 / files.length;
      const leaf = nodes.get(id)!;
      add(totals.selfByPackage, leaf.pkg, ms);
      add(totals.selfByFunction, leaf.fn, ms);
      totals.total += ms;
      for (const fn of libraryFunctions) add(totals.inclusiveLibrary, fn, ms);
      add(totals.byOutermost, outermost, ms);
    });
  }
  return totals;
}

/** Each key of either map with its value in both (0 where missing). */
function sideBySide(library: Map<string, number>, hand: Map<string, number>): Array<{ key: string; library: number; hand: number }> {
  return [...new Set([...library.keys(), ...hand.keys()])].map((key) => ({ key, library: library.get(key) ?? 0, hand: hand.get(key) ?? 0 }));
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
    const ms = (x: number) => x.toFixed(1);
    console.log(`## Profile of the timed part at ${containers} containers (${n} runs a program; ${machine()}; load average ${loadBefore} before, ${load()} after)\n`);
    console.log(`Sampled time per run under the profiler: library ${ms(lib.total)} ms, hand-written ${ms(hand.total)} ms.\n`);
    const header = ['library (ms)', 'hand-written (ms)', 'difference'];
    const packages = sideBySide(lib.selfByPackage, hand.selfByPackage).sort((x, y) => (y.library + y.hand) - (x.library + x.hand)).slice(0, 15);
    console.log(table(['self time in', ...header], packages.map((p) => [p.key, ms(p.library), ms(p.hand), ms(p.library - p.hand)])));
    console.log();
    const fns = sideBySide(lib.selfByFunction, hand.selfByFunction).sort((x, y) => (y.library - y.hand) - (x.library - x.hand)).slice(0, TOP);
    console.log(table(['function (self time)', ...header], fns.map((f) => [`\`${f.key}\``, ms(f.library), ms(f.hand), ms(f.library - f.hand)])));
    console.log();
    const inclusive = [...lib.inclusiveLibrary].sort((x, y) => y[1] - x[1]).slice(0, TOP);
    console.log(table(['library function (inclusive time)', 'ms'], inclusive.map(([k, v]) => [`\`${k}\``, ms(v)])));
    console.log();
    for (const [name, totals] of [['library', lib], ['hand-written', hand]] as const) {
      const rows = [...totals.byOutermost].sort((x, y) => y[1] - x[1]).slice(0, 8);
      console.log(table([`${name}: outermost own function on the stack`, 'ms', 'share'], rows.map(([k, v]) => [k === OUTSIDE ? k : `\`${k}\``, ms(v), `${(100 * v / totals.total).toFixed(0)}%`])));
      console.log();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
