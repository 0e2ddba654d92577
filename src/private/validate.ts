import { IsolationError } from './errors';

/**
 * Small validators shared by the core models and the constructs. Each takes
 * the path and prop name so that its error names them.
 */
export class Check {
  /** An integer in [min, max]. */
  public static integerInRange(path: string, prop: string, value: unknown, min: number, max: number, fix?: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new IsolationError(path, prop, `must be an integer from ${min} to ${max}`, value,
        fix ?? `Use a whole number between ${min} and ${max}.`);
    }
    return value;
  }

  /** A finite number in [min, max]. */
  public static numberInRange(path: string, prop: string, value: unknown, min: number, max: number, fix?: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new IsolationError(path, prop, `must be a number from ${min} to ${max}`, value,
        fix ?? `Use a number between ${min} and ${max}.`);
    }
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

  /** An IPv4 or IPv6 CIDR block. Returns its family. */
  public static cidr(path: string, prop: string, value: unknown): 'ipv4' | 'ipv6' {
    const family = typeof value === 'string' ? cidrFamily(value) : undefined;
    if (!family) {
      throw new IsolationError(path, prop, 'must be an IPv4 or IPv6 CIDR block', value,
        "Write an address and prefix length, e.g. '10.0.0.0/16', '203.0.113.7/32' or '2001:db8::/32'.");
    }
    return family;
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

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

/** True when `value` is a dotted-quad IPv4 address. */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** True when `value` is an IPv6 address (full, compressed or with an embedded IPv4 tail). */
export function isIpv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || value.includes(':::')) return false;
  const doubleColon = value.split('::');
  if (doubleColon.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(doubleColon[0]);
  const tail = doubleColon.length === 2 ? groups(doubleColon[1]) : [];
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i];
    if (i === all.length - 1 && g.includes('.')) {
      if (!isIpv4(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      count += 1;
    } else {
      return false;
    }
  }
  return doubleColon.length === 2 ? count < 8 : count === 8;
}

/** The family of a CIDR block, or undefined when it is not one. */
export function cidrFamily(value: string): 'ipv4' | 'ipv6' | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  if (isIpv4(m[1]) && prefix <= 32) return 'ipv4';
  if (isIpv6(m[1]) && prefix <= 128) return 'ipv6';
  return undefined;
}
