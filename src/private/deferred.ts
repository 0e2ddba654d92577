/**
 * Checks that cannot run at synth because a value is only known at apply
 * (a token). A validator that meets a token records what it would have
 * checked, and the construct that owns the value turns each record into a
 * Terraform precondition with the message the synth-time error would have
 * had (src/terraform/preconditions.ts), so `terraform plan` stops with it;
 * where Terraform cannot check it, into a "not checked" warning and a line
 * of the isolation report. Pure.
 */

/** What Terraform must check. Numbers here may be number tokens. */
export type DeferredCondition =
  /** A whole number in [min, max]. */
  | { readonly kind: 'integer-range'; readonly min: number; readonly max: number }
  /** A number in [min, max]. */
  | { readonly kind: 'number-range'; readonly min: number; readonly max: number }
  /** A multiple of `step` (e.g. CPUs in hundredths). */
  | { readonly kind: 'multiple-of'; readonly step: number }
  /** Not equal to `other`. */
  | { readonly kind: 'not-equal'; readonly other: number }
  /** One of `values`. */
  | { readonly kind: 'one-of'; readonly values: readonly string[] }
  /** A match of a regular expression (JavaScript source; RE2, Terraform's `regex`, reads the library's patterns alike), anchored by the pattern. */
  | { readonly kind: 'regex'; readonly pattern: string; readonly flags: string }
  /** A CIDR block naming a network (no host bits); `notWholeInternet` also refuses a /0. */
  | { readonly kind: 'cidr'; readonly notWholeInternet: boolean }
  /** An IPv4 or IPv6 address. */
  | { readonly kind: 'ip-address' }
  /** The CIDR block (the value) is not the whole internet when the port range [fromPort, toPort] (tokens) holds `adminPort`. */
  | { readonly kind: 'admin-source'; readonly adminPort: number; readonly fromPort: number; readonly toPort: number }
  /** No two equal elements (the value is the list). */
  | { readonly kind: 'distinct' }
  /** The sum of `values` plus `plus` is at most `limit` (the value is the sum). */
  | { readonly kind: 'sum-at-most'; readonly values: readonly number[]; readonly plus: number; readonly limit: number }
  /** Nothing Terraform can evaluate: reported as not checked, with why. */
  | { readonly kind: 'not-checked'; readonly why: string };

/** One check left for Terraform. */
export interface DeferredCheck {
  /** Construct path (or model name) of the value, as the synth-time error would name it. */
  readonly path: string;
  /** The prop. */
  readonly prop: string;
  /** The value (a token, or a value that holds one). */
  readonly value: unknown;
  /** The problem the message states when the check fails (as the synth-time error would). */
  readonly problem: string;
  /** The fix. */
  readonly fix: string;
  /** What to check. */
  readonly condition: DeferredCondition;
}

const stack: DeferredCheck[][] = [];

/** Runs `fn` and collects the checks deferred while it runs (a nested collection gets its own). */
export function collectDeferred<T>(fn: () => T): { result: T; checks: DeferredCheck[] } {
  const checks: DeferredCheck[] = [];
  stack.push(checks);
  try {
    return { result: fn(), checks };
  } finally {
    stack.pop();
  }
}

/**
 * Records a check for Terraform. Every model and construct that validates
 * collects (ContainerSpec, the hosts, the pools); a token met outside any
 * collection would be a check that nothing hands to Terraform, so it is an
 * error rather than a silent skip.
 */
export function deferCheck(check: DeferredCheck): void {
  const current = stack[stack.length - 1];
  if (!current) {
    throw new Error(`cdktf-isolation: ${check.path}: '${check.prop}' is only known at apply, and nothing collects the check that it ${check.problem}; ` +
      'validate it inside a construct (or ContainerSpec.of) so the check becomes a Terraform precondition.');
  }
  current.push(check);
}

/**
 * Starts a collection for code that cannot run inside `collectDeferred`'s
 * callback (a constructor assigning its readonly fields); `endDeferred`
 * with the returned list ends it (in a `finally`).
 */
export function beginDeferred(): DeferredCheck[] {
  const checks: DeferredCheck[] = [];
  stack.push(checks);
  return checks;
}

/** Ends the collection `beginDeferred` started. */
export function endDeferred(checks: DeferredCheck[]): void {
  if (stack[stack.length - 1] !== checks) throw new Error('cdktf-isolation: deferred check collections ended out of order');
  stack.pop();
}
