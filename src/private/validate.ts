import { IsolationError } from './errors';
import { Cidr, hasLeadingZeros, parseCidr, parseIpv4, parseIpv6 } from '../core/cidr';

/**
 * Small validators shared by the core models and the constructs. Each takes
 * the path and prop name so that its error names them.
 */
export class Check {
  /** An integer in [min, max]. */
  public static integerInRange(path: string, prop: string, value: unknown, min: number, max: number, fix?: string): number {
    notNumericString(path, prop, value, `an integer from ${min} to ${max}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new IsolationError(path, prop, `must be an integer from ${min} to ${max}`, value,
        fix ?? `Use a whole number between ${min} and ${max}.`);
    }
    return value;
  }

  /** A finite number in [min, max]. */
  public static numberInRange(path: string, prop: string, value: unknown, min: number, max: number, fix?: string): number {
    notNumericString(path, prop, value, `a number from ${min} to ${max}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new IsolationError(path, prop, `must be a number from ${min} to ${max}`, value,
        fix ?? `Use a number between ${min} and ${max}.`);
    }
    return value;
  }

  /** `true` or `false`; undefined gives the default. */
  public static bool(path: string, prop: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      const fix = value === 'true' || value === 'false' ? `Give a boolean, not a string: ${value} instead of "${value}".` : `Use true or false (default ${fallback}).`;
      throw new IsolationError(path, prop, 'must be true or false', value, fix);
    }
    return value;
  }

  /**
   * The props object of a construct: an object, or undefined where props are optional.
   * A plain-JavaScript caller who passes null, a string or an array gets this error, not a TypeError.
   */
  public static props<T>(path: string, value: T | undefined | null, example: string, optional: boolean): T {
    if (value === undefined && optional) return {} as T;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new IsolationError(path, 'props', `must be an object${optional ? ' (or left out)' : ''}`, value, `Pass the props as an object, e.g. ${example}.`);
    }
    return value;
  }

  /**
   * A list whose elements are objects (ports, volumes, ingress rules, ...):
   * `ports: [8080]` is an error that shows the shape of an element.
   */
  public static objectList<T>(path: string, prop: string, value: T[] | undefined, example: string): T[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      throw new IsolationError(path, prop, 'must be a list', value, `Write ${prop} as a list of objects, e.g. [${example}].`);
    }
    value.forEach((element, i) => {
      if (element === null || typeof element !== 'object' || Array.isArray(element)) {
        throw new IsolationError(path, `${prop}[${i}]`, `must be an object like ${example}`, element, `Write each element of ${prop} as an object, e.g. ${example}.`);
      }
    });
    return value;
  }

  /** A TCP/UDP port. */
  public static port(path: string, prop: string, value: unknown): number {
    return Check.integerInRange(path, prop, value, 1, 65535, 'Ports are whole numbers from 1 to 65535.');
  }

  /** A non-empty string matching `pattern`. */
  public static matches(path: string, prop: string, value: unknown, pattern: RegExp, what: string, fix: string): string {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new IsolationError(path, prop, `must be ${what}`, value, fix);
    }
    return value;
  }

  /**
   * An IPv4 or IPv6 CIDR block naming a network: parsed, so every spelling
   * of one network means the same; host bits set (`10.0.0.1/16`) and
   * octets with leading zeros (read as octal by some tools) are errors that
   * name the network meant.
   */
  public static cidr(path: string, prop: string, value: unknown): Cidr {
    const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
    if (!cidr) {
      if (typeof value === 'string' && hasLeadingZeros(value)) {
        const [host, prefix] = value.split('/');
        const decimal = host.split('.').map((o) => String(Number(o))).join('.');
        throw new IsolationError(path, prop, 'must not write IPv4 octets with leading zeros (some tools read them as octal)', value,
          `Write the octets in decimal without leading zeros, e.g. '${decimal}${prefix !== undefined ? `/${prefix}` : ''}'.`);
      }
      throw new IsolationError(path, prop, 'must be an IPv4 or IPv6 CIDR block', value,
        "Write an address and prefix length, e.g. '10.0.0.0/16', '203.0.113.7/32' or '2001:db8::/32'.");
    }
    if (cidr.hostBitsSet) {
      throw new IsolationError(path, prop, `must be a network address, but bits below the /${cidr.prefix} prefix are set (it names the network ${cidr.canonical})`, value,
        `Write '${cidr.canonical}' for the network, or a /${cidr.family === 'ipv4' ? 32 : 128} for the one address.`);
    }
    return cidr;
  }

  /** One of the values of a string enum. */
  public static oneOf<T extends string>(path: string, prop: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new IsolationError(path, prop, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value,
        'Pick one of the listed values (the enum of this library has them all).');
    }
    return value as T;
  }
}

/** True when `value` is a dotted-quad IPv4 address. */
export function isIpv4(value: string): boolean {
  return parseIpv4(value) !== undefined;
}

/** True when `value` is an IPv6 address (full, compressed or with an embedded IPv4 tail). */
export function isIpv6(value: string): boolean {
  return parseIpv6(value) !== undefined;
}

/** The family of a CIDR block, or undefined when it is not one. */
export function cidrFamily(value: string): 'ipv4' | 'ipv6' | undefined {
  return parseCidr(value)?.family;
}

/** Tags (a map of strings), validated; the values reach Terraform escaped by the caller. */
export function checkTags(path: string, prop: string, value: unknown): { [key: string]: string } {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new IsolationError(path, prop, 'must be a map of strings', value, `Write ${prop} as { team: 'web' }.`);
  }
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === '' || k.length > 128) throw new IsolationError(path, `${prop}.${k}`, 'must be a tag key of 1 to 128 characters', k, 'Use a short key such as team.');
    if (typeof v !== 'string' || v.length > 256) {
      throw new IsolationError(path, `${prop}.${k}`, 'must be a string of at most 256 characters (an EC2 tag value)', v, `Give ${k} a string value.`);
    }
    out[k] = v;
  }
  return out;
}

/** A number written as a string (`'128'`) is its own mistake, with its own fix. */
function notNumericString(path: string, prop: string, value: unknown, what: string): void {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    throw new IsolationError(path, prop, `must be ${what}, not a string`, value, `Give a number, not a string: ${Number(value)} instead of ${JSON.stringify(value)}.`);
  }
}
