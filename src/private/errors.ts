import { Tokens } from './tokens';

/**
 * The error this library throws for invalid input.
 *
 * Its message always has the same shape, so a person (and a test) can find
 * what was wrong and how to fix it:
 *
 *   `<construct path>: '<prop>' <problem>, got <value>. <fix>`
 */
export class IsolationError extends Error {
  /** Construct path (or model name) where the input was seen. */
  public readonly path: string;
  /** The prop that holds the bad value. */
  public readonly prop: string;

  constructor(path: string, prop: string, problem: string, value: unknown, fix: string) {
    super(`${path}: '${prop}' ${problem}, got ${describeValue(value)}. ${fix}`);
    this.name = 'IsolationError';
    this.path = path;
    this.prop = prop;
  }
}

/** True for a plain object (a map) whose own values hold no token: its keys may (a map token), which describeValue then names. */
function isPlainWithoutToken(value: object): boolean {
  return Object.getPrototypeOf(value) === Object.prototype &&
    !Object.entries(value).some(([k, v]) => Tokens.isUnresolved(k) || Tokens.isUnresolved(v));
}

/** Renders a received value for an error message, bounded in length; a token as what it is, a Terraform reference. */
export function describeValue(value: unknown): string {
  let text: string;
  if (Tokens.isUnresolved(value) && !(typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainWithoutToken(value))) {
    // A token's placeholder means nothing to a reader: say what it is, and keep the literal parts of a string.
    const parts = typeof value === 'string' ? Tokens.fragments(value) : [];
    text = parts.length > 1 || parts.some((p) => p.literal !== undefined)
      ? JSON.stringify(parts.map((p) => p.literal ?? '<Terraform reference>').join(''))
      : 'a Terraform reference';
  } else if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
