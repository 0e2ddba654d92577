import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformResource, TerraformVariable } from 'cdktf';
import { parse } from 'yaml';
import { synthesize } from '../../examples/fleet/main';
import { ContainerImage, ContainerOnVm, ContainerOptions, HostFleet, HostFleetProps, HostPool, IsolatedApp, IsolationReport, MachineImage, VmHost } from '../../src';
import { IsolationError } from '../../src/private/errors';
import { cloudInitSchema, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { awsStack, errorOf, logicalId, onlyResource, resourcesOf, synthJson, userDataOf } from '../helpers/synth';
import { requireTools } from '../helpers/tools';
import { runChecks } from '../policy/checks';

const web: ContainerOptions = {
  name: 'web',
  image: ContainerImage.fromRegistry('nginx:1.27'),
  memoryMiB: 256,
  ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }],
  healthCheck: { command: ['curl', '-fsS', 'http://localhost:8080/healthz?full=1'], intervalSeconds: 10, timeoutSeconds: 3, retries: 4 },
};

function fleet(props: Partial<HostFleetProps> = {}) {
  const { stack } = awsStack();
  const f = new HostFleet(stack, 'fleet', { container: web, ...props });
  return { stack, fleet: f, json: synthJson(stack) };
}

function userDataOfTemplate(lt: any): string {
  return Buffer.from(lt.user_data, 'base64').toString('utf8');
}

describe('HostFleet defaults', () => {
  const { stack, fleet: f, json } = fleet();
  const lt = onlyResource(json, 'aws_launch_template');
  const asg = onlyResource(json, 'aws_autoscaling_group');
  const id = (type: string, kind: 'resource' | 'data' = 'resource') => Object.keys(resourcesOf(json, type, kind))[0];

  test('a launch template with every hardening of VmHost', () => {
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' });
    expect(lt.block_device_mappings).toEqual([{ device_name: '/dev/xvda', ebs: { volume_type: 'gp3', volume_size: 20, encrypted: 'true', delete_on_termination: 'true' } }]);
    expect(lt.network_interfaces).toEqual([{
      device_index: 0, associate_public_ip_address: 'false', delete_on_termination: 'true', security_groups: [`\${aws_security_group.${id('aws_security_group')}.id}`],
    }]);
    expect(lt.iam_instance_profile).toEqual({ name: `\${aws_iam_instance_profile.${id('aws_iam_instance_profile')}.name}` });
    expect(lt.instance_type).toBe('t3.small');
    expect(lt.update_default_version).toBe(true);
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
  });

  test('the same cloud-config as a VmHost with that container (built on its own), but for the comment that names it', () => {
    const doc = parse(userDataOfTemplate(lt), { version: '1.1' });
    expect(doc.packages).toEqual(['docker']);
    expect(doc.runcmd.at(-1)).toEqual(['systemctl', 'enable', '--now', 'cdktf-container-web.service']);
    const { stack: other } = awsStack('other');
    const host = new VmHost(other, 'host');
    new ContainerOnVm(other, 'web', { host, ...web });
    const hostText = userDataOf(onlyResource(synthJson(other), 'aws_instance'));
    const [fleetComment, ...fleetRest] = userDataOfTemplate(lt).split('\n').slice(1);
    const [hostComment, ...hostRest] = hostText.split('\n').slice(1);
    expect([fleetComment, hostComment]).toEqual(['# cdktf-isolation fleet test/fleet', '# cdktf-isolation host other/host']);
    expect(fleetRest).toEqual(hostRest);
    expect(f.renderUserData()).toBe(userDataOfTemplate(lt));
  });

  test('an Auto Scaling group across the default subnets, 2 to 4, pinned to the template version, refreshed on change', () => {
    expect(resourcesOf(json, 'aws_subnets', 'data')[id('aws_subnets', 'data')]).toEqual({
      filter: [{ name: 'vpc-id', values: [`\${data.aws_vpc.${id('aws_vpc', 'data')}.id}`] }, { name: 'default-for-az', values: ['true'] }],
    });
    expect(asg.vpc_zone_identifier).toBe(`\${data.aws_subnets.${id('aws_subnets', 'data')}.ids}`);
    expect([asg.min_size, asg.max_size, asg.desired_capacity]).toEqual([2, 4, 2]);
    expect(asg.launch_template).toEqual({ id: `\${aws_launch_template.${id('aws_launch_template')}.id}`, version: `\${aws_launch_template.${id('aws_launch_template')}.latest_version}` });
    expect(asg.instance_refresh).toEqual({ strategy: 'Rolling', preferences: { min_healthy_percentage: 90, auto_rollback: true, instance_warmup: '300' } });
    expect([asg.health_check_type, asg.health_check_grace_period]).toEqual(['EC2', 300]);
    expect(f.resource.node.id).toBe('Resource');
  });

  test('scales on CPU at 60 % by default', () => {
    expect(onlyResource(json, 'aws_autoscaling_policy')).toEqual({
      name: 'web-cpu',
      autoscaling_group_name: `\${aws_autoscaling_group.${id('aws_autoscaling_group')}.name}`,
      policy_type: 'TargetTrackingScaling',
      estimated_instance_warmup: 300,
      target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' }, target_value: 60 },
    });
  });

  test('no load balancer unless asked, and no inbound rule', () => {
    expect(resourcesOf(json, 'aws_lb')).toEqual({});
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  test('zero IsolationChecks findings', () => {
    const again = fleet();
    expect(runChecks(again.stack)).toEqual([]);
    void stack;
  });
});

describe('HostFleet with a load balancer', () => {
  const cert = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
  const { stack, json } = fleet({ subnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'], vpcId: 'vpc-0ccc3333', loadBalancer: { certificateArn: cert }, scaling: { requestsPerTarget: 500 } });
  const id = (type: string) => Object.keys(resourcesOf(json, type))[0];
  const sgIds = Object.keys(resourcesOf(json, 'aws_security_group'));
  const lbSgId = sgIds.find((k) => k.includes('LoadBalancer'))!;
  const hostSgId = sgIds.find((k) => !k.includes('LoadBalancer'))!;

  test('an ALB that drops invalid headers, in the given subnets, with its own security group', () => {
    expect(onlyResource(json, 'aws_lb')).toEqual({
      load_balancer_type: 'application',
      internal: false,
      drop_invalid_header_fields: true,
      security_groups: [`\${aws_security_group.${lbSgId}.id}`],
      subnets: ['subnet-0aaa1111', 'subnet-0bbb2222'],
      tags: { Name: 'test/fleet' },
    });
  });

  test('HTTPS with the certificate and a TLS 1.2+ policy; HTTP redirects to HTTPS', () => {
    const listeners = Object.values<any>(resourcesOf(json, 'aws_lb_listener')).map(({ load_balancer_arn: _a, tags: _t, ...l }) => l).sort((a, b) => b.port - a.port);
    expect(listeners).toEqual([
      { port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn: cert, default_action: [{ type: 'forward', target_group_arn: `\${aws_lb_target_group.${id('aws_lb_target_group')}.arn}` }] },
      { port: 80, protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }] },
    ]);
  });

  test('the target group health check comes from the container\'s HTTP health check', () => {
    expect(onlyResource(json, 'aws_lb_target_group')).toEqual({
      port: 8080,
      protocol: 'HTTP',
      target_type: 'instance',
      vpc_id: 'vpc-0ccc3333',
      deregistration_delay: '30',
      tags: { Name: 'test/fleet' },
      health_check: { enabled: true, path: '/healthz', port: 'traffic-port', protocol: 'HTTP', matcher: '200-399', interval: 10, timeout: 3, healthy_threshold: 2, unhealthy_threshold: 4 },
    });
  });

  test('the hosts admit the container port from the load balancer only', () => {
    const ingress = Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    const toHosts = ingress.filter((r) => r.security_group_id === `\${aws_security_group.${hostSgId}.id}`);
    expect(toHosts.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id, r.cidr_ipv4])).toEqual([[8080, 8080, `\${aws_security_group.${lbSgId}.id}`, undefined]]);
    const toLb = ingress.filter((r) => r.security_group_id === `\${aws_security_group.${lbSgId}.id}`);
    expect(toLb.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([[443, '0.0.0.0/0'], [80, '0.0.0.0/0']]);
  });

  test('the group uses ELB health checks with a grace period that covers boot, and scales on requests per target', () => {
    const asg = onlyResource(json, 'aws_autoscaling_group');
    expect([asg.health_check_type, asg.health_check_grace_period, asg.target_group_arns]).toEqual(['ELB', 300, [`\${aws_lb_target_group.${id('aws_lb_target_group')}.arn}`]]);
    const requests = Object.values<any>(resourcesOf(json, 'aws_autoscaling_policy')).find((p) => p.name === 'web-requests');
    expect(requests.target_tracking_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: `\${aws_lb.${id('aws_lb')}.arn_suffix}/\${aws_lb_target_group.${id('aws_lb_target_group')}.arn_suffix}` },
      target_value: 500,
    });
  });

  test('zero IsolationChecks findings', () => {
    expect(runChecks(stack)).toEqual([]);
  });

  test('without a certificate: one HTTP listener that forwards', () => {
    const plain = fleet({ loadBalancer: {} }).json;
    expect(Object.values<any>(resourcesOf(plain, 'aws_lb_listener')).map((l) => [l.port, l.protocol, l.default_action[0].type])).toEqual([[80, 'HTTP', 'forward']]);
  });
});

describe('HostFleet parts (escape hatches)', () => {
  test('each part is a public property that is the resource synthesized, and an override through it reaches the Terraform', () => {
    const { stack } = awsStack();
    const f = new HostFleet(stack, 'fleet', {
      container: web,
      subnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'],
      vpcId: 'vpc-0ccc3333',
      loadBalancer: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' },
      scaling: { requestsPerTarget: 500 },
    });
    const lb = f.loadBalancer!;
    const parts: Array<[string, TerraformResource | undefined]> = [
      ['aws_autoscaling_group', f.resource], ['aws_launch_template', f.launchTemplate], ['aws_security_group', f.securityGroup.resource],
      ['aws_iam_role', f.role.resource], ['aws_lb', lb.resource], ['aws_security_group', lb.securityGroup], ['aws_lb_target_group', lb.targetGroup],
      ['aws_lb_listener', lb.httpListener], ['aws_lb_listener', lb.httpsListener], ['aws_autoscaling_policy', f.cpuScalingPolicy],
      ['aws_autoscaling_policy', f.requestScalingPolicy],
    ];
    for (const [, part] of parts) part!.addOverride('tags.Part', part!.node.id === 'Default' ? part!.node.scope!.node.id : part!.node.id);
    const json = synthJson(stack);
    for (const [type, part] of parts) {
      expect(part!.terraformResourceType).toBe(type);
      expect(resourcesOf(json, type)[logicalId(stack, part!)]).toBeDefined();
      expect(resourcesOf(json, type)[logicalId(stack, part!)].tags.Part).toBeDefined();
    }
    expect(f.cpuScalingPolicy).not.toBe(f.requestScalingPolicy);
    expect(resourcesOf(json, 'aws_autoscaling_policy')[logicalId(stack, f.requestScalingPolicy!)].target_tracking_configuration.target_value).toBe(500);
    expect(resourcesOf(json, 'aws_lb_listener')[logicalId(stack, lb.httpsListener!)].port).toBe(443);
    expect(resourcesOf(json, 'aws_lb_listener')[logicalId(stack, lb.httpListener)].port).toBe(80);
  });

  test('without a load balancer or request scaling, those parts are undefined', () => {
    const { fleet: f } = fleet();
    expect([f.loadBalancer, f.requestScalingPolicy]).toEqual([undefined, undefined]);
    expect(f.cpuScalingPolicy.terraformResourceType).toBe('aws_autoscaling_policy');
  });
});

describe('the instance refresh trigger', () => {
  const userDataFor = (container: ContainerOptions) => onlyResource(fleet({ container }).json, 'aws_launch_template').user_data;
  test('changing the container spec changes the launch template user data (a new version, so a refresh)', () => {
    expect(userDataFor({ ...web, memoryMiB: 512 })).not.toBe(userDataFor(web));
  });
  test('changing nothing changes nothing: two fleets of one spec have one user data, that of the spec', () => {
    const text = Buffer.from(userDataFor(web), 'base64').toString('utf8');
    expect(text).toContain('ExecStart=/usr/bin/flock /run/cdktf-isolation.lock /usr/local/lib/cdktf-isolation/containers/web.sh');
    expect(userDataFor({ ...web })).toBe(userDataFor(web));
  });
  test('changing the image changes the launch template image', () => {
    const a = onlyResource(fleet().json, 'aws_launch_template').image_id;
    const b = onlyResource(fleet({ machineImage: MachineImage.fromAmiId('ami-12345678', 'amazon-linux-2023' as any, 'x86_64' as any) }).json, 'aws_launch_template').image_id;
    expect(b).toBe('ami-12345678');
    expect(a).not.toBe(b);
  });
});

describe('HostFleet bad input', () => {
  test.each([
    [{ minCapacity: 5, maxCapacity: 3 }, "test/fleet: 'minCapacity' must not exceed maxCapacity (3), got 5. Lower minCapacity or raise maxCapacity."],
    [{ minCapacity: 2, maxCapacity: 4, desiredCapacity: 9 }, "test/fleet: 'desiredCapacity' must lie between minCapacity (2) and maxCapacity (4), got 9."],
    [{ subnetIds: ['subnet-0aaa1111'] }, "test/fleet: 'subnetIds' must list subnets in at least two availability zones, got [\"subnet-0aaa1111\"]."],
    [{ subnetIds: ['subnet-0aaa1111', 'subnet-0aaa1111'] }, "test/fleet: 'subnetIds' must not list a subnet twice"],
    // A list of one element that is not a string: the library's error, not a TypeError from cdktf's list-token lookup.
    [{ subnetIds: [1] }, "test/fleet: 'subnetIds' must list subnets in at least two availability zones, got [1]."],
    [{ loadBalancer: { allowedCidrs: [5] } }, "test/fleet: 'loadBalancer.allowedCidrs[0]' must be an IPv4 or IPv6 CIDR block, got 5."],
    [{ loadBalancer: { allowedCidrs: [null] } }, "test/fleet: 'loadBalancer.allowedCidrs[0]' must be an IPv4 or IPv6 CIDR block, got null."],
    [{ loadBalancer: { healthCheckPath: 'healthz' } }, "test/fleet: 'loadBalancer.healthCheckPath' must be an absolute URL path such as '/healthz', got \"healthz\"."],
    [{ loadBalancer: { healthCheckPath: '/a b' } }, "test/fleet: 'loadBalancer.healthCheckPath' must be an absolute URL path such as '/healthz', got \"/a b\"."],
    [{ container: { ...web, healthCheck: { command: ['redis-cli', 'ping'] } }, loadBalancer: { healthCheckPath: '/health' } },
      "test/fleet: 'loadBalancer.healthCheckPath' is an HTTP check, but the container's own health check is not HTTP (redis-cli ping), got \"/health\"."],
    [{ container: { ...web, ports: [{ containerPort: 8080 }] }, loadBalancer: {} }, "test/fleet: 'container.ports.hostIp' must not be loopback when the load balancer routes to port 8080, got \"127.0.0.1\"."],
    [{ container: { ...web, ports: [] }, loadBalancer: {} }, "test/fleet: 'container.ports' must publish a TCP port for the load balancer, got []."],
    [{ loadBalancer: { containerPort: 9999 } }, "test/fleet: 'loadBalancer.containerPort' must be a TCP host port the container publishes, got 9999. Use one of 8080."],
    [{ loadBalancer: { certificateArn: 'my-cert' } }, "test/fleet: 'loadBalancer.certificateArn' must be an ACM (or IAM) certificate ARN, got \"my-cert\"."],
    [{ scaling: { requestsPerTarget: 100 } }, "test/fleet: 'scaling.requestsPerTarget' needs a load balancer (request counts come from it), got 100."],
    [{ container: { ...web, memoryMiB: 0 } }, "test/fleet/container: 'memoryMiB' must be an integer from 6 to 4194304, got 0."],
    // Every instance runs the container: it must fit the instance type, by the capacity model VmHost and the pools use.
    [{ container: { ...web, memoryMiB: 1649 } }, "test/fleet/container: 'memoryMiB' must fit the instances of fleet test/fleet (t3.small, 2048 MiB): " +
      "its containers' memory limits (test/fleet/container 1649 MiB: 1649 MiB) plus the reserve for the OS and Docker (400 MiB) need 2049 MiB, got 1649. " +
      'Choose an instance type with more memory (instanceType), or lower the limit.'],
    [{ container: { ...web, memoryMiB: 8000 }, instanceType: 't3.large' }, "test/fleet/container: 'memoryMiB' must fit the instances of fleet test/fleet (t3.large, 8192 MiB)"],
    [{ container: { ...web, cpus: 4 } }, "test/fleet/container: 'cpus' must not exceed the 2 vCPUs of the instances of fleet test/fleet (t3.small), got 4. " +
      'Lower the limit or choose a larger instance type.'],
  ])('rejects %j', (props, message) => {
    const { stack } = awsStack();
    const e = errorOf(() => new HostFleet(stack, 'fleet', { container: web, ...props } as HostFleetProps));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message.slice(0, message.length)).toBe(message);
  });
});

describe('HostFleet capacity', () => {
  test('a container that fills a t3.small to the MiB fits; one MiB more does not', () => {
    const { stack } = awsStack();
    new HostFleet(stack, 'fleet', { container: { ...web, memoryMiB: 1648, cpus: 2 } });
    expect(onlyResource(synthJson(stack), 'aws_launch_template').instance_type).toBe('t3.small');
  });

  test('with an instance type from a variable, Terraform checks the container against the looked-up size (a precondition of the launch template)', () => {
    const { stack } = awsStack();
    const type = new TerraformVariable(stack, 'instance_type', { type: 'string' });
    new HostFleet(stack, 'fleet', { container: { ...web, memoryMiB: 1000, cpus: 1.5 }, instanceType: type.stringValue });
    const template = onlyResource(synthJson(stack), 'aws_launch_template');
    const messages: string[] = template.lifecycle.precondition.map((p: any) => p.error_message);
    expect(messages.filter((m) => m.includes('must fit the instances'))).toEqual([
      expect.stringMatching(/^test\/fleet: 'containers' must fit the instances \(\$\{var\.instance_type\}, \$\{data\.aws_ec2_instance_type\.[^.]+\.memory_size\} MiB\): the memory limits of its containers \(test\/fleet\/container\) plus the reserve for the OS and Docker \(400 MiB\) must not exceed its memory, got \$\{jsonencode\(\[1000\]\)\}\. Choose an instance type with more memory \(instanceType\), or lower the limit\.$/),
    ]);
    expect(messages.filter((m) => m.includes("'cpus' must not exceed"))).toEqual([
      expect.stringMatching(/^test\/fleet\/container: 'cpus' must not exceed the \$\{data\.aws_ec2_instance_type\.[^.]+\.default_vcpus\} vCPUs of the instances of fleet test\/fleet \(\$\{var\.instance_type\}\), got \$\{jsonencode\(1\.5\)\}\./),
    ]);
  });
});

describe('IsolatedApp with replicas', () => {
  const fleetType = (memoryMiB: number, cpus?: number, instanceType?: string) => {
    const { stack } = awsStack();
    new IsolatedApp(stack, 'web', { container: { ...web, memoryMiB, cpus }, replicas: 2, fleet: instanceType ? { instanceType } : undefined });
    return onlyResource(synthJson(stack), 'aws_launch_template').instance_type as string;
  };

  test.each([[128, 't3.small'], [1648, 't3.small'], [1649, 't3.medium'], [4000, 't3.large'], [15984, 't3.xlarge'], [15985, 't3.2xlarge']])(
    'a replicated %i MiB container gets a %s fleet (t3.small, or the smallest t3 that holds it), and the stack synthesizes', (memoryMiB, type) => {
      expect(fleetType(memoryMiB)).toBe(type);
    });

  test('the type given is kept, and a container it cannot hold is an error', () => {
    expect(fleetType(128, undefined, 't3.micro')).toBe('t3.micro');
    expect(errorOf(() => fleetType(1000, undefined, 't3.micro')).message).toMatch(/^test\/web\/Fleet\/container: 'memoryMiB' must fit the instances of fleet test\/web\/Fleet \(t3\.micro, 1024 MiB\)/);
  });

  test('a container no t3 type holds needs a type', () => {
    expect(errorOf(() => fleetType(40000)).message).toBe("test/web: 'fleet.instanceType' must be given: no t3 type holds 40000 MiB and 0 vCPU plus the OS, " +
      "got {\"memoryMiB\":40000,\"cpus\":0}. Choose a larger type, e.g. 'm6i.4xlarge' or 'r6i.2xlarge'.");
  });

  test('a replicated container app runs on a HostFleet instead of the pool; the report shows it', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool');
    const app = new IsolatedApp(stack, 'web', { pool, container: web, minReplicas: 2, maxReplicas: 6, fleet: { loadBalancer: {} } });
    new IsolatedApp(stack, 'worker', { pool, container: { name: 'worker', image: web.image, memoryMiB: 128 } });
    const json = synthJson(stack);
    expect(app.fleetHosts).toBeDefined();
    expect(app.host).toBeUndefined();
    expect(onlyResource(json, 'aws_autoscaling_group')).toMatchObject({ min_size: 2, max_size: 6, desired_capacity: 2 });
    expect(Object.keys(resourcesOf(json, 'aws_instance'))).toHaveLength(1); // the pool host of the worker
    const report = IsolationReport.of(stack).toJson();
    expect(report.apps.map((a: any) => [a.name, a.runsAs, a.host, a.replicas])).toEqual([['web', 'container', 'test/web/Fleet', 2], ['worker', 'container', 'test/pool/Host0', 1]]);
    expect(report.hosts.find((h: any) => h.kind === 'fleet')).toEqual({
      path: 'test/web/Fleet',
      instanceType: 't3.small',
      kind: 'fleet',
      count: 2,
      vcpus: 2,
      memoryMiB: 2048,
      apps: ['web'],
      os: 'Linux',
      guestOsMemoryMiB: 384,
      reach: "the account's default VPC (no network given): no NAT gateway and no VPC endpoints, so packages, images and Systems Manager are unreachable",
      updates: 'a new launch template version and a rolling instance refresh (minimum healthy 90 %, auto rollback): new instances boot with the current container',
    });
    expect(report.totals.hosts).toBe(3);
    expect(IsolationReport.of(stack).markdown()).toContain('| web | container | container x 2 | Linux | test/web/Fleet | 256 | 0 | 384 |');
  });

  test('replicas: 1 stays in the pool', () => {
    const { stack } = awsStack();
    const app = new IsolatedApp(stack, 'web', { pool: new HostPool(stack, 'pool'), container: web, replicas: 1 });
    expect(app.fleetHosts).toBeUndefined();
    expect(app.host!.node.path).toBe('test/pool/Host0');
  });
});

const tools = requireTools('fleet user data checks', ['cloud-init', 'shellcheck']);

(tools ? describe : describe.skip)('examples/fleet', () => {
  test('synthesizes, and its user data passes cloud-init schema and shellcheck', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'fleet-'));
    try {
      synthesize(outdir);
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', 'web-fleet', 'cdk.tf.json'), 'utf8'));
      const lt = Object.values<any>(tf.resource.aws_launch_template)[0];
      const userData = userDataOfTemplate(lt);
      const schema = cloudInitSchema(userData);
      expect({ status: schema.status, stderr: schema.stderr }).toEqual({ status: 0, stderr: '' });
      const scripts = shellScriptsOf(userData);
      expect(scripts.map((s) => s.where)).toEqual([
        '/usr/local/lib/cdktf-isolation/wait-for-docker.sh', '/usr/local/lib/cdktf-isolation/pull-image.sh', '/usr/local/lib/cdktf-isolation/containers/web.sh',
      ]);
      for (const s of scripts) {
        const r = shellcheck(s.text);
        expect({ where: s.where, status: r.status, out: r.stdout }).toEqual({ where: s.where, status: 0, out: '' });
      }
      // The fleet, and the network it builds (issue 20: a network where the hosts work).
      expect(Object.keys(tf.resource).sort()).toEqual([
        'aws_autoscaling_group', 'aws_autoscaling_policy', 'aws_cloudwatch_log_group', 'aws_default_security_group', 'aws_eip', 'aws_flow_log',
        'aws_iam_instance_profile', 'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_internet_gateway', 'aws_launch_template',
        'aws_lb', 'aws_lb_listener', 'aws_lb_target_group', 'aws_nat_gateway', 'aws_route', 'aws_route_table', 'aws_route_table_association',
        'aws_security_group', 'aws_subnet', 'aws_vpc', 'aws_vpc_endpoint', 'aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule',
      ]);
      // No placeholder ids and no default-VPC lookup: the instances in the private subnets, the load balancer in the public ones.
      expect(Object.keys(tf.data ?? {}).sort()).toEqual(['aws_availability_zones', 'aws_caller_identity', 'aws_partition', 'aws_region', 'aws_ssm_parameter']);
      expect(onlyResource(tf, 'aws_autoscaling_group').vpc_zone_identifier).toEqual([
        expect.stringMatching(/^\$\{aws_subnet\.network_PrivateSubnet0_[0-9A-F]{8}\.id\}$/), expect.stringMatching(/^\$\{aws_subnet\.network_PrivateSubnet1_[0-9A-F]{8}\.id\}$/),
      ]);
      expect(onlyResource(tf, 'aws_lb').subnets).toEqual([
        expect.stringMatching(/^\$\{aws_subnet\.network_PublicSubnet0_[0-9A-F]{8}\.id\}$/), expect.stringMatching(/^\$\{aws_subnet\.network_PublicSubnet1_[0-9A-F]{8}\.id\}$/),
      ]);
      expect(lt.instance_type).toBe('t4g.small');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
