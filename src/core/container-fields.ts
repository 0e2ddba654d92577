import { createHash } from 'node:crypto';
import { CAPABILITIES } from './capabilities';
import { ContainerOptions, ZeroDowntime } from './container-options';
import type { NameValue, ResolvedPort, ResolvedZeroDowntime } from './container-spec-types';
import { Protocol } from './network';
import { DeferredCheck } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';

/*
 * Validation of a container's fields that ContainerSpec (container-spec.ts)
 * resolves: zero-downtime settings and their loopback ports, absolute
 * paths, argv lists, name-value maps, capability lists. Pure.
 */

/** Where the loopback ports of zero-downtime versions start: below Linux's ephemeral range (32768-60999), above most services. */
const UPSTREAM_BASE = 20000;
/** How many pairs of loopback ports the names spread over. */
const UPSTREAM_PAIRS = 5000;
const HEALTH_PATH = /^\/[A-Za-z0-9._~\/?=&%+-]{0,200}$/;
const ZERO_DOWNTIME = 'it is rendered into the host\'s reverse proxy configuration at synth';

/** The two loopback ports of a zero-downtime container: a pair picked by the SHA-256 of its name. */
export function upstreamPortsOf(name: string): number[] {
  const h = createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0);
  const base = UPSTREAM_BASE + 2 * (h % UPSTREAM_PAIRS);
  return [base, base + 1];
}

export function zeroDowntimeOf(path: string, z: ZeroDowntime, ports: readonly ResolvedPort[], name: string): ResolvedZeroDowntime {
  Check.known(path, 'zeroDowntime', z, ZERO_DOWNTIME);
  if (z === null || typeof z !== 'object' || Array.isArray(z)) {
    throw new IsolationError(path, 'zeroDowntime', 'must be an object like { containerPort: 8080 }', z,
      'Name the HTTP port the proxy serves, e.g. { containerPort: 8080, healthPath: \'/healthz\' }.');
  }
  const containerPort = Check.port(path, 'zeroDowntime.containerPort', Check.known(path, 'zeroDowntime.containerPort', z.containerPort, ZERO_DOWNTIME));
  const i = ports.findIndex((p) => p.containerPort === containerPort && p.protocol === Protocol.TCP);
  if (i < 0) {
    const udp = ports.findIndex((p) => p.containerPort === containerPort);
    if (udp >= 0) {
      throw new IsolationError(path, 'zeroDowntime.containerPort',
        `must be an HTTP port, but ports[${udp}] publishes ${containerPort} over ${ports[udp].protocol} (the proxy cuts over HTTP only, not TCP or UDP services)`, containerPort,
        `Remove zeroDowntime (an update of a ${ports[udp].protocol} port stops the old container before it starts the new one), or publish the HTTP port over TCP.`);
    }
    throw new IsolationError(path, 'zeroDowntime.containerPort', 'must be one of the container\'s published ports (ports[].containerPort, over TCP)', containerPort,
      `Publish the HTTP port, e.g. ports: [{ containerPort: ${containerPort}, hostPort: 80, hostIp: '0.0.0.0' }].`);
  }
  const p = ports[i];
  Check.known(path, `ports[${i}].hostPort`, p.hostPort, ZERO_DOWNTIME);
  Check.known(path, `ports[${i}].hostIp`, p.hostIp, ZERO_DOWNTIME);
  const healthPath = Check.matches(path, 'zeroDowntime.healthPath', Check.known(path, 'zeroDowntime.healthPath', z.healthPath ?? '/', ZERO_DOWNTIME), HEALTH_PATH,
    'an absolute URL path (letters, digits and . _ ~ / ? = & % + -; at most 201 characters)', "Give the path of the app's health endpoint, e.g. '/healthz'.");
  const drainSeconds = Check.integerInRange(path, 'zeroDowntime.drainSeconds', Check.known(path, 'zeroDowntime.drainSeconds', z.drainSeconds ?? 10, ZERO_DOWNTIME), 0, 300,
    'Give whole seconds from 0 to 300 (default 10): the longest request the old version may still be serving.');
  const maxRequestBodyMiB = Check.integerInRange(path, 'zeroDowntime.maxRequestBodyMiB',
    Check.known(path, 'zeroDowntime.maxRequestBodyMiB', z.maxRequestBodyMiB ?? 10, ZERO_DOWNTIME), 1, 10240, 'Give whole MiB from 1 to 10240 (default 10).');
  const timeoutSeconds = Check.integerInRange(path, 'zeroDowntime.timeoutSeconds', Check.known(path, 'zeroDowntime.timeoutSeconds', z.timeoutSeconds ?? 60, ZERO_DOWNTIME), 1, 3600,
    'Give whole seconds from 1 to 3600 (default 60).');
  return {
    containerPort,
    hostIp: p.hostIp,
    hostPort: p.hostPort,
    healthPath,
    drainSeconds,
    maxRequestBodyMiB,
    timeoutSeconds,
    upstreamPorts: upstreamPortsOf(name),
  };
}

export function valueOf(o: ContainerOptions, prop: string): unknown {
  const m = /^volumes\[(\d+)\]\.source$/.exec(prop);
  if (m) return o.volumes![Number(m[1])].source;
  return (o as unknown as Record<string, unknown>)[prop];
}


/** A normalized absolute path (no '.', '..', '//', trailing '/', ':', ',', line break or NUL), for Terraform's regex when the path is a token. */
const ABSOLUTE_PATH = /^(?:\/|(?:\/(?:[^/.\x00\n:,][^/\x00\n:,]*|\.[^/.\x00\n:,][^/\x00\n:,]*|\.\.[^/\x00\n:,]+))+)$/;

export function absolutePath(path: string, prop: string, value: unknown): string {
  if (typeof value === 'string' && Tokens.isUnresolved(value)) {
    return Check.matches(path, prop, value, ABSOLUTE_PATH, "a normalized absolute path (no '.', '..', '//', ':' or ',')", "Write the path from the root, e.g. '/srv/data'.");
  }
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').some((s) => s === '..' || s === '.') ||
    /[\0\n:,]/.test(value) || (value.length > 1 && value.endsWith('/')) || value.includes('//')) {
    throw new IsolationError(path, prop, "must be a normalized absolute path (no '.', '..', '//', ':' or ',')", value,
      "Write the path from the root, e.g. '/srv/data'.");
  }
  return value;
}

export function argvList(path: string, prop: string, value: unknown, allowEmpty: boolean): string[] {
  if (Tokens.isListToken(value)) {
    Check.known(path, prop, value, 'its words are quoted one by one at synth; its elements may be Terraform references');
  }
  if (!Array.isArray(value) || (!allowEmpty && value.length === 0) || value.some((a) => typeof a !== 'string' || a.includes('\0'))) {
    throw new IsolationError(path, prop, `must be a${allowEmpty ? '' : ' non-empty'} list of strings (an argv, no NUL bytes)`, value,
      "Split the command into its words, e.g. ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'].");
  }
  return [...value];
}

export function stringMap(path: string, prop: string, value: unknown, keyPattern: RegExp, keyWhat: string): NameValue[] {
  if (value === undefined) return [];
  Check.known(path, prop, value, 'its names are checked and sorted at synth; write the map out, its values may be Terraform references');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new IsolationError(path, prop, 'must be a map of strings', value, `Write ${prop} as { NAME: 'value' }.`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) {
    // The key's prop is named only for an error (most maps are a handful of known names).
    if (Tokens.isUnresolved(k)) Check.known(path, `${prop}.${k}`, k, 'names are checked and sorted at synth; the values may be Terraform references');
    if (!keyPattern.test(k)) throw new IsolationError(path, `${prop}.${k}`, `must be named with ${keyWhat}`, k, 'Rename it, e.g. DATABASE_URL.');
    if (v === undefined || v === null) {
      throw new IsolationError(path, `${prop}.${k}`, 'must have a value', v, `Give ${k} a string value, or leave it out of ${prop}.`);
    }
    if (typeof v !== 'string') {
      const fix = typeof v === 'number' || typeof v === 'boolean' ? `Give a string: '${String(v)}' instead of ${String(v)}.` : `Give ${k} a string value.`;
      throw new IsolationError(path, `${prop}.${k}`, 'must be a string', v, fix);
    }
    if (!Tokens.isUnresolved(v) && v.includes('\0')) {
      throw new IsolationError(path, `${prop}.${k}`, 'must not hold a NUL byte', v, 'Remove the NUL byte: a process environment cannot carry one.');
    }
  }
  return (entries as Array<[string, string]>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, v]) => ({ name, value: v }));
}

export function capabilityList(path: string, prop: string, value: unknown, allowAll: boolean): string[] {
  if (!Array.isArray(value)) throw new IsolationError(path, prop, 'must be a list of capability names', value, "Write e.g. ['NET_BIND_SERVICE'].");
  return value.map((c) => {
    const name = typeof c === 'string' ? c.replace(/^CAP_/, '') : c;
    if (typeof name !== 'string' || !(CAPABILITIES.includes(name) || name === 'ALL')) {
      throw new IsolationError(path, prop, 'must list Linux capabilities (capabilities(7), without CAP_)', c,
        `Use names such as NET_BIND_SERVICE or CHOWN${allowAll ? ", or 'ALL'" : ''}.`);
    }
    return name;
  });
}

/** The deferred checks of an image made outside any construct (ContainerImage.fromEcr with tokens), which the spec takes over. */
export function deferredOfImage(image: unknown): DeferredCheck[] {
  const checks = (image as { _deferred?: DeferredCheck[] } | undefined)?._deferred;
  return Array.isArray(checks) ? checks : [];
}
