import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Cidr, coversFamily } from '../core/cidr';
import { NetworkEgress } from '../core/egress';
import { Ingress, IngressRule } from '../core/ingress';
import { Protocol } from '../core/network';
import { collectDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplate, escapeTerraformTemplates } from '../private/terraform-string';
import { Check, checkTags } from '../private/validate';
import { cidrSource } from '../terraform/expressions';
import { Preconditions } from '../terraform/preconditions';

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
   * How the hosts get out of their network. With
   * NetworkEgress.VPC_ENDPOINTS_ONLY the outbound rules are HTTPS only: to
   * the endpoints' security group and the S3 prefix list when both are
   * given, else to any address (the network routes nowhere else).
   * @default - HTTP and HTTPS to any address
   */
  readonly egress?: NetworkEgress;
  /**
   * The security group of the network's VPC endpoints.
   * @default - none
   */
  readonly endpointSecurityGroupId?: string;
  /**
   * The prefix list of the network's S3 gateway endpoint.
   * @default - none
   */
  readonly s3PrefixListId?: string;
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
  /** The CIDR sources of the rules that open an admin port, per port, with the rule that opens it. */
  private readonly adminSources = new Map<number, Array<{ cidr: Cidr; rule: IConstruct }>>();

  /**
   * The security group (escape hatch). Its construct id is `Default`, so
   * its Terraform address is the one the group had before it was a part of
   * its own.
   */
  public readonly resource: SecurityGroup;
  /** The security group id. */
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: HostSecurityGroupProps) {
    super(scope, id);
    props = Check.props(this.node.path, props, '{ vpcId: vpc.id }', false);
    if (typeof props.vpcId !== 'string') throw new IsolationError(this.node.path, 'vpcId', 'must be a VPC id', props.vpcId, 'Pass the VPC of the hosts, e.g. vpc.id.');
    const { result: tags, checks } = collectDeferred(() => (props.tags === undefined ? undefined : checkTags(this.node.path, 'tags', props.tags)));
    this.resource = new SecurityGroup(this, 'Default', {
      description: `cdktf-isolation host ${scope.node.path}`.slice(0, 255),
      vpcId: props.vpcId,
      tags: tags === undefined ? undefined : escapeTerraformTemplates(tags),
    });
    this.securityGroupId = this.resource.id;
    Preconditions.set(this.resource, Preconditions.of(checks));
    Preconditions.report(this, checks);
    if (Check.bool(this.node.path, 'allowAllOutbound', props.allowAllOutbound, false)) {
      new VpcSecurityGroupEgressRule(this, 'EgressAll', { securityGroupId: this.securityGroupId, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', description: 'all outbound' });
    } else if (props.egress === NetworkEgress.VPC_ENDPOINTS_ONLY) {
      // No internet: HTTPS to the interface endpoints (SSM, ECR's API) and to S3 (image layers, Amazon Linux 2023's repositories).
      if (props.endpointSecurityGroupId !== undefined && props.s3PrefixListId !== undefined) {
        new VpcSecurityGroupEgressRule(this, 'Egress443Endpoints', {
          securityGroupId: this.securityGroupId,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          referencedSecurityGroupId: props.endpointSecurityGroupId,
          description: 'HTTPS: the VPC endpoints (SSM, ECR)',
        });
        new VpcSecurityGroupEgressRule(this, 'Egress443S3', {
          securityGroupId: this.securityGroupId,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          prefixListId: props.s3PrefixListId,
          description: 'HTTPS: S3 through its gateway endpoint (image layers, packages)',
        });
      } else {
        new VpcSecurityGroupEgressRule(this, 'Egress443', {
          securityGroupId: this.securityGroupId,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: '0.0.0.0/0',
          description: 'HTTPS: the VPC endpoints and S3 (the network has no route to the internet)',
        });
      }
    } else {
      for (const port of [80, 443]) {
        new VpcSecurityGroupEgressRule(this, `Egress${port}`, {
          securityGroupId: this.securityGroupId,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: '0.0.0.0/0',
          description: port === 443 ? 'HTTPS: SSM, image registries, package mirrors' : 'HTTP: package mirrors',
        });
      }
    }
  }

  /**
   * Adds an inbound rule (validated: SSH and RDP from the whole internet are refused).
   * @param rule the rule
   * @param owner the construct the rule belongs to and is created under, so that it goes when its owner goes (default: this group)
   * @param id the rule's construct id under its owner (default: `Ingress<n>`)
   */
  public addIngress(rule: IngressRule, owner?: Construct, id?: string): VpcSecurityGroupIngressRule {
    const scope = owner ?? this;
    // Errors name the owner, or the host this group belongs to (the group itself when it stands alone in a stack).
    const scopeOfGroup = this.node.scope && !TerraformStack.isStack(this.node.scope) ? this.node.scope : this;
    const path = (owner ?? scopeOfGroup).node.path;
    const { result: cidr, checks } = collectDeferred(() => {
      Ingress.validate(path, rule);
      return Ingress.sourceCidr(path, rule);
    });
    const portsKnown = !Token.isUnresolved(rule.port) && !Token.isUnresolved(rule.toPort);
    const admin = cidr && portsKnown ? Ingress.adminPortsOf(rule) : [];
    // Several rules may open an admin port to parts of the internet that together are all of it (0.0.0.0/1 and 128.0.0.0/1).
    for (const { port, name } of admin) {
      const sources = (this.adminSources.get(port) ?? []).filter((s) => isAttached(s.rule));
      if (coversFamily([...sources.map((s) => s.cidr), cidr!], cidr!.family)) {
        throw new IsolationError(path, 'ingress.cidr',
          `must not open ${name} (port ${port}) to the whole internet: with the security group's other rules for port ${port} ` +
          `(${sources.filter((s) => s.cidr.family === cidr!.family).map((s) => s.cidr.canonical).join(', ')}) it covers every ${cidr!.family === 'ipv4' ? 'IPv4' : 'IPv6'} address`,
          rule.cidr, Ingress.ADMIN_FIX);
      }
    }
    if (rule.cidr !== undefined && !cidr && (!portsKnown || Ingress.adminPortsOf(rule).length > 0)) {
      // Each rule alone is checked by Terraform; what several rules add up to is not.
      checks.push({
        path,
        prop: 'ingress.cidr',
        value: rule.cidr,
        problem: 'must not, with the security group\'s other rules, open SSH or RDP to the whole internet',
        fix: Ingress.ADMIN_FIX,
        condition: { kind: 'not-checked', why: 'its network is known only at apply, and Terraform cannot add up the networks of several rules' },
      });
    }
    const resource = new VpcSecurityGroupIngressRule(scope, id ?? `Ingress${nextIngress(scope)}`, {
      securityGroupId: this.securityGroupId,
      ipProtocol: rule.protocol ?? Protocol.TCP,
      fromPort: rule.port,
      toPort: rule.toPort ?? rule.port,
      ...(rule.cidr ? cidrSource(rule.cidr) : {}),
      referencedSecurityGroupId: rule.sourceSecurityGroupId,
      description: escapeTerraformTemplate(Ingress.describe(rule)),
    });
    Preconditions.set(resource, Preconditions.of(checks));
    Preconditions.report(resource, checks);
    for (const { port } of admin) this.adminSources.set(port, [...(this.adminSources.get(port) ?? []), { cidr: cidr!, rule: resource }]);
    return resource;
  }
}

const ingressCounts = new WeakMap<IConstruct, number>();

/** The next free index of an `Ingress<n>` rule under `scope`. */
function nextIngress(scope: IConstruct): number {
  const n = ingressCounts.get(scope) ?? 0;
  ingressCounts.set(scope, n + 1);
  return n;
}

/** True while `construct` is still in its tree (a pool may remove a container and its rules). */
export function isAttached(construct: IConstruct): boolean {
  let child = construct;
  for (let scope = construct.node.scope; scope; child = scope, scope = scope.node.scope) {
    if (scope.node.tryFindChild(child.node.id) !== child) return false;
  }
  return true;
}
