// Helpers shared by the benchmarks: statistics, tables, and the child
// processes that each synthesize one stack in a fresh Node.js process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { ReconcileScript } from '../src/core/render/reconcile';

/** The repository root. */
export const ROOT = join(__dirname, '..');
/** Where bench/*.ts is transpiled to plain JavaScript for the child processes (git-ignored). */
export const OUT = join(ROOT, 'bench', 'out');

/** Median (the upper middle of an even count). */
export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

/** The value at rank floor(q * n) of the sorted values (as the placement unit test takes its p95). */
export function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** A Markdown table. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Number of runs: BENCH_RUNS overrides the default. */
export function runs(fallback: number): number {
  const n = Number(process.env.BENCH_RUNS ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_RUNS must be a positive integer, got ${process.env.BENCH_RUNS}`);
  return n;
}

/** Fails unless lib/ (the compiled library) exists. */
export function requireCompiledLibrary(): void {
  if (!existsSync(join(ROOT, 'lib', 'index.js'))) {
    throw new Error(`${join(ROOT, 'lib', 'index.js')} is missing: compile first (bench/run.sh does)`);
  }
}

/** The modules a synth child loads (bench/synth-child.ts and its imports). */
const CHILD_MODULES = ['synth-child.ts', 'portfolio.ts', 'normalize.ts', 'programs/library-program.ts', 'programs/hand-written.ts'];

/**
 * Transpiles the synth child and its modules to bench/out/ (types erased,
 * no type check: `tsc -p bench/tsconfig.json` checks them). The measured
 * child processes then run plain JavaScript like a user's compiled program,
 * without ts-node and the TypeScript compiler in their memory.
 */
export function transpileBench(): void {
  const benchDir = join(ROOT, 'bench');
  for (const name of CHILD_MODULES) {
    const file = join(benchDir, name);
    const out = join(OUT, name.replace(/\.ts$/, '.js'));
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, js);
  }
  // The hand-written program's copy of the reconcile script (bench/programs/hand-written.ts).
  writeFileSync(join(OUT, 'reconcile.sh'), ReconcileScript.render());
}

/** Which program a synth child runs. */
export enum Program {
  LIBRARY = 'library',
  HAND_WRITTEN = 'hand-written',
}

/** What one synth child reports. */
export interface SynthSample {
  /** Constructing the stack (hosts, containers, resources). */
  readonly constructMs: number;
  /** app.synth() to a temporary directory. */
  readonly synthMs: number;
  /** Both (wall clock). */
  readonly totalMs: number;
  /** CPU time (user + system, every thread of the process) of both. */
  readonly cpuMs: number;
  /** Peak resident set of the process (process.resourceUsage().maxRSS). */
  readonly maxRssMiB: number;
  /** Size of the written cdk.tf.json. */
  readonly outputBytes: number;
  /** Digest of the normalized resources (only with `digest`). */
  readonly digest?: string;
}

/** Synthesizes `containers` containers (`perHost` to a host) with `program` in a fresh Node.js process. */
export function synthInChild(program: Program, containers: number, perHost: number,
  options: { digest?: boolean; nodeArgs?: string[]; profile?: string } = {}): SynthSample {
  const args = [...(options.nodeArgs ?? []), join(OUT, 'synth-child.js'), program, String(containers), String(perHost)];
  if (options.digest) args.push('--digest');
  // BENCH_PROFILE: a CPU profile of the timed part (bench/profile.ts), written by the child.
  const env = options.profile === undefined ? process.env : { ...process.env, BENCH_PROFILE: options.profile };
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env });
  if (r.status !== 0) throw new Error(`synth child (${program}, ${containers}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** `a / b` with two decimals and an `x`. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

/** Median samples of both programs at one size. */
export interface SynthComparison {
  readonly containers: number;
  readonly hosts: number;
  readonly library: SynthSample[];
  readonly handWritten: SynthSample[];
}

/** The median of one field of samples. */
export function med(samples: SynthSample[], field: 'constructMs' | 'synthMs' | 'totalMs' | 'cpuMs' | 'maxRssMiB'): number {
  return median(samples.map((s) => s[field]));
}

/**
 * Synthesizes each size with both programs, `n` times each, interleaved
 * (the order alternates every round), after one discarded warm-up pair.
 */
export function compareSynth(sizes: number[], n: number, perHost: number, log: (line: string) => void = () => {}): SynthComparison[] {
  return sizes.map((containers) => {
    synthInChild(Program.LIBRARY, containers, perHost);
    synthInChild(Program.HAND_WRITTEN, containers, perHost);
    const library: SynthSample[] = [];
    const handWritten: SynthSample[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) {
        library.push(synthInChild(Program.LIBRARY, containers, perHost));
        handWritten.push(synthInChild(Program.HAND_WRITTEN, containers, perHost));
      } else {
        handWritten.push(synthInChild(Program.HAND_WRITTEN, containers, perHost));
        library.push(synthInChild(Program.LIBRARY, containers, perHost));
      }
    }
    log(`  ${containers} containers: ${n} runs each done`);
    return { containers, hosts: Math.ceil(containers / perHost), library, handWritten };
  });
}

/** The machine, for the record. */
export function machine(): string {
  const mem = totalmem() / 2 ** 30;
  return `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${mem.toFixed(0)} GiB, ${arch()}, Node.js ${process.version}`;
}

/** The 1-minute load average, to show how busy the machine was. */
export function load(): string {
  return loadavg()[0].toFixed(2);
}

/** The normalized-resources digest of one program's stack (see bench/normalize.ts). */
export function digestOfProgram(program: Program, containers: number, perHost: number): string {
  return synthInChild(program, containers, perHost, { digest: true }).digest!;
}
