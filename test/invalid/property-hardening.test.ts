/* eslint-disable no-bitwise -- networks are built from shifted octets. */
// Property tests for the classes of bad input hardened in one place:
// capability lists (dangerous capabilities need a reason and are reported),
// and every spelling of a network (judged by the network, not the text).
import * as fc from 'fast-check';
import { ContainerImage, ContainerOnVm, VmHost } from '../../src';
import { CAPABILITIES, DANGEROUS_CAPABILITIES } from '../../src/core/capabilities';
import { coversFamily, parseCidr } from '../../src/core/cidr';
import { ContainerSpec } from '../../src/core/container-spec';
import { Ingress } from '../../src/core/ingress';
import { Protocol } from '../../src/core/network';
import { PolicyRules } from '../../src/policy/rules';
import { IsolationError } from '../../src/private/errors';
import { awsStack, errorOf } from '../helpers/synth';
import { runChecks } from '../policy/checks';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2147483647;
const RUNS = Number(process.env.FC_RUNS ?? 300);
const image = ContainerImage.fromRegistry('nginx:1.27');
const DANGEROUS = Object.keys(DANGEROUS_CAPABILITIES);

describe(`capability lists (seed ${SEED})`, () => {
  const capsArb = fc.uniqueArray(fc.constantFrom(...CAPABILITIES), { maxLength: 5 })
    .chain((caps) => fc.tuple(fc.constant(caps), fc.array(fc.boolean(), { minLength: caps.length, maxLength: caps.length })))
    .map(([caps, prefixed]) => caps.map((c, i) => (prefixed[i] ? `CAP_${c}` : c)));

  test('a list with a dangerous capability needs unsafeReason and names each; any other list is accepted as is', () => {
    fc.assert(fc.property(capsArb, (capAdd) => {
      const names = capAdd.map((c) => c.replace(/^CAP_/, ''));
      const dangerous = names.filter((c) => DANGEROUS.includes(c));
      const build = (unsafeReason?: string) => ContainerSpec.of({ name: 'c', image, memoryMiB: 64, capAdd, unsafeReason }, 'p/c');
      if (dangerous.length === 0) {
        expect(build().capAdd).toEqual(names);
        return;
      }
      const e = errorOf(() => build());
      expect(e).toBeInstanceOf(IsolationError);
      expect(e.message.startsWith("p/c: 'capAdd' needs 'unsafeReason': ")).toBe(true);
      for (const c of dangerous) expect(e.message).toContain(`${c} ${DANGEROUS_CAPABILITIES[c]}`);
      expect(build('the VPN tunnel configures its own interface').capAdd).toEqual(names);
    }), { numRuns: RUNS, seed: SEED });
  });

  test('IsolationChecks reports CTR-DANGEROUS-CAPABILITIES exactly when a dangerous capability is added, whatever its spelling', () => {
    fc.assert(fc.property(capsArb, fc.boolean(), (capAdd, lower) => {
      const spelled = lower ? capAdd.map((c) => c.toLowerCase()) : capAdd;
      const view = {
        memoryMiB: 64,
        cpuShares: 512,
        user: '1000',
        pidsLimit: 256,
        pidsLimitSupported: true,
        privileged: false,
        capDrop: ['ALL'],
        capAdd: spelled,
        securityOpts: ['no-new-privileges=true'],
        readOnlyRootFilesystem: true,
        hostNetwork: false,
        hostPid: false,
        hostIpc: false,
        hostUts: false,
        hostPaths: [],
        healthCheck: true,
        restart: 'on-failure',
        maxRestarts: 5,
        portHostIps: [],
        rootVolumeNamedVolumes: [],
      };
      const found = PolicyRules.checkContainer(view).map((f) => f.ruleId);
      const dangerous = capAdd.some((c) => DANGEROUS.includes(c.replace(/^CAP_/, '')));
      expect(found).toEqual(dangerous ? ['CTR-DANGEROUS-CAPABILITIES'] : []);
    }), { numRuns: RUNS, seed: SEED });
  });

  test('on a construct: a container with SYS_ADMIN and a reason synthesizes, and the finding stays until acknowledged', () => {
    const { stack } = awsStack();
    new ContainerOnVm(stack, 'vpn', {
      host: new VmHost(stack, 'host'), name: 'vpn', image, memoryMiB: 64, capAdd: ['SYS_ADMIN'], unsafeReason: 'mounts a FUSE file system', healthCheck: { command: ['true'] },
    });
    expect(runChecks(stack).map((f) => f.ruleId)).toEqual(['CTR-DANGEROUS-CAPABILITIES']);
  });
});

/** Spellings of the whole IPv6 internet: `::/0` with zero groups written out, compressed anywhere, padded or not. */
const ipv6ZeroArb = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.array(fc.constantFrom('0', '00', '000', '0000'), { minLength: 8, maxLength: 8 }))
  .map(([at, drop, groups]) => {
    if (at === 8 || drop === 0) return groups.join(':');
    const start = Math.min(at, 7);
    const n = Math.min(Math.max(drop, 1), 8 - start);
    return `${groups.slice(0, start).join(':')}::${groups.slice(start + n).join(':')}`;
  });
const byteArb = fc.integer({ min: 0, max: 255 });
const ipv4Arb = fc.tuple(byteArb, byteArb, byteArb, byteArb).map((b) => b.join('.'));

describe(`network spellings (seed ${SEED})`, () => {
  test('the whole IPv4 internet itself, spelt canonically, is refused for SSH', () => {
    expect(errorOf(() => Ingress.validate('h', { port: 22, cidr: '0.0.0.0/0' })).message).toContain('must not open SSH (port 22) to the whole internet');
  });

  test('every spelling of the whole IPv6 internet is the whole internet, and SSH from it is refused', () => {
    fc.assert(fc.property(ipv6ZeroArb, (address) => {
      const cidr = parseCidr(`${address}/0`);
      expect(cidr?.canonical).toBe('::/0');
      expect(() => Ingress.validate('h', { port: 22, cidr: `${address}/0` })).toThrow(`h: 'ingress.cidr' must not open SSH (port 22) to the whole internet, got "${address}/0".`);
    }), { numRuns: RUNS, seed: SEED });
  });

  test('a /0 of any address is the whole internet: it is refused (host bits set, naming 0.0.0.0/0), as is SSH from its network', () => {
    fc.assert(fc.property(ipv4Arb, (address) => {
      const cidr = parseCidr(`${address}/0`)!;
      expect(cidr.canonical).toBe('0.0.0.0/0');
      if (address === '0.0.0.0') {
        expect(errorOf(() => Ingress.validate('h', { port: 22, cidr: `${address}/0` })).message).toContain('must not open SSH (port 22) to the whole internet');
      } else {
        expect(errorOf(() => Ingress.validate('h', { port: 443, cidr: `${address}/0` })).message).toContain('(it names the network 0.0.0.0/0)');
      }
    }), { numRuns: RUNS, seed: SEED });
  });

  test('a canonical network that is not the whole internet is accepted for SSH, and its spelling round-trips', () => {
    fc.assert(fc.property(ipv4Arb, fc.integer({ min: 1, max: 32 }), (address, prefix) => {
      const network = parseCidr(`${address}/${prefix}`)!.canonical;
      expect(parseCidr(network)!.canonical).toBe(network);
      expect(() => Ingress.validate('h', { port: 22, cidr: network })).not.toThrow();
    }), { numRuns: RUNS, seed: SEED });
  });

  test('networks that together cover every address are the whole internet; any that leave a gap are not', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.boolean(), (bits, leaveGap) => {
      // The 2^bits networks of prefix `bits`, all of them or all but one.
      const blocks = Array.from({ length: 2 ** bits }, (_, i) => parseCidr(`${(i << (32 - bits)) >>> 24}.0.0.0/${bits}`)!);
      const used = leaveGap ? blocks.slice(1) : blocks;
      expect(coversFamily(used, 'ipv4')).toBe(!leaveGap);
    }), { numRuns: 100, seed: SEED });
  });

  test('SSH over any TCP range that holds 22 from a spelling of the whole internet is refused; UDP 22 is not SSH; UDP 3389 is RDP', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 22 }), fc.integer({ min: 22, max: 65535 }), ipv6ZeroArb, (from, to, zero) => {
      const cidr = `${zero}/0`;
      expect(() => Ingress.validate('h', { port: from, toPort: to, cidr })).toThrow(/must not open SSH \(port 22\)/);
      const udp = () => Ingress.validate('h', { port: from, toPort: to, protocol: Protocol.UDP, cidr });
      if (from <= 3389 && 3389 <= to) expect(udp).toThrow(/must not open RDP \(port 3389\)/);
      else expect(udp).not.toThrow();
    }), { numRuns: RUNS, seed: SEED });
  });
});
