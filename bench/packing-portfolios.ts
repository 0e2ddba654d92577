// The seeded portfolios of section 4 (bench/packing.ts, bench/placement-file.ts):
// the distribution of test/core/placement.test.ts, the same seeds giving the
// same portfolios.
import { mulberry32 } from './random';
import type { PlacementItem } from '../src/core/placement';

/** The hosts of section 4: m6i.xlarge. */
export const M6I_XLARGE = { memoryMiB: 16384, vcpus: 4 };

/** The app inserted in the middle (as in the unit test). */
export const NEWCOMER: PlacementItem = { id: 'newcomer', memoryMiB: 1024, cpus: 0.25 };

/** 20 to 500 apps, memory uniform in 64..2560 MiB (steps of 64), CPU uniform in 0.05..maxCpus (hundredths). */
export function portfolio(seed: number, maxCpus = 1): PlacementItem[] {
  const rand = mulberry32(seed);
  const n = 20 + Math.floor(rand() * 481);
  return Array.from({ length: n }, (_, i) => ({
    id: `a${i}`,
    memoryMiB: 64 * (1 + Math.floor(rand() * 40)),
    cpus: Math.round((0.05 + rand() * (maxCpus - 0.05)) * 100) / 100,
  }));
}
