import type { Eip } from '@cdktf/provider-aws/lib/eip';
import type { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import type { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import type { Route } from '@cdktf/provider-aws/lib/route';
import type { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import type { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { NetworkSettings } from './network-settings';
import type { VpcLayout } from '../core/vpc-layout';

/**
 * The routing modules are loaded on first use, not with the library: most
 * stacks never build a network, and loading a provider module costs time
 * (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function routingModules() {
  return {
    Eip: require('@cdktf/provider-aws/lib/eip').Eip as typeof Eip,
    InternetGateway: require('@cdktf/provider-aws/lib/internet-gateway').InternetGateway as typeof InternetGateway,
    NatGateway: require('@cdktf/provider-aws/lib/nat-gateway').NatGateway as typeof NatGateway,
    Route: require('@cdktf/provider-aws/lib/route').Route as typeof Route,
    RouteTable: require('@cdktf/provider-aws/lib/route-table').RouteTable as typeof RouteTable,
    RouteTableAssociation: require('@cdktf/provider-aws/lib/route-table-association').RouteTableAssociation as typeof RouteTableAssociation,
    Subnet: require('@cdktf/provider-aws/lib/subnet').Subnet as typeof Subnet,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** What a network's subnets are built from. */
export interface NetworkSubnetsProps {
  /** The VPC. */
  readonly vpcId: string;
  /** The names of the region's available zones (a lookup), in order. */
  readonly zoneNames: string[];
  /** The subnets' blocks. */
  readonly layout: VpcLayout;
  /** The validated settings: zones, public subnets, NAT gateways. */
  readonly settings: NetworkSettings;
  /** The tags of a part of the network (its Name after the part). */
  readonly tags: (part?: string) => { [key: string]: string };
}

/** A network's subnets and their routes out. */
export interface NetworkSubnetParts {
  readonly privateSubnets: Subnet[];
  readonly publicSubnets: Subnet[];
  readonly internetGateway?: InternetGateway;
  readonly publicRouteTable?: RouteTable;
  readonly natGateways: NatGateway[];
  readonly privateRouteTables: RouteTable[];
}

/**
 * The subnets of a HostNetwork and their routes, created under the network:
 * a private and a public subnet per zone (public ones only where the
 * network has them), the internet gateway and the public route table, the
 * NAT gateways (one, or one per zone) and a private route table per zone,
 * routed to its zone's NAT gateway where the network has one.
 */
export class NetworkSubnets {
  public static build(scope: Construct, props: NetworkSubnetsProps): NetworkSubnetParts {
    const m = routingModules();
    const { vpcId, layout, settings, tags } = props;
    const zone = (i: number) => Fn.element(props.zoneNames, i);
    const privateSubnets = layout.privateSubnetCidrs.map((cidr, i) => new m.Subnet(scope, `PrivateSubnet${i}`, {
      vpcId, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: tags(`private-${i + 1}`),
    }));
    const publicSubnets = layout.publicSubnetCidrs.map((cidr, i) => new m.Subnet(scope, `PublicSubnet${i}`, {
      // NAT gateways use Elastic IPs and load balancers their own addresses: nothing launched here gets a public IP by default.
      vpcId, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: tags(`public-${i + 1}`),
    }));

    let internetGateway: InternetGateway | undefined;
    let publicRouteTable: RouteTable | undefined;
    if (settings.publicSubnets) {
      const igw = new m.InternetGateway(scope, 'InternetGateway', { vpcId, tags: tags('igw') });
      internetGateway = igw;
      const table = new m.RouteTable(scope, 'PublicRouteTable', { vpcId, tags: tags('public') });
      publicRouteTable = table;
      new m.Route(scope, 'PublicDefaultRoute', { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
      publicSubnets.forEach((subnet, i) => new m.RouteTableAssociation(scope, `PublicRouteTableAssociation${i}`, { subnetId: subnet.id, routeTableId: table.id }));
    }

    const natGateways: NatGateway[] = [];
    if (settings.nat) {
      const count = settings.singleNat ? 1 : settings.zones;
      for (let i = 0; i < count; i++) {
        const eip = new m.Eip(scope, `NatEip${i}`, { domain: 'vpc', tags: tags(`nat-${i + 1}`), dependsOn: [internetGateway!] });
        natGateways.push(new m.NatGateway(scope, `NatGateway${i}`, {
          allocationId: eip.allocationId, subnetId: publicSubnets[i].id, tags: tags(`nat-${i + 1}`), dependsOn: [internetGateway!],
        }));
      }
    }

    const privateRouteTables = privateSubnets.map((subnet, i) => {
      const table = new m.RouteTable(scope, `PrivateRouteTable${i}`, { vpcId, tags: tags(`private-${i + 1}`) });
      new m.RouteTableAssociation(scope, `PrivateRouteTableAssociation${i}`, { subnetId: subnet.id, routeTableId: table.id });
      if (settings.nat) {
        const nat = natGateways[settings.singleNat ? 0 : i];
        new m.Route(scope, `PrivateDefaultRoute${i}`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      }
      return table;
    });
    return { privateSubnets, publicSubnets, internetGateway, publicRouteTable, natGateways, privateRouteTables };
  }

  private constructor() {}
}
