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
import { M6I_XLARGE, NEWCOMER, portfolio } from './packing-portfolios';
import { Placement, PlacementItem, PlacementResult, PlacementStrategy } from '../src/core/placement';

const PORTFOLIOS = 200;
const STRATEGIES = [PlacementStrategy.STABLE, PlacementStrategy.BIN_PACK];

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

console.log('## Packing (m6i.xlarge hosts: 16384 MiB, 4 vCPU; the reserve of the capacity model, src/core/capacity.ts, applies)\n');
console.log(`Distribution of the unit test (memory 64..2560 MiB, CPU 0.05..1.00): ${summary(main)}.\n`);
console.log(qualityTable(main, true));
console.log();
console.log(`Memory-bound variant (memory 64..2560 MiB, CPU 0.05..0.25): ${summary(memoryBound)}.\n`);
console.log(qualityTable(memoryBound, false));

// Moves when one app is inserted in the middle of the declaration order.
interface Moves { label: string; moved: number[]; share: number[]; changed: number[]; overBound: number[] }
const variants: Array<{ name: string; strategy: PlacementStrategy; lock: boolean }> = [
  { name: 'STABLE', strategy: PlacementStrategy.STABLE, lock: false },
  { name: 'STABLE + placementFile', strategy: PlacementStrategy.STABLE, lock: true },
  { name: 'BIN_PACK', strategy: PlacementStrategy.BIN_PACK, lock: false },
  { name: 'BIN_PACK + placementFile', strategy: PlacementStrategy.BIN_PACK, lock: true },
];
/** Hosts of `before` whose set of apps differs in `after`: their containers change (an in-place update through the host's SSM document). */
function changedHosts(before: PlacementResult, after: PlacementResult): number {
  const key = (ids: string[] | undefined) => [...(ids ?? [])].sort().join('\n');
  return before.hosts.filter((ids, h) => key(ids) !== key(after.hosts[h])).length;
}
const moves: Moves[] = variants.map(({ name, strategy, lock }) => {
  const m: Moves = { label: name, moved: [], share: [], changed: [], overBound: [] };
  for (const p of main) {
    const before = place(p, strategy);
    const mid = Math.floor(p.length / 2);
    const inserted = [...p.slice(0, mid), NEWCOMER, ...p.slice(mid)];
    // What HostPool passes to Placement.place: the placement the file holds, i.e. the first placement's hostOf.
    const after = place(inserted, strategy, lock ? before.hostOf : undefined);
    const moved = p.filter((a) => after.hostOf[a.id] !== before.hostOf[a.id]).length;
    m.moved.push(moved);
    m.share.push(moved / p.length);
    m.changed.push(changedHosts(before, after));
    m.overBound.push(after.hosts.length / Placement.lowerBound(inserted, M6I_XLARGE));
  }
  return m;
});
console.log();
console.log(`One app (${NEWCOMER.memoryMiB} MiB, ${NEWCOMER.cpus} vCPU) inserted in the middle of the declaration order of each portfolio of the ` +
  'first set. With placementFile the pool places with the earlier placement as `previous` (the first placement\'s hostOf, what the file ' +
  'holds after the first synthesis). A container moves when its host index changes; a host changes when its set of containers does ' +
  '(`cdktf deploy` updates it in place through its SSM document).\n');
console.log(table(
  ['strategy', 'portfolios with a move', 'containers moved: median', 'p95', 'max', 'share moved: median', 'max',
    'hosts changed: median', 'max', 'hosts / lower bound after: median', 'p95'],
  moves.map((m) => [
    m.label, `${m.moved.filter((x) => x > 0).length}/${PORTFOLIOS}`, median(m.moved), quantile(m.moved, 0.95), Math.max(...m.moved),
    `${(100 * median(m.share)).toFixed(1)}%`, `${(100 * Math.max(...m.share)).toFixed(1)}%`,
    median(m.changed), Math.max(...m.changed), fmt(median(m.overBound)), fmt(quantile(m.overBound, 0.95)),
  ]),
));
