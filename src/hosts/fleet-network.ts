import type { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { Fn, Op, TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { FleetLoadBalancerOptions } from './fleet-load-balancer';
import { HostNetwork, IHostNetwork } from './host-network';
import { NetworkLookup } from './network-lookup';
import { NetworkUse } from './network-use';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplate } from '../private/terraform-string';
import { TerraformPrecondition } from '../terraform/preconditions';

/** What a fleet is told about its network (HostFleetProps). */
export interface FleetNetworkProps {
  readonly network?: IHostNetwork;
  readonly vpcId?: string;
  readonly subnetIds?: string[];
  readonly loadBalancer?: FleetLoadBalancerOptions;
}

/** Where a fleet goes. */
export interface FleetPlacement {
  /** The network, when the fleet was given one. */
  readonly network?: IHostNetwork;
  /** True when the fleet was given no network, VPC or subnets (the default VPC). */
  readonly inDefaultVpc: boolean;
  readonly vpcId: string;
  /** The instances' subnets. */
  readonly subnetIds: string[];
  /** The load balancer's subnets. */
  readonly loadBalancerSubnetIds: string[];
}

/** Where a fleet and its load balancer go in a network, and the check that its subnets span two zones. */
export class FleetNetwork {
  /**
   * The fleet's VPC and subnets: the network's (its host subnets), the ones
   * given, or the default VPC's default subnets (data sources under the
   * fleet, with a warning).
   */
  public static place(scope: Construct, props: FleetNetworkProps): FleetPlacement {
    const path = scope.node.path;
    const network = props.network === undefined ? undefined : NetworkUse.check(path, props.network);
    let inDefaultVpc = false;
    if (network) {
      const fix = 'Leave vpcId and subnetIds out: the fleet uses the network\'s VPC and host subnets.';
      NetworkUse.refuseBeside(path, 'vpcId', props.vpcId, fix);
      NetworkUse.refuseBeside(path, 'subnetIds', props.subnetIds, fix);
    } else if (props.vpcId === undefined && props.subnetIds === undefined) {
      inDefaultVpc = true;
      NetworkUse.warnDefaultVpc(scope, 'the fleet goes');
    }
    const vpcId = network?.vpcId ?? props.vpcId ?? NetworkLookup.defaultVpcId(scope);
    const subnetIds = network?.hostSubnetIds ?? props.subnetIds ?? NetworkLookup.defaultSubnets(scope, vpcId);
    const loadBalancerSubnetIds = network ? FleetNetwork.loadBalancerSubnets(path, network, props.loadBalancer) : subnetIds;
    return { network, inDefaultVpc, vpcId, subnetIds, loadBalancerSubnetIds };
  }

  /**
   * The subnets whose zones Terraform must count: the given ones, or a
   * network's of your own. A HostNetwork puts one host subnet in each of
   * its zones (distinct by construction).
   * @default - none to count
   */
  public static ownSubnets(network: IHostNetwork | undefined, subnetIds: string[] | undefined): string[] | undefined {
    return network ? (network instanceof HostNetwork ? undefined : network.hostSubnetIds) : subnetIds;
  }

  /**
   * The subnets span two zones or more: their zones are read from EC2
   * (`data.aws_subnet`, one per subnet, construct `SubnetZones` under
   * `scope`) and counted by Terraform before the group is created.
   */
  public static zonesPrecondition(scope: Construct, subnetIds: string[]): TerraformPrecondition {
    // Loaded on first use: only a fleet with subnets of its own needs the lookup.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const DataAwsSubnetClass = require('@cdktf/provider-aws/lib/data-aws-subnet').DataAwsSubnet as typeof DataAwsSubnet;
    const each = TerraformIterator.fromList(subnetIds);
    const subnets = new DataAwsSubnetClass(scope, 'SubnetZones', { forEach: each, id: each.value });
    const zones = Fn.distinct(Token.asList(TerraformIterator.fromDataSources(subnets).pluckProperty('availability_zone')));
    return {
      condition: Op.gte(Fn.lengthOf(zones), 2),
      errorMessage: `${escapeTerraformTemplate(`${scope.node.path}: 'subnetIds' must list subnets in at least two availability zones`)}, ` +
        `got ${Fn.jsonencode(subnetIds)} (zones ${Fn.join(', ', zones)}). Give two or more subnets in different zones (a fleet in one zone goes down with it).`,
    };
  }

  /** Internet-facing: the network's public subnets (an error without them); internal: its host subnets. */
  private static loadBalancerSubnets(path: string, network: IHostNetwork, lb: FleetLoadBalancerOptions | undefined): string[] {
    if (!lb || lb.internal === true) return network.hostSubnetIds;
    if (network.publicSubnetIds === undefined) {
      throw new IsolationError(path, 'loadBalancer.internal', 'must be true in a network without public subnets (an internet-facing load balancer lives in public subnets)', lb.internal,
        'Give the network public subnets (HostNetwork publicSubnets: true, or publicSubnetIds with HostNetwork.fromExisting), or make the load balancer internal.');
    }
    return network.publicSubnetIds;
  }

  private constructor() {}
}
