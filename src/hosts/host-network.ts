import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import type { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import type { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import type { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import type { Eip } from '@cdktf/provider-aws/lib/eip';
import type { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import type { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import type { Route } from '@cdktf/provider-aws/lib/route';
import type { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import type { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import type { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Fn, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { EndpointAccess } from './endpoint-access';
import { DefaultVpcNetwork, ExistingHostNetwork, hostIndex } from './imported-network';
import { ECR_ENDPOINT_SERVICES, NetworkEgress, SSM_ENDPOINT_SERVICES } from '../core/egress';
import { VpcLayouts } from '../core/vpc-layout';
import { beginDeferred, deferCheck, endDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplates } from '../private/terraform-string';
import { Check, checkTags } from '../private/validate';
import { Preconditions } from '../terraform/preconditions';

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

/** Props of `HostNetwork`. */
export interface HostNetworkProps {
  /**
   * How hosts get out: NetworkEgress.NAT_GATEWAY (the internet through NAT
   * gateways), VPC_ENDPOINTS_ONLY (AWS services only: Systems Manager, ECR,
   * S3; Amazon Linux 2023 hosts with ECR images work, Debian and Ubuntu
   * mirrors and Docker Hub do not) or NAT_GATEWAY_AND_ENDPOINTS (both). No
   * default: each costs money and decides what hosts can run.
   */
  readonly egress: NetworkEgress;
  /**
   * The VPC's IPv4 block, /16 to /22 (to /28 with subnet blocks of your
   * own); it must not overlap Docker's bridge network 172.17.0.0/16.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability zones the network spans (the region's first zones, by
   * name), 2 to 6. Every zone has a private subnet for hosts, and a public
   * subnet where the network has them.
   * @default 2
   */
  readonly availabilityZoneCount?: number;
  /**
   * One NAT gateway for every zone instead of one per zone: cheaper (each
   * NAT gateway is billed per hour, and per GB it processes), but hosts in
   * the other zones lose the internet when its zone fails, and their
   * traffic to it is billed as cross-zone transfer. Only with a NAT gateway.
   * @default false
   */
  readonly singleNatGateway?: boolean;
  /**
   * Public subnets and an internet gateway, e.g. for an internet-facing
   * load balancer in VPC_ENDPOINTS_ONLY (the hosts' route tables still lead
   * nowhere). The NAT modes need them.
   * @default - with a NAT gateway only
   */
  readonly publicSubnets?: boolean;
  /**
   * The private subnets' blocks, one per zone, inside the VPC's block.
   * @default - the i-th eighth of the VPC: cidrsubnet(cidr, 3, i)
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * The public subnets' blocks, one per zone, inside the VPC's block.
   * @default - cidrsubnet(cidr, 6, 56 + i): the i-th eighth of the VPC's last eighth
   */
  readonly publicSubnetCidrs?: string[];
  /**
   * More interface endpoints, by service name (what follows
   * `com.amazonaws.<region>.`), e.g. 'logs' (the awslogs log driver, the
   * CloudWatch agent, Session Manager logs), 'sts' (SDKs that assume roles),
   * 'kms', 'secretsmanager'. Each is billed per hour in each zone. Only
   * with endpoints.
   * @default - none: the endpoints hosts need (ssm, ssmmessages, ec2messages, ecr.api, ecr.dkr, and the S3 gateway)
   */
  readonly additionalInterfaceEndpoints?: string[];
  /**
   * VPC flow logs (all traffic) to a CloudWatch Logs log group. Turning
   * them off gives up the record of what crossed the network (IsolationChecks
   * reports NET-VPC-FLOW-LOGS).
   * @default true
   */
  readonly flowLogs?: boolean;
  /**
   * Days CloudWatch Logs keeps the flow logs: 0 (forever) or one of 1, 3,
   * 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
   * 2192, 2557, 2922, 3288, 3653.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * KMS key ARN for the flow log group. Its key policy must let
   * `logs.<region>.amazonaws.com` use it.
   * @default - CloudWatch Logs' own encryption
   */
  readonly flowLogKmsKeyArn?: string;
  /**
   * The `Name` tag of the VPC; its parts are named after it.
   * @default - the construct path
   */
  readonly name?: string;
  /**
   * Tags for every resource of the network.
   * @default - Name only
   */
  readonly tags?: { [key: string]: string };
}

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

const FLOW_LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const BUILT_EGRESS = [NetworkEgress.NAT_GATEWAY, NetworkEgress.VPC_ENDPOINTS_ONLY, NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS];
const SERVICE_NAME = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/;

/**
 * The network modules are loaded on first use, not with the library: most
 * stacks never build a network, and loading a provider module costs time
 * (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function networkModules() {
  return {
    CloudwatchLogGroup: require('@cdktf/provider-aws/lib/cloudwatch-log-group').CloudwatchLogGroup as typeof CloudwatchLogGroup,
    DataAwsAvailabilityZones: require('@cdktf/provider-aws/lib/data-aws-availability-zones').DataAwsAvailabilityZones as typeof DataAwsAvailabilityZones,
    DataAwsCallerIdentity: require('@cdktf/provider-aws/lib/data-aws-caller-identity').DataAwsCallerIdentity as typeof DataAwsCallerIdentity,
    DataAwsPartition: require('@cdktf/provider-aws/lib/data-aws-partition').DataAwsPartition as typeof DataAwsPartition,
    DataAwsRegion: require('@cdktf/provider-aws/lib/data-aws-region').DataAwsRegion as typeof DataAwsRegion,
    DefaultSecurityGroup: require('@cdktf/provider-aws/lib/default-security-group').DefaultSecurityGroup as typeof DefaultSecurityGroup,
    Eip: require('@cdktf/provider-aws/lib/eip').Eip as typeof Eip,
    FlowLog: require('@cdktf/provider-aws/lib/flow-log').FlowLog as typeof FlowLog,
    InternetGateway: require('@cdktf/provider-aws/lib/internet-gateway').InternetGateway as typeof InternetGateway,
    NatGateway: require('@cdktf/provider-aws/lib/nat-gateway').NatGateway as typeof NatGateway,
    Route: require('@cdktf/provider-aws/lib/route').Route as typeof Route,
    RouteTable: require('@cdktf/provider-aws/lib/route-table').RouteTable as typeof RouteTable,
    RouteTableAssociation: require('@cdktf/provider-aws/lib/route-table-association').RouteTableAssociation as typeof RouteTableAssociation,
    Subnet: require('@cdktf/provider-aws/lib/subnet').Subnet as typeof Subnet,
    Vpc: require('@cdktf/provider-aws/lib/vpc').Vpc as typeof Vpc,
    VpcEndpoint: require('@cdktf/provider-aws/lib/vpc-endpoint').VpcEndpoint as typeof VpcEndpoint,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The validated settings of a network. */
interface NetworkSettings {
  readonly egress: NetworkEgress;
  readonly zones: number;
  readonly nat: boolean;
  readonly endpoints: boolean;
  readonly publicSubnets: boolean;
  readonly singleNat: boolean;
  readonly interfaceServices: string[];
  readonly flowLogs: boolean;
  readonly retentionDays: number;
  readonly kmsKeyArn?: string;
}

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
    const deferred = beginDeferred();
    let settings: NetworkSettings;
    let layout: ReturnType<typeof VpcLayouts.plan>;
    let userTags: Record<string, string> | undefined;
    try {
      settings = validate(path, props);
      layout = VpcLayouts.plan(path, {
        cidr: props.cidr ?? '10.0.0.0/16',
        zones: settings.zones,
        publicSubnets: settings.publicSubnets,
        privateSubnetCidrs: props.privateSubnetCidrs,
        publicSubnetCidrs: props.publicSubnetCidrs,
      });
      if (props.name !== undefined) Check.matches(path, 'name', props.name, /^.{1,200}$/s, 'a Name tag of 1 to 200 characters', 'Give a short name, or leave it out (the construct path).');
      userTags = checkTags(path, 'tags', props.tags);
    } finally {
      endDeferred(deferred);
    }
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

    const zone = (i: number) => Fn.element(this.availabilityZones.names, i);
    this.privateSubnets = layout.privateSubnetCidrs.map((cidr, i) => new m.Subnet(this, `PrivateSubnet${i}`, {
      vpcId: this.vpc.id, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: tags(`private-${i + 1}`),
    }));
    this.publicSubnets = layout.publicSubnetCidrs.map((cidr, i) => new m.Subnet(this, `PublicSubnet${i}`, {
      // NAT gateways use Elastic IPs and load balancers their own addresses: nothing launched here gets a public IP by default.
      vpcId: this.vpc.id, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: tags(`public-${i + 1}`),
    }));

    if (settings.publicSubnets) {
      const igw = new m.InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: tags('igw') });
      this.internetGateway = igw;
      const table = new m.RouteTable(this, 'PublicRouteTable', { vpcId: this.vpc.id, tags: tags('public') });
      this.publicRouteTable = table;
      new m.Route(this, 'PublicDefaultRoute', { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
      this.publicSubnets.forEach((subnet, i) => new m.RouteTableAssociation(this, `PublicRouteTableAssociation${i}`, { subnetId: subnet.id, routeTableId: table.id }));
    }

    this.natGateways = [];
    if (settings.nat) {
      const count = settings.singleNat ? 1 : settings.zones;
      for (let i = 0; i < count; i++) {
        const eip = new m.Eip(this, `NatEip${i}`, { domain: 'vpc', tags: tags(`nat-${i + 1}`), dependsOn: [this.internetGateway!] });
        this.natGateways.push(new m.NatGateway(this, `NatGateway${i}`, {
          allocationId: eip.allocationId, subnetId: this.publicSubnets[i].id, tags: tags(`nat-${i + 1}`), dependsOn: [this.internetGateway!],
        }));
      }
    }

    this.privateRouteTables = this.privateSubnets.map((subnet, i) => {
      const table = new m.RouteTable(this, `PrivateRouteTable${i}`, { vpcId: this.vpc.id, tags: tags(`private-${i + 1}`) });
      new m.RouteTableAssociation(this, `PrivateRouteTableAssociation${i}`, { subnetId: subnet.id, routeTableId: table.id });
      if (settings.nat) {
        const nat = this.natGateways[settings.singleNat ? 0 : i];
        new m.Route(this, `PrivateDefaultRoute${i}`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      }
      return table;
    });

    // The region and partition lookups, made once and only when needed.
    let regionLookup: DataAwsRegion | undefined;
    let partitionLookup: DataAwsPartition | undefined;
    const region = () => (regionLookup ??= new m.DataAwsRegion(this, 'Region', {}));
    const partition = () => (partitionLookup ??= new m.DataAwsPartition(this, 'Partition', {}));

    this.interfaceEndpoints = [];
    if (settings.endpoints) {
      const service = (s: string) => `${partition().reverseDnsPrefix}.${region().region}.${s}`;
      const sg = new SecurityGroup(this, 'EndpointSecurityGroup', {
        description: `cdktf-isolation VPC endpoints of ${path}: HTTPS from admitted hosts only`.slice(0, 255),
        vpcId: this.vpc.id,
        tags: tags('endpoints'),
      });
      this.endpointSecurityGroup = sg;
      this.access = new EndpointAccess(this, sg.id);
      for (const s of settings.interfaceServices) {
        this.interfaceEndpoints.push(new m.VpcEndpoint(this, `${endpointId(s)}Endpoint`, {
          vpcId: this.vpc.id,
          serviceName: service(s),
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((subnet) => subnet.id),
          securityGroupIds: [sg.id],
          tags: tags(`${s}-endpoint`),
        }));
      }
      this.s3Endpoint = new m.VpcEndpoint(this, 'S3Endpoint', {
        vpcId: this.vpc.id,
        serviceName: service('s3'),
        vpcEndpointType: 'Gateway',
        routeTableIds: this.privateRouteTables.map((t) => t.id),
        tags: tags('s3-endpoint'),
      });
    }

    if (settings.flowLogs) {
      const account = new m.DataAwsCallerIdentity(this, 'Account', {});
      const group = new m.CloudwatchLogGroup(this, 'FlowLogGroup', {
        namePrefix: '/cdktf-isolation/vpc-flow-logs/',
        retentionInDays: settings.retentionDays,
        kmsKeyId: settings.kmsKeyArn,
        tags: tags('flow-logs'),
      });
      this.flowLogGroup = group;
      const role = new IamRole(this, 'FlowLogRole', {
        description: `cdktf-isolation VPC flow logs of ${path}`.slice(0, 1000),
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Only flow logs of this account may use the role (the confused deputy).
            Condition: {
              StringEquals: { 'aws:SourceAccount': account.accountId },
              ArnLike: { 'aws:SourceArn': `arn:${partition().partition}:ec2:${region().region}:${account.accountId}:vpc-flow-log/*` },
            },
          }],
        }),
        tags: tags('flow-logs'),
      });
      this.flowLogRole = role;
      new IamRolePolicy(this, 'FlowLogPolicy', {
        role: role.id,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
            Resource: [group.arn, `${group.arn}:*`],
          }],
        }),
      });
      this.flowLog = new m.FlowLog(this, 'FlowLog', {
        vpcId: this.vpc.id,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: group.arn,
        iamRoleArn: role.arn,
        tags: tags('flow-log'),
      });
    }
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

/** `ecr.api` -> `EcrApi`. */
function endpointId(service: string): string {
  return service.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function validate(path: string, props: HostNetworkProps): NetworkSettings {
  if (props.egress === undefined) {
    throw new IsolationError(path, 'egress', 'must be chosen: how hosts get out of the network (each way costs money and decides what hosts can run)', undefined,
      'Choose NetworkEgress.NAT_GATEWAY (the internet), VPC_ENDPOINTS_ONLY (AWS services only: Amazon Linux 2023 with ECR images) or NAT_GATEWAY_AND_ENDPOINTS (both).');
  }
  if (props.egress === NetworkEgress.NONE) {
    throw new IsolationError(path, 'egress', 'must be a way out: a HostNetwork builds one (NONE is for networks of your own, HostNetwork.fromExisting)', props.egress,
      'Choose NetworkEgress.NAT_GATEWAY, VPC_ENDPOINTS_ONLY or NAT_GATEWAY_AND_ENDPOINTS.');
  }
  const egress = Check.oneOf(path, 'egress', Check.known(path, 'egress', props.egress, 'it decides at synth which resources the network has'), BUILT_EGRESS);
  const nat = egress !== NetworkEgress.VPC_ENDPOINTS_ONLY;
  const endpoints = egress !== NetworkEgress.NAT_GATEWAY;
  const zones = VpcLayouts.zoneCount(path, props.availabilityZoneCount ?? 2);
  const publicSubnets = Check.bool(path, 'publicSubnets', props.publicSubnets, nat, 'it decides at synth which subnets the network has');
  if (nat && !publicSubnets) {
    throw new IsolationError(path, 'publicSubnets', `must be true with NetworkEgress.${egress === NetworkEgress.NAT_GATEWAY ? 'NAT_GATEWAY' : 'NAT_GATEWAY_AND_ENDPOINTS'}: NAT gateways live in public subnets`, false,
      'Leave publicSubnets out, or choose NetworkEgress.VPC_ENDPOINTS_ONLY for a network without them.');
  }
  const singleNat = Check.bool(path, 'singleNatGateway', props.singleNatGateway, false, 'it decides at synth how many NAT gateways the network has');
  if (singleNat && !nat) {
    throw new IsolationError(path, 'singleNatGateway', 'only applies to a network with a NAT gateway, not NetworkEgress.VPC_ENDPOINTS_ONLY', true,
      'Leave singleNatGateway out, or choose NetworkEgress.NAT_GATEWAY or NAT_GATEWAY_AND_ENDPOINTS.');
  }
  const interfaceServices = endpoints ? [...SSM_ENDPOINT_SERVICES, ...ECR_ENDPOINT_SERVICES] : [];
  if (props.additionalInterfaceEndpoints !== undefined) {
    if (!endpoints) {
      throw new IsolationError(path, 'additionalInterfaceEndpoints', 'only applies to a network with VPC endpoints, not NetworkEgress.NAT_GATEWAY', props.additionalInterfaceEndpoints,
        'Choose NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS for endpoints next to the NAT gateway, or leave additionalInterfaceEndpoints out.');
    }
    Check.known(path, 'additionalInterfaceEndpoints', props.additionalInterfaceEndpoints, 'each service is an endpoint resource made at synth');
    if (!Array.isArray(props.additionalInterfaceEndpoints)) {
      throw new IsolationError(path, 'additionalInterfaceEndpoints', 'must be a list of service names', props.additionalInterfaceEndpoints, "Write e.g. ['logs', 'sts'].");
    }
    props.additionalInterfaceEndpoints.forEach((s, i) => {
      const prop = `additionalInterfaceEndpoints[${i}]`;
      Check.known(path, prop, s, 'each service is an endpoint resource made at synth');
      Check.matches(path, prop, s, SERVICE_NAME, 'a service name such as \'logs\' or \'ecr.api\' (what follows com.amazonaws.<region>.)', "Write the service's short name, e.g. 'logs', 'sts' or 'secretsmanager'.");
      if (s === 's3') {
        throw new IsolationError(path, prop, 'must not be s3: the network already has the S3 gateway endpoint (free, on the private route tables)', s, 'Leave s3 out.');
      }
      if (interfaceServices.includes(s)) {
        throw new IsolationError(path, prop, `must not repeat an endpoint the network already has (${interfaceServices.join(', ')})`, s, `Leave ${s} out.`);
      }
      interfaceServices.push(s);
    });
  }
  const flowLogs = Check.bool(path, 'flowLogs', props.flowLogs, true, 'it decides at synth whether the flow log resources exist');
  if (!flowLogs && (props.flowLogRetentionDays !== undefined || props.flowLogKmsKeyArn !== undefined)) {
    const prop = props.flowLogRetentionDays !== undefined ? 'flowLogRetentionDays' : 'flowLogKmsKeyArn';
    throw new IsolationError(path, prop, 'only applies with flow logs, but flowLogs is false', props[prop], `Leave ${prop} out, or turn flowLogs on.`);
  }
  const retentionDays = props.flowLogRetentionDays ?? 365;
  if (Token.isUnresolved(retentionDays)) {
    // Terraform's contains() does not convert: the value is compared as a string.
    deferCheck({
      path,
      prop: 'flowLogRetentionDays',
      value: Fn.tostring(retentionDays),
      problem: 'must be one of CloudWatch Logs\' retention periods (0 keeps the logs forever)',
      fix: `Use one of ${FLOW_LOG_RETENTION_DAYS.join(', ')} (365, the default, keeps a year).`,
      condition: { kind: 'one-of', values: FLOW_LOG_RETENTION_DAYS.map(String) },
    });
  } else if (!FLOW_LOG_RETENTION_DAYS.includes(retentionDays as number)) {
    throw new IsolationError(path, 'flowLogRetentionDays', 'must be one of CloudWatch Logs\' retention periods (0 keeps the logs forever)', props.flowLogRetentionDays,
      `Use one of ${FLOW_LOG_RETENTION_DAYS.join(', ')} (365, the default, keeps a year).`);
  }
  if (props.flowLogKmsKeyArn !== undefined) {
    Check.matches(path, 'flowLogKmsKeyArn', props.flowLogKmsKeyArn, KMS_KEY_ARN, 'a KMS key ARN',
      "Copy the key's ARN, e.g. 'arn:aws:kms:eu-west-1:123456789012:key/<id>'; its key policy must let logs.<region>.amazonaws.com use it.");
  }
  return { egress, zones, nat, endpoints, publicSubnets, singleNat, interfaceServices, flowLogs, retentionDays, kmsKeyArn: props.flowLogKmsKeyArn };
}
