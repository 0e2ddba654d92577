// Packing: how close the two placement strategies come to the fewest hosts
// possible, and how many containers move when one app is added in the
// middle of the declaration order. The baseline is the lower bound (max over
// memory and CPU of ceil(total need / host capacity)): no placement can use
// fewer hosts.
//
// Portfolios: the distribution of test/core/placement.test.ts (the same
// seeds give the same portfolios): 200 seeded portfolios of 20 to 500 apps,
// memory uniform in 64..2560 MiB (steps of 64), CPU uniform in 0.05..1.00
// (hundredths), on m6i.xlarge hosts (16384 MiB, 4 vCPU). With these numbers
// CPU is the scarce resource; a second set (CPU uniform in 0.05..0.25,
// seeds 1001-1200) makes memory the scarce one.
import { median, quantile, table } from './common';
import { mulberry32 } from './random';
import { Placement, PlacementItem, PlacementResult, PlacementStrategy } from '../src/core/placement';

const M6I_XLARGE = { memoryMiB: 16384, vcpus: 4 };
const PORTFOLIOS = 200;
/** The app inserted in the middle (as in the unit test). */
const NEWCOMER: PlacementItem = { id: 'newcomer', memoryMiB: 1024, cpus: 0.25 };
const STRATEGIES = [PlacementStrategy.STABLE, PlacementStrategy.BIN_PACK];

function portfolio(seed: number, maxCpus = 1): PlacementItem[] {
  const rand = mulberry32(seed);
  const n = 20 + Math.floor(rand() * 481);
  return Array.from({ length: n }, (_, i) => ({
    id: `a${i}`,
    memoryMiB: 64 * (1 + Math.floor(rand() * 40)),
    cpus: Math.round((0.05 + rand() * (maxCpus - 0.05)) * 100) / 100,
  }));
}

function place(items: PlacementItem[], strategy: PlacementStrategy, previous?: { [id: string]: number }): PlacementResult {
  return Placement.place(items, M6I_XLARGE, { strategy, maxHosts: 1000, path: 'bench', previous });
}

const fmt = (x: number) => x.toFixed(2);
const label = (s: PlacementStrategy) => (s === PlacementStrategy.STABLE ? 'STABLE (first fit, declaration order)' : 'BIN_PACK (better of FFD and MBS)');

/** Which resource bounds a portfolio: the larger total need relative to one host. */
function binding(p: PlacementItem[]): 'memory' | 'CPU' {
  const mem = p.reduce((s, i) => s + Placement.memoryNeed(i), 0) / Placement.usableMemoryMiB(M6I_XLARGE);
  const cpu = p.reduce((s, i) => s + i.cpus, 0) / Placement.usableCpus(M6I_XLARGE);
  return mem >= cpu ? 'memory' : 'CPU';
}

interface Quality { ratios: number[]; hosts: number; atBound: number; ms: number[] }

/** Hosts used over the lower bound, per strategy. */
function quality(portfolios: PlacementItem[][]): { bounds: number[]; byStrategy: Map<PlacementStrategy, Quality> } {
  const bounds = portfolios.map((p) => Placement.lowerBound(p, M6I_XLARGE));
  const byStrategy = new Map<PlacementStrategy, Quality>();
  for (const strategy of STRATEGIES) {
    const q: Quality = { ratios: [], hosts: 0, atBound: 0, ms: [] };
    portfolios.forEach((p, i) => {
      const t = process.hrtime.bigint();
      const hosts = place(p, strategy).hosts.length;
      q.ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (hosts < bounds[i]) throw new Error(`portfolio ${i}: ${strategy} used ${hosts} hosts, below the lower bound ${bounds[i]}`);
      q.ratios.push(hosts / bounds[i]);
      q.hosts += hosts;
      if (hosts === bounds[i]) q.atBound++;
    });
    byStrategy.set(strategy, q);
  }
  return { bounds, byStrategy };
}

function qualityTable(portfolios: PlacementItem[][], withTargets: boolean): string {
  const { bounds, byStrategy } = quality(portfolios);
  const target = (s: PlacementStrategy, text: string) => (withTargets && s === PlacementStrategy.BIN_PACK ? ` (${text})` : '');
  return table(
    ['strategy', 'hosts / lower bound: median', 'p95', 'max', 'portfolios at the bound', 'hosts in all portfolios', 'placement time (median per portfolio)'],
    [
      ['lower bound (baseline)', '1.00', '1.00', '1.00', `${portfolios.length}/${portfolios.length}`, bounds.reduce((a, b) => a + b, 0), '-'],
      ...STRATEGIES.map((s) => {
        const q = byStrategy.get(s)!;
        const med = median(q.ratios);
        const p95 = quantile(q.ratios, 0.95);
        return [label(s),
          `${fmt(med)}${target(s, `target 1.00: ${med === 1 ? 'met' : 'MISSED'}`)}`,
          `${fmt(p95)}${target(s, `target <= 1.05: ${p95 <= 1.05 ? 'met' : 'MISSED'}`)}`,
          fmt(Math.max(...q.ratios)), `${q.atBound}/${portfolios.length}`, q.hosts, `${median(q.ms).toFixed(2)} ms`];
      }),
    ],
  );
}

function summary(portfolios: PlacementItem[][]): string {
  const sizes = portfolios.map((p) => p.length);
  const bound = portfolios.map(binding);
  return `${portfolios.length} portfolios of ${Math.min(...sizes)}-${Math.max(...sizes)} apps (median ${median(sizes)}); ` +
    `the binding resource is memory in ${bound.filter((b) => b === 'memory').length}, CPU in ${bound.filter((b) => b === 'CPU').length}`;
}

const main = Array.from({ length: PORTFOLIOS }, (_, i) => portfolio(i + 1));
const memoryBound = Array.from({ length: PORTFOLIOS }, (_, i) => portfolio(1001 + i, 0.25));

console.log('## Packing (m6i.xlarge hosts: 16384 MiB, 4 vCPU; the reserve of HostReserve applies)\n');
console.log(`Distribution of the unit test (memory 64..2560 MiB, CPU 0.05..1.00): ${summary(main)}.\n`);
console.log(qualityTable(main, true));
console.log();
console.log(`Memory-bound variant (memory 64..2560 MiB, CPU 0.05..0.25): ${summary(memoryBound)}.\n`);
console.log(qualityTable(memoryBound, false));

// Moves when one app is inserted in the middle of the declaration order.
interface Moves { label: string; moved: number[]; share: number[]; overBound: number[] }
const variants: Array<{ name: string; strategy: PlacementStrategy; lock: boolean }> = [
  { name: 'STABLE', strategy: PlacementStrategy.STABLE, lock: false },
  { name: 'STABLE + previousPlacement', strategy: PlacementStrategy.STABLE, lock: true },
  { name: 'BIN_PACK', strategy: PlacementStrategy.BIN_PACK, lock: false },
  { name: 'BIN_PACK + previousPlacement', strategy: PlacementStrategy.BIN_PACK, lock: true },
];
const moves: Moves[] = variants.map(({ name, strategy, lock }) => {
  const m: Moves = { label: name, moved: [], share: [], overBound: [] };
  for (const p of main) {
    const before = place(p, strategy);
    const mid = Math.floor(p.length / 2);
    const inserted = [...p.slice(0, mid), NEWCOMER, ...p.slice(mid)];
    const after = place(inserted, strategy, lock ? before.hostOf : undefined);
    const moved = p.filter((a) => after.hostOf[a.id] !== before.hostOf[a.id]).length;
    m.moved.push(moved);
    m.share.push(moved / p.length);
    m.overBound.push(after.hosts.length / Placement.lowerBound(inserted, M6I_XLARGE));
  }
  return m;
});
console.log();
console.log(`One app (${NEWCOMER.memoryMiB} MiB, ${NEWCOMER.cpus} vCPU) inserted in the middle of the declaration order of each portfolio of the ` +
  'first set; previousPlacement is the first placement\'s hostOf. A container moves when its host index changes.\n');
console.log(table(
  ['strategy', 'portfolios with a move', 'containers moved: median', 'p95', 'max', 'share moved: median', 'max', 'hosts / lower bound after: median', 'p95'],
  moves.map((m) => [
    m.label, `${m.moved.filter((x) => x > 0).length}/${PORTFOLIOS}`, median(m.moved), quantile(m.moved, 0.95), Math.max(...m.moved),
    `${(100 * median(m.share)).toFixed(1)}%`, `${(100 * Math.max(...m.share)).toFixed(1)}%`, fmt(median(m.overBound)), fmt(quantile(m.overBound, 0.95)),
  ]),
));
