// One measured synthesis in a fresh process (spawned by bench/common.ts
// from its transpiled copy in bench/out/). Usage:
//   node bench/out/synth-child.js <library|hand-written> <containers> <perHost> [--digest]
// Everything the program needs is loaded before the clock starts (load cost
// is bench/load.ts's subject), including `yaml`, which the library would
// otherwise load on its first render inside the timed part. Both children
// load both program modules; only the library child loads lib/ (the
// hand-written module's imports are a subset of the library's). It prints one
// JSON line: construct and synth times, peak RSS, output size. BENCH_LIB
// (a path to another build's index.js) replaces lib/, to measure a change.
// BENCH_PROFILE (a file path) writes a CPU profile of the timed part only
// (bench/profile.ts; the times it prints are then not the benchmark's).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import 'yaml';
import { digestOf, normalizeStack } from './normalize';
import { benchHosts, REGION, STACK_ID } from './portfolio';
import { buildByHand } from './programs/hand-written';
import { buildWithLibrary, IsolationModule, PROGRAM_EXPORTS } from './programs/library-program';

function main(): void {
  const [program, containersArg, perHostArg, flag] = process.argv.slice(2);
  const containers = Number(containersArg);
  const perHost = Number(perHostArg);
  const hosts = benchHosts(containers, perHost);
  let build: (stack: TerraformStack) => void;
  if (program === 'library') {
    // The compiled library (lib/), as users load it; BENCH_LIB points at another build (to try a change).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require(process.env.BENCH_LIB ?? join(__dirname, '..', '..', 'lib', 'index.js')) as IsolationModule;
    // The index loads a module when its export is first read (projenrc/lazy-index.ts): the program's, before the clock.
    for (const e of PROGRAM_EXPORTS) void lib[e];
    build = (stack) => buildWithLibrary(lib, stack, hosts);
  } else if (program === 'hand-written') {
    build = (stack) => buildByHand(stack, hosts);
  } else {
    throw new Error(`unknown program ${program}`);
  }
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-isolation-bench-'));
  try {
    const profiler = startProfiler(process.env.BENCH_PROFILE);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, STACK_ID);
    new AwsProvider(stack, 'aws', { region: REGION });
    build(stack);
    const t1 = process.hrtime.bigint();
    app.synth();
    const t2 = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpu0);
    profiler?.();
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    const file = join(outdir, 'stacks', STACK_ID, 'cdk.tf.json');
    let digest: string | undefined;
    if (flag === '--digest') {
      digest = digestOf(normalizeStack(JSON.parse(readFileSync(file, 'utf8'))));
    }
    const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
    process.stdout.write(`${JSON.stringify({
      constructMs: ms(t0, t1),
      synthMs: ms(t1, t2),
      totalMs: ms(t0, t2),
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMiB,
      outputBytes: statSync(file).size,
      digest,
    })}\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Starts the inspector's sampling profiler when `file` is set; the function returned stops it and writes the profile to `file`. */
function startProfiler(file: string | undefined): (() => void) | undefined {
  if (!file) return undefined;
  // Loaded only here, so that a measured child holds nothing more than before.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const session: Session = new (require('node:inspector') as typeof import('node:inspector')).Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  session.post('Profiler.start');
  return () => session.post('Profiler.stop', (err, result) => {
    if (err) throw err;
    writeFileSync(file, JSON.stringify(result.profile));
    session.disconnect();
  });
}

main();
