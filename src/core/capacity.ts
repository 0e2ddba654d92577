import { InstanceTypeInfo, InstanceTypes } from './instance-types';
import { OsFamilies, OsFamily } from './os-family';

/** The memory and vCPUs of a host type. */
export interface HostCapacity {
  /** Instance memory in MiB. */
  readonly memoryMiB: number;
  /** Instance vCPUs. */
  readonly vcpus: number;
}

/** Something a host runs: a container (its limits) or a native app (what it needs). */
export interface Workload {
  /** Memory limit (container) or need (native), in MiB. */
  readonly memoryMiB: number;
  /** CPUs it reserves (0 when none). */
  readonly cpus: number;
  /** True for a Docker container: it costs the per-container overhead on top. */
  readonly container: boolean;
}

/** What a host cannot give a set of workloads. */
export interface CapacityProblem {
  /**
   * `memory`: limits plus reserve exceed the memory (the host cannot run them);
   * `cpu-limit`: one workload asks for more CPUs than the host has;
   * `cpu-total`: the CPUs reserved exceed what the host offers after its own reserve
   * (they run, but compete for CPU).
   */
  readonly kind: 'memory' | 'cpu-limit' | 'cpu-total';
  /** What is needed (MiB or vCPUs). */
  readonly needed: number;
  /** What the host has for it (MiB or vCPUs). */
  readonly available: number;
}

const EPS = 1e-9;

/**
 * The one capacity model of the library: what a host keeps for itself and
 * what its workloads need. VmHost checks its containers with it, HostPool
 * places with it, IsolatedApp picks a dedicated host's type with it, and the
 * report sizes its "one VM per app" plan with it.
 *
 * The numbers, and where they come from:
 * - 384 MiB per host for the OS and the engine: a minimal cloud image of
 *   Amazon Linux 2023 or Debian 12 idles at about 200-250 MiB (systemd,
 *   journald, the SSM agent at ~40 MiB), and dockerd plus containerd hold
 *   about 60-100 MiB with a few containers (measured on Debian's Docker 20.10
 *   by this repository's engine tests); 384 leaves headroom for page cache
 *   and for package updates.
 * - 16 MiB per container: its containerd-shim-runc-v2 (8-12 MiB resident)
 *   and Docker's per-container bookkeeping. This mirrors the shape of the
 *   EKS AMI's kube-reserved formula (a fixed part plus a part per pod).
 * - 0.1 vCPU per host: the same order as kube-reserved CPU on small nodes
 *   (60-70 millicores for the first core).
 * - 2048 MiB per Windows Server host (instead of the 384): Microsoft's
 *   minimum RAM for Windows Server 2022 and 2025 with the Desktop
 *   Experience, which Amazon's "Full Base" AMIs are, is 2 GB ("Hardware
 *   requirements for Windows Server", Microsoft Learn,
 *   https://learn.microsoft.com/en-us/windows-server/get-started/hardware-requirements:
 *   "512 MB (2 GB for Server with Desktop Experience installation option)").
 *   A Windows host runs no Docker, so nothing is added per container.
 */
export class Capacity {
  /** MiB kept for the OS, dockerd and containerd on every host. */
  public static readonly HOST_MEMORY_MIB = 384;
  /** MiB of overhead per container (shim, bookkeeping). */
  public static readonly PER_CONTAINER_MEMORY_MIB = 16;
  /** vCPUs kept for the OS and the engine on every host. */
  public static readonly HOST_VCPUS = 0.1;
  /** MiB kept for the guest OS of a Windows Server host (Microsoft's minimum for the Desktop Experience). */
  public static readonly WINDOWS_HOST_MEMORY_MIB = 2048;

  /** The memory the guest OS of a host of `family` takes (and the engine, on Linux), in MiB. */
  public static guestOsMemoryMiB(family: OsFamily): number {
    return OsFamilies.isWindows(family) ? Capacity.WINDOWS_HOST_MEMORY_MIB : Capacity.HOST_MEMORY_MIB;
  }

  /** Memory the host keeps for itself and for the overhead of `containers` containers. */
  public static reserveMiB(containers: number): number {
    return Capacity.HOST_MEMORY_MIB + Capacity.PER_CONTAINER_MEMORY_MIB * containers;
  }

  /** Memory one workload takes of a host: its memory, plus the per-container overhead for a container. */
  public static memoryNeedMiB(load: Workload): number {
    return load.memoryMiB + (load.container ? Capacity.PER_CONTAINER_MEMORY_MIB : 0);
  }

  /** Memory a host offers to workloads (their needs, overhead included, must fit in it). */
  public static usableMemoryMiB(host: HostCapacity, family?: OsFamily): number {
    return host.memoryMiB - (family === undefined ? Capacity.HOST_MEMORY_MIB : Capacity.guestOsMemoryMiB(family));
  }

  /** vCPUs a host offers to workloads. */
  public static usableVcpus(host: HostCapacity): number {
    return host.vcpus - Capacity.HOST_VCPUS;
  }

  /** What `host` cannot give `loads`; empty when it holds them all. `family` decides the guest OS's memory (default: a Linux host's). */
  public static problems(host: HostCapacity, loads: readonly Workload[], family?: OsFamily): CapacityProblem[] {
    const problems: CapacityProblem[] = [];
    const memory = loads.reduce((sum, l) => sum + Capacity.memoryNeedMiB(l), 0);
    if (loads.length > 0 && memory > Capacity.usableMemoryMiB(host, family) + EPS) {
      problems.push({ kind: 'memory', needed: memory + host.memoryMiB - Capacity.usableMemoryMiB(host, family), available: host.memoryMiB });
    }
    const largest = loads.reduce((max, l) => Math.max(max, l.cpus), 0);
    if (largest > host.vcpus + EPS) problems.push({ kind: 'cpu-limit', needed: largest, available: host.vcpus });
    const cpus = round(loads.reduce((sum, l) => sum + l.cpus, 0));
    if (cpus > Capacity.usableVcpus(host) + EPS) problems.push({ kind: 'cpu-total', needed: cpus, available: round(Capacity.usableVcpus(host)) });
    return problems;
  }

  /** True when `host` holds `loads` without any problem (the rule of placement and of default sizes). */
  public static holds(host: HostCapacity, loads: readonly Workload[], family?: OsFamily): boolean {
    return Capacity.problems(host, loads, family).length === 0;
  }

  /** The smallest type of `family` (by memory, then vCPUs) that holds `loads`, or undefined when none does. */
  public static smallestFitting(family: string, loads: readonly Workload[], osFamily?: OsFamily): InstanceTypeInfo | undefined {
    return InstanceTypes.all()
      .filter((t) => t.name.startsWith(`${family}.`))
      // Windows Server runs on x86_64 only.
      .filter((t) => osFamily === undefined || OsFamilies.traits(osFamily).architectures.includes(t.architecture))
      .sort((a, b) => a.memoryMiB - b.memoryMiB || a.vcpus - b.vcpus)
      .find((t) => Capacity.holds(t, loads, osFamily));
  }

  private constructor() {}
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
