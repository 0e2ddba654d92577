import { deferCheck } from './deferred';
import { IsolationError } from './errors';
import { Tokens } from './tokens';
import { Cidr, hasLeadingZeros, parseCidr, parseIpv4, parseIpv6 } from '../core/cidr';

/**
 * Small validators shared by the core models and the constructs. Each takes
 * the path and prop name so that its error names them.
 *
 * A value that is a token (known at apply: a variable, another resource's
 * attribute, a data source) is returned as it is, and the check is handed
 * to Terraform (src/private/deferred.ts) with the message the error here
 * would have had.
 */
export class Check {
  /** An integer in [min, max] (either bound may be a token). */
  public static integerInRange(path: string, prop: string, value: unknown, min: number, max: number, fix?: string): number {
    // The usual case first, without building a message (ContainerSpec checks a dozen numbers per container).
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max && !isTokenNumber(value) && !isTokenNumber(min) &&
      !isTokenNumber(max)) return value;
    const n = Tokens.numberText;
    const problem = `must be an integer from ${n(min)} to ${n(max)}`;
    const theFix = fix ?? `Use a whole number between ${n(min)} and ${n(max)}.`;
    if (Tokens.isUnresolved(value) || Tokens.isUnresolved(min) || Tokens.isUnresolved(max)) {
      deferCheck({ path, prop, value, problem, fix: theFix, condition: { kind: 'integer-range', min, max } });
      return value as number;
    }
    notNumericString(path, prop, value, `an integer from ${min} to ${max}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new IsolationError(path, prop, problem, value, theFix);
    }
    return value;
  }

  /** A finite number in [min, max]. */
  public static numberInRange(path: string, prop: string, value: unknown, min: number, max: number, fix?: string): number {
    const problem = `must be a number from ${min} to ${max}`;
    const theFix = fix ?? `Use a number between ${min} and ${max}.`;
    if (Tokens.isUnresolved(value)) {
      deferCheck({ path, prop, value, problem, fix: theFix, condition: { kind: 'number-range', min, max } });
      return value as number;
    }
    notNumericString(path, prop, value, `a number from ${min} to ${max}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new IsolationError(path, prop, problem, value, theFix);
    }
    return value;
  }

  /**
   * A value that decides something at synth (a name that names files on
   * the host, an isolation setting, a size the placement packs by) and so
   * must not be a token: an error that says why. A list must be written
   * out (its elements are checked on their own).
   */
  public static known<T>(path: string, prop: string, value: T, why: string): T {
    // A list is known when its elements are listed (they may be tokens); a list token (a data source's ids) is not.
    if (Array.isArray(value) ? Tokens.isListToken(value) : Tokens.isUnresolved(value)) {
      throw new IsolationError(path, prop, `must be known at synth, not a Terraform reference (${why})`, value,
        'Give the value itself in the code, or choose it in TypeScript (e.g. from process.env) rather than in a Terraform variable.');
    }
    return value;
  }

  /**
   * `true` or `false`; undefined gives the default. A token passes through
   * to Terraform unless `synthTime` says why the value must be known at synth.
   */
  public static bool(path: string, prop: string, value: unknown, fallback: boolean, synthTime?: string): boolean {
    if (value === undefined) return fallback;
    if (Tokens.isUnresolved(value)) {
      if (synthTime !== undefined) Check.known(path, prop, value, synthTime);
      return value as boolean;
    }
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
   * An optional object of options (a nested prop such as `dockerDaemon` or
   * `override`): the object, or undefined when it is left out. null, a
   * string, a number or a list is this error, not a TypeError further on.
   */
  public static optionalObject<T>(path: string, prop: string, value: T | undefined | null, example: string): T | undefined {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new IsolationError(path, prop, `must be an object like ${example}, or left out`, value, `Give ${prop} as an object, or leave it out for the defaults.`);
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

  /**
   * A string matching `pattern`. A string with tokens is matched by
   * Terraform's `regex` at plan; the library's patterns are written in the
   * common part of JavaScript's and RE2's syntax (no lookaround, counted
   * repetitions up to 1000).
   */
  public static matches(path: string, prop: string, value: unknown, pattern: RegExp, what: string, fix: string): string {
    if (typeof value === 'string' && Tokens.isUnresolved(value)) {
      deferCheck({ path, prop, value, problem: `must be ${what}`, fix, condition: { kind: 'regex', pattern: pattern.source, flags: pattern.flags } });
      return value;
    }
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new IsolationError(path, prop, `must be ${what}`, value, fix);
    }
    return value;
  }

  /**
   * The KMS key of an EBS volume (a key ARN, id or alias ARN), or undefined
   * for aws/ebs; a token passes through to Terraform, which EC2 checks.
   */
  public static kmsKey(path: string, prop: string, value: string | undefined): string | undefined {
    if (value === undefined || (typeof value === 'string' && Tokens.isUnresolved(value))) return value;
    return Check.matches(path, prop, value, /^\S{1,2048}$/, 'a KMS key ARN, id or alias ARN',
      `Give the key's ARN, or leave ${prop.split('.').pop()} out for aws/ebs.`);
  }

  /**
   * An IPv4 or IPv6 CIDR block naming a network: parsed, so every spelling
   * of one network means the same; host bits set (`10.0.0.1/16`) and
   * octets with leading zeros (read as octal by some tools) are errors that
   * name the network meant.
   */
  public static cidr(path: string, prop: string, value: unknown, notWholeInternet?: { problem: string; fix: string }): Cidr | undefined {
    if (typeof value === 'string' && Tokens.isUnresolved(value)) {
      deferCheck({
        path,
        prop,
        value,
        problem: 'must be an IPv4 or IPv6 CIDR block naming a network (no host bits)',
        fix: "Write an address and prefix length, e.g. '10.0.0.0/16', '203.0.113.7/32' or '2001:db8::/32', with the bits below the prefix zero.",
        condition: { kind: 'cidr', notWholeInternet: false },
      });
      if (notWholeInternet) deferCheck({ path, prop, value, ...notWholeInternet, condition: { kind: 'cidr', notWholeInternet: true } });
      return undefined;
    }
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
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const problem = `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
    if (typeof value === 'string' && Tokens.isUnresolved(value)) {
      deferCheck({ path, prop, value, problem, fix: 'Pick one of the listed values (the enum of this library has them all).', condition: { kind: 'one-of', values: allowed } });
      return value as T;
    }
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
  Check.known(path, prop, value, 'tags are merged with the library\'s own at synth; write the map out, its values may be Terraform references');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new IsolationError(path, prop, 'must be a map of strings', value, `Write ${prop} as { team: 'web' }.`);
  }
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    Check.known(path, `${prop}.${k}`, k, 'tag keys are checked and merged at synth; the values may be Terraform references');
    if (k === '' || k.length > 128) throw new IsolationError(path, `${prop}.${k}`, 'must be a tag key of 1 to 128 characters', k, 'Use a short key such as team.');
    if (typeof v === 'string' && Tokens.isUnresolved(v)) {
      Check.matches(path, `${prop}.${k}`, v, /^[\s\S]{0,256}$/, 'a string of at most 256 characters (an EC2 tag value)', `Give ${k} a shorter value.`);
    } else if (typeof v !== 'string' || v.length > 256) {
      throw new IsolationError(path, `${prop}.${k}`, 'must be a string of at most 256 characters (an EC2 tag value)', v, `Give ${k} a string value.`);
    }
    out[k] = v;
  }
  return out;
}

/**
 * True when a number may be a number token (cdktf's are doubles below
 * -2^992, see isTokenValue in src/terraform/tokens.ts); anything else is
 * known. Asks the registered hooks only for such numbers.
 */
function isTokenNumber(value: number): boolean {
  return value < -1e288 && Tokens.isUnresolved(value);
}

/** A number written as a string (`'128'`) is its own mistake, with its own fix. */
function notNumericString(path: string, prop: string, value: unknown, what: string): void {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    throw new IsolationError(path, prop, `must be ${what}, not a string`, value, `Give a number, not a string: ${Number(value)} instead of ${JSON.stringify(value)}.`);
  }
}
