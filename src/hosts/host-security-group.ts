import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct, IConstruct } from 'constructs';
import { Ingress, IngressRule } from '../core/ingress';
import { Protocol } from '../core/network';

/** Props of `HostSecurityGroup`. */
export interface HostSecurityGroupProps {
  /** The VPC. */
  readonly vpcId: string;
  /**
   * Allow every outbound connection instead of HTTP and HTTPS only.
   * @default false
   */
  readonly allowAllOutbound?: boolean;
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * The security group of Docker hosts (a VmHost, or every instance of a
 * HostFleet): no inbound traffic until rules are added, outbound HTTP and
 * HTTPS only (package mirrors, image registries, SSM) unless
 * `allowAllOutbound`.
 */
export class HostSecurityGroup extends Construct {
  /**
   * The security group (escape hatch). Its construct id is `Default`, so
   * its Terraform address is the one the group had before it was a part of
   * its own.
   */
  public readonly resource: SecurityGroup;

  constructor(scope: Construct, id: string, props: HostSecurityGroupProps) {
    super(scope, id);
    this.resource = new SecurityGroup(this, 'Default', {
      description: `cdktf-isolation host ${scope.node.path}`.slice(0, 255),
      vpcId: props.vpcId,
      tags: props.tags,
    });
    if (props.allowAllOutbound) {
      new VpcSecurityGroupEgressRule(this, 'EgressAll', { securityGroupId: this.resource.id, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', description: 'all outbound' });
    } else {
      for (const port of [80, 443]) {
        new VpcSecurityGroupEgressRule(this, `Egress${port}`, {
          securityGroupId: this.resource.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: '0.0.0.0/0',
          description: port === 443 ? 'HTTPS: SSM, image registries, package mirrors' : 'HTTP: package mirrors',
        });
      }
    }
  }

  /** The security group id. */
  public get securityGroupId(): string {
    return this.resource.id;
  }

  /**
   * Adds an inbound rule (validated: SSH and RDP from the whole internet are refused).
   * @param rule the rule
   * @param owner the construct the rule belongs to and is created under, so that it goes when its owner goes (default: this group)
   * @param id the rule's construct id under its owner (default: `Ingress<n>`)
   */
  public addIngress(rule: IngressRule, owner?: Construct, id?: string): VpcSecurityGroupIngressRule {
    const scope = owner ?? this;
    // Errors name the owner, or the host this group belongs to.
    Ingress.validate((owner ?? this.node.scope ?? this).node.path, rule);
    return new VpcSecurityGroupIngressRule(scope, id ?? `Ingress${nextIngress(scope)}`, {
      securityGroupId: this.resource.id,
      ipProtocol: rule.protocol ?? Protocol.TCP,
      fromPort: rule.port,
      toPort: rule.toPort ?? rule.port,
      ...(rule.cidr ? Ingress.cidrSource(rule.cidr) : {}),
      referencedSecurityGroupId: rule.sourceSecurityGroupId,
      description: Ingress.describe(rule),
    });
  }
}

const ingressCounts = new WeakMap<IConstruct, number>();

/** The next free index of an `Ingress<n>` rule under `scope`. */
function nextIngress(scope: IConstruct): number {
  const n = ingressCounts.get(scope) ?? 0;
  ingressCounts.set(scope, n + 1);
  return n;
}
