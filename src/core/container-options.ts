import type { DataVolumeOptions } from './data-volume';
import { IContainerImage } from './image';
import { Protocol } from './network';

/** Who restarts a container that stops, and how often. */
export enum RestartPolicy {
  /** Restart after a non-zero exit, at most `maxRestarts` times (the default). */
  ON_FAILURE = 'on-failure',
  /** Restart whenever it stops, without a bound: for services that must never stay down. */
  ALWAYS = 'always',
  /** Never restart: for one-shot and batch containers. */
  NEVER = 'no',
}

/** A published port. */
export interface PortMapping {
  /** Port inside the container. */
  readonly containerPort: number;
  /**
   * Port on the host.
   * @default - same as containerPort
   */
  readonly hostPort?: number;
  /**
   * Protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * Host address the port is bound to. The default keeps the port on the
   * host's loopback interface; `0.0.0.0` publishes it on every interface
   * (still closed by the host's security group unless you open it).
   * @default '127.0.0.1'
   */
  readonly hostIp?: string;
}

/** A volume: a named Docker volume or a host directory. */
export interface VolumeMount {
  /** A volume name (`data`), or an absolute host path (`/srv/data`). */
  readonly source: string;
  /** Absolute path in the container. */
  readonly target: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Share a data volume of the host with other containers that mount it:
   * every container that mounts one data volume must say so (two writers
   * of one directory must be meant). Only for data volumes.
   * @default false
   */
  readonly shared?: boolean;
}

/** A tmpfs (memory-backed, writable) mount. */
export interface TmpfsMount {
  /** Absolute path in the container. */
  readonly target: string;
  /**
   * Size limit in MiB; counts against the container's memory.
   * @default 64
   */
  readonly sizeMiB?: number;
}

/** A health check, run inside the container by Docker. */
export interface HealthCheck {
  /**
   * The command as an argv list; it runs through `/bin/sh -c` inside the
   * container (Docker's CMD-SHELL form, the only form `docker run` offers),
   * so the image needs a shell. Exit 0 means healthy.
   */
  readonly command: string[];
  /**
   * Seconds between checks.
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds before one check counts as failed.
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Failed checks in a row before the container is unhealthy.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Seconds after start during which failures do not count.
   * @default 10
   */
  readonly startPeriodSeconds?: number;
}

/**
 * Zero-downtime cutover of an HTTP container through the host's reverse
 * proxy (nginx, from the OS's packages). The proxy listens where the
 * published port says (its `hostIp` and `hostPort`); the container itself is
 * published only on 127.0.0.1, on one of two loopback ports the library
 * chooses for it, one per version. An update starts the new version beside
 * the old one, waits for its health check and an HTTP check of `healthPath`,
 * switches the proxy with a graceful reload (no connection is dropped),
 * waits `drainSeconds`, then stops the old version. A new version that never
 * turns healthy is removed and the old one keeps serving.
 *
 * HTTP only: the proxy speaks HTTP/1.1 to the container. Not for TCP or UDP
 * services, and not for `LocalDockerHost`.
 */
export interface ZeroDowntime {
  /** The container port (one of `ports`, TCP) that serves HTTP: its published host address and port become the proxy's. */
  readonly containerPort: number;
  /**
   * The path the reconcile checks through the new version's loopback port
   * before switching to it; any 2xx or 3xx answer passes.
   * @default '/'
   */
  readonly healthPath?: string;
  /**
   * Seconds the old version keeps running after the switch, so the
   * requests it still serves finish.
   * @default 10
   */
  readonly drainSeconds?: number;
  /**
   * Largest request body the proxy accepts, in MiB (larger requests get 413).
   * @default 10
   */
  readonly maxRequestBodyMiB?: number;
  /**
   * Seconds the proxy waits for the container to answer (and to read the
   * client's request) before it gives up.
   * @default 60
   */
  readonly timeoutSeconds?: number;
}

/** Log rotation of one container (json-file driver). */
export interface ContainerLogOptions {
  /**
   * Largest log file before rotation (`10m`, `512k`, `1g`).
   * @default '10m'
   */
  readonly maxSize?: string;
  /**
   * Rotated files kept.
   * @default 3
   */
  readonly maxFiles?: number;
}

/**
 * One container, as the user describes it. Secure by default: every opt-out
 * is a prop whose doc says what it gives up, and the dangerous ones need
 * `unsafeReason`.
 */
export interface ContainerOptions {
  /** Container name, unique per host: letters, digits, `_`, `.`, `-`; at most 63. */
  readonly name: string;
  /** The image. */
  readonly image: IContainerImage;
  /**
   * Arguments (Docker's CMD).
   * @default - the image's CMD
   */
  readonly command?: string[];
  /**
   * Executable and its first arguments (Docker's ENTRYPOINT).
   * @default - the image's ENTRYPOINT
   */
  readonly entrypoint?: string[];
  /**
   * Environment variables. Values go into the user data, which anyone with
   * `ec2:DescribeInstanceAttribute` can read: put secrets in `secretEnvironment`.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Environment variables read at boot from SSM Parameter Store (name or ARN
   * of the parameter, SecureString or String). The value is fetched on the
   * host into a root-only file under /run, never written into the user data;
   * the host role may read exactly these parameters.
   * @default - none
   */
  readonly secretEnvironment?: { [name: string]: string };
  /**
   * Published ports.
   * @default - none
   */
  readonly ports?: PortMapping[];
  /** Memory limit in MiB (at least 6). Swap beyond it is disabled. */
  readonly memoryMiB: number;
  /**
   * CPU limit in CPUs (e.g. 0.5): a hard quota, the container is throttled above it.
   * @default - no quota; the container is bounded by `cpuShares` instead
   */
  readonly cpus?: number;
  /**
   * Relative CPU weight when the host's CPU is contended (Docker's
   * `--cpu-shares`, 2 to 262144; the kernel's default weight is 1024).
   * Shares never throttle a container while CPU is idle, so the default
   * cannot starve one; under contention a container at 512 gets half the
   * weight of the host's own services (dockerd, the SSM agent, the
   * library's reconcile), which keep the host manageable, and containers
   * at the default split the CPU evenly among themselves. 1024 is refused:
   * it is the weight of an unbounded container (CIS Docker 1.6.0 5.12).
   * @default 512
   */
  readonly cpuShares?: number;
  /**
   * Most processes and threads the container may run (stops fork bombs).
   * @default 256
   */
  readonly pidsLimit?: number;
  /**
   * User (and group) the process runs as: `name`, `uid` or `uid:gid`.
   *
   * The default is uid and gid 65532, not root: the "nonroot" user of the
   * distroless and Chainguard images, outside the ranges of host system
   * users (below 1000) and login users (1000-60000), and not `nobody`
   * (65534), which NFS and host daemons share. With the read-only root
   * filesystem the user needs write access only where the container
   * writes: the tmpfs mounts (`/tmp` and `tmpfs`) are mode 1777, so any
   * user writes them; a named Docker volume takes the owner of the image's
   * directory it is mounted on, so an image whose data directory belongs to
   * its own user needs that user here (`'999:999'` for redis, `'101:101'`
   * for nginx-unprivileged). `'root'` or `'0:0'` runs the process as root
   * inside the container (still without capabilities); IsolationChecks
   * reports it (CTR-ROOT-USER, CIS Docker 1.6.0 4.1).
   * @default '65532:65532'
   */
  readonly user?: string;
  /**
   * Working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDirectory?: string;
  /**
   * Read-only root filesystem. Turning it off lets a compromised process
   * change the container's binaries and configuration.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Writable tmpfs mounts (noexec, nosuid, nodev). `/tmp` is always one.
   * @default - /tmp, 64 MiB
   */
  readonly tmpfs?: TmpfsMount[];
  /**
   * Data volumes this container brings to the host it is placed on (an
   * IsolatedApp's own VM, a HostPool's host, a VmHost): the same as the
   * host's `dataVolumes`, created with the host's, named in `volumes` to
   * mount them. The container then stays on that host (a pool never moves
   * it). On LocalDockerHost a named Docker volume stands in for one.
   * @default - none
   */
  readonly dataVolumes?: DataVolumeOptions[];
  /**
   * Volumes and host directories. A name that is a data volume of the host
   * (`VmHost` `dataVolumes`) mounts that EBS volume's `data` directory,
   * which survives the host; any other name is a named Docker volume on
   * the host's root volume, lost when the host is replaced (IsolationChecks
   * warns: CTR-VOLUME-ON-ROOT). System paths (`/`, `/boot`, `/dev`,
   * `/etc`, `/lib`, `/proc`, `/sys`, `/usr`) and the Docker socket need
   * `unsafeReason`.
   * @default - none
   */
  readonly volumes?: VolumeMount[];
  /**
   * Linux capabilities to add back (names without `CAP_`, e.g. `NET_BIND_SERVICE`).
   * Those that give power over the host need `unsafeReason` and are
   * reported by IsolationChecks (CTR-DANGEROUS-CAPABILITIES): SYS_ADMIN,
   * SYS_MODULE, SYS_RAWIO, SYS_PTRACE, SYS_BOOT, SYS_TIME, DAC_READ_SEARCH,
   * NET_ADMIN, BPF, PERFMON, SYSLOG, MAC_ADMIN, MAC_OVERRIDE, AUDIT_CONTROL,
   * AUDIT_READ (capabilities(7)), and `ALL`.
   * @default - none
   */
  readonly capAdd?: string[];
  /**
   * Capabilities to drop. Anything but `ALL` keeps Docker's default set
   * (14 capabilities) minus these, and needs `unsafeReason`.
   * @default ['ALL']
   */
  readonly capDrop?: string[];
  /**
   * Health check.
   * @default - none (IsolationChecks warns)
   */
  readonly healthCheck?: HealthCheck;
  /**
   * Zero-downtime updates of an HTTP port through the host's reverse proxy
   * (VmHost only; the host installs nginx from its OS's packages).
   * @default - none: an update stops the old container before it starts the new one
   */
  readonly zeroDowntime?: ZeroDowntime;
  /**
   * Restart policy. Docker's restart policy is the only supervisor of a
   * running container (see DockerRun).
   * @default RestartPolicy.ON_FAILURE
   */
  readonly restartPolicy?: RestartPolicy;
  /**
   * Restarts allowed after failures, with `RestartPolicy.ON_FAILURE`.
   * @default 5
   */
  readonly maxRestarts?: number;
  /**
   * Log rotation.
   * @default - 10m x 3
   */
  readonly logOptions?: ContainerLogOptions;
  /**
   * Labels.
   * @default - none (the library adds `cdktf-isolation.container`)
   */
  readonly labels?: { [key: string]: string };
  /**
   * Seconds Docker waits after SIGTERM before SIGKILL.
   * @default 10
   */
  readonly stopTimeoutSeconds?: number;
  /**
   * Privileged mode: every capability, every device, no seccomp or
   * AppArmor. The container is root on the host. Needs `unsafeReason`.
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Share the host's network namespace: the container sees and binds every
   * host interface, and published ports no longer apply. Needs `unsafeReason`.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Share the host's PID namespace: the container sees (and may signal)
   * every host process. Needs `unsafeReason`.
   * @default false
   */
  readonly hostPid?: boolean;
  /**
   * Share the host's IPC namespace (shared memory, semaphores). Needs `unsafeReason`.
   * @default false
   */
  readonly hostIpc?: boolean;
  /**
   * Share the host's UTS namespace: the container may change the host's
   * hostname. Needs `unsafeReason`.
   * @default false
   */
  readonly hostUts?: boolean;
  /**
   * Run without a seccomp profile: every system call is allowed. Needs `unsafeReason`.
   * @default false
   */
  readonly seccompUnconfined?: boolean;
  /**
   * Let processes gain privileges through setuid binaries (turns
   * `no-new-privileges` off). Needs `unsafeReason`.
   * @default false
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Why this container needs the unsafe options it asks for; required when
   * it asks for any, refused when it asks for none. Recorded as a label.
   * @default - no unsafe options
   */
  readonly unsafeReason?: string;
}
