import { cis, FindingLevel, Rule } from './rule';
import { DANGEROUS_CAPABILITIES } from '../../core/capabilities';
import { HostPaths } from '../../core/host-paths';

/** A container, from a library spec or a docker_container resource. */
export interface ContainerView {
  readonly memoryMiB?: number;
  /** CPU quota in CPUs, if any. */
  readonly cpus?: number;
  /** CPU shares, if set (0 or absent means Docker's default weight). */
  readonly cpuShares?: number;
  /** The user the process runs as; undefined when the image decides. */
  readonly user?: string;
  readonly pidsLimit?: number;
  /** False where the resource cannot set a pids limit at all (the docker provider's docker_container). */
  readonly pidsLimitSupported: boolean;
  readonly privileged: boolean;
  readonly capDrop: string[];
  readonly capAdd: string[];
  readonly securityOpts: string[];
  readonly readOnlyRootFilesystem: boolean;
  readonly hostNetwork: boolean;
  readonly hostPid: boolean;
  readonly hostIpc: boolean;
  readonly hostUts: boolean;
  readonly hostPaths: string[];
  readonly healthCheck: boolean;
  readonly restart: string;
  readonly maxRestarts?: number;
  readonly portHostIps: string[];
  /**
   * Named Docker volumes that live on the root volume of a host that
   * Terraform replaces (a VmHost's; a data volume is not one of them).
   */
  readonly rootVolumeNamedVolumes: string[];
}

/** Container rules. */
export const CONTAINER_RULES: ReadonlyArray<Rule<ContainerView>> = [
  {
    id: 'CTR-MEMORY',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.11'),
    finding: 'no memory limit',
    explanation: 'Without a limit one container can exhaust the host\'s memory and take every other container down with it.',
    check: (c) => (c.memoryMiB && c.memoryMiB > 0 ? undefined : 'memory is not limited'),
  },
  {
    id: 'CTR-CPU',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.12'),
    finding: 'no CPU bound',
    explanation: 'Without CPU shares or a CPU quota one busy container takes the CPU from its neighbours and from the host\'s own services. ' +
      'Set a CPU weight (cpu_shares, 512 by default in this library) or a quota (cpus).',
    check: (c) => ((c.cpus !== undefined && c.cpus > 0) || (c.cpuShares !== undefined && c.cpuShares > 0 && c.cpuShares !== 1024) ? undefined
      : `cpu_shares is ${c.cpuShares ?? 'not set'} and there is no CPU quota`),
  },
  {
    id: 'CTR-PIDS',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.29'),
    finding: 'no pids limit',
    explanation: 'Without a pids limit a fork bomb in one container exhausts the host\'s process table. ' +
      'The docker provider\'s docker_container has no pids limit setting, so the rule does not apply to it (LocalDockerHost warns when a container asks for one).',
    check: (c) => (!c.pidsLimitSupported || (c.pidsLimit && c.pidsLimit > 0) ? undefined : 'the pids cgroup is not limited'),
  },
  {
    id: 'CTR-ROOT-USER',
    subject: 'containers',
    level: FindingLevel.WARNING,
    references: cis('4.1'),
    finding: 'the process runs as root',
    explanation: 'Root inside a container is root on the host\'s files it can reach (volumes, host paths) and one kernel bug away from the host. ' +
      'Run as an unprivileged user (the library\'s default is 65532:65532).',
    check: (c) => {
      if (c.user === undefined) return 'no user is set, so the image decides (most images run as root)';
      return /^(0|root)(:.*)?$/.test(c.user) ? `user is ${JSON.stringify(c.user)}` : undefined;
    },
  },
  {
    id: 'CTR-PRIVILEGED',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.5'),
    finding: 'privileged container',
    explanation: 'A privileged container has every capability and every device: it is root on the host. Give the app a VM of its own instead.',
    check: (c) => (c.privileged ? 'privileged is true' : undefined),
  },
  {
    id: 'CTR-CAPABILITIES',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.4'),
    finding: 'capabilities are not dropped',
    explanation: 'Docker\'s default set keeps 14 capabilities (NET_RAW, SETUID, ...). Drop ALL and add back only what the app needs.',
    check: (c) => (c.capDrop.map((x) => x.toUpperCase()).includes('ALL') && !c.capAdd.map((x) => x.toUpperCase()).includes('ALL') ? undefined
      : `cap_drop is ${JSON.stringify(c.capDrop)}, cap_add ${JSON.stringify(c.capAdd)}`),
  },
  {
    id: 'CTR-DANGEROUS-CAPABILITIES',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.4'),
    finding: 'a capability that gives power over the host is added',
    explanation: `Outside Docker's default set, ${Object.keys(DANGEROUS_CAPABILITIES).join(', ')} let a container act on the host's kernel, ` +
      'devices, files, clock or audit (capabilities(7)). Give an app that needs them a VM of its own, or acknowledge the finding with the reason.',
    check: (c) => {
      const added = c.capAdd.map((x) => x.toUpperCase().replace(/^CAP_/, '')).filter((x) => DANGEROUS_CAPABILITIES[x] !== undefined);
      return added.length ? `cap_add has ${added.join(', ')}` : undefined;
    },
  },
  {
    id: 'CTR-NO-NEW-PRIVILEGES',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.26'),
    finding: 'no-new-privileges is not set',
    explanation: 'Without it a setuid binary in the image can raise a process\'s privileges.',
    check: (c) => (c.securityOpts.some((o) => /^no-new-privileges(=true|:true)?$/.test(o)) ? undefined : 'security_opts lacks no-new-privileges'),
  },
  {
    id: 'CTR-SECCOMP',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.22'),
    finding: 'seccomp is disabled',
    explanation: 'seccomp=unconfined lets the container make every system call, including the ones behind most kernel escapes.',
    check: (c) => (c.securityOpts.some((o) => /^seccomp[=:]unconfined$/.test(o)) ? 'seccomp=unconfined' : undefined),
  },
  {
    id: 'CTR-READONLY-ROOTFS',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.13'),
    finding: 'the root filesystem is writable',
    explanation: 'A writable root lets a compromised process change the container\'s binaries; write to tmpfs or volumes instead.',
    check: (c) => (c.readOnlyRootFilesystem ? undefined : 'read_only is false'),
  },
  {
    id: 'CTR-HOST-NAMESPACES',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.10, 5.16, 5.17, 5.21'),
    finding: 'a host namespace is shared',
    explanation: 'Sharing the host\'s network, PID, IPC or UTS namespace removes the isolation namespaces give.',
    check: (c) => {
      const shared = [['network', c.hostNetwork], ['pid', c.hostPid], ['ipc', c.hostIpc], ['uts', c.hostUts]].filter(([, on]) => on).map(([n]) => n);
      return shared.length ? `shares the host's ${shared.join(', ')} namespace` : undefined;
    },
  },
  {
    id: 'CTR-SENSITIVE-MOUNTS',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.6, 5.32'),
    finding: 'a sensitive host path or the Docker socket is mounted',
    explanation: 'System directories and the Docker socket give the container control of the host.',
    check: (c) => {
      const bad = c.hostPaths.filter((p) => HostPaths.isSensitive(p));
      return bad.length ? `mounts ${bad.join(', ')}` : undefined;
    },
  },
  {
    id: 'CTR-HEALTHCHECK',
    subject: 'containers',
    level: FindingLevel.WARNING,
    references: cis('4.6, 5.27'),
    finding: 'no health check',
    explanation: 'Without a health check a hung process looks healthy to Docker and to whoever watches it.',
    check: (c) => (c.healthCheck ? undefined : 'no health check'),
  },
  {
    id: 'CTR-RESTART-BOUNDED',
    subject: 'containers',
    level: FindingLevel.WARNING,
    references: cis('5.15'),
    finding: 'restarts are not bounded',
    explanation: 'A container that fails at every start and is restarted forever hides the failure and burns the host; use on-failure with a bound (5).',
    check: (c) => {
      if (c.restart === 'no' || c.restart === '') return undefined;
      if (c.restart === 'on-failure' && c.maxRestarts !== undefined && c.maxRestarts > 0 && c.maxRestarts <= 5) return undefined;
      return c.restart === 'on-failure' ? `on-failure with ${c.maxRestarts ?? 'no'} bound` : `restart is ${c.restart}`;
    },
  },
  {
    id: 'CTR-PORT-HOST-IP',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.14'),
    finding: 'a published port is not bound to an explicit host address',
    explanation: 'Without a host IP Docker binds every interface; name the address (127.0.0.1, the host\'s private IP, or 0.0.0.0 explicitly).',
    check: (c) => (c.portHostIps.some((ip) => !ip) ? 'a port has no host IP' : undefined),
  },
  {
    id: 'CTR-VOLUME-ON-ROOT',
    subject: 'containers on a VmHost',
    level: FindingLevel.WARNING,
    references: {},
    finding: 'a named volume lives on the host\'s root volume',
    explanation: 'Data here is lost when the host is replaced (a new machine image, a daemon setting): EC2 deletes the root volume with the instance. ' +
      'Use a data volume (VmHost dataVolumes, mounted by the same name), or acknowledge the finding when the data is a cache that may be lost.',
    check: (c) => (c.rootVolumeNamedVolumes.length ? `named volume${c.rootVolumeNamedVolumes.length > 1 ? 's' : ''} ${c.rootVolumeNamedVolumes.join(', ')}` : undefined),
  },
];

