// A host in a network: its subnet and VPC come from the network, its
// outbound rules fit the way out, the endpoints admit it, and a host the
// network cannot serve is refused at synth (issue 20).
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Testing } from 'cdktf';
import {
  AppScope, ContainerImage, ContainerOnVm, HostFleet, HostNetwork, HostPool, IsolatedApp, IsolationReport, MachineImage, NetworkEgress, VmHost,
} from '../../src';
import { awsStack, errorOf, resourcesOf, synthJson } from '../helpers/synth';

const ECR_IMAGE = ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/web', '1.0');

function egressRulesOf(json: any): Array<Record<string, unknown>> {
  return Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_egress_rule'))
    .map(({ security_group_id: _sg, ...rule }) => rule)
    .sort((a, b) => String(a.description).localeCompare(String(b.description)));
}

describe('VmHost with a network', () => {
  test.each([NetworkEgress.NAT_GATEWAY, NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, NetworkEgress.VPC_ENDPOINTS_ONLY])(
    '%s: the host is in the first private subnet of the network\'s VPC', (egress) => {
      const { stack } = awsStack();
      const network = new HostNetwork(stack, 'net', { egress });
      const host = new VmHost(stack, 'host', { network });
      const json = synthJson(stack);
      const instance = Object.values<any>(resourcesOf(json, 'aws_instance'))[0];
      expect(instance.subnet_id).toBe(`\${aws_subnet.${stack.getLogicalId(network.privateSubnets[0])}.id}`);
      const sg = Object.values<any>(resourcesOf(json, 'aws_security_group'))
        .find((g) => g.description === 'cdktf-isolation host test/host');
      expect(sg.vpc_id).toBe(`\${aws_vpc.${stack.getLogicalId(network.vpc)}.id}`);
      expect(host.egress).toBe(egress);
      // No default-VPC lookups.
      expect(resourcesOf(json, 'aws_vpc', 'data')).toEqual({});
      expect(resourcesOf(json, 'aws_subnets', 'data')).toEqual({});
    });

  test('NAT gateway: HTTP and HTTPS out, as before; no endpoint rule', () => {
    const { stack } = awsStack();
    new VmHost(stack, 'host', { network: new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY }) });
    const json = synthJson(stack);
    expect(egressRulesOf(json)).toEqual([
      { cidr_ipv4: '0.0.0.0/0', description: 'HTTP: package mirrors', from_port: 80, ip_protocol: 'tcp', to_port: 80 },
      { cidr_ipv4: '0.0.0.0/0', description: 'HTTPS: SSM, image registries, package mirrors', from_port: 443, ip_protocol: 'tcp', to_port: 443 },
    ]);
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  test('endpoints only: HTTPS to the endpoints\' group and to the S3 prefix list only, and the endpoints admit the host', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY });
    const host = new VmHost(stack, 'host', { network });
    new ContainerOnVm(stack, 'web', { host, name: 'web', image: ECR_IMAGE, memoryMiB: 128 });
    const json = synthJson(stack);
    const endpointsSg = `\${aws_security_group.${stack.getLogicalId(network.endpointSecurityGroup!)}.id}`;
    const hostSg = `\${aws_security_group.${stack.getLogicalId(host.securityGroup.resource)}.id}`;
    expect(egressRulesOf(json)).toEqual([
      {
        description: 'HTTPS: S3 through its gateway endpoint (image layers, packages)',
        from_port: 443,
        ip_protocol: 'tcp',
        to_port: 443,
        prefix_list_id: `\${aws_vpc_endpoint.${stack.getLogicalId(network.s3Endpoint!)}.prefix_list_id}`,
      },
      { description: 'HTTPS: the VPC endpoints (SSM, ECR)', from_port: 443, ip_protocol: 'tcp', to_port: 443, referenced_security_group_id: endpointsSg },
    ]);
    const ingress = Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress).toEqual([{
      security_group_id: endpointsSg,
      referenced_security_group_id: hostSg,
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      description: 'HTTPS to the VPC endpoints of test/net from test/host',
    }]);
    expect(host.networkReach).toBe('Amazon Linux 2023 packages: S3 gateway endpoint; image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0: ' +
      'interface endpoints (ecr.api, ecr.dkr) and S3 gateway endpoint; Systems Manager: interface endpoints (ssm, ssmmessages, ec2messages)');
  });

  test('endpoints only: a same-stack ECR repository\'s image works', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { network: new HostNetwork(stack, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY }) });
    const repo = new EcrRepository(stack, 'repo', { name: 'web' });
    new ContainerOnVm(stack, 'web', { host, name: 'web', image: ContainerImage.fromEcrRepository(repo, '1.0'), memoryMiB: 128 });
    expect(() => synthJson(stack)).not.toThrow();
  });

  test.each([
    ['Debian 12', MachineImage.debian12(), 'machineImage', "test/host: 'machineImage' cannot work in network test/net (NetworkEgress.VPC_ENDPOINTS_ONLY): it needs the internet for Debian 12 (bookworm) packages (Debian's mirrors are on the internet)"],
    ['Ubuntu 24.04', MachineImage.ubuntu2404(), 'machineImage', "test/host: 'machineImage' cannot work in network test/net (NetworkEgress.VPC_ENDPOINTS_ONLY): it needs the internet for Ubuntu 24.04 LTS packages (Ubuntu's mirrors, <region>.ec2.archive.ubuntu.com, are on the internet)"],
  ])('endpoints only: a %s host is refused, naming the missing way out', (_name, machineImage, _prop, message) => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY });
    const err = errorOf(() => new VmHost(stack, 'host', { network, machineImage }));
    expect(err.message).toContain(message);
    expect(err.message).toContain('Give the network a NAT gateway (NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS) or use MachineImage.amazonLinux2023(), whose repositories are on S3.');
  });

  test.each([
    ['Docker Hub', 'nginx:1.27', 'Docker Hub is on the internet'],
    ['ghcr.io', 'ghcr.io/acme/api:2.1.0', 'the registry ghcr.io is on the internet'],
    ['ECR Public', 'public.ecr.aws/nginx/nginx:1.27', 'ECR Public is on the internet'],
  ])('endpoints only: an image from %s is refused where the container is declared', (_name, reference, where) => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { network: new HostNetwork(stack, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY }) });
    const err = errorOf(() => new ContainerOnVm(stack, 'web', { host, name: 'web', image: ContainerImage.fromRegistry(reference), memoryMiB: 128 }));
    expect(err.message).toContain(`test/web: 'image' cannot work in network test/net (NetworkEgress.VPC_ENDPOINTS_ONLY): it needs the internet for image ${reference} (${where}), got "${reference}".`);
  });

  test('NAT and endpoints: Debian with a Docker Hub image works (the NAT gateway reaches the rest)', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.debian12(), network: new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS }) });
    new ContainerOnVm(stack, 'web', { host, name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 128 });
    expect(host.networkReach).toBe('Debian 12 (bookworm) packages: NAT gateway; image nginx:1.27: NAT gateway; Systems Manager: interface endpoints (ssm, ssmmessages, ec2messages)');
  });

  test('a subnet of the network can be chosen; a vpcId beside a network is refused', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY });
    new VmHost(stack, 'host', { network, subnetId: network.hostSubnetId(1) });
    const instance = Object.values<any>(resourcesOf(synthJson(stack), 'aws_instance'))[0];
    expect(instance.subnet_id).toBe(`\${aws_subnet.${stack.getLogicalId(network.privateSubnets[1])}.id}`);
    expect(errorOf(() => new VmHost(stack, 'other', { network, vpcId: 'vpc-0123456789abcdef0' })).message).toContain(
      "test/other: 'vpcId' must be left out with a network (the network gives the VPC), got \"vpc-0123456789abcdef0\".");
    expect(errorOf(() => new VmHost(stack, 'bad', { network: {} as any })).message).toContain("test/bad: 'network' must be a network (IHostNetwork), got {}.");
  });

  test('the default VPC: named explicitly, or by leaving the network out, the host synthesizes with a warning that it has no way out', () => {
    const { stack } = awsStack();
    const explicit = new VmHost(stack, 'explicit', { network: HostNetwork.defaultVpc(stack, 'default') });
    const implicit = new VmHost(stack, 'implicit');
    const warnings = (c: any) => c.node.metadata.filter((m: any) => m.type === '@cdktf/warn').map((m: any) => m.data as string);
    expect(warnings(implicit)).toEqual([expect.stringContaining("test/implicit: no network was given, so the host goes into the account's default VPC, where it has no way out")]);
    expect(warnings(explicit).join('\n')).toContain('test/explicit: needs a way out for Amazon Linux 2023 packages (the network has neither a NAT gateway nor VPC endpoints)');
    expect(explicit.networkReach).toBe('Amazon Linux 2023 packages: unreachable; Systems Manager: unreachable');
    expect(implicit.networkReach).toBe("the account's default VPC (no network given): no NAT gateway and no VPC endpoints, so packages, images and Systems Manager are unreachable");
    // A VPC of your own: no warning, as before.
    const own = new VmHost(stack, 'own', { subnetId: 'subnet-0123456789abcdef0' });
    expect(warnings(own)).toEqual([]);
    expect(own.networkReach).toBe('a VPC of your own (vpcId/subnetId): the library cannot see its routes');
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});

describe('pools, apps and fleets in a network', () => {
  const web = { name: 'web', image: ECR_IMAGE, memoryMiB: 1536, ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }], healthCheck: { command: ['true'] } };

  test('HostPool: host i goes into the network\'s host subnet i (the zones in turn); vpcId or subnetId beside it is refused', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY });
    const pool = new HostPool(stack, 'pool', { network, instanceType: 't3.small' });
    for (const name of ['a', 'b', 'c']) new IsolatedApp(stack, name, { pool, container: { ...web, name } });
    const json = synthJson(stack);
    const instances = Object.entries<any>(resourcesOf(json, 'aws_instance')).sort(([a], [b]) => a.localeCompare(b));
    const subnet = (i: number) => `\${aws_subnet.${stack.getLogicalId(network.privateSubnets[i])}.id}`;
    expect(instances.map(([, i]) => i.subnet_id)).toEqual([subnet(0), subnet(1), subnet(0)]);
    expect(pool.hosts.map((h) => h.egress)).toEqual(Array(3).fill(NetworkEgress.VPC_ENDPOINTS_ONLY));
    expect(errorOf(() => new HostPool(stack, 'p2', { network, vpcId: 'vpc-0123456789abcdef0' })).message).toContain(
      "test/p2: 'vpcId' must be left out with a network (the network gives the VPC), got \"vpc-0123456789abcdef0\".");
    expect(errorOf(() => new HostPool(stack, 'p3', { network, subnetId: 'subnet-0123456789abcdef0' })).message).toContain(
      "test/p3: 'subnetId' must be left out with a network (the network gives the subnets)");
  });

  test('IsolatedApp: a pooled app runs in its pool\'s network; another network beside the pool is refused', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY });
    const other = new HostNetwork(stack, 'other', { egress: NetworkEgress.NAT_GATEWAY });
    const pool = new HostPool(stack, 'pool', { network });
    expect(() => new IsolatedApp(stack, 'same', { pool, network, container: { ...web, name: 'same', memoryMiB: 128 } })).not.toThrow();
    expect(errorOf(() => new IsolatedApp(stack, 'web', { pool, network: other, container: { ...web, memoryMiB: 128 } })).message).toContain(
      "test/web: 'network' must be left out for an app on a pool: it runs in the network of pool test/pool, got \"test/other\".");
  });

  test('IsolatedApp: a native Debian app is refused on an endpoints-only network (its packages), an AL2023 one without packages is not', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY });
    // Debian's packages (and its SSM agent's download) need the internet: refused where the app is declared.
    expect(errorOf(() => new IsolatedApp(stack, 'erp', {
      network,
      requirements: { scope: AppScope.SYSTEM },
      native: { packages: ['cron'], service: { name: 'erp', command: ['/opt/erp/bin/erpd'] } },
      dedicatedVm: { machineImage: MachineImage.debian12() },
    })).message).toContain(
      "test/erp/Host: 'machineImage' cannot work in network test/net (NetworkEgress.VPC_ENDPOINTS_ONLY): it needs the internet for Debian 12 (bookworm) packages");
    const ok = awsStack().stack;
    const net2 = new HostNetwork(ok, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY });
    const app = new IsolatedApp(ok, 'svc', {
      network: net2, requirements: { scope: AppScope.SYSTEM }, native: { service: { name: 'svc', command: ['/opt/svc/bin/svc'] } },
    });
    expect(() => Testing.synth(ok, true)).not.toThrow();
    expect(app.host!.networkReach).toBe('Systems Manager: interface endpoints (ssm, ssmmessages, ec2messages)');
  });

  test('HostFleet: instances in the host subnets, an internet-facing load balancer in the public subnets, an internal one beside the hosts', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY });
    const fleet = new HostFleet(stack, 'fleet', { network, container: web, loadBalancer: {} });
    const internal = new HostFleet(stack, 'internal', { network, container: web, loadBalancer: { internal: true } });
    const json = synthJson(stack);
    const ids = (subnets: any[]) => subnets.map((s) => `\${aws_subnet.${stack.getLogicalId(s)}.id}`);
    const groups = resourcesOf(json, 'aws_autoscaling_group');
    const lbs = resourcesOf(json, 'aws_lb');
    expect(groups[stack.getLogicalId(fleet.resource)].vpc_zone_identifier).toEqual(ids(network.privateSubnets));
    expect(lbs[stack.getLogicalId(fleet.loadBalancer!.resource)].subnets).toEqual(ids(network.publicSubnets));
    expect(lbs[stack.getLogicalId(internal.loadBalancer!.resource)].subnets).toEqual(ids(network.privateSubnets));
    // A HostNetwork's host subnets are in distinct zones by construction: no zone lookup.
    expect(resourcesOf(json, 'aws_subnet', 'data')).toEqual({});
    expect(fleet.networkReach).toContain('Amazon Linux 2023 packages: NAT gateway');
  });

  test('HostFleet: refused where the network cannot serve it, or has no public subnets for an internet-facing load balancer', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.VPC_ENDPOINTS_ONLY });
    expect(errorOf(() => new HostFleet(stack, 'hub', { network, container: { ...web, image: ContainerImage.fromRegistry('nginx:1.27') } })).message).toContain(
      "test/hub: 'image' cannot work in network test/net (NetworkEgress.VPC_ENDPOINTS_ONLY): it needs the internet for image nginx:1.27 (Docker Hub is on the internet)");
    expect(errorOf(() => new HostFleet(stack, 'lb', { network, container: web, loadBalancer: {} })).message).toContain(
      "test/lb: 'loadBalancer.internal' must be true in a network without public subnets (an internet-facing load balancer lives in public subnets), got undefined.");
    expect(() => new HostFleet(stack, 'ok', { network, container: web, loadBalancer: { internal: true } })).not.toThrow();
    expect(errorOf(() => new HostFleet(stack, 'both', { network, container: web, subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba987654321f'] })).message).toContain(
      "test/both: 'subnetIds' must be left out with a network (the network gives the subnets)");
  });

  test('HostFleet in an existing network: its host subnets\' zones are checked by Terraform, as subnetIds are', () => {
    const { stack } = awsStack();
    const network = HostNetwork.fromExisting(stack, 'net', {
      vpcId: 'vpc-0123456789abcdef0', hostSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba987654321f'], egress: NetworkEgress.NAT_GATEWAY,
    });
    const fleet = new HostFleet(stack, 'fleet', { network, container: web });
    const json = synthJson(stack);
    expect(Object.keys(resourcesOf(json, 'aws_subnet', 'data'))).toHaveLength(1);
    expect(resourcesOf(json, 'aws_autoscaling_group')[stack.getLogicalId(fleet.resource)].lifecycle.precondition).toHaveLength(1);
  });

  test('the isolation report lists, per host, how it reaches packages, images and Systems Manager', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS });
    const pool = new HostPool(stack, 'pool', { network });
    new IsolatedApp(stack, 'web', { pool, container: { ...web, memoryMiB: 128 } });
    const md = IsolationReport.of(stack).markdown();
    expect(md).toContain('## Networks\n\nHow each host reaches its packages, its images and Systems Manager:\n\n' +
      '- test/pool/Host0: Amazon Linux 2023 packages: S3 gateway endpoint; image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0: ' +
      'interface endpoints (ecr.api, ecr.dkr) and S3 gateway endpoint; Systems Manager: interface endpoints (ssm, ssmmessages, ec2messages)\n');
  });
});
