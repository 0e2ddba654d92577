import { FindingLevel, Rule } from './rule';

/** A VPC, with what the rules need of its siblings in the stack. */
export interface VpcView {
  /** Whether an `aws_flow_log` of this VPC is in the stack. */
  readonly hasFlowLog: boolean;
  /** Whether an `aws_default_security_group` of this VPC is in the stack (its rules are checked on it). */
  readonly managesDefaultSecurityGroup: boolean;
}

/** A VPC's default security group as Terraform manages it (`aws_default_security_group`). */
export interface DefaultSecurityGroupView {
  /** Its inbound rules. */
  readonly ingressRules: number;
  /** Its outbound rules. */
  readonly egressRules: number;
}

/** VPC rules. */
export const VPC_RULES: ReadonlyArray<Rule<VpcView>> = [
  {
    id: 'NET-VPC-FLOW-LOGS',
    subject: 'aws_vpc',
    level: FindingLevel.WARNING,
    finding: 'the VPC has no flow logs',
    explanation: 'Without VPC flow logs there is no record of what crossed the network, for an investigation or to find a host that talks where it should not. ' +
      'Add an aws_flow_log of the VPC (HostNetwork sends all traffic to CloudWatch Logs by default).',
    references: { checkov: ['CKV2_AWS_11'], trivy: ['AVD-AWS-0178'] },
    check: (v) => (v.hasFlowLog ? undefined : 'no aws_flow_log in the stack names this VPC'),
  },
  {
    id: 'NET-DEFAULT-SG-CLOSED',
    subject: 'aws_vpc, aws_default_security_group',
    level: FindingLevel.ERROR,
    finding: 'the VPC\'s default security group allows traffic',
    explanation: 'AWS creates every VPC\'s default security group admitting all traffic from its own members and allowing all outbound traffic, and anything launched without ' +
      'a security group lands in it. Manage it with an aws_default_security_group without ingress or egress rules (HostNetwork does), and give resources groups of their own.',
    references: { checkov: ['CKV2_AWS_12'], trivy: ['AVD-AWS-0173'] },
    check: (v) => (v.managesDefaultSecurityGroup ? undefined : 'no aws_default_security_group in the stack empties it, so it keeps the rules AWS gives it'),
  },
];

/** Default security group rules. */
export const DEFAULT_SECURITY_GROUP_RULES: ReadonlyArray<Rule<DefaultSecurityGroupView>> = [
  {
    ...VPC_RULES[1],
    check: (g) => {
      const rules = [g.ingressRules ? `${g.ingressRules} ingress` : undefined, g.egressRules ? `${g.egressRules} egress` : undefined].filter(Boolean);
      return rules.length ? `it has ${rules.join(' and ')} rule${g.ingressRules + g.egressRules > 1 ? 's' : ''}` : undefined;
    },
  },
];
