import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { isAttached } from './host-security-group';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplate } from '../private/terraform-string';
import { Check } from '../private/validate';

/** A security group id (`sg-` and 8 to 17 hex digits); also what an existing network's endpoint group must look like. */
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const ruleCounts = new WeakMap<IConstruct, number>();

/**
 * The hosts a network's VPC endpoints admit: one inbound rule for HTTPS
 * (tcp 443) from each host security group, created under the host that asks
 * for it, so that it goes when the host goes. Admitting a group twice keeps
 * the one rule (AWS refuses a duplicate rule at apply).
 */
export class EndpointAccess {
  /** Validates the arguments of `admitHost` (also where a network has no endpoints to admit to). */
  public static check(network: IConstruct, securityGroupId: unknown, owner: unknown): void {
    if (!Construct.isConstruct(owner)) {
      throw new IsolationError(network.node.path, 'owner', 'must be a construct (the host the rule belongs to)', owner,
        'Pass the host that is admitted, e.g. network.admitHost(host.securityGroupId, host).');
    }
    // A reference (host.securityGroupId) is a group's id by construction; a literal must look like one.
    if (typeof securityGroupId === 'string' && Token.isUnresolved(securityGroupId)) return;
    Check.matches(owner.node.path, 'securityGroupId', securityGroupId, SECURITY_GROUP_ID, "a security group id ('sg-' and hex digits)",
      'Pass the host\'s security group id, e.g. host.securityGroupId.');
  }

  private readonly rules = new Map<string, IConstruct>();

  /**
   * @param network the network (errors name it when the owner is not a construct)
   * @param endpointSecurityGroupId the endpoints' security group
   */
  constructor(private readonly network: IConstruct, private readonly endpointSecurityGroupId: string) {}

  /** Admits HTTPS from `securityGroupId` to the endpoints, with a rule under `owner`. */
  public admit(securityGroupId: string, owner: Construct): void {
    EndpointAccess.check(this.network, securityGroupId, owner);
    // Each read of a resource's id is a new token: the group is known by what it refers to.
    const resolver = new DefaultTokenResolver(new StringConcat());
    const key = String(Tokenization.resolve(securityGroupId, { scope: this.network, resolver, preparing: false }));
    const existing = this.rules.get(key);
    if (existing && isAttached(existing)) return;
    const n = ruleCounts.get(owner) ?? 0;
    ruleCounts.set(owner, n + 1);
    const rule = new VpcSecurityGroupIngressRule(owner, n === 0 ? 'VpcEndpointAccess' : `VpcEndpointAccess${n}`, {
      securityGroupId: this.endpointSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: securityGroupId,
      description: escapeTerraformTemplate(`HTTPS to the VPC endpoints of ${this.network.node.path} from ${owner.node.path}`.slice(0, 255)),
    });
    this.rules.set(key, rule);
  }
}
