import { Architecture } from './os-family';
import { IsolationError } from '../private/errors';

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
  '32xlarge': 64,
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
const FIXED_FAMILIES: FamilySpec[] = [
  { family: 'm6i', architecture: Architecture.X86_64, memoryPerVcpuMiB: 4096, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'] },
  { family: 'm7g', architecture: Architecture.ARM64, memoryPerVcpuMiB: 4096, sizes: ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'] },
  { family: 'c6i', architecture: Architecture.X86_64, memoryPerVcpuMiB: 2048, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'] },
  { family: 'c7g', architecture: Architecture.ARM64, memoryPerVcpuMiB: 2048, sizes: ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'] },
  { family: 'r6i', architecture: Architecture.X86_64, memoryPerVcpuMiB: 8192, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'] },
];

// Burstable families: memory does not scale with vCPUs below `large`.
const BURSTABLE: Array<[string, number, number]> = [
  ['nano', 2, 512], ['micro', 2, 1024], ['small', 2, 2048], ['medium', 2, 4096],
  ['large', 2, 8192], ['xlarge', 4, 16384], ['2xlarge', 8, 32768],
];

function buildCatalog(): Map<string, InstanceTypeInfo> {
  const catalog = new Map<string, InstanceTypeInfo>();
  for (const [family, architecture] of [['t3', Architecture.X86_64], ['t4g', Architecture.ARM64]] as const) {
    for (const [size, vcpus, memoryMiB] of BURSTABLE) {
      const name = `${family}.${size}`;
      catalog.set(name, { name, vcpus, memoryMiB, architecture, burstable: true });
    }
  }
  for (const spec of FIXED_FAMILIES) {
    for (const size of spec.sizes) {
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
