import { FindingLevel, Rule } from './rule';
import { Cidr, coversFamily, IpFamily, parseCidr } from '../../core/cidr';

/** One inbound rule, from whichever resource declares it. */
export interface IngressView {
  /** Source CIDR blocks. */
  readonly cidrs: string[];
  /** First port (-1 or 0 with protocol -1 means every port). */
  readonly fromPort?: number;
  /** Last port. */
  readonly toPort?: number;
  /** Protocol (`tcp`, `udp`, `-1`, `all`, a protocol number, ...). */
  readonly protocol: string;
}

/** The protocols by name, number and the spellings of "all" that AWS accepts. */
function protocolOf(text: string): 'tcp' | 'udp' | 'all' | 'other' {
  const p = text.trim().toLowerCase();
  if (p === '-1' || p === 'all') return 'all';
  if (p === 'tcp' || p === '6') return 'tcp';
  if (p === 'udp' || p === '17') return 'udp';
  return 'other';
}

/** The families whose every address the blocks reach (parsed: `0::0/0`, `1.2.3.4/0` and `0.0.0.0/1` + `128.0.0.0/1` count). */
function wholeInternetOf(cidrs: string[]): string[] {
  const parsed = cidrs.map((c) => parseCidr(c)).filter((c): c is Cidr => c !== undefined);
  return (['ipv4', 'ipv6'] as IpFamily[]).filter((f) => coversFamily(parsed, f))
    .map((f) => cidrs.filter((c) => parseCidr(c)?.family === f).join(' + '));
}

/** Ingress rules. */
export const INGRESS_RULES: ReadonlyArray<Rule<IngressView>> = [
  {
    id: 'HOST-ADMIN-INGRESS',
    subject: 'aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule',
    level: FindingLevel.ERROR,
    finding: 'SSH, RDP or every port is open to the whole internet',
    explanation: 'Ingress from the whole internet (0.0.0.0/0, ::/0, any other spelling of them, or blocks that add up to them) to SSH (tcp 22), ' +
      'RDP (tcp and udp 3389) or every port invites brute force and exploits. Use SSM Session Manager, or allow only your own network.',
    references: { checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_277'], trivy: ['AVD-AWS-0107'] },
    check: (r) => {
      const world = wholeInternetOf(r.cidrs);
      if (world.length === 0) return undefined;
      const protocol = protocolOf(r.protocol);
      const from = r.fromPort ?? 0;
      const to = r.toPort ?? 65535;
      if (protocol === 'all' || ((protocol === 'tcp' || protocol === 'udp') && from <= 0 && to >= 65535)) return `every port is open to ${world.join(', ')}`;
      const admin = [{ port: 22, protocols: ['tcp'] }, { port: 3389, protocols: ['tcp', 'udp'] }]
        .filter((a) => a.protocols.includes(protocol) && from <= a.port && a.port <= to).map((a) => `${protocol} ${a.port}`);
      return admin.length ? `port ${admin.join(' and ')} is open to ${world.join(', ')}` : undefined;
    },
  },
];
