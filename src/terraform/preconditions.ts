import { Annotations, Fn, IResolvable, Op, TerraformResource, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { expressionOf, literalArg } from './tokens';
import { ReportDeferredCheck } from '../core/report';
import { DeferredCheck, DeferredCondition } from '../private/deferred';
import { escapeTerraformTemplate } from '../private/terraform-string';
import { Tokens } from '../private/tokens';

/** A precondition as cdktf's `lifecycle.precondition` takes it. */
export interface TerraformPrecondition {
  /** The condition (an expression). */
  readonly condition: unknown;
  /** The message when it is false. */
  readonly errorMessage: string;
}

const DEFERRED = 'cdktf-isolation:deferred-check';

/** The preconditions the library set on each resource. */
const ours = new WeakMap<TerraformResource, TerraformPrecondition[]>();

/** The value of a check as a Terraform expression. */
function expr(value: unknown): any {
  if (typeof value === 'string') return expressionOf(value);
  return value;
}

/** Terraform's view of a value that may be a string, a number or a list. */
function asString(value: unknown): string {
  return typeof value === 'string' ? expressionOf(value) : Token.asString(value);
}

/** The prefix length of a CIDR expression, as a number (an error, caught by `try`, when it has none). */
function prefixOf(cidr: string): any {
  return Fn.tonumber(Fn.element(Fn.split('/', cidr), 1));
}

/**
 * cdktf's `Op` renders a falsy right operand (`0`) as `undefined`; these
 * put such a literal on the left, where it renders, with the mirrored operator.
 */
const falsy = (x: unknown) => x === 0 || x === '' || x === false;
const gte = (a: any, b: any) => (falsy(b) ? Op.lte(b, a) : Op.gte(a, b));
const lte = (a: any, b: any) => (falsy(b) ? Op.gte(b, a) : Op.lte(a, b));
const gt = (a: any, b: any) => (falsy(b) ? Op.lt(b, a) : Op.gt(a, b));
const eq = (a: any, b: any) => (falsy(b) ? Op.eq(b, a) : Op.eq(a, b));
const neq = (a: any, b: any) => (falsy(b) ? Op.neq(b, a) : Op.neq(a, b));
const add = (a: any, b: any) => (falsy(b) ? Op.add(b, a) : Op.add(a, b));

/** `try(condition, false)`: a value of the wrong shape fails the check instead of erroring in the function. */
function safely(condition: unknown): IResolvable {
  return Fn.try([condition, false]);
}

/**
 * JavaScript's regex source for RE2 (Terraform's `regex`): flags as inline
 * groups. The library's patterns use only syntax both read alike.
 */
export function re2(pattern: string, flags: string): string {
  const inline = [...flags].filter((f) => f === 'i' || f === 's' || f === 'm').join('');
  return `${inline ? `(?${inline})` : ''}${pattern}`;
}

/** The Terraform condition of a deferred check, or undefined when nothing can evaluate it. */
export function conditionOf(check: DeferredCheck): unknown {
  const c: DeferredCondition = check.condition;
  const v = expr(check.value);
  switch (c.kind) {
    case 'integer-range':
      return safely(Op.and(Op.and(gte(v, c.min), lte(v, c.max)), eq(Fn.floor(v), v)));
    case 'number-range':
      return safely(Op.and(gte(v, c.min), lte(v, c.max)));
    case 'multiple-of': {
      // Hundredths: the value times 1/step is whole (Terraform's numbers are exact decimals).
      const scaled = Op.mul(v, 1 / c.step);
      return safely(eq(Fn.floor(scaled), scaled));
    }
    case 'not-equal':
      return safely(neq(v, c.other));
    case 'one-of':
      return safely(Fn.contains(c.values.map(literalArg), v));
    case 'regex':
      return Fn.can(Fn.regex(literalArg(re2(c.pattern, c.flags)), asString(check.value)));
    case 'cidr': {
      const s = asString(check.value);
      if (c.notWholeInternet) return safely(gt(prefixOf(s), 0));
      const single = Fn.format('%s/%s', [Fn.element(Fn.split('/', s), 0), Fn.conditional(Fn.strcontains(s, ':'), '128', '32')]);
      // Terraform's cidrhost reads IPv4 octets with leading zeros; the library refuses them (some tools read them as octal).
      const leadingZeros = Op.and(Op.not(Fn.strcontains(s, ':')), Fn.can(Fn.regex(literalArg('(^|[.])0[0-9]'), s)));
      return safely(Op.and(eq(Fn.cidrhost(s, 0), Fn.cidrhost(single, 0)), Op.not(leadingZeros)));
    }
    case 'ip-address': {
      const s = asString(check.value);
      return Fn.can(Fn.cidrhost(Fn.format('%s/%s', [s, Fn.conditional(Fn.strcontains(s, ':'), '128', '32')]), 0));
    }
    case 'admin-source': {
      const s = asString(check.value);
      const opens = Op.and(lte(c.fromPort, c.adminPort), lte(c.adminPort, c.toPort));
      return safely(Op.or(Op.not(opens), gt(prefixOf(s), 0)));
    }
    case 'distinct':
      return safely(eq(Fn.lengthOf(Fn.distinct(v)), Fn.lengthOf(v)));
    case 'sum-at-most':
      return safely(lte(add(Fn.sum(c.values as number[]), c.plus), c.limit));
    case 'not-checked':
      return undefined;
  }
}

/** The message of a failed check: the synth-time error's, with the value as Terraform resolves it. */
export function messageOf(check: DeferredCheck): string {
  const got = Fn.jsonencode(expr(check.value));
  return `${escapeTerraformTemplate(`${check.path}: '${check.prop}' ${check.problem}`)}, got ${got}. ${escapeTerraformTemplate(check.fix)}`;
}

/**
 * Turns deferred checks into Terraform preconditions on the resource they
 * guard, and checks nothing can evaluate into warnings and report lines.
 */
export class Preconditions {
  /** The Terraform preconditions of `checks` (those Terraform can evaluate). */
  public static of(checks: DeferredCheck[]): TerraformPrecondition[] {
    if (checks.length === 0) return [];
    // A value validated twice on its way (e.g. a rule's network, parsed by two validators) is one precondition.
    const seen = new Set<string>();
    const unique = checks.filter((c) => {
      const key = [c.path, c.prop, c.problem, JSON.stringify(c.condition), String(c.value)].join('\u0000');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return unique.flatMap((check) => {
      const condition = conditionOf(check);
      return condition === undefined ? [] : [{ condition, errorMessage: messageOf(check) }];
    });
  }

  /**
   * Sets the library's preconditions of `resource` to `preconditions`,
   * replacing the ones it set before and keeping any others (a user's own).
   * A resource whose checks change while the tree is built (a host whose
   * containers come and go) calls this again with the new list.
   */
  public static set(resource: TerraformResource, preconditions: TerraformPrecondition[]): void {
    // Nothing of the library's before, nothing now: nothing to change (the usual resource).
    if (preconditions.length === 0 && !ours.has(resource)) return;
    const previous = ours.get(resource) ?? [];
    const others = (resource.lifecycle?.precondition ?? []).filter((p) => !previous.includes(p as TerraformPrecondition));
    const mine = preconditions.map((p) => ({ condition: p.condition, errorMessage: p.errorMessage }));
    ours.set(resource, mine);
    const all = [...others, ...mine];
    if (all.length === 0 && resource.lifecycle === undefined) return;
    resource.lifecycle = { ...resource.lifecycle, precondition: all.length > 0 ? all : undefined };
  }

  /**
   * Records `checks` for the isolation report (each checked by Terraform,
   * or not checked); those nothing can evaluate are also a warning on `scope`.
   */
  public static report(scope: IConstruct, checks: DeferredCheck[]): void {
    for (const check of checks) {
      const why = check.condition.kind === 'not-checked' ? check.condition.why : undefined;
      const entry: ReportDeferredCheck = {
        path: check.path, prop: check.prop, check: textOf(check.problem), checkedBy: why === undefined ? 'terraform' : 'not-checked', ...(why ? { why } : {}),
      };
      scope.node.addMetadata(DEFERRED, entry);
      if (why !== undefined) Annotations.of(scope).addWarning(`${check.path}: '${check.prop}' is not checked: it ${entry.check}, but ${why}.`);
    }
  }

  /** Records a policy rule that could not judge a value known only at apply. */
  public static reportRule(scope: IConstruct, ruleId: string, check: string, why: string): void {
    scope.node.addMetadata(DEFERRED, { path: scope.node.path, prop: ruleId, check, checkedBy: 'not-checked', why } as ReportDeferredCheck);
  }

  /** The checks recorded under `scope`, by path (the isolation report reads them). */
  public static reportedUnder(scope: IConstruct): ReportDeferredCheck[] {
    const all = scope.node.findAll().flatMap((n) => n.node.metadata.filter((m) => m.type === DEFERRED).map((m) => m.data as ReportDeferredCheck));
    const seen = new Set<string>();
    return all.filter((c) => {
      const key = `${c.path}\u0000${c.prop}\u0000${c.check}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }).sort((a, b) => (a.path + a.prop < b.path + b.prop ? -1 : a.path + a.prop > b.path + b.prop ? 1 : 0));
  }

  private constructor() {}
}

/** A problem text with tokens (a bound known at apply) as report text: each token as `<known at apply>`. */
function textOf(problem: string): string {
  return Tokens.fragments(problem).map((f) => f.literal ?? '<known at apply>').join('');
}
