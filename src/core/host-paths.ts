/**
 * Host paths that a container must not mount without `unsafeReason`, and
 * that `IsolationChecks` reports (CIS Docker Benchmark 1.6.0 5.6 and 5.32):
 * the one list both use.
 */
export class HostPaths {
  /** System directories (and everything below them); `/` itself is sensitive too. */
  public static readonly SYSTEM: readonly string[] = ['/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/bin', '/sbin', '/root'];
  /** The Docker socket and the engine's state; a parent of one (`/var`, `/run`) exposes it too. */
  public static readonly DOCKER: readonly string[] = ['/var/run/docker.sock', '/run/docker.sock', '/var/lib/docker', '/run/containerd', '/var/run/containerd'];

  /** True when mounting `hostPath` into a container gives it part of the host: `/`, a system path or below, the Docker socket or state, or a parent of those. */
  public static isSensitive(hostPath: string): boolean {
    if (hostPath === '/') return true;
    const below = (p: string) => hostPath === p || hostPath.startsWith(`${p}/`);
    if (HostPaths.SYSTEM.some(below) || HostPaths.DOCKER.some(below)) return true;
    return HostPaths.DOCKER.some((p) => p.startsWith(`${hostPath}/`));
  }

  private constructor() {}
}
