/** How serious a finding is. */
export enum FindingLevel {
  /** Stops synthesis. */
  ERROR = 'error',
  /** Reported; synthesis goes on. */
  WARNING = 'warning',
}

/** Public rule ids a rule corresponds to. */
export interface RuleReferences {
  /**
   * CIS Docker Benchmark 1.6.0 items (section 5 numbered as in 1.6.0: 5.1 is swarm mode).
   * @default - none
   */
  readonly cisDocker?: string;
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

/** The findings of `rules` on `subject`. */
export function evaluate<T>(rules: ReadonlyArray<Rule<T>>, subject: T): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const rule of rules) {
    const detail = rule.check(subject);
    if (detail !== undefined) out.push({ ruleId: rule.id, level: rule.level, message: `[${rule.id}] ${rule.finding}: ${detail}. ${rule.explanation}` });
  }
  return out;
}

/** CIS Docker Benchmark 1.6.0 references. */
export function cis(items: string): RuleReferences {
  return { cisDocker: items };
}
