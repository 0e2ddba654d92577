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

/** Renders a received value for an error message, bounded in length. */
export function describeValue(value: unknown): string {
  let text: string;
  if (value === undefined) {
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
