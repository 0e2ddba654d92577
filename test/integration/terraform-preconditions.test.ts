// The checks that cannot run at synth, because a value is a token, run in
// Terraform before anything is created: here real Terraform evaluates the
// preconditions the library wrote, true and false, and stops with the
// message the synth-time error would have had. What only a provider could
// read (a data source, a resource's attribute) is given as a local of the
// same shape.
import { createHash } from 'node:crypto';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ContainerImage, ContainerOnVm, HostFleet, HostNetwork, LocalDockerHost, NetworkEgress, VmHost } from '../../src';
import { awsStack, resourcesOf, synthJson } from '../helpers/synth';
import { evaluatePreconditions, requireTerraform } from '../helpers/terraform';

const enabled = requireTerraform('Terraform precondition checks');
const image = ContainerImage.fromRegistry('nginx:1.27');

function v(stack: TerraformStack, name: string, type: string): TerraformVariable {
  return new TerraformVariable(stack, name, { type });
}

/** The logical id of the only resource (or data source) of a type. */
function idOf(json: any, type: string, kind: 'resource' | 'data' = 'resource'): string {
  const ids = Object.keys(resourcesOf(json, type, kind));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}

const failed = (message: string) => `Resource precondition failed: ${message}`;

(enabled ? describe : describe.skip)('preconditions, evaluated by real Terraform', () => {
  test('an image tag from a variable: a tag passes, a tag with a space stops the plan with the synth-time message', () => {
    const { stack } = awsStack();
    const tag = v(stack, 'tag', 'string');
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'web', { host, name: 'web', image: ContainerImage.fromRegistry('nginx:' + tag.stringValue), memoryMiB: 128 });
    const json = synthJson(stack);
    const instance = idOf(json, 'aws_instance');
    expect(evaluatePreconditions(json, 'aws_instance', instance, { tag: '1.27-alpine' })).toEqual({ ok: true, errors: [] });
    expect(evaluatePreconditions(json, 'aws_instance', instance, { tag: 'bad tag!' }).errors).toEqual([failed(
      "test/web: 'image' must be an image reference that names a tag or a digest, got \"nginx:bad tag!\". Write '<name>:<tag>' or '<name>@sha256:<digest>', " +
      "e.g. 'nginx:1.27', 'ghcr.io/acme/api:2.1.0' or 'registry.example.com:5000/team/app@sha256:<64 hex>'; names are lower case.")]);
    // A digest pins it as well; no tag and no digest does not.
    expect(evaluatePreconditions(json, 'aws_instance', instance, { tag: `1.27@sha256:${'a'.repeat(64)}` }).ok).toBe(true);
    expect(evaluatePreconditions(json, 'aws_instance', instance, { tag: '' }).ok).toBe(false);
  });

  test('numbers from variables: memory, CPUs in hundredths, CPU shares, a tmpfs within a memory known at apply, the root volume', () => {
    const { stack } = awsStack();
    const mem = v(stack, 'mem', 'number');
    const cpus = v(stack, 'cpus', 'number');
    const shares = v(stack, 'shares', 'number');
    const root = v(stack, 'root', 'number');
    const host = new VmHost(stack, 'host', { instanceType: 'm6i.2xlarge', rootVolumeSizeGiB: root.numberValue });
    new ContainerOnVm(stack, 'web', {
      host, name: 'web', image, memoryMiB: mem.numberValue, cpus: cpus.numberValue, cpuShares: shares.numberValue, tmpfs: [{ target: '/cache', sizeMiB: 48 }],
    });
    const json = synthJson(stack);
    const id = idOf(json, 'aws_instance');
    const good = { mem: '256', cpus: '0.25', shares: '512', root: '20' };
    expect(evaluatePreconditions(json, 'aws_instance', id, good)).toEqual({ ok: true, errors: [] });
    expect(evaluatePreconditions(json, 'aws_instance', id, { ...good, mem: '3' }).errors).toEqual([
      failed("test/web: 'memoryMiB' must be an integer from 6 to 4194304, got 3. Docker's smallest memory limit is 6 MiB; give the MiB the process needs at its peak."),
      failed("test/web: 'tmpfs[0].sizeMiB' must be an integer from 1 to 3, got 48. A tmpfs lives in the container's memory: give at most memoryMiB (3)."),
    ]);
    expect(evaluatePreconditions(json, 'aws_instance', id, { ...good, mem: '256.5' }).errors[0]).toContain("'memoryMiB' must be an integer from 6 to 4194304, got 256.5.");
    expect(evaluatePreconditions(json, 'aws_instance', id, { ...good, cpus: '0.255' }).errors).toEqual([
      failed("test/web: 'cpus' must be a multiple of 0.01, got 0.255. Round the CPU limit to hundredths, e.g. 0.25."),
    ]);
    expect(evaluatePreconditions(json, 'aws_instance', id, { ...good, cpus: '1.1' }).ok).toBe(true);
    expect(evaluatePreconditions(json, 'aws_instance', id, { ...good, shares: '1024' }).errors).toEqual([
      failed("test/web: 'cpuShares' must not be 1024, the kernel's default weight (it bounds nothing), got 1024. Leave cpuShares out (512), give another weight, or bound the container with cpus."),
    ]);
    expect(evaluatePreconditions(json, 'aws_instance', id, { ...good, root: '4' }).errors).toEqual([
      failed("test/host: 'rootVolumeSizeGiB' must be an integer from 8 to 16384, got 4. EBS gp3 root volumes hold 8 to 16384 GiB; 20 suits a Docker host with a few images."),
    ]);
  });

  test('an instance type from a variable: its architecture must boot the image, its memory must hold the containers, its vCPUs their limits', () => {
    const { stack } = awsStack();
    const type = v(stack, 'type', 'string');
    const host = new VmHost(stack, 'host', { instanceType: type.stringValue });
    new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 1024, cpus: 2 });
    const json = synthJson(stack);
    const data = `data.aws_ec2_instance_type.${idOf(json, 'aws_ec2_instance_type', 'data')}`;
    const check = (info: { memory_size: number; default_vcpus: number; supported_architectures: string[] }, name: string) =>
      evaluatePreconditions(json, 'aws_instance', idOf(json, 'aws_instance'), { type: name }, { replace: { [data]: 'looked_up' }, locals: { looked_up: info } });
    expect(check({ memory_size: 4096, default_vcpus: 2, supported_architectures: ['x86_64', 'i386'] }, 't3.medium')).toEqual({ ok: true, errors: [] });
    expect(check({ memory_size: 4096, default_vcpus: 2, supported_architectures: ['arm64'] }, 't4g.medium').errors).toEqual([failed(
      "test/host: 'instanceType' must boot the host's x86_64 image (Amazon Linux 2023), got \"t4g.medium\" (arm64). Use an x86_64 instance type, or a machineImage of the type's architecture.")]);
    expect(check({ memory_size: 1024, default_vcpus: 1, supported_architectures: ['x86_64'] }, 't3.micro').errors).toEqual([
      failed("test/host: 'containers' must fit the host (t3.micro, 1024 MiB): the memory limits of its containers (test/web) plus the reserve for the OS and Docker (400 MiB) " +
        'must not exceed its memory, got [1024]. Choose an instance type with more memory, lower the limits, or put a container on another host.'),
      failed("test/web: 'cpus' must not exceed the 1 vCPUs of host test/host (t3.micro), got 2. Lower the limit or choose a larger instance type."),
    ]);
  });

  test('a network from a variable: a network passes; host bits, nonsense and, for SSH, every spelling of the whole internet stop the plan', () => {
    const { stack } = awsStack();
    const web = v(stack, 'web_cidr', 'string');
    const admin = v(stack, 'admin_cidr', 'string');
    new VmHost(stack, 'host', { ingress: [{ port: 443, cidr: web.stringValue }, { port: 22, cidr: admin.stringValue }] });
    const json = synthJson(stack);
    const [httpsRule, sshRule] = Object.keys(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    const https = (cidr: string) => evaluatePreconditions(json, 'aws_vpc_security_group_ingress_rule', httpsRule, { web_cidr: cidr, admin_cidr: '10.0.0.0/8' });
    const ssh = (cidr: string) => evaluatePreconditions(json, 'aws_vpc_security_group_ingress_rule', sshRule, { web_cidr: '10.0.0.0/8', admin_cidr: cidr });
    for (const ok of ['10.0.0.0/16', '203.0.113.7/32', '2001:db8::/32', '0.0.0.0/0']) expect([ok, https(ok).ok]).toEqual([ok, true]);
    const hostBits = https('10.0.0.1/16');
    expect(hostBits.errors).toEqual([failed("test/host: 'ingress.cidr' must be an IPv4 or IPv6 CIDR block naming a network (no host bits), got \"10.0.0.1/16\". " +
      "Write an address and prefix length, e.g. '10.0.0.0/16', '203.0.113.7/32' or '2001:db8::/32', with the bits below the prefix zero.")]);
    for (const bad of ['not-a-cidr', '10.0.0.0', '010.0.0.0/8', '10.00.0.0/16', '10.0.0.0/33', '2001:db8::1/32']) expect([bad, https(bad).ok]).toEqual([bad, false]);
    for (const internet of ['0.0.0.0/0', '::/0']) {
      expect(ssh(internet).errors).toContain(failed(`test/host: 'ingress.cidr' must not open SSH (port 22) to the whole internet, got "${internet}". ` +
        "Reach the host with SSM Session Manager (aws ssm start-session --target <instance id>; the host role already allows it), or allow only your own network's CIDR."));
    }
    expect(ssh('198.51.100.0/24').ok).toBe(true);
  });

  test('a port range from variables: it opens SSH only when it holds 22, and then not to the whole internet', () => {
    const { stack } = awsStack();
    const from = v(stack, 'from', 'number');
    const to = v(stack, 'to', 'number');
    new VmHost(stack, 'host', { ingress: [{ port: from.numberValue, toPort: to.numberValue, cidr: '0.0.0.0/0' }] });
    const json = synthJson(stack);
    const rule = idOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(evaluatePreconditions(json, 'aws_vpc_security_group_ingress_rule', rule, { from: '8000', to: '8100' }).ok).toBe(true);
    expect(evaluatePreconditions(json, 'aws_vpc_security_group_ingress_rule', rule, { from: '20', to: '30' }).errors[0]).toContain('must not open SSH (port 22) to the whole internet, got "0.0.0.0/0"');
    expect(evaluatePreconditions(json, 'aws_vpc_security_group_ingress_rule', rule, { from: '3000', to: '3400' }).errors[0]).toContain('must not open RDP (port 3389)');
    expect(evaluatePreconditions(json, 'aws_vpc_security_group_ingress_rule', rule, { from: '90', to: '80' }).errors[0])
      .toContain("'ingress.toPort' must be an integer from 90 to 65535, got 80.");
  });

  test('an ECR repository of the same stack: a repository URL passes; another registry\'s stops the plan', () => {
    const { stack } = awsStack();
    const repo = new EcrRepository(stack, 'repo', { name: 'api' });
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'api', { host, name: 'api', image: ContainerImage.fromEcr(repo.repositoryUrl, '1.0'), memoryMiB: 128 });
    const json = synthJson(stack);
    const check = (url: string) => evaluatePreconditions(json, 'aws_instance', idOf(json, 'aws_instance'), {},
      { replace: { 'aws_ecr_repository.repo.repository_url': 'url' }, locals: { url } });
    expect(check('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api')).toEqual({ ok: true, errors: [] });
    expect(check('ghcr.io/acme/api').errors).toEqual([failed(
      "ContainerImage.fromEcr: 'repositoryUrl' must be an ECR repository URL '<account>.dkr.ecr.<region>.amazonaws.com/<name>', got \"ghcr.io/acme/api\". " +
      "Copy the repository URI from the ECR console, e.g. '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'.")]);
  });

  test('a fleet\'s subnets from a data source: two zones pass, two subnets in one zone stop the plan', () => {
    const { stack } = awsStack();
    const subnets = new DataAwsSubnets(stack, 'subnets', {});
    new HostFleet(stack, 'fleet', { container: { name: 'web', image, memoryMiB: 128 }, subnetIds: subnets.ids, vpcId: 'vpc-0123456789abcdef0' });
    const json = synthJson(stack);
    const zones = `data.aws_subnet.${idOf(json, 'aws_subnet', 'data')}`;
    const check = (byId: Record<string, string>) => evaluatePreconditions(json, 'aws_autoscaling_group', idOf(json, 'aws_autoscaling_group'), {}, {
      replace: { [zones]: 'zones', 'data.aws_subnets.subnets.ids': 'ids' },
      locals: { zones: Object.fromEntries(Object.entries(byId).map(([id, az]) => [id, { availability_zone: az }])), ids: Object.keys(byId) },
    });
    expect(check({ 'subnet-0a': 'eu-west-1a', 'subnet-0b': 'eu-west-1b' })).toEqual({ ok: true, errors: [] });
    expect(check({ 'subnet-0a': 'eu-west-1a', 'subnet-0b': 'eu-west-1a' }).errors).toEqual([failed(
      "test/fleet: 'subnetIds' must list subnets in at least two availability zones, got [\"subnet-0a\",\"subnet-0b\"] (zones eu-west-1a). " +
      'Give two or more subnets in different zones (a fleet in one zone goes down with it).')]);
  });

  test('fleet sizes from variables keep their order: min <= desired <= max', () => {
    const { stack } = awsStack();
    const min = v(stack, 'min', 'number');
    const max = v(stack, 'max', 'number');
    new HostFleet(stack, 'fleet', { container: { name: 'web', image, memoryMiB: 128 }, minCapacity: min.numberValue, maxCapacity: max.numberValue, desiredCapacity: 3 });
    const json = synthJson(stack);
    const lt = idOf(json, 'aws_launch_template');
    expect(evaluatePreconditions(json, 'aws_launch_template', lt, { min: '2', max: '4' }).ok).toBe(true);
    expect(evaluatePreconditions(json, 'aws_launch_template', lt, { min: '5', max: '4' }).errors).toEqual([
      failed("test/fleet: 'maxCapacity' must be an integer from 5 to 1000, got 4. Lower minCapacity or raise maxCapacity: maxCapacity must not be below minCapacity."),
      failed("test/fleet: 'desiredCapacity' must be an integer from 5 to 4, got 3. Choose a desired capacity inside the range, or leave it out (it defaults to minCapacity)."),
    ]);
  });

  test('ports from variables: an address passes, a name does not; one port published twice stops the plan', () => {
    const { stack } = awsStack();
    const ip = v(stack, 'ip', 'string');
    const port = v(stack, 'port', 'number');
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 128, ports: [{ containerPort: 80, hostPort: port.numberValue, hostIp: ip.stringValue }, { containerPort: 81, hostPort: 8081 }] });
    const json = synthJson(stack);
    const id = idOf(json, 'aws_instance');
    expect(evaluatePreconditions(json, 'aws_instance', id, { ip: '10.0.1.5', port: '8080' }).ok).toBe(true);
    expect(evaluatePreconditions(json, 'aws_instance', id, { ip: '::1', port: '8080' }).ok).toBe(true);
    expect(evaluatePreconditions(json, 'aws_instance', id, { ip: 'localhost', port: '8080' }).errors).toEqual([failed(
      "test/web: 'ports[0].hostIp' must be an IPv4 or IPv6 address, got \"localhost\". Use '127.0.0.1' (the default: loopback only), the host's private address, or '0.0.0.0' for every interface.")]);
    expect(evaluatePreconditions(json, 'aws_instance', id, { ip: '10.0.1.5', port: '8081' }).errors).toEqual([failed(
      "test/web: 'ports' must not publish a port twice (protocol/host port), got [\"tcp/8081\",\"tcp/8081\"]. Give each published port its own host port.")]);
  });

  test('user data with a value from a variable must fit EC2\'s limit once Terraform has compressed it', () => {
    const { stack } = awsStack();
    const note = v(stack, 'note', 'string');
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 128, environment: { NOTE: note.stringValue } });
    const json = synthJson(stack);
    const id = idOf(json, 'aws_instance');
    expect(evaluatePreconditions(json, 'aws_instance', id, { note: 'short' }).ok).toBe(true);
    // 48 KiB of random hex (4 bits a character): gzip cannot bring it under 16 KiB.
    const random = Array.from({ length: 48 * 1024 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    const big = evaluatePreconditions(json, 'aws_instance', id, { note: random });
    expect(big.errors).toHaveLength(1);
    expect(big.errors[0]).toMatch(/^Resource precondition failed: test\/host: 'userData' must fit EC2's 16384-byte limit even gzip-compressed \(\d+ bytes compressed\), got the cloud-config with the values of its Terraform references\./);
  });

  test('LocalDockerHost: the checks of values from variables run before the container is created', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'local');
    new DockerProvider(stack, 'docker', {});
    const mem = v(stack, 'mem', 'number');
    new LocalDockerHost(stack, 'dev', { containers: [{ name: 'web', image, memoryMiB: mem.numberValue }] });
    const json = JSON.parse(Testing.synth(stack));
    const id = idOf(json, 'docker_container');
    expect(evaluatePreconditions(json, 'docker_container', id, { mem: '64' }).ok).toBe(true);
    expect(evaluatePreconditions(json, 'docker_container', id, { mem: '2' }).errors[0]).toBe(
      failed("local/dev/web: 'memoryMiB' must be an integer from 6 to 4194304, got 2. Docker's smallest memory limit is 6 MiB; give the MiB the process needs at its peak."));
  });
  test('HostNetwork: a flow-log retention and key from variables are checked on the VPC; an existing network\'s ids from variables on its Checks', () => {
    const { stack } = awsStack();
    const days = v(stack, 'days', 'number');
    const key = v(stack, 'key', 'string');
    new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY, flowLogRetentionDays: days.numberValue, flowLogKmsKeyArn: key.stringValue });
    const vpc = v(stack, 'vpc', 'string');
    const subnet = v(stack, 'subnet', 'string');
    HostNetwork.fromExisting(stack, 'mine', { vpcId: vpc.stringValue, hostSubnetIds: [subnet.stringValue], egress: NetworkEgress.NAT_GATEWAY });
    const json = synthJson(stack);
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const good = { days: '30', key: arn, vpc: 'vpc-0123456789abcdef0', subnet: 'subnet-0123456789abcdef0' };
    expect(evaluatePreconditions(json, 'aws_vpc', idOf(json, 'aws_vpc'), good)).toEqual({ ok: true, errors: [] });
    expect(evaluatePreconditions(json, 'aws_vpc', idOf(json, 'aws_vpc'), { ...good, days: '10' }).errors).toEqual([failed(
      "test/net: 'flowLogRetentionDays' must be one of CloudWatch Logs' retention periods (0 keeps the logs forever), got \"10\". " +
      'Use one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (365, the default, keeps a year).')]);
    expect(evaluatePreconditions(json, 'aws_vpc', idOf(json, 'aws_vpc'), { ...good, key: 'alias/flow-logs' }).errors).toEqual([failed(
      "test/net: 'flowLogKmsKeyArn' must be a KMS key ARN, got \"alias/flow-logs\". Copy the key's ARN, e.g. 'arn:aws:kms:eu-west-1:123456789012:key/<id>'; " +
      'its key policy must let logs.<region>.amazonaws.com use it.')]);
    const checks = idOf(json, 'terraform_data');
    expect(evaluatePreconditions(json, 'terraform_data', checks, good)).toEqual({ ok: true, errors: [] });
    expect(evaluatePreconditions(json, 'terraform_data', checks, { ...good, vpc: 'vpc_123', subnet: 'subnet-XYZ' }).errors.sort()).toEqual([
      failed("test/mine: 'hostSubnetIds[0]' must be a subnet id ('subnet-' and hex digits), got \"subnet-XYZ\". Copy the id of an existing subnet, or pass a reference such as subnet.id."),
      failed("test/mine: 'vpcId' must be a VPC id ('vpc-' and hex digits), got \"vpc_123\". Copy the id of an existing VPC, or pass a reference such as vpc.id."),
    ]);
  });
  test('the SSM document of a host whose containers hold a variable must fit 64 KB once Terraform has the value', () => {
    const { stack } = awsStack();
    const value = v(stack, 'value', 'string');
    const host = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0' });
    new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 128, environment: { BIG: value.stringValue } });
    const json = synthJson(stack);
    const doc = idOf(json, 'aws_ssm_document');
    expect(evaluatePreconditions(json, 'aws_ssm_document', doc, { value: 'small' })).toEqual({ ok: true, errors: [] });
    // Hashes do not compress: 90 000 characters of base64 digests exceed the document's 64 KB as base64 of gzip.
    let noise = '';
    for (let i = 0; noise.length < 90000; i++) noise += createHash('sha256').update(String(i)).digest('base64');
    expect(evaluatePreconditions(json, 'aws_ssm_document', doc, { value: noise }).errors).toEqual([failed(
      "test/host: 'containers' must fit in an SSM document of at most 65536 bytes (Systems Manager's limit for a document's content), " +
      'got more with the values of its Terraform references. Place some containers on another host, or shorten what their start scripts carry (environment, commands, labels).')]);
  });
});
