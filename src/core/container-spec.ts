import { ContainerImage } from '../containers/container-image';
import { IsolationError } from '../private/errors';
import { Protocol } from './network';
import { Check, isIpv4, isIpv6 } from '../private/validate';

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
  readonly image: ContainerImage;
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
   * CPU limit in CPUs (e.g. 0.5).
   * @default - no CPU limit (the container may use every vCPU)
   */
  readonly cpus?: number;
  /**
   * Most processes and threads the container may run (stops fork bombs).
   * @default 256
   */
  readonly pidsLimit?: number;
  /**
   * User (and group) the process runs as: `name`, `uid` or `uid:gid`.
   * @default - the image's USER
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
   * Volumes and host directories. System paths (`/`, `/boot`, `/dev`,
   * `/etc`, `/lib`, `/proc`, `/sys`, `/usr`) and the Docker socket need
   * `unsafeReason`.
   * @default - none
   */
  readonly volumes?: VolumeMount[];
  /**
   * Linux capabilities to add back (names without `CAP_`, e.g. `NET_BIND_SERVICE`).
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

/** Linux capabilities (capabilities(7)), without the CAP_ prefix. */
export const CAPABILITIES = [
  'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN', 'DAC_OVERRIDE',
  'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN',
  'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE',
  'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'SYSLOG', 'WAKE_ALARM',
];

/** Host paths no container may mount without `unsafeReason` (and everything below them). */
export const SENSITIVE_HOST_PATHS = ['/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/bin', '/sbin', '/root',
  '/var/run/docker.sock', '/run/docker.sock', '/var/lib/docker', '/run/containerd', '/var/run/containerd'];
/** Host paths that hold the Docker socket or engine state below them. */
const DOCKER_PATHS = ['/var/run/docker.sock', '/run/docker.sock', '/var/lib/docker', '/run/containerd', '/var/run/containerd'];

/** A name and a value (environment variables, labels), in a fixed order. */
export interface NameValue {
  /** The name. */
  readonly name: string;
  /** The value. */
  readonly value: string;
}

/** Normalized published port. */
export interface ResolvedPort {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: Protocol;
  readonly hostIp: string;
}

/** Normalized tmpfs mount. */
export interface ResolvedTmpfs {
  readonly target: string;
  readonly sizeMiB: number;
}

/** Normalized volume. */
export interface ResolvedVolume {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** True when `source` is a host path. */
  readonly hostPath: boolean;
}

/** Normalized health check. */
export interface ResolvedHealthCheck {
  readonly command: string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const SSM_PARAMETER = /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]{1,2048}|\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)$/;
const SIZE = /^[1-9]\d{0,5}[kmg]$/;

/**
 * A validated container with every default applied: the one model that
 * every renderer (docker run, systemd unit, docker provider) reads.
 */
export class ContainerSpec {
  /**
   * Validates `options` and applies the defaults.
   * @param options what the user asked for
   * @param path construct path, for error messages
   */
  public static of(options: ContainerOptions, path: string): ContainerSpec {
    return new ContainerSpec(options, path);
  }

  public readonly name: string;
  public readonly image: string;
  /** The image's ECR repository, when it comes from ECR. */
  public readonly imageSource: ContainerImage;
  public readonly command?: string[];
  public readonly entrypoint?: string[];
  /** Plain environment, sorted by name. */
  public readonly environment: NameValue[];
  /** Secret environment (name, SSM parameter), sorted by name. */
  public readonly secretEnvironment: NameValue[];
  public readonly ports: ResolvedPort[];
  public readonly memoryMiB: number;
  public readonly cpus?: number;
  public readonly pidsLimit: number;
  public readonly user?: string;
  public readonly workingDirectory?: string;
  public readonly readOnlyRootFilesystem: boolean;
  public readonly tmpfs: ResolvedTmpfs[];
  public readonly volumes: ResolvedVolume[];
  public readonly capAdd: string[];
  public readonly capDrop: string[];
  public readonly healthCheck?: ResolvedHealthCheck;
  public readonly restartPolicy: RestartPolicy;
  /** Bound of restarts (ON_FAILURE only). */
  public readonly maxRestarts?: number;
  public readonly logMaxSize: string;
  public readonly logMaxFiles: number;
  /** Labels, sorted by key, including the library's own. */
  public readonly labels: NameValue[];
  public readonly stopTimeoutSeconds: number;
  public readonly privileged: boolean;
  public readonly hostNetwork: boolean;
  public readonly hostPid: boolean;
  public readonly hostIpc: boolean;
  public readonly hostUts: boolean;
  public readonly seccompUnconfined: boolean;
  public readonly noNewPrivileges: boolean;
  public readonly unsafeReason?: string;

  private constructor(o: ContainerOptions, path: string) {
    if (o === null || typeof o !== 'object') {
      throw new IsolationError(path, 'container', 'must be an object with at least name, image and memoryMiB', o,
        "Describe the container, e.g. { name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 256 }.");
    }
    this.name = Check.matches(path, 'name', o.name, NAME, "a container name (letters, digits, '_', '.', '-'; at most 63, starting with a letter or digit)",
      "Use a short name such as 'web' or 'api-v2'.");
    if (!o.image || typeof (o.image as ContainerImage).reference !== 'string') {
      throw new IsolationError(path, 'image', 'must be a ContainerImage', o.image,
        "Use ContainerImage.fromRegistry('name:tag') or ContainerImage.fromEcr(repositoryUrl, tag).");
    }
    this.image = ContainerImage.validate(path, 'image', o.image.reference);
    this.imageSource = o.image;
    this.command = o.command === undefined ? undefined : argvList(path, 'command', o.command, true);
    this.entrypoint = o.entrypoint === undefined ? undefined : argvList(path, 'entrypoint', o.entrypoint, false);

    this.environment = stringMap(path, 'environment', o.environment, ENV_NAME, 'a valid environment variable name (letters, digits, _; not starting with a digit)');
    this.secretEnvironment = stringMap(path, 'secretEnvironment', o.secretEnvironment, ENV_NAME, 'a valid environment variable name (letters, digits, _; not starting with a digit)');
    for (const { name, value: parameter } of this.secretEnvironment) {
      if (!SSM_PARAMETER.test(parameter)) {
        throw new IsolationError(path, `secretEnvironment.${name}`, 'must be an SSM parameter name or ARN', parameter,
          "Use the parameter's name ('/prod/db/password') or ARN ('arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/password').");
      }
      if (this.environment.some((e) => e.name === name)) {
        throw new IsolationError(path, `environment.${name}`, 'must not also be a secret (secretEnvironment)', name,
          'Keep one of the two: a plain value in environment, or an SSM parameter in secretEnvironment.');
      }
    }

    this.ports = (o.ports ?? []).map((p, i) => {
      const prop = `ports[${i}]`;
      const containerPort = Check.port(path, `${prop}.containerPort`, p.containerPort);
      const hostPort = Check.port(path, `${prop}.hostPort`, p.hostPort ?? containerPort);
      const protocol = Check.oneOf(path, `${prop}.protocol`, p.protocol ?? Protocol.TCP, Object.values(Protocol));
      const hostIp = p.hostIp ?? '127.0.0.1';
      if (typeof hostIp !== 'string' || !(isIpv4(hostIp) || isIpv6(hostIp))) {
        throw new IsolationError(path, `${prop}.hostIp`, 'must be an IPv4 or IPv6 address', hostIp,
          "Use '127.0.0.1' (the default: loopback only), the host's private address, or '0.0.0.0' for every interface.");
      }
      return { containerPort, hostPort, protocol, hostIp };
    });
    const seen = new Map<string, number>();
    this.ports.forEach((p, i) => {
      const key = `${p.protocol}/${p.hostPort}`;
      if (seen.has(key)) {
        throw new IsolationError(path, `ports[${i}].hostPort`, `must not publish ${p.protocol} port ${p.hostPort} twice (also ports[${seen.get(key)}])`, p.hostPort,
          'Give each published port its own host port.');
      }
      seen.set(key, i);
    });

    this.memoryMiB = Check.integerInRange(path, 'memoryMiB', o.memoryMiB, 6, 4 * 1024 * 1024,
      "Docker's smallest memory limit is 6 MiB; give the MiB the process needs at its peak.");
    if (o.cpus !== undefined) {
      Check.numberInRange(path, 'cpus', o.cpus, 0.01, 1024, 'Give CPUs as a number such as 0.25, 1 or 2.');
      if (Math.abs(Math.round(o.cpus * 100) - o.cpus * 100) > 1e-9) {
        throw new IsolationError(path, 'cpus', 'must be a multiple of 0.01', o.cpus, 'Round the CPU limit to hundredths, e.g. 0.25.');
      }
      this.cpus = o.cpus;
    }
    this.pidsLimit = Check.integerInRange(path, 'pidsLimit', o.pidsLimit ?? 256, 8, 4194304,
      'Give the most processes and threads the app runs at once, with room to spare (default 256).');
    if (o.user !== undefined) {
      this.user = Check.matches(path, 'user', o.user, USER, "a user name, uid or 'uid:gid'", "Use e.g. '1000', '1000:1000' or 'nobody'.");
    }
    if (o.workingDirectory !== undefined) this.workingDirectory = absolutePath(path, 'workingDirectory', o.workingDirectory);
    this.readOnlyRootFilesystem = bool(path, 'readOnlyRootFilesystem', o.readOnlyRootFilesystem, true);

    const tmpfs = (o.tmpfs ?? []).map((t, i) => ({
      target: absolutePath(path, `tmpfs[${i}].target`, t.target),
      sizeMiB: Check.integerInRange(path, `tmpfs[${i}].sizeMiB`, t.sizeMiB ?? 64, 1, this.memoryMiB,
        `A tmpfs lives in the container's memory: give at most memoryMiB (${this.memoryMiB}).`),
    }));
    if (!tmpfs.some((t) => t.target === '/tmp')) tmpfs.unshift({ target: '/tmp', sizeMiB: Math.min(64, this.memoryMiB) });
    this.tmpfs = tmpfs;

    const unsafe: string[] = [];
    this.volumes = (o.volumes ?? []).map((v, i) => {
      const target = absolutePath(path, `volumes[${i}].target`, v.target);
      if (target === '/') {
        throw new IsolationError(path, `volumes[${i}].target`, "must not be '/'", target, 'Mount the volume on a directory of its own, e.g. /data.');
      }
      if (typeof v.source !== 'string' || v.source === '') {
        throw new IsolationError(path, `volumes[${i}].source`, 'must be a volume name or an absolute host path', v.source,
          "Use a volume name such as 'data' or a host path such as '/srv/data'.");
      }
      const hostPath = v.source.startsWith('/');
      if (hostPath) {
        const source = absolutePath(path, `volumes[${i}].source`, v.source);
        if (isSensitive(source)) unsafe.push(`volumes[${i}].source`);
      } else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v.source)) {
        throw new IsolationError(path, `volumes[${i}].source`, 'must be a volume name or an absolute host path', v.source,
          "Volume names use letters, digits, '_', '.', '-'; host paths start with '/'.");
      }
      return { source: v.source, target, readOnly: bool(path, `volumes[${i}].readOnly`, v.readOnly, false), hostPath };
    });
    const targets = [...this.tmpfs.map((t) => t.target), ...this.volumes.map((v) => v.target)];
    const dup = targets.find((t, i) => targets.indexOf(t) !== i);
    if (dup) {
      throw new IsolationError(path, 'volumes', `must not mount two things at ${dup}`, dup, 'Give every volume and tmpfs its own target path.');
    }

    this.capAdd = capabilityList(path, 'capAdd', o.capAdd ?? [], false);
    this.capDrop = capabilityList(path, 'capDrop', o.capDrop ?? ['ALL'], true);
    if (this.capAdd.includes('ALL')) unsafe.push('capAdd');
    if (!this.capDrop.includes('ALL')) unsafe.push('capDrop');
    const both = this.capAdd.find((c) => c !== 'ALL' && this.capDrop.includes(c));
    if (both) {
      throw new IsolationError(path, 'capAdd', `must not add a capability it also drops (${both})`, this.capAdd, `Remove ${both} from capAdd or from capDrop.`);
    }

    if (o.healthCheck !== undefined) {
      const h = o.healthCheck;
      this.healthCheck = {
        command: argvList(path, 'healthCheck.command', h.command, false),
        intervalSeconds: Check.integerInRange(path, 'healthCheck.intervalSeconds', h.intervalSeconds ?? 30, 1, 3600),
        timeoutSeconds: Check.integerInRange(path, 'healthCheck.timeoutSeconds', h.timeoutSeconds ?? 5, 1, 3600),
        retries: Check.integerInRange(path, 'healthCheck.retries', h.retries ?? 3, 1, 100),
        startPeriodSeconds: Check.integerInRange(path, 'healthCheck.startPeriodSeconds', h.startPeriodSeconds ?? 10, 0, 3600),
      };
    }

    this.restartPolicy = Check.oneOf(path, 'restartPolicy', o.restartPolicy ?? RestartPolicy.ON_FAILURE, Object.values(RestartPolicy));
    if (this.restartPolicy === RestartPolicy.ON_FAILURE) {
      this.maxRestarts = Check.integerInRange(path, 'maxRestarts', o.maxRestarts ?? 5, 1, 100,
        'Bound the restarts after failures (default 5); use RestartPolicy.ALWAYS for no bound.');
    } else if (o.maxRestarts !== undefined) {
      throw new IsolationError(path, 'maxRestarts', `only applies to RestartPolicy.ON_FAILURE, not '${this.restartPolicy}'`, o.maxRestarts,
        'Remove maxRestarts, or use RestartPolicy.ON_FAILURE.');
    }

    this.logMaxSize = Check.matches(path, 'logOptions.maxSize', o.logOptions?.maxSize ?? '10m', SIZE, "a size such as '10m', '512k' or '1g'",
      'Write a whole number followed by k, m or g.');
    this.logMaxFiles = Check.integerInRange(path, 'logOptions.maxFiles', o.logOptions?.maxFiles ?? 3, 1, 100);
    this.stopTimeoutSeconds = Check.integerInRange(path, 'stopTimeoutSeconds', o.stopTimeoutSeconds ?? 10, 1, 3600);

    this.privileged = bool(path, 'privileged', o.privileged, false);
    this.hostNetwork = bool(path, 'hostNetwork', o.hostNetwork, false);
    this.hostPid = bool(path, 'hostPid', o.hostPid, false);
    this.hostIpc = bool(path, 'hostIpc', o.hostIpc, false);
    this.hostUts = bool(path, 'hostUts', o.hostUts, false);
    this.seccompUnconfined = bool(path, 'seccompUnconfined', o.seccompUnconfined, false);
    this.noNewPrivileges = !bool(path, 'allowPrivilegeEscalation', o.allowPrivilegeEscalation, false);
    for (const [flag, on] of [['privileged', this.privileged], ['hostNetwork', this.hostNetwork], ['hostPid', this.hostPid],
      ['hostIpc', this.hostIpc], ['hostUts', this.hostUts], ['seccompUnconfined', this.seccompUnconfined],
      ['allowPrivilegeEscalation', !this.noNewPrivileges]] as Array<[string, boolean]>) {
      if (on) unsafe.push(flag);
    }
    if (this.hostNetwork && this.ports.length > 0) {
      throw new IsolationError(path, 'ports', 'must be empty with hostNetwork (the container binds host ports directly)', o.ports,
        'Remove ports, or leave hostNetwork off.');
    }

    if (o.unsafeReason !== undefined && (typeof o.unsafeReason !== 'string' || o.unsafeReason.trim().length < 10)) {
      throw new IsolationError(path, 'unsafeReason', 'must be a sentence of at least 10 characters', o.unsafeReason,
        'Say why the container needs what it asks for, e.g. "loads kernel modules for the VPN tunnel".');
    }
    if (unsafe.length > 0 && o.unsafeReason === undefined) {
      const first = unsafe[0];
      throw new IsolationError(path, first, `needs 'unsafeReason': it gives up part of the container's isolation (${unsafe.join(', ')})`,
        valueOf(o, first),
        "Set unsafeReason to why the container needs it, or drop the option (and consider a VM when the app needs the host's kernel, devices or namespaces).");
    }
    if (unsafe.length === 0 && o.unsafeReason !== undefined) {
      throw new IsolationError(path, 'unsafeReason', 'is set but the container asks for nothing unsafe', o.unsafeReason,
        'Remove unsafeReason (it is only for privileged, host namespaces, seccomp, capability or mount opt-outs).');
    }
    this.unsafeReason = o.unsafeReason;

    const labels = stringMap(path, 'labels', o.labels, LABEL_KEY, "a label key (letters, digits, '.', '_', '/', '-')");
    if (labels.some((l) => l.name.startsWith('cdktf-isolation.'))) {
      throw new IsolationError(path, 'labels', "must not use the 'cdktf-isolation.' prefix (the library's own labels)", o.labels, 'Rename the label.');
    }
    labels.push({ name: 'cdktf-isolation.container', value: this.name });
    if (this.unsafeReason) labels.push({ name: 'cdktf-isolation.unsafe-reason', value: this.unsafeReason });
    this.labels = labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function valueOf(o: ContainerOptions, prop: string): unknown {
  const m = /^volumes\[(\d+)\]\.source$/.exec(prop);
  if (m) return o.volumes![Number(m[1])].source;
  return (o as any)[prop];
}

function isSensitive(hostPath: string): boolean {
  if (hostPath === '/') return true;
  if (SENSITIVE_HOST_PATHS.some((p) => hostPath === p || hostPath.startsWith(`${p}/`))) return true;
  // A parent of the Docker socket or engine state exposes them too (e.g. /var, /run).
  return DOCKER_PATHS.some((p) => p.startsWith(`${hostPath}/`));
}

function bool(path: string, prop: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new IsolationError(path, prop, 'must be true or false', value, `Use a boolean (default ${fallback}).`);
  }
  return value;
}

function absolutePath(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').some((s) => s === '..' || s === '.') ||
    /[\0\n:,]/.test(value) || (value.length > 1 && value.endsWith('/')) || value.includes('//')) {
    throw new IsolationError(path, prop, "must be a normalized absolute path (no '.', '..', '//', ':' or ',')", value,
      "Write the path from the root, e.g. '/srv/data'.");
  }
  return value;
}

function argvList(path: string, prop: string, value: unknown, allowEmpty: boolean): string[] {
  if (!Array.isArray(value) || (!allowEmpty && value.length === 0) || value.some((a) => typeof a !== 'string' || a.includes('\0'))) {
    throw new IsolationError(path, prop, `must be a${allowEmpty ? '' : ' non-empty'} list of strings (an argv, no NUL bytes)`, value,
      "Split the command into its words, e.g. ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'].");
  }
  return [...value];
}

function stringMap(path: string, prop: string, value: unknown, keyPattern: RegExp, keyWhat: string): NameValue[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new IsolationError(path, prop, 'must be a map of strings', value, `Write ${prop} as { NAME: 'value' }.`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (!keyPattern.test(k)) throw new IsolationError(path, `${prop}.${k}`, `must be named with ${keyWhat}`, k, 'Rename it, e.g. DATABASE_URL.');
    if (typeof v !== 'string' || v.includes('\0')) {
      throw new IsolationError(path, `${prop}.${k}`, 'must be a string without NUL bytes', v, 'Convert the value to a string, e.g. String(8080).');
    }
  }
  return (entries as Array<[string, string]>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, v]) => ({ name, value: v }));
}

function capabilityList(path: string, prop: string, value: unknown, allowAll: boolean): string[] {
  if (!Array.isArray(value)) throw new IsolationError(path, prop, 'must be a list of capability names', value, "Write e.g. ['NET_BIND_SERVICE'].");
  return value.map((c) => {
    const name = typeof c === 'string' ? c.replace(/^CAP_/, '') : c;
    if (typeof name !== 'string' || !(CAPABILITIES.includes(name) || name === 'ALL')) {
      throw new IsolationError(path, prop, 'must list Linux capabilities (capabilities(7), without CAP_)', c,
        `Use names such as NET_BIND_SERVICE or CHOWN${allowAll ? ", or 'ALL'" : ''}.`);
    }
    return name;
  });
}
