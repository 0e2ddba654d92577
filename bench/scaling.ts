// Scaling: synth time and peak memory of the library for 250 to 2,000
// containers (10 to a host), with the hand-written program beside it. Time
// should grow linearly: time(2N) / time(N) under 2.2, and 1,000 containers
// on 100 hosts under 5 s. Growth is shown for wall-clock and CPU time (user
// + system of the child): on a shared machine the wall clock also measures
// the neighbours, the CPU time much less.
import { compareSynth, load, machine, med, ratio, requireCompiledLibrary, runs, table, transpileBench } from './common';

const PER_HOST = 10;
const SIZES = [250, 500, 1000, 2000];
const GROWTH_TARGET = 2.2;
const SECONDS_AT_1000 = 5;

requireCompiledLibrary();
transpileBench();
const n = runs(5);
const loadBefore = load();
const results = compareSynth(SIZES, n, PER_HOST, (line) => process.stderr.write(`${line}\n`));

type Field = 'totalMs' | 'cpuMs';
const growthOf = (i: number, program: 'library' | 'handWritten', field: Field) =>
  med(results[i][program], field) / med(results[i - 1][program], field);
const growth = (i: number, program: 'library' | 'handWritten', field: Field) => (i === 0 ? '-' : `${growthOf(i, program, field).toFixed(2)}x`);
const cell = (i: number, program: 'library' | 'handWritten') => {
  const r = results[i][program];
  return `${med(r, 'totalMs').toFixed(0)} ms (CPU ${med(r, 'cpuMs').toFixed(0)} ms)`;
};
console.log(`## Scaling (median of ${n} interleaved runs; ${machine()}; load average ${loadBefore} before, ${load()} after)\n`);
console.log(table(
  ['containers', 'hosts', 'library: wall (CPU)', 'library growth: wall, CPU', 'hand-written: wall (CPU)', 'hand-written growth: wall, CPU',
    'library / hand-written: wall, CPU', 'library peak RSS', 'hand-written peak RSS'],
  results.map((r, i) => [
    r.containers, r.hosts,
    cell(i, 'library'), `${growth(i, 'library', 'totalMs')}, ${growth(i, 'library', 'cpuMs')}`,
    cell(i, 'handWritten'), `${growth(i, 'handWritten', 'totalMs')}, ${growth(i, 'handWritten', 'cpuMs')}`,
    `${ratio(med(r.library, 'totalMs'), med(r.handWritten, 'totalMs'))}, ${ratio(med(r.library, 'cpuMs'), med(r.handWritten, 'cpuMs'))}`,
    `${med(r.library, 'maxRssMiB').toFixed(1)} MiB`, `${med(r.handWritten, 'maxRssMiB').toFixed(1)} MiB`,
  ]),
));
const worst = (field: Field) => Math.max(...results.slice(1).map((_r, i) => growthOf(i + 1, 'library', field)));
const at1000 = med(results.find((r) => r.containers === 1000)!.library, 'totalMs') / 1000;
const verdict = (x: number) => `${x.toFixed(2)}x, ${x < GROWTH_TARGET ? 'met' : 'MISSED'}`;
console.log();
console.log(`Largest growth per doubling (library; growth is time(N) / time(N/2)): wall clock ${verdict(worst('totalMs'))}, ` +
  `CPU time ${verdict(worst('cpuMs'))} (target < ${GROWTH_TARGET}x).`);
console.log(`1,000 containers on 100 hosts (library): ${at1000.toFixed(2)} s wall clock, ${at1000 < SECONDS_AT_1000 ? 'met' : 'MISSED'} (target < ${SECONDS_AT_1000} s).`);
