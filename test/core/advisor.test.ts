import {
  AppRequirements, AppScope, Isolation, IsolationAdvisor, KernelNeed, Lifetime, OperatingSystem, Tenancy,
} from '../../src/core/advisor';
import { IsolationError } from '../../src/private/errors';
import { errorOf } from '../helpers/synth';

const CONTAINER_REASONS = ['single-process', 'fast-start', 'dense-packing'];

/** [case, requirements, isolation, reason ids, conflict ids, dockerAllowed, supported] */
const TABLE: Array<[string, AppRequirements, Isolation, string[], string[], boolean, boolean]> = [
  ['defaults', {}, Isolation.CONTAINER, CONTAINER_REASONS, [], true, true],
  ['explicit defaults', { scope: AppScope.PROCESS, operatingSystem: OperatingSystem.LINUX, kernel: KernelNeed.SHARED, privilegedHostAccess: false, tenancy: Tenancy.TRUSTED, lifetime: Lifetime.LONG_LIVED },
    Isolation.CONTAINER, CONTAINER_REASONS, [], true, true],
  ['ephemeral', { lifetime: Lifetime.EPHEMERAL }, Isolation.CONTAINER, [...CONTAINER_REASONS, 'ephemeral'], [], true, true],
  ['windows', { operatingSystem: OperatingSystem.WINDOWS }, Isolation.VM, ['non-linux-os'], [], false, true],
  ['other OS', { operatingSystem: OperatingSystem.OTHER }, Isolation.VM, ['non-linux-os'], [], false, false],
  ['own kernel', { kernel: KernelNeed.OWN }, Isolation.VM, ['own-kernel'], [], false, true],
  ['privileged host access', { privilegedHostAccess: true }, Isolation.VM, ['privileged-host-access'], [], false, true],
  ['untrusted tenancy', { tenancy: Tenancy.UNTRUSTED }, Isolation.VM, ['untrusted-tenancy'], [], true, true],
  ['whole system', { scope: AppScope.SYSTEM }, Isolation.VM, ['whole-system'], [], false, true],
  ['every VM rule, in rule order', { scope: AppScope.SYSTEM, tenancy: Tenancy.UNTRUSTED, privilegedHostAccess: true, kernel: KernelNeed.OWN, operatingSystem: OperatingSystem.WINDOWS },
    Isolation.VM, ['non-linux-os', 'own-kernel', 'privileged-host-access', 'untrusted-tenancy', 'whole-system'], [], false, true],
  ['every VM rule on another OS: not supported', { scope: AppScope.SYSTEM, tenancy: Tenancy.UNTRUSTED, operatingSystem: OperatingSystem.OTHER },
    Isolation.VM, ['non-linux-os', 'untrusted-tenancy', 'whole-system'], [], false, false],
  ['untrusted and whole system: Docker not allowed', { tenancy: Tenancy.UNTRUSTED, scope: AppScope.SYSTEM }, Isolation.VM, ['untrusted-tenancy', 'whole-system'], [], false, true],
  ['VM under a tight startup budget: conflict', { kernel: KernelNeed.OWN, maxStartupSeconds: 5 }, Isolation.VM, ['own-kernel'], ['startup-budget'], false, true],
  ['VM at exactly the boot estimate: no conflict', { kernel: KernelNeed.OWN, maxStartupSeconds: 60 }, Isolation.VM, ['own-kernel'], [], false, true],
  ['container under a 5 s budget: fine', { maxStartupSeconds: 5 }, Isolation.CONTAINER, CONTAINER_REASONS, [], true, true],
  ['container under a sub-second budget: conflict', { maxStartupSeconds: 0.5 }, Isolation.CONTAINER, CONTAINER_REASONS, ['startup-budget'], true, true],
  ['memory and CPUs do not change the decision', { memoryMiB: 65536, cpus: 16 }, Isolation.CONTAINER, CONTAINER_REASONS, [], true, true],
];

describe('IsolationAdvisor.decide', () => {
  test.each(TABLE)('%s', (_name, requirements, isolation, reasons, conflicts, dockerAllowed, supported) => {
    const d = IsolationAdvisor.decide(requirements);
    expect({
      isolation: d.isolation,
      reasons: d.reasons.map((r) => r.ruleId),
      conflicts: d.conflicts.map((c) => c.ruleId),
      dockerAllowed: d.dockerAllowed,
      supported: d.supported,
    }).toEqual({ isolation, reasons, conflicts, dockerAllowed, supported });
    for (const r of d.reasons) expect(r.text).toMatch(/^[A-Z].*\.$/);
  });

  test('the texts a person reads', () => {
    expect(IsolationAdvisor.decide({ operatingSystem: OperatingSystem.WINDOWS }).reasons[0].text).toBe(
      'Docker builds on Linux kernel features (namespaces, cgroups, seccomp), so an app for another operating system needs a VM with its own OS.');
    expect(IsolationAdvisor.decide({ tenancy: Tenancy.UNTRUSTED, maxStartupSeconds: 5 }).conflicts).toEqual([{
      ruleId: 'startup-budget',
      text: 'A VM is required, and it takes about 60 s to boot, but the app can afford 5 s: the budget cannot be met. Keep the VM running (long-lived) or relax maxStartupSeconds.',
    }]);
    expect(IsolationAdvisor.decide({}).reasons[1].text).toBe('A container starts in about 1 s against tens of seconds for a VM.');
  });

  test.each([
    [{ scope: 'cluster' as AppScope }, "app: 'requirements.scope' must be one of 'process', 'system', got \"cluster\"."],
    [{ operatingSystem: 'macos' as OperatingSystem }, "app: 'requirements.operatingSystem' must be one of 'linux', 'windows', 'other', got \"macos\"."],
    [{ kernel: 'custom' as KernelNeed }, "app: 'requirements.kernel' must be one of 'shared', 'own', got \"custom\"."],
    [{ tenancy: 'public' as Tenancy }, "app: 'requirements.tenancy' must be one of 'trusted', 'untrusted', got \"public\"."],
    [{ lifetime: 'forever' as Lifetime }, "app: 'requirements.lifetime' must be one of 'ephemeral', 'long-lived', got \"forever\"."],
    [{ maxStartupSeconds: -1 }, "app: 'requirements.maxStartupSeconds' must be a number from 0 to 86400, got -1."],
    [{ memoryMiB: 1.5 }, "app: 'requirements.memoryMiB' must be an integer from 6 to 4194304, got 1.5."],
    [{ cpus: -2 }, "app: 'requirements.cpus' must be a number from 0 to 1024, got -2."],
    [{ privilegedHostAccess: 'yes' as any }, "app: 'requirements.privilegedHostAccess' must be true or false, got \"yes\"."],
  ])('rejects %j', (requirements, message) => {
    const e = errorOf(() => IsolationAdvisor.decide(requirements, 'app'));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message.slice(0, message.length)).toBe(message);
  });
});
