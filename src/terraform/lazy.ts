import { IResolvable, IResolveContext, Token } from 'cdktf';
import { IsolationError } from '../private/errors';

/**
 * A value computed when the stack is resolved, as cdktf's `Lazy` is, but
 * without a stack trace: every cdktf token (`Lazy`, a reference, a
 * function call) captures an unlimited stack trace when it is created, and
 * the library makes several per host (its user data, digests, document,
 * timeout, replace triggers), which at 1,000 containers cost tens of
 * milliseconds of synthesis (bench/RESULTS.md). The creation stack only
 * ever decorated cdktf's rewrite of an error thrown while resolving
 * (`Resolution error: <message>.` plus the stack); the library's own
 * errors do not reach that rewrite (see `lazyString`).
 */
class Produced implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly produce: (context: IResolveContext) => unknown) {}

  public resolve(context: IResolveContext): unknown {
    return this.produce(context);
  }

  public toString(): string {
    return Token.asString(this);
  }

  /** What `JSON.stringify` writes for it, as for cdktf's Lazy. */
  public toJSON(): string {
    return '<unresolved-lazy>';
  }
}

/** A string token whose value `produce` computes when the stack is resolved (cdktf's `Lazy.stringValue`, without a stack trace). */
export function producedString(produce: () => string | undefined): string {
  return Token.asString(new Produced(produce));
}

/** A token of any value (a list, an expression) that `produce` computes when the stack is resolved (cdktf's `Lazy.anyValue`, without a stack trace). */
export function producedValue(produce: () => unknown): IResolvable {
  return new Produced(produce);
}

/**
 * A lazy string whose producer may throw the library's `IsolationError`
 * (user data that does not fit EC2's limit, say), for a construct that
 * also checks the same thing in a validation.
 *
 * `App.synth` on cdktf and cdktn, and cdktn's `Testing.synth(stack, true)`,
 * resolve the whole stack once while preparing, before they run the
 * validations, and rewrite the message of an error thrown there to
 * `Resolution error: <message>.` (plus the token's creation stack, which
 * these tokens leave empty).
 * While preparing, this producer gives `undefined` instead, so that the
 * validation, which runs next, fails synthesis with the `IsolationError`
 * as it is (the one shape of the library's errors, on both engines). The
 * final resolution (also the one of a synthesis that skips validation)
 * still throws it.
 */
export function lazyString(produce: () => string | undefined): string {
  return Token.asString(new Produced(unlessPreparing(produce)));
}

/** `lazyString` for a number. */
export function lazyNumber(produce: () => number | undefined): number {
  return Token.asNumber(new Produced(unlessPreparing(produce)));
}

/** A producer that gives `undefined` for the library's error while the engine prepares, and throws it otherwise. */
function unlessPreparing<T>(produce: () => T | undefined): (context: IResolveContext) => T | undefined {
  return (context) => {
    try {
      return produce();
    } catch (e) {
      if (context.preparing && e instanceof IsolationError) return undefined;
      throw e;
    }
  };
}

/**
 * A large string computed when the stack is resolved (user data, a
 * document's content), for a provider attribute typed `string`: the
 * resource's prop holds `token` (a `lazyString`, so its `*Input` getter and
 * any string use of it behave as before), and the resource's own
 * `synthesizeAttributes` calls `substitute`, which puts the resolvable
 * itself in place of that token. Same Terraform JSON; the difference is
 * what cdktf scans: a string holding a token is scanned again for number
 * tokens after the token's value is put into it, so a 10-40 KB text was
 * scanned twice per resolution pass (prepare, the element, the stack); a
 * resolvable object's value is scanned once. About 15-20 ms of synthesis
 * at 1,000 containers (bench/RESULTS.md, run of 2026-12-03 07:31).
 */
export class LazyText {
  /** The string token for the resource's typed prop. */
  public readonly token: string;
  private readonly value: Produced;

  constructor(produce: () => string | undefined) {
    this.value = new Produced(unlessPreparing(produce));
    this.token = Token.asString(this.value);
  }

  /**
   * `attributes` (what the resource synthesizes) with `name` set to the
   * resolvable where it still holds `token` (a value the user set through
   * the resource's setter is left as it is).
   */
  public substitute(attributes: { [name: string]: unknown }, name: string): { [name: string]: unknown } {
    if (attributes[name] === this.token) attributes[name] = this.value;
    return attributes;
  }
}
