import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import type { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import type { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import type { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import type { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import type { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct, IConstruct } from 'constructs';
import { EndpointAccess } from './endpoint-access';
import { DefaultVpcNetwork, ExistingHostNetwork, ExistingHostNetworkProps, hostIndex } from './imported-network';
import { NetworkEndpoints } from './network-endpoints';
import { NetworkFlowLogs } from './network-flow-logs';
import { HostNetworkProps, validateNetwork } from './network-settings';
import { NetworkSubnets } from './network-subnets';
import { RegionLookup } from './region-lookup';
import { NetworkEgress } from '../core/egress';
import { VpcLayouts } from '../core/vpc-layout';
import { collectDeferred } from '../private/deferred';
import { escapeTerraformTemplates } from '../private/terraform-string';
import { Check, checkTags } from '../private/validate';
import { Preconditions } from '../terraform/preconditions';

// The props live with what checks or builds them; they are exported with the construct (src/index.ts takes them from here).
export type { ExistingHostNetworkProps, HostNetworkProps };

/**
 * A network hosts run in: what VmHost, HostPool, IsolatedApp and HostFleet
 * take as `network`. `HostNetwork` builds one; `HostNetwork.defaultVpc()`
 * and `HostNetwork.fromExisting()` name one that exists.
 */
export interface IHostNetwork extends IConstruct {
  /** The VPC id. */
  readonly vpcId: string;
  /**
   * The subnets for hosts (private ones in a HostNetwork), in zone order.
   * It may be a token list (the default VPC's subnets are looked up at
   * plan time): pick one with `hostSubnetId(index)`.
   */
  readonly hostSubnetIds: string[];
  /** How hosts get out of the network. */
  readonly egress: NetworkEgress;
  /**
   * Subnets routed to an internet gateway, for an internet-facing load
   * balancer (never for hosts), in zone order.
   * @default - none: an internet-facing load balancer has nowhere to go
   */
  readonly publicSubnetIds?: string[];
  /**
   * The security group of the network's VPC endpoints (admitHost adds rules to it).
   * @default - none: the network has no endpoints, or they were not named
   */
  readonly endpointSecurityGroupId?: string;
  /**
   * The prefix list of the network's S3 gateway endpoint: hosts in a
   * network reached through endpoints only send HTTPS there (image layers,
   * Amazon Linux 2023's repositories).
   * @default - none: such hosts send HTTPS to any address (the network's routes decide where it can go)
   */
  readonly s3PrefixListId?: string;

  /**
   * The host subnet for the `index`-th host (counted modulo the number of
   * subnets, so consecutive hosts spread across zones).
   */
  hostSubnetId(index: number): string;

  /**
   * Lets a host's security group reach the network's VPC endpoints (HTTPS,
   * tcp 443), with a rule created under `owner`. Does nothing where the
   * network has no endpoints (or their security group was not named).
   * Admitting one group twice keeps one rule.
   * @param securityGroupId the host's security group
   * @param owner the construct the rule belongs to (the host)
   */
  admitHost(securityGroupId: string, owner: Construct): void;
}

/**
 * The network modules are loaded on first use, not with the library: most
 * stacks never build a network, and loading a provider module costs time
 * (bench/RESULTS.md). Its parts load their own (NetworkSubnets,
 * NetworkEndpoints, NetworkFlowLogs, RegionLookup).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function networkModules() {
  return {
    DataAwsAvailabilityZones: require('@cdktf/provider-aws/lib/data-aws-availability-zones').DataAwsAvailabilityZones as typeof DataAwsAvailabilityZones,
    DefaultSecurityGroup: require('@cdktf/provider-aws/lib/default-security-group').DefaultSecurityGroup as typeof DefaultSecurityGroup,
    Vpc: require('@cdktf/provider-aws/lib/vpc').Vpc as typeof Vpc,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A VPC where hosts work: private subnets for hosts in two or more
 * availability zones, public subnets only where a NAT gateway or a load
 * balancer needs them, a way out chosen explicitly (`egress`), VPC flow logs
 * to CloudWatch Logs, and the VPC's default security group emptied.
 *
 * The ways out:
 *
 * - `NetworkEgress.NAT_GATEWAY`: a NAT gateway per zone (or one shared,
 *   `singleNatGateway`) in the public subnets; each private subnet routes
 *   0.0.0.0/0 to its zone's. Each NAT gateway is billed per hour and per GB
 *   it processes.
 * - `NetworkEgress.VPC_ENDPOINTS_ONLY`: no internet. Interface endpoints for
 *   ssm, ssmmessages, ec2messages (the SSM agent), ecr.api and ecr.dkr (ECR
 *   pulls), with private DNS, in the private subnets, behind a security
 *   group that admits HTTPS only from the hosts admitted with `admitHost`;
 *   and the S3 gateway endpoint on the private route tables (ECR's layers
 *   and Amazon Linux 2023's repositories are on S3). Each interface endpoint
 *   is billed per hour in each zone and per GB; the S3 gateway endpoint is
 *   free.
 * - `NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS`: both.
 *
 * Subnet blocks are carved from the VPC's block deterministically, and
 * adding a zone moves none: private subnet i is `cidrsubnet(cidr, 3, i)`,
 * public subnet i `cidrsubnet(cidr, 6, 56 + i)`.
 */
export class HostNetwork extends Construct implements IHostNetwork {
  /**
   * The account's default VPC and its default subnets, for trying synthesis
   * only: hosts there get no public IP and the default VPC has no NAT
   * gateway or endpoints, so deployed they cannot install packages, pull
   * images or reach Systems Manager (a synth warning says so).
   */
  public static defaultVpc(scope: Construct, id: string): IHostNetwork {
    return new DefaultVpcNetwork(scope, id);
  }

  /**
   * A VPC of your own: its id, the subnets for hosts and the way out they
   * have (the library takes your word for it).
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingHostNetworkProps): IHostNetwork {
    return new ExistingHostNetwork(scope, id, props);
  }

  /** The VPC (DNS support and hostnames on, for the endpoints' private DNS). */
  public readonly vpc: Vpc;
  /** The VPC's default security group, with every rule removed. */
  public readonly defaultSecurityGroup: DefaultSecurityGroup;
  /** The availability zones lookup (state available, no Local Zones). */
  public readonly availabilityZones: DataAwsAvailabilityZones;
  /** The private subnets (hosts, endpoints), in zone order. */
  public readonly privateSubnets: Subnet[];
  /** The public subnets, in zone order (empty without them). */
  public readonly publicSubnets: Subnet[];
  /** The private route tables, one per zone. */
  public readonly privateRouteTables: RouteTable[];
  /**
   * The public route table (0.0.0.0/0 to the internet gateway).
   * @default - none without public subnets
   */
  public readonly publicRouteTable?: RouteTable;
  /**
   * The internet gateway.
   * @default - none without public subnets
   */
  public readonly internetGateway?: InternetGateway;
  /** The NAT gateways, in zone order (one, or one per zone; empty without them). */
  public readonly natGateways: NatGateway[];
  /** The interface endpoints (empty without endpoints). */
  public readonly interfaceEndpoints: VpcEndpoint[];
  /**
   * The S3 gateway endpoint, on the private route tables.
   * @default - none without endpoints
   */
  public readonly s3Endpoint?: VpcEndpoint;
  /**
   * The security group of the interface endpoints: HTTPS from admitted hosts only.
   * @default - none without endpoints
   */
  public readonly endpointSecurityGroup?: SecurityGroup;
  /**
   * The VPC flow log.
   * @default - none with flowLogs: false
   */
  public readonly flowLog?: FlowLog;
  /**
   * The flow logs' log group.
   * @default - none with flowLogs: false
   */
  public readonly flowLogGroup?: CloudwatchLogGroup;
  /**
   * The role the flow log service writes to the log group with.
   * @default - none with flowLogs: false
   */
  public readonly flowLogRole?: IamRole;
  /** The way out. */
  public readonly egress: NetworkEgress;
  /** The VPC's block, canonical. */
  public readonly vpcCidr: string;
  /** The private subnets' blocks, in zone order. */
  public readonly privateSubnetCidrs: string[];
  /** The public subnets' blocks, in zone order (empty without public subnets). */
  public readonly publicSubnetCidrs: string[];

  private readonly access?: EndpointAccess;

  constructor(scope: Construct, id: string, props: HostNetworkProps) {
    super(scope, id);
    const path = this.node.path;
    props = Check.props(path, props, '{ egress: NetworkEgress.NAT_GATEWAY }', false);
    // Values known only at apply (a KMS key of the stack, a variable) are checked by Terraform: preconditions on the VPC.
    const { result: { settings, layout, userTags }, checks: deferred } = collectDeferred(() => {
      const checked = validateNetwork(path, props);
      const plan = VpcLayouts.plan(path, {
        cidr: props.cidr ?? '10.0.0.0/16',
        zones: checked.zones,
        publicSubnets: checked.publicSubnets,
        privateSubnetCidrs: props.privateSubnetCidrs,
        publicSubnetCidrs: props.publicSubnetCidrs,
      });
      if (props.name !== undefined) Check.matches(path, 'name', props.name, /^.{1,200}$/s, 'a Name tag of 1 to 200 characters', 'Give a short name, or leave it out (the construct path).');
      return { settings: checked, layout: plan, userTags: checkTags(path, 'tags', props.tags) };
    });
    this.egress = settings.egress;
    this.vpcCidr = layout.cidr;
    this.privateSubnetCidrs = layout.privateSubnetCidrs;
    this.publicSubnetCidrs = layout.publicSubnetCidrs;
    const name = props.name ?? path;
    const tags = (part?: string) => escapeTerraformTemplates({ ...userTags, Name: part ? `${name}-${part}` : name });

    const m = networkModules();
    this.availabilityZones = new m.DataAwsAvailabilityZones(this, 'Zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      lifecycle: {
        postcondition: [{
          condition: `\${length(self.names) >= ${settings.zones}}`,
          errorMessage: `${path}: 'availabilityZoneCount' must not exceed the region's available availability zones, got ${settings.zones}. ` +
            'Lower availabilityZoneCount to the number of zones the region has.',
        }],
      },
    });
    this.vpc = new m.Vpc(this, 'Vpc', { cidrBlock: layout.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tags() });
    Preconditions.set(this.vpc, Preconditions.of(deferred));
    Preconditions.report(this, deferred);
    this.defaultSecurityGroup = new m.DefaultSecurityGroup(this, 'DefaultSecurityGroup', { vpcId: this.vpc.id, tags: tags('default-no-rules') });

    const subnets = NetworkSubnets.build(this, { vpcId: this.vpc.id, zoneNames: this.availabilityZones.names, layout, settings, tags });
    this.privateSubnets = subnets.privateSubnets;
    this.publicSubnets = subnets.publicSubnets;
    this.internetGateway = subnets.internetGateway;
    this.publicRouteTable = subnets.publicRouteTable;
    this.natGateways = subnets.natGateways;
    this.privateRouteTables = subnets.privateRouteTables;

    // The region and partition lookups, made once and only when needed.
    const region = new RegionLookup(this);

    const endpoints = settings.endpoints ? NetworkEndpoints.build(this, {
      vpcId: this.vpc.id,
      privateSubnets: this.privateSubnets,
      privateRouteTableIds: this.privateRouteTables.map((t) => t.id),
      interfaceServices: settings.interfaceServices,
      region,
      tags,
    }) : undefined;
    this.endpointSecurityGroup = endpoints?.securityGroup;
    this.access = endpoints?.access;
    this.interfaceEndpoints = endpoints?.interfaceEndpoints ?? [];
    this.s3Endpoint = endpoints?.s3Endpoint;

    const flowLogs = settings.flowLogs
      ? NetworkFlowLogs.build(this, { vpcId: this.vpc.id, retentionDays: settings.retentionDays, kmsKeyArn: settings.kmsKeyArn, region, tags })
      : undefined;
    this.flowLogGroup = flowLogs?.group;
    this.flowLogRole = flowLogs?.role;
    this.flowLog = flowLogs?.flowLog;
  }

  /** The VPC id. */
  public get vpcId(): string {
    return this.vpc.id;
  }

  /** The private subnets' ids, in zone order: where hosts go. */
  public get hostSubnetIds(): string[] {
    return this.privateSubnets.map((s) => s.id);
  }

  /**
   * The public subnets' ids, in zone order: where an internet-facing load balancer goes.
   * @default - none without public subnets
   */
  public get publicSubnetIds(): string[] | undefined {
    return this.publicSubnets.length ? this.publicSubnets.map((s) => s.id) : undefined;
  }

  /**
   * The prefix list of the S3 gateway endpoint.
   * @default - none without endpoints
   */
  public get s3PrefixListId(): string | undefined {
    return this.s3Endpoint?.prefixListId;
  }

  /**
   * The id of the endpoints' security group.
   * @default - none without endpoints
   */
  public get endpointSecurityGroupId(): string | undefined {
    return this.endpointSecurityGroup?.id;
  }

  /** The private subnet of the `index`-th host (modulo the zones). */
  public hostSubnetId(index: number): string {
    const i = hostIndex(this.node.path, index);
    return this.privateSubnets[i % this.privateSubnets.length].id;
  }

  /**
   * Lets a host's security group reach the VPC endpoints (HTTPS), with a
   * rule under `owner`; nothing in NetworkEgress.NAT_GATEWAY, which has no
   * endpoints. Admitting one group twice keeps one rule.
   */
  public admitHost(securityGroupId: string, owner: Construct): void {
    EndpointAccess.check(this, securityGroupId, owner);
    this.access?.admit(securityGroupId, owner);
  }
}
