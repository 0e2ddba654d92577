import { DANGEROUS_CAPABILITIES } from './capabilities';
import { absolutePath, argvList, capabilityList, deferredOfImage, stringMap, valueOf, zeroDowntimeOf } from './container-fields';
import { ContainerOptions, RestartPolicy } from './container-options';
import type { NameValue, ResolvedHealthCheck, ResolvedPort, ResolvedTmpfs, ResolvedVolume, ResolvedZeroDowntime } from './container-spec-types';
import { DataVolumes, ResolvedDataVolume } from './data-volume';
import { HostPaths } from './host-paths';
import { IContainerImage, ImageReference } from './image';
import { Protocol } from './network';
import { collectDeferred, deferCheck, DeferredCheck } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check, isIpv4, isIpv6 } from '../private/validate';


export type { NameValue, ResolvedHealthCheck, ResolvedPort, ResolvedTmpfs, ResolvedVolume, ResolvedZeroDowntime } from './container-spec-types';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const SSM_PARAMETER = /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]{1,2048}|\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)$/;
const SIZE = /^[1-9]\d{0,5}[kmg]$/;
// Why some props must be known at synth (not Terraform references).
const ISOLATION = 'it decides the container\'s isolation, which is checked and reported at synth';
const MOUNTS = 'it decides what is mounted where, which is checked at synth';
const HOST_IP_FIX = "Use '127.0.0.1' (the default: loopback only), the host's private address, or '0.0.0.0' for every interface.";
const CPU_SHARES_FIX = 'Leave cpuShares out (512), give another weight, or bound the container with cpus.';

/** A port's host address: an IPv4 or IPv6 address, or a token checked at apply. */
function hostIpOf(path: string, prop: string, hostIp: string): string {
  if (typeof hostIp === 'string' && Tokens.isUnresolved(hostIp)) {
    deferCheck({ path, prop, value: hostIp, problem: 'must be an IPv4 or IPv6 address', fix: HOST_IP_FIX, condition: { kind: 'ip-address' } });
  } else if (typeof hostIp !== 'string' || !(isIpv4(hostIp) || isIpv6(hostIp))) {
    throw new IsolationError(path, prop, 'must be an IPv4 or IPv6 address', hostIp, HOST_IP_FIX);
  }
  return hostIp;
}

/**
 * A validated container with every default applied: the one model that
 * every renderer (docker run, systemd unit, docker provider) reads.
 * Public so that packages built on this library can read what a container
 * really gets (ContainerOnVm.spec), for checks or renderers of their own.
 */
export class ContainerSpec {
  /** The user a container runs as unless it says otherwise: the distroless "nonroot" uid and gid. */
  public static readonly DEFAULT_USER = '65532:65532';
  /** The CPU weight a container gets unless it says otherwise. */
  public static readonly DEFAULT_CPU_SHARES = 512;

  /**
   * Validates `options` and applies the defaults.
   * @param options what the user asked for
   * @param path construct path, for error messages
   */
  public static of(options: ContainerOptions, path: string): ContainerSpec {
    const { result, checks } = collectDeferred(() => new ContainerSpec(options, path));
    result._deferred = [...deferredOfImage(options?.image), ...checks];
    return result;
  }

  public readonly name: string;
  public readonly image: string;
  /** The image's ECR repository, when it comes from ECR. */
  public readonly imageSource: IContainerImage;
  public readonly command?: string[];
  public readonly entrypoint?: string[];
  /** Plain environment, sorted by name. */
  public readonly environment: NameValue[];
  /** Secret environment (name, SSM parameter), sorted by name. */
  public readonly secretEnvironment: NameValue[];
  public readonly ports: ResolvedPort[];
  public readonly memoryMiB: number;
  public readonly cpus?: number;
  /** Relative CPU weight (`--cpu-shares`). */
  public readonly cpuShares: number;
  public readonly pidsLimit: number;
  /** The user (and group) the process runs as. */
  public readonly user: string;
  /** True when the process runs as root inside the container (`root`, `0`, `0:<gid>`, `root:<group>`). */
  public readonly runsAsRoot: boolean;
  public readonly workingDirectory?: string;
  public readonly readOnlyRootFilesystem: boolean;
  public readonly tmpfs: ResolvedTmpfs[];
  public readonly volumes: ResolvedVolume[];
  /** The data volumes the container brings to its host (`ContainerOptions.dataVolumes`). */
  public readonly dataVolumes: ResolvedDataVolume[];
  public readonly capAdd: string[];
  public readonly capDrop: string[];
  public readonly healthCheck?: ResolvedHealthCheck;
  /** Zero-downtime cutover through the host's reverse proxy. */
  public readonly zeroDowntime?: ResolvedZeroDowntime;
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
  /**
   * The checks of token values (known at apply) that the host turns into Terraform preconditions.
   * @internal
   */
  public _deferred: DeferredCheck[] = [];

  private constructor(o: ContainerOptions, path: string) {
    if (o === null || typeof o !== 'object') {
      throw new IsolationError(path, 'container', 'must be an object with at least name, image and memoryMiB', o,
        "Describe the container, e.g. { name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 256 }.");
    }
    Check.known(path, 'name', o.name, 'it names the container, its systemd unit and its files on the host');
    this.name = Check.matches(path, 'name', o.name, NAME, "a container name (letters, digits, '_', '.', '-'; at most 63, starting with a letter or digit)",
      "Use a short name such as 'web' or 'api-v2'.");
    if (o.image === null || typeof o.image !== 'object' || typeof o.image.reference !== 'string') {
      throw new IsolationError(path, 'image', 'must be a ContainerImage', o.image,
        "Use ContainerImage.fromRegistry('name:tag') or ContainerImage.fromEcr(repositoryUrl, tag).");
    }
    this.image = ImageReference.validate(path, 'image', o.image.reference);
    this.imageSource = o.image;
    this.command = o.command === undefined ? undefined : argvList(path, 'command', o.command, true);
    this.entrypoint = o.entrypoint === undefined ? undefined : argvList(path, 'entrypoint', o.entrypoint, false);

    this.environment = stringMap(path, 'environment', o.environment, ENV_NAME, 'a valid environment variable name (letters, digits, _; not starting with a digit)');
    this.secretEnvironment = stringMap(path, 'secretEnvironment', o.secretEnvironment, ENV_NAME, 'a valid environment variable name (letters, digits, _; not starting with a digit)');
    for (const { name, value: parameter } of this.secretEnvironment) {
      Check.matches(path, `secretEnvironment.${name}`, parameter, SSM_PARAMETER, 'an SSM parameter name or ARN',
        "Use the parameter's name ('/prod/db/password') or ARN ('arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/password').");
      if (this.environment.some((e) => e.name === name)) {
        throw new IsolationError(path, `environment.${name}`, 'must not also be a secret (secretEnvironment)', name,
          'Keep one of the two: a plain value in environment, or an SSM parameter in secretEnvironment.');
      }
    }

    this.ports = Check.objectList(path, 'ports', o.ports, '{ containerPort: 8080 }').map((p, i) => {
      const prop = `ports[${i}]`;
      const containerPort = Check.port(path, `${prop}.containerPort`, p.containerPort);
      const hostPort = Check.port(path, `${prop}.hostPort`, p.hostPort ?? containerPort);
      const protocol = Check.oneOf(path, `${prop}.protocol`, Check.known(path, `${prop}.protocol`, p.protocol ?? Protocol.TCP, 'it decides the rules that open the port'),
        Object.values(Protocol));
      // The default (loopback) needs no check; null, from plain JavaScript, gives the default as before.
      const given = p.hostIp ?? undefined;
      const hostIp = given === undefined ? '127.0.0.1' : hostIpOf(path, `${prop}.hostIp`, given);
      return { containerPort, hostPort, protocol, hostIp };
    });
    const seen = new Map<string, number>();
    if (this.ports.some((p) => Tokens.isUnresolved(p.hostPort))) {
      // Which ports clash is known at apply.
      deferCheck({
        path,
        prop: 'ports',
        value: this.ports.map((p) => `${p.protocol}/${Tokens.numberText(p.hostPort)}`),
        problem: 'must not publish a port twice (protocol/host port)',
        fix: 'Give each published port its own host port.',
        condition: { kind: 'distinct' },
      });
    }
    this.ports.filter((p) => !Tokens.isUnresolved(p.hostPort)).forEach((p, i) => {
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
      if (Tokens.isUnresolved(o.cpus)) {
        deferCheck({ path, prop: 'cpus', value: o.cpus, problem: 'must be a multiple of 0.01', fix: 'Round the CPU limit to hundredths, e.g. 0.25.', condition: { kind: 'multiple-of', step: 0.01 } });
      } else if (Math.abs(Math.round(o.cpus * 100) - o.cpus * 100) > 1e-9) {
        throw new IsolationError(path, 'cpus', 'must be a multiple of 0.01', o.cpus, 'Round the CPU limit to hundredths, e.g. 0.25.');
      }
      this.cpus = o.cpus;
    }
    this.pidsLimit = Check.integerInRange(path, 'pidsLimit', o.pidsLimit ?? 256, 8, 4194304,
      'Give the most processes and threads the app runs at once, with room to spare (default 256).');
    this.cpuShares = Check.integerInRange(path, 'cpuShares', o.cpuShares ?? ContainerSpec.DEFAULT_CPU_SHARES, 2, 262144,
      'Give a relative weight from 2 to 262144 (512, the default, is half the weight of the host\'s own services).');
    if (Tokens.isUnresolved(this.cpuShares)) {
      deferCheck({
        path,
        prop: 'cpuShares',
        value: this.cpuShares,
        problem: "must not be 1024, the kernel's default weight (it bounds nothing)",
        fix: CPU_SHARES_FIX,
        condition: { kind: 'not-equal', other: 1024 },
      });
    } else if (this.cpuShares === 1024) {
      throw new IsolationError(path, 'cpuShares', "must not be 1024, the kernel's default weight (it bounds nothing)", this.cpuShares,
        CPU_SHARES_FIX);
    }
    this.user = Check.matches(path, 'user', o.user ?? ContainerSpec.DEFAULT_USER, USER, "a user name, uid or 'uid:gid'", "Use e.g. '1000', '1000:1000' or 'nobody'.");
    // A user known at apply is not judged here (IsolationChecks reports CTR-ROOT-USER as not checked).
    this.runsAsRoot = !Tokens.isUnresolved(this.user) && /^(0|root)(:.*)?$/.test(this.user);
    if (o.workingDirectory !== undefined) this.workingDirectory = absolutePath(path, 'workingDirectory', o.workingDirectory);
    this.readOnlyRootFilesystem = Check.bool(path, 'readOnlyRootFilesystem', o.readOnlyRootFilesystem, true, ISOLATION);

    const tmpfs = Check.objectList(path, 'tmpfs', o.tmpfs, "{ target: '/cache', sizeMiB: 16 }").map((t, i) => ({
      target: absolutePath(path, `tmpfs[${i}].target`, Check.known(path, `tmpfs[${i}].target`, t.target, MOUNTS)),
      sizeMiB: Check.integerInRange(path, `tmpfs[${i}].sizeMiB`, t.sizeMiB ?? 64, 1, this.memoryMiB,
        `A tmpfs lives in the container's memory: give at most memoryMiB (${Tokens.numberText(this.memoryMiB)}).`),
    }));
    if (!tmpfs.some((t) => t.target === '/tmp')) tmpfs.unshift({ target: '/tmp', sizeMiB: Tokens.min(64, this.memoryMiB) });
    this.tmpfs = tmpfs;

    const unsafe: string[] = [];
    this.volumes = Check.objectList(path, 'volumes', o.volumes, "{ source: 'data', target: '/data' }").map((v, i) => {
      Check.known(path, `volumes[${i}].source`, v.source, MOUNTS);
      Check.known(path, `volumes[${i}].target`, v.target, MOUNTS);
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
        if (HostPaths.isSensitive(source)) unsafe.push(`volumes[${i}].source`);
      } else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v.source)) {
        throw new IsolationError(path, `volumes[${i}].source`, 'must be a volume name or an absolute host path', v.source,
          "Volume names use letters, digits, '_', '.', '-'; host paths start with '/'.");
      }
      return {
        source: v.source,
        target,
        readOnly: Check.bool(path, `volumes[${i}].readOnly`, v.readOnly, false, ISOLATION),
        hostPath,
        shared: Check.bool(path, `volumes[${i}].shared`, v.shared, false, MOUNTS),
      };
    });
    this.dataVolumes = DataVolumes.resolve(path, 'dataVolumes', o.dataVolumes);
    this.dataVolumes.forEach((d, i) => {
      if (!this.volumes.some((v) => !v.hostPath && v.source === d.name)) {
        throw new IsolationError(path, `dataVolumes[${i}].name`, 'must be mounted by the container that brings it (a volume in volumes with this source)', d.name,
          `Add { source: '${d.name}', target: '/data' } to volumes, or give the volume to the host (VmHost dataVolumes) if another container mounts it.`);
      }
    });
    const targets = [...this.tmpfs.map((t) => t.target), ...this.volumes.map((v) => v.target)];
    const dup = targets.find((t, i) => targets.indexOf(t) !== i);
    if (dup) {
      throw new IsolationError(path, 'volumes', `must not mount two things at ${dup}`, dup, 'Give every volume and tmpfs its own target path.');
    }

    this.capAdd = capabilityList(path, 'capAdd', Check.known(path, 'capAdd', o.capAdd ?? [], ISOLATION), false);
    this.capDrop = capabilityList(path, 'capDrop', Check.known(path, 'capDrop', o.capDrop ?? ['ALL'], ISOLATION), true);
    const dangerous = this.capAdd.filter((c) => DANGEROUS_CAPABILITIES[c] !== undefined);
    if (this.capAdd.includes('ALL') || dangerous.length > 0) unsafe.push('capAdd');
    if (dangerous.length > 0 && o.unsafeReason === undefined) {
      throw new IsolationError(path, 'capAdd', `needs 'unsafeReason': ${dangerous.map((c) => `${c} ${DANGEROUS_CAPABILITIES[c]}`).join('; ')}`, o.capAdd,
        'Set unsafeReason to why the container needs it, or drop the capability (an app that needs the host\'s kernel or devices belongs on a VM of its own).');
    }
    if (!this.capDrop.includes('ALL')) unsafe.push('capDrop');
    const both = this.capAdd.find((c) => c !== 'ALL' && this.capDrop.includes(c));
    if (both) {
      throw new IsolationError(path, 'capAdd', `must not add a capability it also drops (${both})`, this.capAdd, `Remove ${both} from capAdd or from capDrop.`);
    }

    if (o.healthCheck !== undefined) {
      const h = o.healthCheck;
      if (h === null || typeof h !== 'object' || Array.isArray(h)) {
        throw new IsolationError(path, 'healthCheck', "must be an object like { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] }", h,
          'Give the health check its command as an argv list.');
      }
      this.healthCheck = {
        command: argvList(path, 'healthCheck.command', h.command, false),
        intervalSeconds: Check.integerInRange(path, 'healthCheck.intervalSeconds', h.intervalSeconds ?? 30, 1, 3600),
        timeoutSeconds: Check.integerInRange(path, 'healthCheck.timeoutSeconds', h.timeoutSeconds ?? 5, 1, 3600),
        retries: Check.integerInRange(path, 'healthCheck.retries', h.retries ?? 3, 1, 100),
        startPeriodSeconds: Check.integerInRange(path, 'healthCheck.startPeriodSeconds', h.startPeriodSeconds ?? 10, 0, 3600),
      };
    }

    if (o.zeroDowntime !== undefined) this.zeroDowntime = zeroDowntimeOf(path, o.zeroDowntime, this.ports, this.name);

    this.restartPolicy = Check.oneOf(path, 'restartPolicy',
      Check.known(path, 'restartPolicy', o.restartPolicy ?? RestartPolicy.ON_FAILURE, 'it decides how the container is supervised and whether maxRestarts applies'),
      Object.values(RestartPolicy));
    if (this.restartPolicy === RestartPolicy.ON_FAILURE) {
      this.maxRestarts = Check.integerInRange(path, 'maxRestarts', o.maxRestarts ?? 5, 1, 100,
        'Bound the restarts after failures (default 5); use RestartPolicy.ALWAYS for no bound.');
    } else if (o.maxRestarts !== undefined) {
      throw new IsolationError(path, 'maxRestarts', `only applies to RestartPolicy.ON_FAILURE, not '${this.restartPolicy}'`, o.maxRestarts,
        'Remove maxRestarts, or use RestartPolicy.ON_FAILURE.');
    }

    if (o.logOptions !== undefined && (o.logOptions === null || typeof o.logOptions !== 'object')) {
      throw new IsolationError(path, 'logOptions', "must be an object like { maxSize: '10m', maxFiles: 3 }", o.logOptions, 'Give the log options as an object, or leave them out.');
    }
    this.logMaxSize = Check.matches(path, 'logOptions.maxSize', o.logOptions?.maxSize ?? '10m', SIZE, "a size such as '10m', '512k' or '1g'",
      'Write a whole number followed by k, m or g.');
    this.logMaxFiles = Check.integerInRange(path, 'logOptions.maxFiles', o.logOptions?.maxFiles ?? 3, 1, 100);
    this.stopTimeoutSeconds = Check.integerInRange(path, 'stopTimeoutSeconds', o.stopTimeoutSeconds ?? 10, 1, 3600);

    this.privileged = Check.bool(path, 'privileged', o.privileged, false, ISOLATION);
    this.hostNetwork = Check.bool(path, 'hostNetwork', o.hostNetwork, false, ISOLATION);
    this.hostPid = Check.bool(path, 'hostPid', o.hostPid, false, ISOLATION);
    this.hostIpc = Check.bool(path, 'hostIpc', o.hostIpc, false, ISOLATION);
    this.hostUts = Check.bool(path, 'hostUts', o.hostUts, false, ISOLATION);
    this.seccompUnconfined = Check.bool(path, 'seccompUnconfined', o.seccompUnconfined, false, ISOLATION);
    this.noNewPrivileges = !Check.bool(path, 'allowPrivilegeEscalation', o.allowPrivilegeEscalation, false, ISOLATION);
    for (const [flag, on] of [['privileged', this.privileged], ['hostNetwork', this.hostNetwork], ['hostPid', this.hostPid],
      ['hostIpc', this.hostIpc], ['hostUts', this.hostUts], ['seccompUnconfined', this.seccompUnconfined],
      ['allowPrivilegeEscalation', !this.noNewPrivileges]] as Array<[string, boolean]>) {
      if (on) unsafe.push(flag);
    }
    if (this.hostNetwork && this.ports.length > 0) {
      throw new IsolationError(path, 'ports', 'must be empty with hostNetwork (the container binds host ports directly)', o.ports,
        'Remove ports, or leave hostNetwork off.');
    }

    Check.known(path, 'unsafeReason', o.unsafeReason, 'it is recorded with the container and in the isolation report');
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

  /**
   * The spec as a host with data volumes runs it: a named volume that is
   * one of `dataVolumes` becomes a bind of its data directory (the rest
   * stays as it is). The same spec when none matches.
   * @internal
   */
  public _onDataVolumes(dataVolumes: ReadonlyArray<{ readonly name: string; readonly dataDirectory: string }>): ContainerSpec {
    if (!this.volumes.some((v) => !v.hostPath && dataVolumes.some((d) => d.name === v.source))) return this;
    const volumes = this.volumes.map((v) => {
      const d = v.hostPath ? undefined : dataVolumes.find((x) => x.name === v.source);
      return d ? { ...v, source: d.dataDirectory, hostPath: true, dataVolume: d.name } : v;
    });
    const copy = Object.assign(Object.create(ContainerSpec.prototype) as ContainerSpec, this, { volumes });
    return copy;
  }

  /**
   * The owner (`uid:gid`) the data directories of the container's data
   * volumes get: its user when numeric (`root` is 0:0), undefined for a
   * user given by name (which the host cannot resolve: the image knows it);
   * a user known at apply as it is (chown reads `uid:gid`).
   * @internal
   */
  public _dataOwner(): string | undefined {
    if (Tokens.isUnresolved(this.user)) return this.user;
    if (this.user === 'root') return '0:0';
    const m = /^(\d+)(?::(\d+|root))?$/.exec(this.user);
    if (!m) return undefined;
    return `${m[1]}:${m[2] === undefined ? m[1] : m[2] === 'root' ? '0' : m[2]}`;
  }
}
