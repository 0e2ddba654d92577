import { Architecture } from './os-family';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/** The size of an EC2 instance type, for a type the catalog does not list. */
export interface InstanceTypeSize {
  /** Virtual CPUs. */
  readonly vcpus: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
}

/** One EC2 instance type as the catalog knows it. */
export interface InstanceTypeInfo {
  /** The API name, e.g. `t3.small`. */
  readonly name: string;
  /** Virtual CPUs. */
  readonly vcpus: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** CPU architecture. */
  readonly architecture: Architecture;
  /** True for burstable (T) families, whose vCPUs are shared above a baseline. */
  readonly burstable: boolean;
}

const SIZE_FACTOR: Record<string, number> = {
  'medium': 0.5,
  'large': 1,
  'xlarge': 2,
  '2xlarge': 4,
  '4xlarge': 8,
  '8xlarge': 16,
  '12xlarge': 24,
  '16xlarge': 32,
  '24xlarge': 48,
  '9xlarge': 18,
  '18xlarge': 36,
  '32xlarge': 64,
  '48xlarge': 96,
};

interface FamilySpec {
  readonly family: string;
  readonly architecture: Architecture;
  /** MiB of memory per vCPU. */
  readonly memoryPerVcpuMiB: number;
  readonly sizes: string[];
}

// Source: the families' pages of the Amazon EC2 User Guide ("Instance type
// specifications"), general purpose, compute optimized and memory optimized.
// A `large` has 2 vCPUs in every family below; the other sizes scale with it.
const X86 = Architecture.X86_64;
const ARM = Architecture.ARM64;
const UP_TO_24 = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const UP_TO_32 = [...UP_TO_24, '32xlarge'];
const UP_TO_48 = [...UP_TO_24, '48xlarge'];
const GRAVITON = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
const C5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'];
const FIXED_FAMILIES: FamilySpec[] = [
  // General purpose: 4 GiB per vCPU.
  ...['m5', 'm5a'].map((family) => ({ family, architecture: X86, memoryPerVcpuMiB: 4096, sizes: UP_TO_24 })),
  { family: 'm6i', architecture: X86, memoryPerVcpuMiB: 4096, sizes: UP_TO_32 },
  { family: 'm6a', architecture: X86, memoryPerVcpuMiB: 4096, sizes: [...UP_TO_32, '48xlarge'] },
  { family: 'm7i', architecture: X86, memoryPerVcpuMiB: 4096, sizes: UP_TO_48 },
  { family: 'm7a', architecture: X86, memoryPerVcpuMiB: 4096, sizes: ['medium', ...UP_TO_32, '48xlarge'] },
  ...['m6g', 'm7g'].map((family) => ({ family, architecture: ARM, memoryPerVcpuMiB: 4096, sizes: GRAVITON })),
  { family: 'm8g', architecture: ARM, memoryPerVcpuMiB: 4096, sizes: [...GRAVITON, '24xlarge', '48xlarge'] },
  // Compute optimized: 2 GiB per vCPU.
  { family: 'c5', architecture: X86, memoryPerVcpuMiB: 2048, sizes: C5_SIZES },
  { family: 'c6i', architecture: X86, memoryPerVcpuMiB: 2048, sizes: UP_TO_32 },
  { family: 'c6a', architecture: X86, memoryPerVcpuMiB: 2048, sizes: [...UP_TO_32, '48xlarge'] },
  { family: 'c7i', architecture: X86, memoryPerVcpuMiB: 2048, sizes: UP_TO_48 },
  ...['c6g', 'c7g'].map((family) => ({ family, architecture: ARM, memoryPerVcpuMiB: 2048, sizes: GRAVITON })),
  // Memory optimized: 8 GiB per vCPU.
  { family: 'r5', architecture: X86, memoryPerVcpuMiB: 8192, sizes: UP_TO_24 },
  { family: 'r6i', architecture: X86, memoryPerVcpuMiB: 8192, sizes: UP_TO_32 },
  { family: 'r6a', architecture: X86, memoryPerVcpuMiB: 8192, sizes: [...UP_TO_32, '48xlarge'] },
  { family: 'r7i', architecture: X86, memoryPerVcpuMiB: 8192, sizes: UP_TO_48 },
  ...['r6g', 'r7g'].map((family) => ({ family, architecture: ARM, memoryPerVcpuMiB: 8192, sizes: GRAVITON })),
];

// Burstable families: memory does not scale with vCPUs below `large`.
const BURSTABLE: Array<[string, number, number]> = [
  ['nano', 2, 512], ['micro', 2, 1024], ['small', 2, 2048], ['medium', 2, 4096],
  ['large', 2, 8192], ['xlarge', 4, 16384], ['2xlarge', 8, 32768],
];
// t2 has one vCPU up to small.
const T2: Array<[string, number, number]> = [
  ['nano', 1, 512], ['micro', 1, 1024], ['small', 1, 2048], ['medium', 2, 4096],
  ['large', 2, 8192], ['xlarge', 4, 16384], ['2xlarge', 8, 32768],
];

function buildCatalog(): Map<string, InstanceTypeInfo> {
  const catalog = new Map<string, InstanceTypeInfo>();
  for (const [family, architecture, sizes] of [['t2', X86, T2], ['t3', X86, BURSTABLE], ['t3a', X86, BURSTABLE], ['t4g', ARM, BURSTABLE]] as const) {
    for (const [size, vcpus, memoryMiB] of sizes) {
      const name = `${family}.${size}`;
      catalog.set(name, { name, vcpus, memoryMiB, architecture, burstable: true });
    }
  }
  for (const spec of FIXED_FAMILIES) {
    for (const size of spec.sizes) {
      // A medium of the families that have one (Graviton, m7a) has 1 vCPU.
      const vcpus = 2 * SIZE_FACTOR[size];
      const name = `${spec.family}.${size}`;
      catalog.set(name, { name, vcpus, memoryMiB: vcpus * spec.memoryPerVcpuMiB, architecture: spec.architecture, burstable: false });
    }
  }
  return catalog;
}

const CATALOG = buildCatalog();

/** `family.size`, e.g. `t3.small`, `c7gn.2xlarge`, `u-6tb1.metal`. */
const INSTANCE_TYPE = /^([a-z][a-z0-9-]*[0-9][a-z0-9-]*)\.([a-z0-9-]+)$/;

/** Knowledge about EC2 instance types: a catalog of common families and rules for the rest. */
export class InstanceTypes {
  /** The catalog entry for `name`, or undefined when the catalog does not list it. */
  public static lookup(name: string): InstanceTypeInfo | undefined {
    return CATALOG.get(name);
  }

  /** Every catalog entry, sorted by name. */
  public static all(): InstanceTypeInfo[] {
    return [...CATALOG.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * The instance type `value`: one the catalog lists, or, with `size`, one
   * it does not (the name is then trusted as given, EC2 checks it at apply,
   * and capacity is checked against `size`). A misspelt or unknown name is
   * an error that names the nearest types the catalog lists.
   * @param path construct path for the error message
   * @param prop prop name for the error message
   * @param sizeProp the name of the prop that gives the size of an unlisted type
   */
  public static resolve(path: string, prop: string, value: unknown, size: InstanceTypeSize | undefined, sizeProp: string): InstanceTypeInfo {
    const name = InstanceTypes.validate(path, prop, value);
    const known = CATALOG.get(name);
    if (known) {
      if (size !== undefined) {
        throw new IsolationError(path, sizeProp, `is only for types the catalog does not list, but '${name}' is listed (${known.vcpus} vCPUs, ${known.memoryMiB} MiB)`, size,
          `Remove ${sizeProp}.`);
      }
      return known;
    }
    if (size === undefined) {
      const nearest = InstanceTypes.nearest(name);
      throw new IsolationError(path, prop, 'must be an instance type this library knows (its vCPUs and memory decide what the host can hold)', name,
        `${nearest.length ? `Did you mean ${nearest.map((n) => `'${n}'`).join(', ')}? ` : ''}For a type the catalog does not list yet, give its size in ${sizeProp}, ` +
        'e.g. { vcpus: 2, memoryMiB: 8192 }.');
    }
    if (size === null || typeof size !== 'object') {
      throw new IsolationError(path, sizeProp, 'must be an object like { vcpus: 2, memoryMiB: 8192 }', size, "Give the type's vCPUs and memory from the EC2 documentation.");
    }
    const vcpus = Check.integerInRange(path, `${sizeProp}.vcpus`, size.vcpus, 1, 896, "Give the type's vCPUs from the EC2 documentation.");
    const memoryMiB = Check.integerInRange(path, `${sizeProp}.memoryMiB`, size.memoryMiB, 512, 32 * 1024 * 1024, "Give the type's memory in MiB (GiB x 1024).");
    return { name, vcpus, memoryMiB, architecture: InstanceTypes.architectureOf(name), burstable: /^t\d/.test(name) };
  }

  /** Up to three listed names nearest to `name` (by edit distance, at most 3 edits). */
  public static nearest(name: string): string[] {
    return [...CATALOG.keys()]
      .map((n) => ({ n, d: editDistance(name, n) }))
      .filter((x) => x.d <= 3)
      .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
      .slice(0, 3)
      .map((x) => x.n);
  }

  /**
   * Validates the form of an instance type name and returns it.
   * @param path construct path for the error message
   * @param prop prop name for the error message
   */
  public static validate(path: string, prop: string, value: unknown): string {
    if (typeof value !== 'string' || !INSTANCE_TYPE.test(value)) {
      throw new IsolationError(path, prop, "must be an EC2 instance type of the form '<family>.<size>'", value,
        "Use a name such as 't3.small', 'm7g.large' or 'c6i.xlarge'.");
    }
    return value;
  }

  /**
   * The CPU architecture of an instance type: from the catalog, else from
   * AWS's naming rule (a `g` right after the generation digit marks Graviton,
   * e.g. `m7g`, `c7gn`, `r8gd`, `t4g`; `a1` is Graviton 1).
   */
  public static architectureOf(name: string): Architecture {
    const known = CATALOG.get(name);
    if (known) return known.architecture;
    const family = name.split('.')[0];
    if (family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family)) return Architecture.ARM64;
    return Architecture.X86_64;
  }

  private constructor() {}
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
