/** How serious a finding is. */
export enum FindingLevel {
  /** Stops synthesis. */
  ERROR = 'error',
  /** Reported; synthesis goes on. */
  WARNING = 'warning',
  /**
   * The rule could not judge a value known only at apply (a Terraform
   * reference): reported once, as information, never as a finding.
   */
  NOT_CHECKED = 'not-checked',
}

/**
 * A value of a view that is known only at apply: a Terraform expression
 * (`${var.x}`) in the resolved configuration, or a token in a spec. A rule
 * that reads one is reported as not checked instead of judging it.
 */
export class Unknown {
  /** True when `value` is an Unknown. */
  public static is(value: unknown): value is Unknown {
    return value instanceof Unknown;
  }

  /**
   * @param expression the expression, for the message
   */
  constructor(public readonly expression: string) {}

  /** The expression. */
  public toString(): string {
    return this.expression;
  }
}

/** Public rule ids a rule corresponds to. */
export interface RuleReferences {
  /**
   * CIS Docker Benchmark 1.6.0 items (section 5 numbered as in 1.6.0: 5.1 is swarm mode).
   * @default - none
   */
  readonly cisDocker?: string;
  /**
   * CIS NGINX Benchmark items (for the host's reverse proxy).
   * @default - none
   */
  readonly cisNginx?: string;
  /**
   * checkov check ids.
   * @default - none
   */
  readonly checkov?: string[];
  /**
   * trivy (tfsec) check ids.
   * @default - none
   */
  readonly trivy?: string[];
}

/** What a rule is, for RULES.md and for findings. */
export interface PolicyRuleInfo {
  /** Stable id. */
  readonly id: string;
  /** The short finding. */
  readonly finding: string;
  /** Why it matters and how to fix it. */
  readonly explanation: string;
  /** Level. */
  readonly level: FindingLevel;
  /** Public ids. */
  readonly references: RuleReferences;
  /** What it inspects. */
  readonly subject: string;
}

/** One finding. */
export interface PolicyFinding {
  /** The rule. */
  readonly ruleId: string;
  /** Level. */
  readonly level: FindingLevel;
  /** `[ID] finding: detail. explanation` */
  readonly message: string;
}

/** A rule: its description and a pure check that returns the detail of a finding, or undefined. */
export interface Rule<T> extends PolicyRuleInfo {
  readonly check: (subject: T) => string | undefined;
}

/**
 * The findings of `rules` on `subject`. A rule that reads a value known
 * only at apply (an Unknown) gives one NOT_CHECKED finding, whatever it
 * concluded: its answer would rest on a placeholder.
 */
export function evaluate<T>(rules: ReadonlyArray<Rule<T>>, subject: T): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const rule of rules) {
    const unknowns: Unknown[] = [];
    const detail = rule.check(tracked(subject, unknowns));
    if (unknowns.length > 0) {
      out.push({
        ruleId: rule.id,
        level: FindingLevel.NOT_CHECKED,
        message: `[${rule.id}] not checked: whether ${rule.finding} depends on ${unknowns.map((u) => u.expression).filter((e, i, all) => all.indexOf(e) === i).join(', ')}, known only at apply`,
      });
    } else if (detail !== undefined) {
      out.push({ ruleId: rule.id, level: rule.level, message: `[${rule.id}] ${rule.finding}: ${detail}. ${rule.explanation}` });
    }
  }
  return out;
}

/** `subject` behind proxies that note every Unknown a rule reads (objects and arrays, to any depth). */
function tracked<T>(subject: T, unknowns: Unknown[]): T {
  const wrap = (value: unknown): unknown => {
    if (Unknown.is(value)) {
      unknowns.push(value);
      return value;
    }
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value as object, { get: (target, key, receiver) => wrap(Reflect.get(target, key, receiver)) });
  };
  return wrap(subject) as T;
}

/** CIS Docker Benchmark 1.6.0 references. */
export function cis(items: string): RuleReferences {
  return { cisDocker: items };
}
