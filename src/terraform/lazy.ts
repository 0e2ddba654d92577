import { IResolveContext, Lazy } from 'cdktf';
import { IsolationError } from '../private/errors';

/**
 * A lazy string whose producer may throw the library's `IsolationError`
 * (user data that does not fit EC2's limit, say), for a construct that
 * also checks the same thing in a validation.
 *
 * `App.synth` on cdktf and cdktn, and cdktn's `Testing.synth(stack, true)`,
 * resolve the whole stack once while preparing, before they run the
 * validations, and rewrite the message of an error thrown there to
 * `Resolution error: <message>.` plus a stack of the lazy's creation.
 * While preparing, this producer gives `undefined` instead, so that the
 * validation, which runs next, fails synthesis with the `IsolationError`
 * as it is (the one shape of the library's errors, on both engines). The
 * final resolution (also the one of a synthesis that skips validation)
 * still throws it.
 */
export function lazyString(produce: () => string | undefined): string {
  return Lazy.stringValue({ produce: unlessPreparing(produce) });
}

/** `lazyString` for a number. */
export function lazyNumber(produce: () => number | undefined): number {
  return Lazy.numberValue({ produce: unlessPreparing(produce) });
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
