import { Capacity, HostCapacity } from './capacity';
import { IsolationError } from '../private/errors';

export type { HostCapacity } from './capacity';

/** How a pool places containers on hosts. */
export enum PlacementStrategy {
  /**
   * First fit in declaration order. Apps keep their host when apps are
   * added after them; with `previousPlacement`, wherever they are added.
   */
  STABLE = 'stable',
  /**
   * Fewest hosts, for new deployments: the better of first fit decreasing
   * and minimum bin slack (each host filled as fully as a bounded search
   * finds). A new app may move others.
   */
  BIN_PACK = 'bin-pack',
}

/** One container to place. */
export interface PlacementItem {
  /** Unique name of the app. */
  readonly id: string;
  /** Memory limit in MiB. */
  readonly memoryMiB: number;
  /** CPUs it needs (0 when none are reserved). */
  readonly cpus: number;
}

/** Options of `Placement.place`. */
export interface PlacementOptions {
  /** Strategy. */
  readonly strategy: PlacementStrategy;
  /** Most hosts allowed. */
  readonly maxHosts: number;
  /**
   * Host index of each app in an earlier placement; apps found there stay
   * where they were when they still fit.
   * @default - none
   */
  readonly previous?: { [id: string]: number };
  /** Construct path for errors. */
  readonly path: string;
}

/** The result of a placement. */
export interface PlacementResult {
  /** App ids per host, in placement order. */
  readonly hosts: string[][];
  /** Host index of each app. */
  readonly hostOf: { [id: string]: number };
  /** Apps whose host differs from `previous`. */
  readonly moved: string[];
}

const EPS = 1e-9;

/**
 * Places containers on identical hosts, by the library's capacity model
 * (Capacity): each host keeps its reserve for the OS and Docker; each
 * container needs its memory limit plus the per-container overhead, and
 * its CPUs. Deterministic.
 */
export class Placement {
  /** Memory one host offers to containers (before per-container overhead). */
  public static usableMemoryMiB(capacity: HostCapacity): number {
    return Capacity.usableMemoryMiB(capacity);
  }

  /** vCPUs one host offers to containers. */
  public static usableCpus(capacity: HostCapacity): number {
    return Capacity.usableVcpus(capacity);
  }

  /** What one item takes of a host's memory. */
  public static memoryNeed(item: PlacementItem): number {
    // Every item is a container (hot path of the searches: no allocation).
    return item.memoryMiB + Capacity.PER_CONTAINER_MEMORY_MIB;
  }

  /** The lower bound: max over memory and CPU of ceil(total need / host capacity). */
  public static lowerBound(items: PlacementItem[], capacity: HostCapacity): number {
    if (items.length === 0) return 0;
    const memory = Math.ceil(items.reduce((s, i) => s + Placement.memoryNeed(i), 0) / Placement.usableMemoryMiB(capacity) - EPS);
    const cpuTotal = items.reduce((s, i) => s + i.cpus, 0);
    const cpu = cpuTotal > 0 ? Math.ceil(cpuTotal / Placement.usableCpus(capacity) - EPS) : 0;
    return Math.max(1, memory, cpu);
  }

  /** Places `items` on hosts of `capacity`. */
  public static place(items: PlacementItem[], capacity: HostCapacity, options: PlacementOptions): PlacementResult {
    const memCap = Placement.usableMemoryMiB(capacity);
    const cpuCap = Placement.usableCpus(capacity);
    for (const item of items) {
      if (Placement.memoryNeed(item) > memCap + EPS || item.cpus > cpuCap + EPS) {
        throw new IsolationError(options.path, 'pool', `cannot hold app '${item.id}': it needs ${item.memoryMiB} MiB + ${Capacity.PER_CONTAINER_MEMORY_MIB} MiB overhead and ${item.cpus} vCPU, ` +
          `a host offers ${memCap} MiB and ${round(cpuCap)} vCPU after the OS reserve`, `${capacity.memoryMiB} MiB, ${capacity.vcpus} vCPU per host`,
        'Choose a larger instance type for the pool, or lower the app\'s limits.');
      }
    }
    const size = (i: PlacementItem) => Placement.memoryNeed(i) / memCap + (cpuCap > 0 ? i.cpus / cpuCap : 0);
    const decreasing = [...items].sort((a, b) => size(b) - size(a) || compare(a.id, b.id));
    if (options.strategy === PlacementStrategy.BIN_PACK && Object.keys(options.previous ?? {}).length === 0) {
      // Minimum bin slack often needs fewer hosts than FFD; keep the better (FFD on ties).
      const ffd = firstFit(decreasing, memCap, cpuCap);
      const mbs = minimumBinSlack(decreasing, memCap, cpuCap);
      return finish(mbs.length < ffd.length ? mbs : ffd, options);
    }
    const order = options.strategy === PlacementStrategy.BIN_PACK ? decreasing : [...items];
    const memUsed: number[] = [];
    const cpuUsed: number[] = [];
    const hosts: string[][] = [];
    const hostOf: { [id: string]: number } = {};
    const fits = (h: number, item: PlacementItem) =>
      memUsed[h] + Placement.memoryNeed(item) <= memCap + EPS && cpuUsed[h] + item.cpus <= cpuCap + EPS;
    const put = (h: number, item: PlacementItem) => {
      while (hosts.length <= h) {
        hosts.push([]);
        memUsed.push(0);
        cpuUsed.push(0);
      }
      hosts[h].push(item.id);
      memUsed[h] += Placement.memoryNeed(item);
      cpuUsed[h] += item.cpus;
      hostOf[item.id] = h;
    };
    const previous = options.previous ?? {};
    const fresh: PlacementItem[] = [];
    // Apps of an earlier placement keep their host while they still fit.
    for (const item of order) {
      const h = previous[item.id];
      if (h !== undefined && Number.isInteger(h) && h >= 0 && h < options.maxHosts) {
        while (hosts.length <= h) {
          hosts.push([]);
          memUsed.push(0);
          cpuUsed.push(0);
        }
        if (fits(h, item)) {
          put(h, item);
          continue;
        }
      }
      fresh.push(item);
    }
    for (const item of fresh) {
      let h = 0;
      while (h < hosts.length && !fits(h, item)) h++;
      put(h, item);
    }
    // Drop hosts left empty by an earlier placement only at the end, so indexes stay put.
    while (hosts.length > 0 && hosts[hosts.length - 1].length === 0) {
      hosts.pop();
    }
    if (hosts.length > options.maxHosts) {
      throw new IsolationError(options.path, 'maxHosts', `is too small: the apps need ${hosts.length} hosts`, options.maxHosts,
        `Raise maxHosts to at least ${hosts.length}, choose a larger instance type, or move apps to another pool.`);
    }
    const moved = Object.keys(previous).filter((id) => hostOf[id] !== undefined && hostOf[id] !== previous[id]).sort();
    return { hosts, hostOf, moved };
  }

  private constructor() {}
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function fitsIn(memUsed: number, cpuUsed: number, item: PlacementItem, memCap: number, cpuCap: number): boolean {
  return memUsed + Placement.memoryNeed(item) <= memCap + EPS && cpuUsed + item.cpus <= cpuCap + EPS;
}

/** First fit over `items` in the given order: ids per host. */
function firstFit(items: PlacementItem[], memCap: number, cpuCap: number): string[][] {
  const hosts: string[][] = [];
  const mem: number[] = [];
  const cpu: number[] = [];
  for (const item of items) {
    let h = 0;
    while (h < hosts.length && !fitsIn(mem[h], cpu[h], item, memCap, cpuCap)) h++;
    if (h === hosts.length) {
      hosts.push([]);
      mem.push(0);
      cpu.push(0);
    }
    hosts[h].push(item.id);
    mem[h] += Placement.memoryNeed(item);
    cpu[h] += item.cpus;
  }
  return hosts;
}

/**
 * Minimum bin slack (Gupta and Ho, 1999), the variant that always puts the
 * largest remaining item first: each host gets the subset of the remaining
 * items that leaves it least empty, found by a depth-first search bounded to
 * a fixed number of steps per host (so the result is deterministic and the
 * time linear in the number of hosts).
 */
function minimumBinSlack(decreasing: PlacementItem[], memCap: number, cpuCap: number): string[][] {
  const norm = (i: PlacementItem) => Placement.memoryNeed(i) / memCap + (cpuCap > 0 ? i.cpus / cpuCap : 0);
  let remaining = [...decreasing];
  const hosts: string[][] = [];
  const STEPS_PER_HOST = 4000;
  while (remaining.length > 0) {
    const first = remaining[0];
    const rest = remaining.slice(1);
    let best: number[] = [];
    let bestFill = -1;
    let steps = 0;
    const chosen: number[] = [];
    const search = (start: number, mem: number, cpu: number, fill: number): boolean => {
      if (fill > bestFill + EPS) {
        bestFill = fill;
        best = [...chosen];
      }
      if (memCap - mem < EPS || ++steps > STEPS_PER_HOST) return true;
      for (let i = start; i < rest.length; i++) {
        const item = rest[i];
        if (!fitsIn(mem, cpu, item, memCap, cpuCap)) continue;
        chosen.push(i);
        const stop = search(i + 1, mem + Placement.memoryNeed(item), cpu + item.cpus, fill + norm(item));
        chosen.pop();
        if (stop) return true;
      }
      return false;
    };
    search(0, Placement.memoryNeed(first), first.cpus, norm(first));
    const taken = new Set(best);
    hosts.push([first.id, ...best.map((i) => rest[i].id)]);
    remaining = rest.filter((_x, i) => !taken.has(i));
  }
  return hosts;
}

function finish(hosts: string[][], options: PlacementOptions): PlacementResult {
  if (hosts.length > options.maxHosts) {
    throw new IsolationError(options.path, 'maxHosts', `is too small: the apps need ${hosts.length} hosts`, options.maxHosts,
      `Raise maxHosts to at least ${hosts.length}, choose a larger instance type, or move apps to another pool.`);
  }
  const hostOf: { [id: string]: number } = {};
  hosts.forEach((ids, h) => ids.forEach((id) => (hostOf[id] = h)));
  return { hosts, hostOf, moved: [] };
}
