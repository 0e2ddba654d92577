import type { IsolatedAppProps } from './isolated-app';
import { Isolation, IsolationDecision, OperatingSystem } from '../core/advisor';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/** An override of the advisor's decision. */
export interface IsolationOverride {
  /** The isolation the app gets instead. */
  readonly isolation: Isolation;
  /** Why (mandatory, recorded in the report). */
  readonly reason: string;
}

/**
 * An IsolatedApp's decision as the app takes it: what must be known for it,
 * the override that may replace it, and the one line that explains it.
 */
export class AppDecision {
  /** What decides VM or container, the host's size and the report's plan must be known at synth. */
  public static requireKnown(path: string, props: IsolatedAppProps): void {
    for (const [prop, value] of [['requirements.memoryMiB', props.requirements?.memoryMiB], ['requirements.cpus', props.requirements?.cpus],
      ['container.memoryMiB', props.container?.memoryMiB], ['container.cpus', props.container?.cpus], ['replicas', props.replicas],
      ['minReplicas', props.minReplicas], ['maxReplicas', props.maxReplicas]] as Array<[string, unknown]>) {
      Check.known(path, prop, value, 'the app is sized and isolated by it at synth, and the isolation report plans with it');
    }
  }

  /** The isolation the app gets: the decision's, or the override's (checked against the decision). */
  public static isolation(path: string, decision: IsolationDecision, props: IsolatedAppProps): Isolation {
    const o = Check.optionalObject(path, 'override', props.override, "{ isolation: Isolation.VM, reason: 'the vendor supports it on a VM only' }");
    if (o === undefined) return decision.isolation;
    if (!Object.values(Isolation).includes(o.isolation)) {
      throw new IsolationError(path, 'override.isolation', "must be 'vm' or 'container'", o.isolation, 'Use Isolation.VM or Isolation.CONTAINER.');
    }
    if (typeof o.reason !== 'string' || o.reason.trim().length < 10) {
      throw new IsolationError(path, 'override.reason', 'must say why the advice is overridden (at least 10 characters)', o.reason,
        'Write the reason a reviewer should read, e.g. "the vendor only supports this on a VM".');
    }
    // A container needs a Linux kernel: an app for another OS (Windows included) cannot be one.
    const linux = (props.requirements?.operatingSystem ?? OperatingSystem.LINUX) === OperatingSystem.LINUX;
    if (o.isolation === Isolation.CONTAINER && (!decision.supported || !linux)) {
      throw new IsolationError(path, 'override.isolation', `cannot be 'container': ${decision.reasons[0].text}`, o.isolation,
        'Remove the override; the app needs a VM with its own OS.');
    }
    return o.isolation;
  }

  /** The decision in one line, for messages. */
  public static explain(decision: IsolationDecision): string {
    return `${decision.isolation} because ${decision.reasons.map((r) => `${r.ruleId} (${r.text})`).join('; ')}` +
      (decision.conflicts.length ? `; conflicts: ${decision.conflicts.map((c) => c.ruleId).join(', ')}` : '');
  }

  private constructor() {}
}
