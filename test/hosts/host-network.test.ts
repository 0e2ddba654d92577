import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { DefaultTokenResolver, StringConcat, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { HostNetwork, HostNetworkProps, HostSecurityGroup, IHostNetwork, NetworkEgress, VmHost } from '../../src';
import { IsolationError } from '../../src/private/errors';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson } from '../helpers/synth';

const SSM_ECR = ['ssm', 'ssmmessages', 'ec2messages', 'ecr.api', 'ecr.dkr'];

/** A value with its tokens resolved as at synthesis (`${aws_vpc.<id>.id}`). */
function resolveIn(stack: TerraformStack, value: unknown): any {
  return Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
}

function network(props: HostNetworkProps, build?: (stack: TerraformStack, net: HostNetwork) => void) {
  const { stack } = awsStack();
  const net = new HostNetwork(stack, 'net', props);
  build?.(stack, net);
  const json = synthJson(stack);
  /** `${<type>.<logical id>.<attribute>}` of a construct's resource. */
  const ref = (resource: Construct, attribute = 'id', kind: 'resource' | 'data' = 'resource') =>
    `\${${kind === 'data' ? 'data.' : ''}${(resource as any).terraformResourceType}.${stack.getLogicalId(resource as any)}.${attribute}}`;
  const of = (type: string, kind: 'resource' | 'data' = 'resource') => Object.values(resourcesOf(json, type, kind));
  /** The Terraform JSON of a construct's resource. */
  const conf = (resource: Construct) => resourcesOf(json, (resource as any).terraformResourceType)[stack.getLogicalId(resource as any)];
  return { stack, net, json, ref, of, conf, resolve: (v: unknown) => resolveIn(stack, v) };
}

/** The routes of one route table: [destination, target reference]. */
function routesOf(json: any, tableRef: string): Array<[string, string]> {
  return Object.values<any>(resourcesOf(json, 'aws_route')).filter((r) => r.route_table_id === tableRef)
    .map((r) => [r.destination_cidr_block, r.nat_gateway_id ?? r.gateway_id]);
}

describe('HostNetwork with NetworkEgress.NAT_GATEWAY (defaults otherwise)', () => {
  const { net, json, ref, of, resolve } = network({ egress: NetworkEgress.NAT_GATEWAY });
  const zones = ref(net.availabilityZones, 'names', 'data');

  test('a VPC of 10.0.0.0/16 with DNS support and hostnames, named after the construct path', () => {
    expect(onlyResource(json, 'aws_vpc')).toEqual({ cidr_block: '10.0.0.0/16', enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: 'test/net' } });
    expect([net.vpcCidr, resolve(net.vpcId)]).toEqual(['10.0.0.0/16', ref(net.vpc)]);
  });

  test('the available zones of the region (no Local Zones), checked at apply to be enough', () => {
    expect(onlyResource(json, 'aws_availability_zones', 'data')).toEqual({
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      lifecycle: {
        postcondition: [{
          condition: '${length(self.names) >= 2}',
          error_message: "test/net: 'availabilityZoneCount' must not exceed the region's available availability zones, got 2. " +
            'Lower availabilityZoneCount to the number of zones the region has.',
        }],
      },
    });
  });

  test('a private and a public subnet in each of two zones, none giving public IPs', () => {
    expect(of('aws_subnet')).toEqual([
      { vpc_id: ref(net.vpc), cidr_block: '10.0.0.0/19', availability_zone: `\${element(${zones.slice(2, -1)}, 0)}`, map_public_ip_on_launch: false, tags: { Name: 'test/net-private-1' } },
      { vpc_id: ref(net.vpc), cidr_block: '10.0.32.0/19', availability_zone: `\${element(${zones.slice(2, -1)}, 1)}`, map_public_ip_on_launch: false, tags: { Name: 'test/net-private-2' } },
      { vpc_id: ref(net.vpc), cidr_block: '10.0.224.0/22', availability_zone: `\${element(${zones.slice(2, -1)}, 0)}`, map_public_ip_on_launch: false, tags: { Name: 'test/net-public-1' } },
      { vpc_id: ref(net.vpc), cidr_block: '10.0.228.0/22', availability_zone: `\${element(${zones.slice(2, -1)}, 1)}`, map_public_ip_on_launch: false, tags: { Name: 'test/net-public-2' } },
    ]);
    expect(resolve(net.hostSubnetIds)).toEqual(net.privateSubnets.map((s) => ref(s)));
    expect(resolve(net.publicSubnetIds)).toEqual(net.publicSubnets.map((s) => ref(s)));
    expect([net.privateSubnetCidrs, net.publicSubnetCidrs]).toEqual([['10.0.0.0/19', '10.0.32.0/19'], ['10.0.224.0/22', '10.0.228.0/22']]);
  });

  test('one NAT gateway per zone, with an Elastic IP, in the public subnets, after the internet gateway', () => {
    const igw = 'aws_internet_gateway.' + ref(net.internetGateway!).split('.')[1];
    expect(onlyResource(json, 'aws_internet_gateway')).toEqual({ vpc_id: ref(net.vpc), tags: { Name: 'test/net-igw' } });
    expect(of('aws_eip')).toEqual([
      { domain: 'vpc', depends_on: [igw], tags: { Name: 'test/net-nat-1' } },
      { domain: 'vpc', depends_on: [igw], tags: { Name: 'test/net-nat-2' } },
    ]);
    expect(of('aws_nat_gateway')).toEqual(net.publicSubnets.map((subnet, i) => ({
      allocation_id: `\${aws_eip.${Object.keys(resourcesOf(json, 'aws_eip'))[i]}.allocation_id}`, subnet_id: ref(subnet), depends_on: [igw], tags: { Name: `test/net-nat-${i + 1}` },
    })));
  });

  test('each private subnet routes 0.0.0.0/0 to its zone\'s NAT gateway; the public subnets to the internet gateway', () => {
    expect(net.privateRouteTables.map((t) => routesOf(json, ref(t)))).toEqual([
      [['0.0.0.0/0', ref(net.natGateways[0])]],
      [['0.0.0.0/0', ref(net.natGateways[1])]],
    ]);
    expect(routesOf(json, ref(net.publicRouteTable!))).toEqual([['0.0.0.0/0', ref(net.internetGateway!)]]);
    expect(of('aws_route_table_association')).toEqual([
      { subnet_id: ref(net.privateSubnets[0]), route_table_id: ref(net.privateRouteTables[0]) },
      { subnet_id: ref(net.privateSubnets[1]), route_table_id: ref(net.privateRouteTables[1]) },
      { subnet_id: ref(net.publicSubnets[0]), route_table_id: ref(net.publicRouteTable!) },
      { subnet_id: ref(net.publicSubnets[1]), route_table_id: ref(net.publicRouteTable!) },
    ]);
    expect(of('aws_route_table').map((t: any) => t.tags.Name)).toEqual(['test/net-private-1', 'test/net-private-2', 'test/net-public']);
  });

  test('no endpoints: nothing to admit hosts to', () => {
    expect(resourcesOf(json, 'aws_vpc_endpoint')).toEqual({});
    expect(resourcesOf(json, 'aws_security_group')).toEqual({});
    expect([net.endpointSecurityGroup, net.endpointSecurityGroupId, net.s3Endpoint, net.interfaceEndpoints])
      .toEqual([undefined, undefined, undefined, []]);
  });

  test('the VPC\'s default security group is managed with no rules', () => {
    expect(onlyResource(json, 'aws_default_security_group')).toEqual({ vpc_id: ref(net.vpc), tags: { Name: 'test/net-default-no-rules' } });
  });

  test('flow logs of all traffic to a log group kept a year, written by a role only this account\'s flow logs can assume', () => {
    expect(onlyResource(json, 'aws_flow_log')).toEqual({
      vpc_id: ref(net.vpc),
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: ref(net.flowLogGroup!, 'arn'),
      iam_role_arn: ref(net.flowLogRole!, 'arn'),
      tags: { Name: 'test/net-flow-log' },
    });
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toEqual({ name_prefix: '/cdktf-isolation/vpc-flow-logs/', retention_in_days: 365, tags: { Name: 'test/net-flow-logs' } });
    const role = onlyResource(json, 'aws_iam_role');
    const account = `\${data.aws_caller_identity.${Object.keys(resourcesOf(json, 'aws_caller_identity', 'data'))[0]}.account_id}`;
    const partition = `\${data.aws_partition.${Object.keys(resourcesOf(json, 'aws_partition', 'data'))[0]}.partition}`;
    const region = `\${data.aws_region.${Object.keys(resourcesOf(json, 'aws_region', 'data'))[0]}.region}`;
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` } },
      }],
    });
    expect(role.description).toBe('cdktf-isolation VPC flow logs of test/net');
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(policy.role).toBe(ref(net.flowLogRole!));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
        Resource: [ref(net.flowLogGroup!, 'arn'), `${ref(net.flowLogGroup!, 'arn')}:*`],
      }],
    });
  });

  test('admitHost does nothing (no endpoints), hosts get the private subnets in turn', () => {
    const { stack } = awsStack();
    const n = new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY });
    const sg = new SecurityGroup(stack, 'sg', { vpcId: n.vpcId });
    n.admitHost(sg.id, sg);
    expect(resourcesOf(synthJson(stack), 'aws_vpc_security_group_ingress_rule')).toEqual({});
    const [a, b] = n.privateSubnets.map((x) => resolveIn(stack, x.id));
    expect([0, 1, 2, 3].map((i) => resolveIn(stack, n.hostSubnetId(i)))).toEqual([a, b, a, b]);
    expect(n.egress).toBe(NetworkEgress.NAT_GATEWAY);
  });

  test('one shared NAT gateway with singleNatGateway: both private subnets route to it', () => {
    const shared = network({ egress: NetworkEgress.NAT_GATEWAY, singleNatGateway: true });
    expect(shared.net.natGateways).toHaveLength(1);
    expect(shared.of('aws_nat_gateway').map((g: any) => g.subnet_id)).toEqual([shared.ref(shared.net.publicSubnets[0])]);
    expect(shared.of('aws_eip')).toHaveLength(1);
    expect(shared.net.privateRouteTables.map((t) => routesOf(shared.json, shared.ref(t)))).toEqual([
      [['0.0.0.0/0', shared.ref(shared.net.natGateways[0])]],
      [['0.0.0.0/0', shared.ref(shared.net.natGateways[0])]],
    ]);
  });
});

describe('HostNetwork with NetworkEgress.VPC_ENDPOINTS_ONLY', () => {
  let host: VmHost;
  let other: HostSecurityGroup;
  const { net, json, ref, of, conf, resolve } = network({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY }, (stack, n) => {
    host = new VmHost(stack, 'host', { vpcId: n.vpcId, subnetId: n.hostSubnetId(0) });
    n.admitHost(host.securityGroupId, host);
    n.admitHost(host.securityGroupId, host); // twice: one rule
    other = new HostSecurityGroup(stack, 'other', { vpcId: n.vpcId });
    n.admitHost(other.securityGroupId, other);
  });
  const region = `\${data.aws_region.${Object.keys(resourcesOf(json, 'aws_region', 'data'))[0]}.region}`;
  const prefix = `\${data.aws_partition.${Object.keys(resourcesOf(json, 'aws_partition', 'data'))[0]}.reverse_dns_prefix}`;

  test('no internet at all: no public subnet, internet gateway, NAT gateway or route', () => {
    expect(of('aws_subnet').map((s: any) => s.tags.Name)).toEqual(['test/net-private-1', 'test/net-private-2']);
    expect([resourcesOf(json, 'aws_internet_gateway'), resourcesOf(json, 'aws_nat_gateway'), resourcesOf(json, 'aws_eip'), resourcesOf(json, 'aws_route')])
      .toEqual([{}, {}, {}, {}]);
    expect(net.privateRouteTables.map((t) => routesOf(json, ref(t)))).toEqual([[], []]);
    expect([net.publicSubnets, net.publicSubnetIds, net.publicRouteTable, net.internetGateway, net.natGateways])
      .toEqual([[], undefined, undefined, undefined, []]);
  });

  test('interface endpoints for the SSM agent and ECR, with private DNS, in the private subnets, behind their own security group', () => {
    expect(net.interfaceEndpoints.map(conf)).toEqual(SSM_ECR.map((service) => ({
      vpc_id: ref(net.vpc),
      service_name: `${prefix}.${region}.${service}`,
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
      subnet_ids: [ref(net.privateSubnets[0]), ref(net.privateSubnets[1])],
      security_group_ids: [ref(net.endpointSecurityGroup!)],
      tags: { Name: `test/net-${service}-endpoint` },
    })));
    expect(net.interfaceEndpoints.map((e) => e.node.id)).toEqual(['SsmEndpoint', 'SsmmessagesEndpoint', 'Ec2messagesEndpoint', 'EcrApiEndpoint', 'EcrDkrEndpoint']);
  });

  test('the S3 gateway endpoint on the private route tables', () => {
    expect(conf(net.s3Endpoint!)).toEqual({
      vpc_id: ref(net.vpc),
      service_name: `${prefix}.${region}.s3`,
      vpc_endpoint_type: 'Gateway',
      route_table_ids: [ref(net.privateRouteTables[0]), ref(net.privateRouteTables[1])],
      tags: { Name: 'test/net-s3-endpoint' },
    });
  });

  test('the endpoints\' security group admits HTTPS only from the admitted hosts, one rule each, under each host', () => {
    expect(conf(net.endpointSecurityGroup!)).toEqual({
      description: 'cdktf-isolation VPC endpoints of test/net: HTTPS from admitted hosts only', vpc_id: ref(net.vpc), tags: { Name: 'test/net-endpoints' },
    });
    const toEndpoints = Object.entries<any>(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))
      .filter(([, r]) => r.security_group_id === ref(net.endpointSecurityGroup!));
    const ruleOf = (owner: Construct) => ref(owner.node.findChild('VpcEndpointAccess')).split('.')[1];
    expect(resolve(net.endpointSecurityGroupId)).toBe(ref(net.endpointSecurityGroup!));
    expect(toEndpoints).toEqual([
      [ruleOf(host), {
        security_group_id: ref(net.endpointSecurityGroup!),
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        referenced_security_group_id: ref(host.securityGroup.resource),
        description: 'HTTPS to the VPC endpoints of test/net from test/host',
      }],
      [ruleOf(other), {
        security_group_id: ref(net.endpointSecurityGroup!),
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        referenced_security_group_id: ref(other.resource),
        description: 'HTTPS to the VPC endpoints of test/net from test/other',
      }],
    ]);
    expect(host.node.tryFindChild('VpcEndpointAccess1')).toBeUndefined();
    // Nothing else reaches or leaves the endpoints' group.
    expect(Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_egress_rule')).filter((r) => r.security_group_id === ref(net.endpointSecurityGroup!))).toEqual([]);
  });
});

describe('HostNetwork with NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS', () => {
  const { net, json, ref, conf } = network({ egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS });

  test('NAT gateways for the internet and the endpoints for AWS: 0.0.0.0/0 to the NAT gateway, S3 on the private route tables', () => {
    expect(net.natGateways).toHaveLength(2);
    expect(net.privateRouteTables.map((t) => routesOf(json, ref(t)))).toEqual([
      [['0.0.0.0/0', ref(net.natGateways[0])]],
      [['0.0.0.0/0', ref(net.natGateways[1])]],
    ]);
    const prefix = `\${data.aws_partition.${Object.keys(resourcesOf(json, 'aws_partition', 'data'))[0]}.reverse_dns_prefix}.` +
      `\${data.aws_region.${Object.keys(resourcesOf(json, 'aws_region', 'data'))[0]}.region}.`;
    expect([...net.interfaceEndpoints, net.s3Endpoint!].map(conf).map((e: any) => [e.service_name.replace(prefix, ''), e.vpc_endpoint_type, e.private_dns_enabled, e.subnet_ids, e.route_table_ids])).toEqual([
      ...SSM_ECR.map((service) => [service, 'Interface', true, net.privateSubnets.map((x) => ref(x)), undefined]),
      ['s3', 'Gateway', undefined, undefined, net.privateRouteTables.map((t) => ref(t))],
    ]);
    expect(net.publicSubnets).toHaveLength(2);
  });
});

describe('HostNetwork options', () => {
  test('three zones: three subnets per tier, three NAT gateways, a zone check for three', () => {
    const { net, json, of } = network({ egress: NetworkEgress.NAT_GATEWAY, availabilityZoneCount: 3 });
    expect(of('aws_subnet').map((s: any) => [s.cidr_block, s.availability_zone.replace(/\.names/, '').replace(/data\.aws_availability_zones\.[^,]+/, 'zones')])).toEqual([
      ['10.0.0.0/19', '${element(zones, 0)}'], ['10.0.32.0/19', '${element(zones, 1)}'], ['10.0.64.0/19', '${element(zones, 2)}'],
      ['10.0.224.0/22', '${element(zones, 0)}'], ['10.0.228.0/22', '${element(zones, 1)}'], ['10.0.232.0/22', '${element(zones, 2)}'],
    ]);
    expect(net.natGateways).toHaveLength(3);
    expect(net.privateRouteTables).toHaveLength(3);
    expect(onlyResource(json, 'aws_availability_zones', 'data').lifecycle.postcondition[0].condition).toBe('${length(self.names) >= 3}');
  });

  test('public subnets in endpoints-only, for an internet-facing load balancer: the hosts still have no route out', () => {
    const { net, json, ref } = network({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY, publicSubnets: true });
    expect(net.publicSubnets).toHaveLength(2);
    expect(routesOf(json, ref(net.publicRouteTable!))).toEqual([['0.0.0.0/0', ref(net.internetGateway!)]]);
    expect(net.privateRouteTables.map((t) => routesOf(json, ref(t)))).toEqual([[], []]);
    expect(resourcesOf(json, 'aws_nat_gateway')).toEqual({});
  });

  test('more interface endpoints by service name', () => {
    const { net } = network({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY, additionalInterfaceEndpoints: ['logs', 'sts', 'secretsmanager'] });
    expect(net.interfaceEndpoints.map((e) => e.node.id)).toEqual([
      'SsmEndpoint', 'SsmmessagesEndpoint', 'Ec2messagesEndpoint', 'EcrApiEndpoint', 'EcrDkrEndpoint', 'LogsEndpoint', 'StsEndpoint', 'SecretsmanagerEndpoint',
    ]);
  });

  test('a CIDR, subnet blocks, a flow log retention and KMS key, a name and tags of your own (user text escaped)', () => {
    const { json, of } = network({
      egress: NetworkEgress.NAT_GATEWAY,
      cidr: '10.8.0.0/20',
      privateSubnetCidrs: ['10.8.0.0/22', '10.8.4.0/22'],
      flowLogRetentionDays: 30,
      flowLogKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      name: 'shop',
      tags: { team: 'platform', note: 'a ${literal}' },
    });
    expect(onlyResource(json, 'aws_vpc').cidr_block).toBe('10.8.0.0/20');
    expect(of('aws_subnet').map((s: any) => [s.cidr_block, s.tags.Name])).toEqual([
      ['10.8.0.0/22', 'shop-private-1'], ['10.8.4.0/22', 'shop-private-2'], ['10.8.14.0/26', 'shop-public-1'], ['10.8.14.64/26', 'shop-public-2'],
    ]);
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toEqual({
      name_prefix: '/cdktf-isolation/vpc-flow-logs/',
      retention_in_days: 30,
      kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      tags: { team: 'platform', note: 'a $${literal}', Name: 'shop-flow-logs' },
    });
    const types = ['aws_vpc', 'aws_subnet', 'aws_internet_gateway', 'aws_route_table', 'aws_eip', 'aws_nat_gateway', 'aws_default_security_group', 'aws_flow_log', 'aws_iam_role'];
    for (const type of types) {
      for (const r of of(type)) expect([type, r.tags.team, r.tags.note]).toEqual([type, 'platform', 'a $${literal}']);
    }
  });

  test('flow logs off: no log group, role or flow log', () => {
    const { net, json } = network({ egress: NetworkEgress.NAT_GATEWAY, flowLogs: false });
    for (const type of ['aws_flow_log', 'aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy']) expect([type, resourcesOf(json, type)]).toEqual([type, {}]);
    expect([net.flowLog, net.flowLogGroup, net.flowLogRole]).toEqual([undefined, undefined, undefined]);
    expect(resourcesOf(json, 'aws_caller_identity', 'data')).toEqual({});
  });
});

describe('HostNetwork.defaultVpc: an explicit choice for trying synthesis, with a warning', () => {
  const { stack } = awsStack();
  const net: IHostNetwork = HostNetwork.defaultVpc(stack, 'default');
  const sg = new SecurityGroup(stack, 'sg', { vpcId: net.vpcId });
  net.admitHost(sg.id, sg);
  new TerraformOutput(stack, 'first', { value: net.hostSubnetId(0) });
  new TerraformOutput(stack, 'ids', { value: net.hostSubnetIds });
  const json = synthJson(stack);
  const vpc = Object.keys(resourcesOf(json, 'aws_vpc', 'data'))[0];
  const subnets = Object.keys(resourcesOf(json, 'aws_subnets', 'data'))[0];

  test('the default VPC and its default subnets (one per zone), sorted; no way out, nothing to admit to', () => {
    expect(resourcesOf(json, 'aws_vpc', 'data')[vpc]).toEqual({ default: true });
    expect(resourcesOf(json, 'aws_subnets', 'data')[subnets]).toEqual({
      filter: [{ name: 'vpc-id', values: [`\${data.aws_vpc.${vpc}.id}`] }, { name: 'default-for-az', values: ['true'] }],
    });
    expect(json.output.first.value).toBe(`\${element(sort(data.aws_subnets.${subnets}.ids), 0)}`);
    expect(json.output.ids.value).toBe(`\${sort(data.aws_subnets.${subnets}.ids)}`);
    expect(net.publicSubnetIds).toBe(net.hostSubnetIds); // the default subnets route to the internet gateway
    expect([net.egress, net.endpointSecurityGroupId]).toEqual([NetworkEgress.NONE, undefined]);
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(resourcesOf(json, 'aws_vpc')).toEqual({});
  });

  test('a synth warning says hosts there cannot get out, and what to use instead', () => {
    expect(net.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([
      'test/default: hosts in the account\'s default VPC have no way out: they get no public IP, and the default VPC has no NAT gateway and no VPC endpoints, ' +
      'so deployed they cannot install packages, pull images or reach Systems Manager. Use it to try synthesis; to deploy, give the hosts a HostNetwork ' +
      "(new HostNetwork(scope, 'network', { egress: NetworkEgress.NAT_GATEWAY })) or a VPC of your own with a way out (HostNetwork.fromExisting).",
    ]);
  });
});

describe('HostNetwork.fromExisting: a VPC of your own, with the way out you say it has', () => {
  test('its ids as given; hosts take the subnets in turn; admitHost adds an HTTPS rule to the endpoints\' group you name', () => {
    const { stack } = awsStack();
    const net = HostNetwork.fromExisting(stack, 'mine', {
      vpcId: 'vpc-0123456789abcdef0',
      hostSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      egress: NetworkEgress.VPC_ENDPOINTS_ONLY,
      endpointSecurityGroupId: 'sg-0123456789abcdef0',
      publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
    });
    const host = new VmHost(stack, 'host', { vpcId: net.vpcId, subnetId: net.hostSubnetId(1) });
    net.admitHost(host.securityGroupId, host);
    const json = synthJson(stack);
    expect([net.vpcId, net.hostSubnetIds, net.egress, net.endpointSecurityGroupId]).toEqual([
      'vpc-0123456789abcdef0', ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'], NetworkEgress.VPC_ENDPOINTS_ONLY, 'sg-0123456789abcdef0',
    ]);
    expect([0, 1, 2].map((i) => net.hostSubnetId(i))).toEqual(['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210', 'subnet-0123456789abcdef0']);
    expect(net.publicSubnetIds).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
    expect(onlyResource(json, 'aws_instance').subnet_id).toBe('subnet-0fedcba9876543210');
    expect(onlyResource(json, 'aws_vpc_security_group_ingress_rule')).toEqual({
      security_group_id: 'sg-0123456789abcdef0',
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      referenced_security_group_id: `\${aws_security_group.${Object.keys(resourcesOf(json, 'aws_security_group'))[0]}.id}`,
      description: 'HTTPS to the VPC endpoints of test/mine from test/host',
    });
  });

  test('without the endpoints\' group, admitHost adds nothing; subnet ids may be a token list', () => {
    const { stack } = awsStack();
    const ids = HostNetwork.defaultVpc(stack, 'lookup').hostSubnetIds;
    const net = HostNetwork.fromExisting(stack, 'mine', { vpcId: 'vpc-0123456789abcdef0', hostSubnetIds: ids, egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS });
    const sg = new SecurityGroup(stack, 'sg', { vpcId: net.vpcId });
    net.admitHost(sg.id, sg);
    new TerraformOutput(stack, 'second', { value: net.hostSubnetId(1) });
    const json = synthJson(stack);
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(json.output.second.value).toBe(`\${element(sort(data.aws_subnets.${Object.keys(resourcesOf(json, 'aws_subnets', 'data'))[0]}.ids), 1)}`);
  });
});

describe('HostNetwork: bad input is the library\'s error, in its shape', () => {
  const message = (build: (stack: TerraformStack) => unknown) => {
    const { stack } = awsStack('s');
    const e = errorOf(() => build(stack));
    expect(e).toBeInstanceOf(IsolationError);
    return e.message;
  };
  test('no way out chosen', () => {
    expect(message((s) => new HostNetwork(s, 'net', {} as any))).toBe(
      "s/net: 'egress' must be chosen: how hosts get out of the network (each way costs money and decides what hosts can run), got undefined. " +
      'Choose NetworkEgress.NAT_GATEWAY (the internet), VPC_ENDPOINTS_ONLY (AWS services only: Amazon Linux 2023 with ECR images) or NAT_GATEWAY_AND_ENDPOINTS (both).');
  });
  test('no way out at all', () => {
    expect(message((s) => new HostNetwork(s, 'net', { egress: NetworkEgress.NONE }))).toBe(
      "s/net: 'egress' must be a way out: a HostNetwork builds one (NONE is for networks of your own, HostNetwork.fromExisting), got \"none\". " +
      'Choose NetworkEgress.NAT_GATEWAY, VPC_ENDPOINTS_ONLY or NAT_GATEWAY_AND_ENDPOINTS.');
  });
  test('a host admitted with something that is not a construct, or with no security group', () => {
    expect(message((s) => new HostNetwork(s, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY }).admitHost('sg-0123456789abcdef0', {} as any))).toBe(
      "s/net: 'owner' must be a construct (the host the rule belongs to), got {}. Pass the host that is admitted, e.g. network.admitHost(host.securityGroupId, host).");
    expect(message((s) => new HostNetwork(s, 'net', { egress: NetworkEgress.NAT_GATEWAY }).admitHost('web', new Construct(s, 'host')))).toBe(
      "s/host: 'securityGroupId' must be a security group id ('sg-' and hex digits), got \"web\". Pass the host's security group id, e.g. host.securityGroupId.");
  });
  test('a negative host index', () => {
    expect(message((s) => new HostNetwork(s, 'net', { egress: NetworkEgress.NAT_GATEWAY }).hostSubnetId(-1))).toBe(
      "s/net: 'index' must be a whole number from 0 (the host's place among the network's hosts), got -1. Count hosts from 0.");
  });
});
