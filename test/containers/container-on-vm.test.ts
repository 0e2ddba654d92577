import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { ContainerImage, ContainerOnVm, MachineImage, Protocol, VmHost } from '../../src';
import { DockerRun } from '../../src/core/render/docker-run';
import { ContainerUnit } from '../../src/core/render/systemd';
import { IsolationError } from '../../src/private/errors';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson, userDataOf } from '../helpers/synth';

const image = ContainerImage.fromRegistry('nginx:1.27');

function userDataDoc(json: any): any {
  return parse(userDataOf(onlyResource(json, 'aws_instance')), { version: '1.1' });
}

describe('ContainerOnVm', () => {
  test('adds its start script, systemd unit and enable command to the host cloud-config', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.debian12() });
    const web = new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 256, ports: [{ containerPort: 80, hostPort: 8080 }] });
    const doc = userDataDoc(synthJson(stack));
    const files = Object.fromEntries(doc.write_files.map((f: any) => [f.path, f]));
    expect(Object.keys(files)).toEqual([
      '/etc/docker/daemon.json',
      '/usr/local/lib/cdktf-isolation/wait-for-docker.sh',
      // Debian's AMIs lack the SSM agent (container updates and Session Manager need it).
      '/usr/local/lib/cdktf-isolation/install-ssm-agent.sh',
      '/etc/systemd/system/cdktf-isolation-ssm-agent.service',
      '/usr/local/lib/cdktf-isolation/pull-image.sh',
      '/usr/local/lib/cdktf-isolation/containers/web.sh',
      '/etc/systemd/system/cdktf-container-web.service',
    ]);
    expect(files['/usr/local/lib/cdktf-isolation/containers/web.sh']).toEqual({
      path: '/usr/local/lib/cdktf-isolation/containers/web.sh', content: DockerRun.startScript(web.spec), owner: 'root:root', permissions: '0700',
    });
    expect(files['/etc/systemd/system/cdktf-container-web.service'].content).toBe(ContainerUnit.render(web.spec));
    expect(doc.runcmd).toEqual([
      ['systemctl', 'enable', '--now', 'docker.service'],
      ['/usr/local/lib/cdktf-isolation/wait-for-docker.sh'],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', '--no-block', 'cdktf-isolation-ssm-agent.service'],
      ['systemctl', 'enable', '--now', 'cdktf-container-web.service'],
    ]);
    expect(web.unitName).toBe('cdktf-container-web.service');
    expect(web.dockerRunCommand).toBe(DockerRun.commandLine(web.spec));
    // A published port is not opened in the security group unless asked.
    expect(resourcesOf(synthJson(stack), 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  test('three containers share the helpers and are enabled in declaration order', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { instanceType: 't3.medium' });
    for (const name of ['a', 'b', 'c']) new ContainerOnVm(stack, name, { host, name, image, memoryMiB: 128 });
    const doc = userDataDoc(synthJson(stack));
    expect(doc.write_files.filter((f: any) => f.path.endsWith('pull-image.sh'))).toHaveLength(1);
    expect(doc.runcmd.slice(2)).toEqual([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'cdktf-container-a.service'],
      ['systemctl', 'enable', '--now', 'cdktf-container-b.service'],
      ['systemctl', 'enable', '--now', 'cdktf-container-c.service'],
    ]);
    expect(host.containerSpecs.map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });

  test('an ECR image gives the host role pull rights to that repository only, and the credential helper', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.ubuntu2404() });
    new ContainerOnVm(stack, 'api', { host, name: 'api', image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api', '1.4.2'), memoryMiB: 256 });
    new ContainerOnVm(stack, 'worker', { host, name: 'worker', image: ContainerImage.fromEcr('210987654321.dkr.ecr.us-east-1.amazonaws.com/worker', '7'), memoryMiB: 256 });
    const json = synthJson(stack);
    expect(JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy).Statement).toEqual([
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/team/api' },
      { Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: 'arn:aws:ecr:us-east-1:210987654321:repository/worker' },
    ]);
    const doc = userDataDoc(json);
    expect(doc.packages).toEqual(['docker.io', 'amazon-ecr-credential-helper']);
    const dockerConfig = doc.write_files.find((f: any) => f.path === '/root/.docker/config.json');
    expect(dockerConfig.permissions).toBe('0600');
    expect(JSON.parse(dockerConfig.content)).toEqual({
      credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login', '210987654321.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
    });
  });

  test('SSM secrets: read rights to exactly those parameters, fetched at boot, never in the user data', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.amazonLinux2023() });
    new ContainerOnVm(stack, 'api', {
      host,
      name: 'api',
      image,
      memoryMiB: 256,
      secretEnvironment: { DB_PASSWORD: '/prod/db/password', API_KEY: 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key' },
    });
    const json = synthJson(stack);
    expect(JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy).Statement).toEqual([
      { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: ['arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key', 'arn:aws:ssm:*:*:parameter/prod/db/password'] },
    ]);
    const doc = userDataDoc(json);
    expect(doc.packages).toEqual(['docker', 'awscli-2', 'curl']);
    expect(doc.write_files.map((f: any) => f.path)).toContain('/usr/local/lib/cdktf-isolation/ssm-env.sh');
    const script = doc.write_files.find((f: any) => f.path.endsWith('containers/api.sh')).content;
    expect(script).toContain('"$lib/ssm-env.sh" "$tmp" API_KEY arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key\n');
    expect(script).toContain('--env-file "$env_file"');
  });

  test('ingress opens the security group for a published port, from the given source only', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'web', {
      host,
      name: 'web',
      image,
      memoryMiB: 256,
      ports: [{ containerPort: 80, hostPort: 8080, hostIp: '0.0.0.0' }, { containerPort: 53, protocol: Protocol.UDP, hostIp: '0.0.0.0' }],
      ingress: [{ hostPort: 8080, sourceSecurityGroupId: 'sg-0123abcd' }, { hostPort: 53, cidr: '10.0.0.0/16' }],
    });
    const rules = Object.values<any>(resourcesOf(synthJson(stack), 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => [r.ip_protocol, r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4, r.description])).toEqual([
      ['tcp', 8080, 'sg-0123abcd', 'container web tcp/8080'],
      ['udp', 53, '10.0.0.0/16', 'container web udp/53'],
    ]);
  });
});

describe('ContainerOnVm bad input and impossible placements', () => {
  test('two containers with one name on a host: the error names both', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'first', { host, name: 'web', image, memoryMiB: 64 });
    const e = errorOf(() => new ContainerOnVm(stack, 'second', { host, name: 'web', image, memoryMiB: 64 }));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message).toBe("test/second: 'name' must be unique on host test/host (container test/first already has it), got \"web\". Give each container on a host its own name.");
  });

  test('a port published twice on one host is an error at the second container, naming both containers and the port', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'a', { host, name: 'a', image, memoryMiB: 64, ports: [{ containerPort: 80, hostPort: 8080, hostIp: '0.0.0.0' }] });
    const e = errorOf(() => new ContainerOnVm(stack, 'b', { host, name: 'b', image, memoryMiB: 64, ports: [{ containerPort: 53 }, { containerPort: 81, hostPort: 8080 }] }));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message).toBe("test/b: 'ports[1].hostPort' must not reuse tcp port 8080 on host test/host, which container test/a already publishes (0.0.0.0:8080), " +
      'got "127.0.0.1:8080". Choose another host port for one of them.');
    // Nothing of b reached the host.
    expect(host.containerSpecs.map((s) => s.name)).toEqual(['a']);
  });

  test('the same port on different protocols or different specific addresses is fine', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'a', { host, name: 'a', image, memoryMiB: 64, ports: [{ containerPort: 53, protocol: Protocol.UDP }, { containerPort: 80, hostIp: '127.0.0.2' }] });
    new ContainerOnVm(stack, 'b', { host, name: 'b', image, memoryMiB: 64, ports: [{ containerPort: 53 }, { containerPort: 80, hostIp: '127.0.0.3' }] });
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('memory beyond the host: the error is at the container that does not fit, naming the containers, their limits, the reserve and the host', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { instanceType: 't3.micro' });
    new ContainerOnVm(stack, 'a', { host, name: 'a', image, memoryMiB: 400 });
    const e = errorOf(() => new ContainerOnVm(stack, 'b', { host, name: 'b', image, memoryMiB: 300 }));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message).toBe("test/b: 'memoryMiB' must fit host test/host (t3.micro, 1024 MiB): its containers' memory limits (test/a 400 MiB, test/b 300 MiB: 700 MiB) " +
      'plus the reserve for the OS and Docker (416 MiB) need 1116 MiB, got 300. Choose an instance type with more memory, lower the limits, or put the container on another host.');
    expect(e.message).not.toMatch(/skipValidation|Validation failed/);
  });

  test('exactly at capacity synthesizes', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { instanceType: 't3.micro' });
    new ContainerOnVm(stack, 'a', { host, name: 'a', image, memoryMiB: 1024 - 384 - 16 });
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('CPUs above the host vCPUs are an error at the container', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { instanceType: 't3.small' });
    expect(() => new ContainerOnVm(stack, 'a', { host, name: 'a', image, memoryMiB: 64, cpus: 4 })).toThrow(
      "test/a: 'cpus' must not exceed the 2 vCPUs of host test/host (t3.small), got 4. Lower the limit or choose a larger instance type.");
  });

  test.each([
    [{ ingress: [{ hostPort: 9999, cidr: '10.0.0.0/8' }] }, "test/web: 'ingress[0].hostPort' must be a host port the container publishes, got 9999. Publish it in ports first (published: 8080)."],
    [{ ingress: [{ hostPort: 8080, cidr: '10.0.0.0/8' }], ports: [{ containerPort: 80, hostPort: 8080 }] },
      "test/web: 'ports.hostIp' must not be loopback when ingress opens port 8080 (nothing outside the host could reach it), got \"127.0.0.1\"."],
    [{ ingress: [{ hostPort: 22, cidr: '0.0.0.0/0' }], ports: [{ containerPort: 22, hostIp: '0.0.0.0' }] },
      "test/web: 'ingress[0].cidr' must not open SSH (port 22) to the whole internet, got \"0.0.0.0/0\"."],
    [{ host: undefined }, "test/web: 'host' must be a VmHost, got undefined. Create a VmHost and pass it as host."],
  ])('rejects %j', (extra, message) => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    const e = errorOf(() => new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 64, ports: [{ containerPort: 80, hostPort: 8080, hostIp: '0.0.0.0' }], ...extra } as any));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message.slice(0, message.length)).toBe(message);
  });
});
