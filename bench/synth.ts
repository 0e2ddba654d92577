// Synth overhead: the library (VmHost + ContainerOnVm, compiled lib/) against
// a hand-written cdktf program that creates the same resources from the
// provider classes (bench/programs/hand-written.ts). N containers on N/10
// t3.large hosts. Each sample is a fresh Node.js process that times the
// construction of the stack and app.synth() to a temporary directory, and
// reports its peak RSS and CPU time; library and hand-written runs are
// interleaved. The wall-clock ratio is the target's measure; the CPU-time
// ratio (user + system of the child) is shown beside it because it barely
// moves when other jobs share the machine.
import {
  compareSynth, digestOfProgram, load, machine, med, Program, requireCompiledLibrary, runs, SynthComparison, table, transpileBench,
} from './common';

const PER_HOST = 10;
const SIZES = [10, 100, 1000];
const TIME_TARGET = 1.15;
const MEMORY_TARGET = 1.1;

requireCompiledLibrary();
transpileBench();
const n = runs(9);

// The comparison means something only if both programs synthesize the same
// resources (test/bench-equivalence.test.ts checks src/; this checks lib/).
const check = 100;
const libDigest = digestOfProgram(Program.LIBRARY, check, PER_HOST);
const handDigest = digestOfProgram(Program.HAND_WRITTEN, check, PER_HOST);
if (libDigest !== handDigest) {
  throw new Error(`the programs synthesize different resources at ${check} containers (${libDigest} against ${handDigest}): ` +
    'run test/bench-equivalence.test.ts, and compile lib/ if src/ changed');
}

const loadBefore = load();
const results: SynthComparison[] = compareSynth(SIZES, n, PER_HOST, (line) => process.stderr.write(`${line}\n`));
const ms = (x: number) => `${x.toFixed(0)} ms`;
const verdict = (r: number, target: number) => `${r.toFixed(2)}x ${r < target ? 'met' : 'MISSED'} (< ${target}x)`;

console.log(`## Synth overhead (median of ${n} interleaved runs; ${machine()}; load average ${loadBefore} before, ${load()} after)\n`);
console.log(`Same resources in both programs (normalized digest at ${check} containers: ${libDigest}).\n`);
console.log(table(
  ['containers', 'hosts', 'library: construct + synth = total', 'hand-written: construct + synth = total', 'time ratio (wall clock)',
    'CPU time ratio (user + system)'],
  results.map((r) => [
    r.containers, r.hosts,
    `${ms(med(r.library, 'constructMs'))} + ${ms(med(r.library, 'synthMs'))} = ${ms(med(r.library, 'totalMs'))}`,
    `${ms(med(r.handWritten, 'constructMs'))} + ${ms(med(r.handWritten, 'synthMs'))} = ${ms(med(r.handWritten, 'totalMs'))}`,
    verdict(med(r.library, 'totalMs') / med(r.handWritten, 'totalMs'), TIME_TARGET),
    verdict(med(r.library, 'cpuMs') / med(r.handWritten, 'cpuMs'), TIME_TARGET),
  ]),
));
console.log();
console.log(table(
  ['containers', 'library peak RSS', 'hand-written peak RSS', 'memory ratio'],
  results.map((r) => [
    r.containers,
    `${med(r.library, 'maxRssMiB').toFixed(1)} MiB`,
    `${med(r.handWritten, 'maxRssMiB').toFixed(1)} MiB`,
    verdict(med(r.library, 'maxRssMiB') / med(r.handWritten, 'maxRssMiB'), MEMORY_TARGET),
  ]),
));
