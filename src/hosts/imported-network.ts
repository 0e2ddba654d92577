import { Annotations, DataResource, Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { EndpointAccess, SECURITY_GROUP_ID } from './endpoint-access';
import type { IHostNetwork } from './host-network';
import { NetworkLookup } from './network-lookup';
import { NetworkEgress } from '../core/egress';
import { beginDeferred, endDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';
import { Preconditions } from '../terraform/preconditions';

/** Props of `HostNetwork.fromExisting`. */
export interface ExistingHostNetworkProps {
  /** The VPC id. */
  readonly vpcId: string;
  /** The subnets for hosts, private ones in zone order. */
  readonly hostSubnetIds: string[];
  /**
   * How hosts get out of these subnets: a NAT gateway, VPC endpoints, both,
   * or NetworkEgress.NONE. The library cannot see your routes; it takes
   * your word.
   */
  readonly egress: NetworkEgress;
  /**
   * Subnets routed to an internet gateway, for an internet-facing load balancer.
   * @default - none
   */
  readonly publicSubnetIds?: string[];
  /**
   * The security group of your VPC endpoints: admitHost adds an HTTPS rule
   * from each host to it. Only with endpoints.
   * @default - admitHost adds nothing: your endpoints must admit the hosts themselves
   */
  readonly endpointSecurityGroupId?: string;
}

const ALL_EGRESS = [NetworkEgress.NAT_GATEWAY, NetworkEgress.VPC_ENDPOINTS_ONLY, NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, NetworkEgress.NONE];

/**
 * The account's default VPC and its default subnets (one per zone), for
 * trying synthesis (HostNetwork.defaultVpc). Hosts there have no way out.
 */
export class DefaultVpcNetwork extends Construct implements IHostNetwork {
  public readonly vpcId: string;
  public readonly hostSubnetIds: string[];
  public readonly egress = NetworkEgress.NONE;
  public readonly endpointSecurityGroupId?: string = undefined;
  /** The default subnets route to the default VPC's internet gateway. */
  public readonly publicSubnetIds: string[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpcId = NetworkLookup.defaultVpcId(this);
    this.hostSubnetIds = Fn.sort(NetworkLookup.defaultSubnets(this, this.vpcId));
    this.publicSubnetIds = this.hostSubnetIds;
    Annotations.of(this).addWarning(`${this.node.path}: hosts in the account's default VPC have no way out: they get no public IP, and the default VPC has no NAT gateway ` +
      'and no VPC endpoints, so deployed they cannot install packages, pull images or reach Systems Manager. Use it to try synthesis; to deploy, give the hosts ' +
      "a HostNetwork (new HostNetwork(scope, 'network', { egress: NetworkEgress.NAT_GATEWAY })) or a VPC of your own with a way out (HostNetwork.fromExisting).");
  }

  public hostSubnetId(index: number): string {
    return Fn.element(this.hostSubnetIds, hostIndex(this.node.path, index));
  }

  public admitHost(securityGroupId: string, owner: Construct): void {
    EndpointAccess.check(this, securityGroupId, owner); // no endpoints to admit to
  }
}

/** A VPC of the user's, with the way out they say it has (HostNetwork.fromExisting). */
export class ExistingHostNetwork extends Construct implements IHostNetwork {
  public readonly vpcId: string;
  public readonly hostSubnetIds: string[];
  public readonly egress: NetworkEgress;
  public readonly endpointSecurityGroupId?: string;
  public readonly publicSubnetIds?: string[];
  private readonly access?: EndpointAccess;

  constructor(scope: Construct, id: string, props: ExistingHostNetworkProps) {
    super(scope, id);
    const path = this.node.path;
    props = Check.props(path, props, "{ vpcId: 'vpc-0123456789abcdef0', hostSubnetIds: ['subnet-0123456789abcdef0'], egress: NetworkEgress.NAT_GATEWAY }", false);
    // Ids from variables are matched by Terraform before anything is created: preconditions on a terraform_data `Checks`.
    const deferred = beginDeferred();
    let checked: ReturnType<typeof validateExisting>;
    try {
      checked = validateExisting(path, props);
    } finally {
      endDeferred(deferred);
    }
    ({ vpcId: this.vpcId, hostSubnetIds: this.hostSubnetIds, egress: this.egress } = checked);
    this.publicSubnetIds = checked.publicSubnetIds;
    this.endpointSecurityGroupId = checked.endpointSecurityGroupId;
    if (deferred.length > 0) {
      Preconditions.set(new DataResource(this, 'Checks', {}), Preconditions.of(deferred));
      Preconditions.report(this, deferred);
    }
    if (this.endpointSecurityGroupId !== undefined) this.access = new EndpointAccess(this, this.endpointSecurityGroupId);
  }


  public hostSubnetId(index: number): string {
    const i = hostIndex(this.node.path, index);
    return Token.isUnresolved(this.hostSubnetIds) ? Fn.element(this.hostSubnetIds, i) : this.hostSubnetIds[i % this.hostSubnetIds.length];
  }

  public admitHost(securityGroupId: string, owner: Construct): void {
    EndpointAccess.check(this, securityGroupId, owner);
    this.access?.admit(securityGroupId, owner);
  }
}

/** The index of a host among a network's hosts: a whole number from 0. */
export function hostIndex(path: string, index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new IsolationError(path, 'index', 'must be a whole number from 0 (the host\'s place among the network\'s hosts)', index, 'Count hosts from 0.');
  }
  return index;
}

/** Subnet ids: a non-empty list of distinct ids, or a token list (e.g. a data source's ids). */
function subnetIds(path: string, prop: string, value: unknown): string[] {
  if (Token.isUnresolved(value)) return value as string[];
  if (!Array.isArray(value) || value.length === 0) {
    throw new IsolationError(path, prop, 'must list at least one subnet', value, "Give the subnets, e.g. ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'].");
  }
  value.forEach((s, i) => NetworkLookup.subnetId(path, `${prop}[${i}]`, s));
  const twice = value.find((s, i) => value.indexOf(s) !== i);
  if (twice !== undefined) throw new IsolationError(path, prop, 'must not list a subnet twice', twice, 'List each subnet once.');
  return value as string[];
}


/** The checked props of an existing network. */
function validateExisting(path: string, props: ExistingHostNetworkProps) {
  const vpcId = NetworkLookup.vpcId(path, 'vpcId', props.vpcId);
  const hostSubnetIds = subnetIds(path, 'hostSubnetIds', props.hostSubnetIds);
  const publicSubnetIds = props.publicSubnetIds === undefined ? undefined : subnetIds(path, 'publicSubnetIds', props.publicSubnetIds);
  if (props.egress === undefined) {
    throw new IsolationError(path, 'egress', 'must say how hosts get out of these subnets (the library cannot see your routes)', undefined,
      'Give NetworkEgress.NAT_GATEWAY, VPC_ENDPOINTS_ONLY, NAT_GATEWAY_AND_ENDPOINTS or NONE.');
  }
  // The way out decides at synth what hosts can reach (HostEgress).
  const egress = Check.oneOf(path, 'egress', Check.known(path, 'egress', props.egress, 'it decides at synth what the hosts can reach'), ALL_EGRESS);
  let endpointSecurityGroupId: string | undefined;
  if (props.endpointSecurityGroupId !== undefined) {
    if (egress === NetworkEgress.NAT_GATEWAY || egress === NetworkEgress.NONE) {
      throw new IsolationError(path, 'endpointSecurityGroupId', `only applies to a network with VPC endpoints, but egress is '${egress}'`, props.endpointSecurityGroupId,
        'Give egress NetworkEgress.VPC_ENDPOINTS_ONLY or NAT_GATEWAY_AND_ENDPOINTS, or leave endpointSecurityGroupId out.');
    }
    endpointSecurityGroupId = Check.matches(path, 'endpointSecurityGroupId', props.endpointSecurityGroupId, SECURITY_GROUP_ID,
      "a security group id ('sg-' and hex digits)", 'Copy the id of the security group your VPC endpoints use.');
  }
  return { vpcId, hostSubnetIds, publicSubnetIds, egress, endpointSecurityGroupId };
}
