import { FindingLevel, Rule } from './rule';

/** One inbound rule, from whichever resource declares it. */
export interface IngressView {
  /** Source CIDR blocks. */
  readonly cidrs: string[];
  /** First port (-1 or 0 with protocol -1 means every port). */
  readonly fromPort?: number;
  /** Last port. */
  readonly toPort?: number;
  /** Protocol (`tcp`, `udp`, `-1`, `all`, ...). */
  readonly protocol: string;
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

/** Ingress rules. */
export const INGRESS_RULES: ReadonlyArray<Rule<IngressView>> = [
  {
    id: 'HOST-ADMIN-INGRESS',
    subject: 'aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule',
    level: FindingLevel.ERROR,
    finding: 'SSH, RDP or every port is open to the whole internet',
    explanation: 'Ingress from 0.0.0.0/0 or ::/0 to 22, 3389 or all ports invites brute force and exploits. Use SSM Session Manager, or allow only your own network.',
    references: { checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_277'], trivy: ['AVD-AWS-0107'] },
    check: (r) => {
      const world = r.cidrs.filter((c) => WORLD.has(c));
      if (world.length === 0) return undefined;
      const all = r.protocol === '-1' || r.protocol === 'all';
      const from = r.fromPort ?? 0;
      const to = r.toPort ?? 65535;
      if (all || (from <= 0 && to >= 65535)) return `every port is open to ${world.join(', ')}`;
      if (!['tcp', '6'].includes(r.protocol)) return undefined;
      const admin = [22, 3389].filter((p) => from <= p && p <= to);
      return admin.length ? `port ${admin.join(' and ')} is open to ${world.join(', ')}` : undefined;
    },
  },
];

