import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/** The two isolation boundaries. */
export enum Isolation {
  /** A virtual machine: its own guest OS and kernel. */
  VM = 'vm',
  /** A container: one process tree on a shared Linux kernel. */
  CONTAINER = 'container',
}

/** What the app is. */
export enum AppScope {
  /** A single process or application (one service). */
  PROCESS = 'process',
  /** A whole system: several services managed together, its own init, cron, users; long-lived and multi-purpose. */
  SYSTEM = 'system',
}

/** The operating system the app needs. */
export enum OperatingSystem {
  /** Linux. */
  LINUX = 'linux',
  /** Windows. */
  WINDOWS = 'windows',
  /** Any other OS (BSD, an appliance, ...). */
  OTHER = 'other',
}

/** What the app needs of the kernel. */
export enum KernelNeed {
  /** Any recent Linux kernel, shared with others. */
  SHARED = 'shared',
  /** A specific kernel, kernel modules, or kernel parameters that are not namespaced. */
  OWN = 'own',
}

/** Who wrote the code the app runs. */
export enum Tenancy {
  /** Your own or otherwise trusted code. */
  TRUSTED = 'trusted',
  /** Code from other tenants or users: the kernel is the boundary an attacker would cross. */
  UNTRUSTED = 'untrusted',
}

/** How long the app lives. */
export enum Lifetime {
  /** Runs for a job or a request, then goes away. */
  EPHEMERAL = 'ephemeral',
  /** Runs for days or longer. */
  LONG_LIVED = 'long-lived',
}

/** What an app needs, as far as isolation is concerned. Every field is optional. */
export interface AppRequirements {
  /**
   * A single process or a whole system.
   * @default AppScope.PROCESS
   */
  readonly scope?: AppScope;
  /**
   * The OS the app runs on.
   * @default OperatingSystem.LINUX
   */
  readonly operatingSystem?: OperatingSystem;
  /**
   * Whether it needs its own kernel.
   * @default KernelNeed.SHARED
   */
  readonly kernel?: KernelNeed;
  /**
   * Whether it needs devices or privileged mode on its host.
   * @default false
   */
  readonly privilegedHostAccess?: boolean;
  /**
   * Whose code it runs.
   * @default Tenancy.TRUSTED
   */
  readonly tenancy?: Tenancy;
  /**
   * How long it lives.
   * @default Lifetime.LONG_LIVED
   */
  readonly lifetime?: Lifetime;
  /**
   * The cold start, in seconds, the app can afford.
   * @default - no budget
   */
  readonly maxStartupSeconds?: number;
  /**
   * Memory the app needs, in MiB (placement and report).
   * @default - the container's memory limit
   */
  readonly memoryMiB?: number;
  /**
   * CPUs the app needs (placement and report).
   * @default - the container's CPU limit, else 0
   */
  readonly cpus?: number;
}

/** One step of the reasoning. */
export interface DecisionReason {
  /** Stable id of the rule. */
  readonly ruleId: string;
  /** One sentence a person can read. */
  readonly text: string;
}

/** A requirement the decision cannot meet. */
export interface DecisionConflict {
  /** Stable id of the conflict. */
  readonly ruleId: string;
  /** What cannot be met and what to do about it. */
  readonly text: string;
}

/** The advisor's answer. */
export interface IsolationDecision {
  /** VM or container. */
  readonly isolation: Isolation;
  /** The reasons, in rule order. */
  readonly reasons: DecisionReason[];
  /** Requirements the decision cannot meet. */
  readonly conflicts: DecisionConflict[];
  /** Whether the app may still run in Docker on its dedicated VM (VM decisions only: e.g. untrusted tenancy). */
  readonly dockerAllowed: boolean;
  /** Whether this library can build the decision (a Linux or Windows Server VM, or a container; a VM of another OS it cannot). */
  readonly supported: boolean;
}

interface Rule {
  readonly id: string;
  readonly applies: (r: Required<Omit<AppRequirements, 'maxStartupSeconds' | 'memoryMiB' | 'cpus'>>) => boolean;
  readonly text: string;
  /** Docker may still package the app on its own VM. */
  readonly dockerAllowed: boolean;
  /** Whether the library can build a VM for the requirements. */
  readonly supported: (r: Required<Omit<AppRequirements, 'maxStartupSeconds' | 'memoryMiB' | 'cpus'>>) => boolean;
}

/** The VM-requiring rules, in the order they are checked. */
const VM_RULES: Rule[] = [
  {
    id: 'non-linux-os',
    applies: (r) => r.operatingSystem !== OperatingSystem.LINUX,
    text: 'Docker builds on Linux kernel features (namespaces, cgroups, seccomp), so an app for another operating system needs a VM with its own OS.',
    dockerAllowed: false,
    // VmHost boots Windows Server (MachineImage.windowsServer2022/2025); another OS it cannot.
    supported: (r) => r.operatingSystem === OperatingSystem.WINDOWS,
  },
  {
    id: 'own-kernel',
    applies: (r) => r.kernel === KernelNeed.OWN,
    text: 'Containers share the host kernel; a specific kernel, kernel modules or kernel parameters that are not namespaced need a VM with its own kernel.',
    dockerAllowed: false,
    supported: () => true,
  },
  {
    id: 'privileged-host-access',
    applies: (r) => r.privilegedHostAccess,
    text: 'Devices or privileged mode would give a container the whole host; a VM confines that access to a guest of its own.',
    dockerAllowed: false,
    supported: () => true,
  },
  {
    id: 'untrusted-tenancy',
    applies: (r) => r.tenancy === Tenancy.UNTRUSTED,
    text: 'Untrusted code from other tenants would share a kernel with everyone else in a container; a VM puts a hypervisor between tenants.',
    dockerAllowed: true,
    supported: () => true,
  },
  {
    id: 'whole-system',
    applies: (r) => r.scope === AppScope.SYSTEM,
    text: 'A whole system (several services, its own init, cron and users, long-lived and multi-purpose) is what a VM isolates; a container isolates one process tree.',
    dockerAllowed: false,
    supported: () => true,
  },
];

/**
 * Decides VM or container from an app's requirements, and explains why.
 * Pure and deterministic.
 */
export class IsolationAdvisor {
  /** Estimated seconds from launch to a ready VM (EC2 boot, cloud-init, Docker install). */
  public static readonly VM_BOOT_SECONDS = 60;
  /** Estimated seconds to start a container on a running engine. */
  public static readonly CONTAINER_START_SECONDS = 1;

  /**
   * Applies the rules in order: a non-Linux OS, an own kernel, privileged
   * host access, untrusted tenancy and whole-system scope each require a VM;
   * otherwise a container.
   * @param requirements what the app needs
   * @param path construct path for error messages
   */
  public static decide(requirements: AppRequirements = {}, path = 'IsolationAdvisor'): IsolationDecision {
    const r = IsolationAdvisor.resolve(requirements, path);
    const vmRules = VM_RULES.filter((rule) => rule.applies(r));
    const conflicts: DecisionConflict[] = [];
    const budget = requirements.maxStartupSeconds;
    if (vmRules.length > 0) {
      if (budget !== undefined && budget < IsolationAdvisor.VM_BOOT_SECONDS) {
        conflicts.push({
          ruleId: 'startup-budget',
          text: `A VM is required, and it takes about ${IsolationAdvisor.VM_BOOT_SECONDS} s to boot, but the app can afford ${budget} s: ` +
            'the budget cannot be met. Keep the VM running (long-lived) or relax maxStartupSeconds.',
        });
      }
      return {
        isolation: Isolation.VM,
        reasons: vmRules.map((rule) => ({ ruleId: rule.id, text: rule.text })),
        conflicts,
        dockerAllowed: vmRules.every((rule) => rule.dockerAllowed),
        supported: vmRules.every((rule) => rule.supported(r)),
      };
    }
    const reasons: DecisionReason[] = [
      {
        ruleId: 'single-process',
        text: 'A single Linux process needs no kernel of its own: cgroups limit what it may use, namespaces what it may see, seccomp which kernel calls it may make.',
      },
      {
        ruleId: 'fast-start',
        text: `A container starts in about ${IsolationAdvisor.CONTAINER_START_SECONDS} s against tens of seconds for a VM.`,
      },
      {
        ruleId: 'dense-packing',
        text: 'No guest OS per app: containers share hosts and pack densely.',
      },
    ];
    if (r.lifetime === Lifetime.EPHEMERAL) {
      reasons.push({ ruleId: 'ephemeral', text: 'An ephemeral app is created and removed often, which containers do in seconds.' });
    }
    if (budget !== undefined && budget < IsolationAdvisor.CONTAINER_START_SECONDS) {
      conflicts.push({
        ruleId: 'startup-budget',
        text: `Even a container takes about ${IsolationAdvisor.CONTAINER_START_SECONDS} s to start, but the app can afford ${budget} s: ` +
          'the budget cannot be met. Keep the container running or relax maxStartupSeconds.',
      });
    }
    return { isolation: Isolation.CONTAINER, reasons, conflicts, dockerAllowed: true, supported: true };
  }

  private static resolve(q: AppRequirements, path: string) {
    if (q === null || typeof q !== 'object') {
      throw new IsolationError(path, 'requirements', 'must be an object', q, 'Describe the app, e.g. { scope: AppScope.PROCESS }.');
    }
    if (q.maxStartupSeconds !== undefined) Check.numberInRange(path, 'requirements.maxStartupSeconds', q.maxStartupSeconds, 0, 86400);
    if (q.memoryMiB !== undefined) Check.integerInRange(path, 'requirements.memoryMiB', q.memoryMiB, 6, 4 * 1024 * 1024);
    if (q.cpus !== undefined) Check.numberInRange(path, 'requirements.cpus', q.cpus, 0, 1024);
    if (q.privilegedHostAccess !== undefined && typeof q.privilegedHostAccess !== 'boolean') {
      throw new IsolationError(path, 'requirements.privilegedHostAccess', 'must be true or false', q.privilegedHostAccess, 'Use a boolean (default false).');
    }
    return {
      scope: Check.oneOf(path, 'requirements.scope', q.scope ?? AppScope.PROCESS, Object.values(AppScope)),
      operatingSystem: Check.oneOf(path, 'requirements.operatingSystem', q.operatingSystem ?? OperatingSystem.LINUX, Object.values(OperatingSystem)),
      kernel: Check.oneOf(path, 'requirements.kernel', q.kernel ?? KernelNeed.SHARED, Object.values(KernelNeed)),
      privilegedHostAccess: q.privilegedHostAccess ?? false,
      tenancy: Check.oneOf(path, 'requirements.tenancy', q.tenancy ?? Tenancy.TRUSTED, Object.values(Tenancy)),
      lifetime: Check.oneOf(path, 'requirements.lifetime', q.lifetime ?? Lifetime.LONG_LIVED, Object.values(Lifetime)),
    };
  }

  private constructor() {}
}
