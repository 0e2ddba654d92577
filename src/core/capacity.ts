/**
 * What a host keeps for itself before containers get any memory or CPU.
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
 */
export class HostReserve {
  /** MiB kept for the OS, dockerd and containerd on every host. */
  public static readonly HOST_MEMORY_MIB = 384;
  /** MiB of overhead per container (shim, bookkeeping). */
  public static readonly PER_CONTAINER_MEMORY_MIB = 16;
  /** vCPUs kept for the OS and the engine on every host. */
  public static readonly HOST_VCPUS = 0.1;

  /** Memory that `containers` containers need on top of their own limits. */
  public static memoryMiB(containers: number): number {
    return HostReserve.HOST_MEMORY_MIB + HostReserve.PER_CONTAINER_MEMORY_MIB * containers;
  }

  /** Memory left for container limits on a host of `hostMemoryMiB` that runs `containers` containers. */
  public static availableMemoryMiB(hostMemoryMiB: number, containers: number): number {
    return hostMemoryMiB - HostReserve.memoryMiB(containers);
  }

  private constructor() {}
}
