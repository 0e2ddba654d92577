import type { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { Check } from '../private/validate';

const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;

/** The subnet and VPC lookups of hosts (VmHost, HostFleet): one place for the default-VPC path. */
export class NetworkLookup {
  /** Validates a subnet id (a reference is matched by Terraform at plan). */
  public static subnetId(path: string, prop: string, value: unknown): string {
    return Check.matches(path, prop, value, SUBNET_ID, "a subnet id ('subnet-' and hex digits)",
      'Copy the id of an existing subnet, or pass a reference such as subnet.id.');
  }

  /** Validates a VPC id (a reference is matched by Terraform at plan). */
  public static vpcId(path: string, prop: string, value: unknown): string {
    return Check.matches(path, prop, value, VPC_ID, "a VPC id ('vpc-' and hex digits)",
      'Copy the id of an existing VPC, or pass a reference such as vpc.id.');
  }

  /** The account's default VPC (a data source `DefaultVpc` under scope). */
  public static defaultVpcId(scope: Construct): string {
    return new DataAwsVpc(scope, 'DefaultVpc', { default: true }).id;
  }

  /** The VPC of a subnet (a data source `Subnet` under scope). */
  public static vpcOfSubnet(scope: Construct, subnetId: string): string {
    // Loaded on first use: only a subnet without its VPC needs this lookup.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const DataAwsSubnetClass = require('@cdktf/provider-aws/lib/data-aws-subnet').DataAwsSubnet as typeof DataAwsSubnet;
    return new DataAwsSubnetClass(scope, 'Subnet', { id: subnetId }).vpcId;
  }

  /** The first subnet (by id) of a VPC (a data source `Subnets` under scope). */
  public static firstSubnet(scope: Construct, vpcId: string): string {
    const subnets = new DataAwsSubnets(scope, 'Subnets', { filter: [{ name: 'vpc-id', values: [vpcId] }] });
    return Fn.element(Fn.sort(subnets.ids), 0);
  }

  /** The default subnets (one per zone) of a VPC (a data source `Subnets` under scope). */
  public static defaultSubnets(scope: Construct, vpcId: string): string[] {
    return new DataAwsSubnets(scope, 'Subnets', {
      filter: [{ name: 'vpc-id', values: [vpcId] }, { name: 'default-for-az', values: ['true'] }],
    }).ids;
  }

  private constructor() {}
}
