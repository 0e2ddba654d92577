// Stacks composed from the rest of the stack: every prop a user could take
// from a Terraform variable, another resource's attribute or a data source
// synthesizes, and what cannot be checked at synth is a precondition with
// the message the synth-time error would have had (test/integration/
// terraform-preconditions.test.ts evaluates them with real Terraform).
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ContainerImage, ContainerOnVm, HostFleet, HostPool, HostRole, HostSecurityGroup, IsolatedApp, IsolationChecks, LocalDockerHost,
  MachineImage, RestartPolicy, VmHost, Architecture, OsFamily, KernelNeed,
} from '../src';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson } from './helpers/synth';
import { ContainerOptions } from '../src/core/container-options';

/** An encoded number token that reached text as digits instead of a reference. */
const NUMBER_TOKEN_TEXT = /-?\d\.\d+e\+(28|29|30)\d/;

function variable(stack: TerraformStack, name: string, type: 'string' | 'number' = 'string', defaultValue?: unknown): TerraformVariable {
  return new TerraformVariable(stack, name, { type, default: defaultValue });
}

/** The preconditions of the only resource of `type`. */
function preconditionsOf(json: any, type: string): Array<{ condition: string; error_message: string }> {
  return onlyResource(json, type).lifecycle?.precondition ?? [];
}

/** The precondition whose message starts with `start`; fails when there is none or more than one. */
function preconditionStarting(json: any, type: string, start: string): { condition: string; error_message: string } {
  const found = preconditionsOf(json, type).filter((p) => p.error_message.startsWith(start));
  if (found.length !== 1) throw new Error(`expected one precondition of ${type} starting ${JSON.stringify(start)}, found ${found.length}: ${JSON.stringify(preconditionsOf(json, type).map((p) => p.error_message))}`);
  return found[0];
}

/** Every placeholder left in the output is a bug: a token that reached text without becoming a reference. */
function expectNoPlaceholders(json: unknown): void {
  const text = JSON.stringify(json);
  expect(text).not.toContain('TfToken');
  expect(text).not.toMatch(NUMBER_TOKEN_TEXT);
}

const image = ContainerImage.fromRegistry('nginx:1.27');

describe('the cases that were refused at synth', () => {
  test('an image tag from a TerraformVariable: the reference is matched by Terraform, with the synth-time message', () => {
    const { stack } = awsStack();
    const tag = variable(stack, 'image_tag');
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'web', { host, name: 'web', image: ContainerImage.fromRegistry('nginx:' + tag.stringValue), memoryMiB: 128 });
    const json = synthJson(stack);
    expectNoPlaceholders(json);
    const p = preconditionStarting(json, 'aws_instance', "test/web: 'image'");
    expect(p.condition).toMatch(/^\$\{can\(regex\(".*", join\("", \["nginx:", var\.image_tag\]\)\)\)\}$/);
    expect(p.error_message).toBe("test/web: 'image' must be an image reference that names a tag or a digest, got ${jsonencode(join(\"\", [\"nginx:\", var.image_tag]))}. " +
      "Write '<name>:<tag>' or '<name>@sha256:<digest>', e.g. 'nginx:1.27', 'ghcr.io/acme/api:2.1.0' or 'registry.example.com:5000/team/app@sha256:<64 hex>'; names are lower case.");
    // The tag reaches the start script as a Terraform reference, quoted by Terraform.
    expect(JSON.stringify(json.locals)).toContain('replace(var.image_tag, \\"\'\\", \\"\'\\\\\\"\'\\\\\\"\'\\")');
  });

  test('an ECR URL of the same stack\'s repository: pull rights stay scoped to that repository, its ARN built from the URL by Terraform', () => {
    const { stack } = awsStack();
    const repo = new EcrRepository(stack, 'repo', { name: 'api' });
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'api', { host, name: 'api', image: ContainerImage.fromEcr(repo.repositoryUrl, '1.0'), memoryMiB: 128 });
    const json = synthJson(stack);
    expectNoPlaceholders(json);
    // A Terraform template that is JSON once Terraform resolves it (the integration suite parses it resolved).
    const policy = onlyResource(json, 'aws_iam_role_policy').policy;
    const url = 'aws_ecr_repository.repo.repository_url';
    const registry = `element(split("/", ${url}), 0)`;
    expect(policy.startsWith('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},' +
      '{"Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"${')).toBe(true);
    expect(policy).toContain('jsonencode(format("arn:%s:ecr:%s:%s:repository/%s", ' +
      `endswith(${registry}, ".amazonaws.com.cn") ? "aws-cn" : "aws", element(split(".", ${registry}), 3), element(split(".", ${registry}), 0), ` +
      `join("/", slice(split("/", ${url}), 1, length(split("/", ${url}))))))`);
    expect(preconditionStarting(json, 'aws_instance', "ContainerImage.fromEcr: 'repositoryUrl'").error_message)
      .toBe("ContainerImage.fromEcr: 'repositoryUrl' must be an ECR repository URL '<account>.dkr.ecr.<region>.amazonaws.com/<name>', " +
        `got \${jsonencode(${url})}. Copy the repository URI from the ECR console, e.g. '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'.`);
  });

  test('fromEcrRepository scopes the pull rights to the resource\'s own ARN', () => {
    const { stack } = awsStack();
    const repo = new EcrRepository(stack, 'repo', { name: 'api' });
    const tag = variable(stack, 'tag');
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'api', { host, name: 'api', image: ContainerImage.fromEcrRepository(repo, tag.stringValue), memoryMiB: 128 });
    const json = synthJson(stack);
    expectNoPlaceholders(json);
    expect(onlyResource(json, 'aws_iam_role_policy').policy)
      .toContain('trimsuffix(trimprefix(jsonencode(aws_ecr_repository.repo.arn), "\\""), "\\"")');
    expect(preconditionStarting(json, 'aws_instance', "ContainerImage.fromEcr: 'tag'").error_message).toContain('got ${jsonencode(var.tag)}');
  });

  test('HostFleet with the subnets of a data source: Terraform counts their zones before the group is created', () => {
    const { stack } = awsStack();
    const subnets = new DataAwsSubnets(stack, 'subnets', { filter: [{ name: 'vpc-id', values: ['vpc-0123456789abcdef0'] }] });
    new HostFleet(stack, 'fleet', { container: { name: 'web', image, memoryMiB: 128 }, subnetIds: subnets.ids, vpcId: 'vpc-0123456789abcdef0' });
    const json = synthJson(stack);
    expectNoPlaceholders(json);
    expect(onlyResource(json, 'aws_autoscaling_group').vpc_zone_identifier).toBe('${data.aws_subnets.subnets.ids}');
    expect(Object.values(resourcesOf(json, 'aws_subnet', 'data'))).toEqual([{ for_each: '${toset(data.aws_subnets.subnets.ids)}', id: '${each.value}' }]);
    const zonesId = Object.keys(resourcesOf(json, 'aws_subnet', 'data'))[0];
    const zones = `distinct([ for key, val in data.aws_subnet.${zonesId}: val.availability_zone])`;
    expect(preconditionsOf(json, 'aws_autoscaling_group')).toEqual([{
      condition: `\${(length(${zones}) >= 2)}`,
      error_message: "test/fleet: 'subnetIds' must list subnets in at least two availability zones, got ${jsonencode(data.aws_subnets.subnets.ids)} " +
        `(zones \${join(", ", ${zones})}). Give two or more subnets in different zones (a fleet in one zone goes down with it).`,
    }]);
  });

  test('HostFleet with literal subnets also has its zones counted (two subnets of one zone are not two zones)', () => {
    const { stack } = awsStack();
    new HostFleet(stack, 'fleet', { container: { name: 'web', image, memoryMiB: 128 }, subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'] });
    const json = synthJson(stack);
    expect(Object.values(resourcesOf(json, 'aws_subnet', 'data'))[0].for_each).toBe('${toset(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])}');
    expect(preconditionsOf(json, 'aws_autoscaling_group')[0].condition).toContain('val.availability_zone');
  });

  test('VmHost with instanceType, rootVolumeSizeGiB and an ingress cidr from variables and a VPC: each is a precondition', () => {
    const { stack } = awsStack();
    const type = variable(stack, 'instance_type');
    const root = variable(stack, 'root_gib', 'number');
    const vpc = new DataAwsVpc(stack, 'vpc', { id: 'vpc-0123456789abcdef0' });
    const host = new VmHost(stack, 'host', { instanceType: type.stringValue, rootVolumeSizeGiB: root.numberValue, ingress: [{ port: 443, cidr: vpc.cidrBlock }] });
    new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 512, cpus: 1 });
    const json = synthJson(stack);
    expectNoPlaceholders(json);
    const instance = onlyResource(json, 'aws_instance');
    expect(instance.instance_type).toBe('${var.instance_type}');
    expect(instance.root_block_device.volume_size).toBe('${var.root_gib}');
    const data = `data.aws_ec2_instance_type.${Object.keys(resourcesOf(json, 'aws_ec2_instance_type', 'data'))[0]}`;
    expect(onlyResource(json, 'aws_ec2_instance_type', 'data')).toEqual({ instance_type: '${var.instance_type}' });
    expect(preconditionsOf(json, 'aws_instance')).toEqual([
      {
        condition: '${try((((var.root_gib >= 8) && (var.root_gib <= 16384)) && (floor(var.root_gib) == var.root_gib)), false)}',
        error_message: "test/host: 'rootVolumeSizeGiB' must be an integer from 8 to 16384, got ${jsonencode(var.root_gib)}. EBS gp3 root volumes hold 8 to 16384 GiB; 20 suits a Docker host with a few images.",
      },
      {
        condition: `\${try(((sum([512]) + 400) <= ${data}.memory_size), false)}`,
        error_message: `test/host: 'containers' must fit the host (\${var.instance_type}, \${${data}.memory_size} MiB): the memory limits of its containers (test/web) ` +
          'plus the reserve for the OS and Docker (400 MiB) must not exceed its memory, got ${jsonencode([512])}. Choose an instance type with more memory, lower the limits, or put a container on another host.',
      },
      {
        condition: `\${try(((0 <= 1) && (1 <= ${data}.default_vcpus)), false)}`,
        error_message: `test/web: 'cpus' must not exceed the \${${data}.default_vcpus} vCPUs of host test/host (\${var.instance_type}), got \${jsonencode(1)}. Lower the limit or choose a larger instance type.`,
      },
      {
        condition: `\${contains(${data}.supported_architectures, "x86_64")}`,
        error_message: "test/host: 'instanceType' must boot the host's x86_64 image (Amazon Linux 2023), got ${jsonencode(var.instance_type)} " +
          `(\${join(", ", ${data}.supported_architectures)}). Use an x86_64 instance type, or a machineImage of the type's architecture.`,
      },
    ]);
    const rule = onlyResource(json, 'aws_vpc_security_group_ingress_rule');
    expect(rule.cidr_ipv4).toBe('${strcontains(data.aws_vpc.vpc.cidr_block, ":") ? null : data.aws_vpc.vpc.cidr_block}');
    expect(rule.cidr_ipv6).toBe('${strcontains(data.aws_vpc.vpc.cidr_block, ":") ? data.aws_vpc.vpc.cidr_block : null}');
    expect(rule.lifecycle.precondition).toEqual([{
      condition: '${try(((cidrhost(data.aws_vpc.vpc.cidr_block, 0) == cidrhost(format("%s/%s", element(split("/", data.aws_vpc.vpc.cidr_block), 0), ' +
        'strcontains(data.aws_vpc.vpc.cidr_block, ":") ? "128" : "32"), 0)) && !(!strcontains(data.aws_vpc.vpc.cidr_block, ":") && ' +
        'can(regex("(^|[.])0[0-9]", data.aws_vpc.vpc.cidr_block)))), false)}',
      error_message: "test/host: 'ingress.cidr' must be an IPv4 or IPv6 CIDR block naming a network (no host bits), got ${jsonencode(data.aws_vpc.vpc.cidr_block)}. " +
        "Write an address and prefix length, e.g. '10.0.0.0/16', '203.0.113.7/32' or '2001:db8::/32', with the bits below the prefix zero.",
    }]);
  });

  test('an SSH rule whose network is a variable: Terraform refuses the whole internet; what several rules add up to is reported as not checked', () => {
    const { stack } = awsStack();
    const office = variable(stack, 'office_cidr');
    const host = new VmHost(stack, 'host', { ingress: [{ port: 22, cidr: office.stringValue }] });
    const json = synthJson(stack);
    const rule = onlyResource(json, 'aws_vpc_security_group_ingress_rule');
    expect(rule.lifecycle.precondition.map((p: any) => p.condition)).toContain('${try((0 < tonumber(element(split("/", var.office_cidr), 1))), false)}');
    expect(rule.lifecycle.precondition.map((p: any) => p.error_message)).toContain(
      "test/host: 'ingress.cidr' must not open SSH (port 22) to the whole internet, got ${jsonencode(var.office_cidr)}. " +
      "Reach the host with SSM Session Manager (aws ssm start-session --target <instance id>; the host role already allows it), or allow only your own network's CIDR.");
    const warnings = host.node.findAll().flatMap((n) => n.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data))
      .filter((w) => !w.includes('no network was given'));
    expect(warnings).toEqual(["test/host: 'ingress.cidr' is not checked: it must not, with the security group's other rules, open SSH or RDP to the whole internet, " +
      'but its network is known only at apply, and Terraform cannot add up the networks of several rules.']);
  });

  test('IsolationChecks: a raw instance whose http_tokens is a variable is not an error but "not checked", once, with the rule id', () => {
    const { stack } = awsStack();
    const tokens = variable(stack, 'http_tokens', 'string', 'required');
    new Instance(stack, 'raw', {
      ami: 'ami-0123456789abcdef0', instanceType: 't3.micro', iamInstanceProfile: 'profile', rootBlockDevice: { encrypted: true }, metadataOptions: { httpTokens: tokens.stringValue },
    });
    Aspects.of(stack).add(new IsolationChecks());
    Testing.synth(stack);
    const messages = stack.node.findAll().flatMap((n) => n.node.metadata.map((m) => ({ type: m.type, data: String(m.data) })));
    const imds = messages.filter((m) => m.data.includes('HOST-IMDSV2'));
    expect(imds).toEqual([{ type: '@cdktf/info', data: 'test/raw: [HOST-IMDSV2] not checked: whether IMDSv2 is not required depends on ${var.http_tokens}, known only at apply' }]);
    expect(messages.filter((m) => m.type === '@cdktf/error')).toEqual([]);
  });
});

/** A prop set to a token, the construct that takes it, and where its reference must arrive. */
interface TokenCase {
  readonly name: string;
  readonly type: 'string' | 'number';
  readonly build: (stack: TerraformStack, value: any) => void;
  /** A precondition must guard it (a check that could not run at synth). */
  readonly guarded: boolean;
}

const container = (over: Partial<ContainerOptions>): ContainerOptions => ({ name: 'web', image, memoryMiB: 256, ...over });
const onHost = (over: (v: any) => Partial<ContainerOptions>) => (stack: TerraformStack, v: any) => {
  const host = new VmHost(stack, 'host', { instanceType: 't3.large' });
  new ContainerOnVm(stack, 'c', { host, ...container(over(v)) });
};
const local = (over: (v: any) => Partial<ContainerOptions>) => (stack: TerraformStack, v: any) => {
  new DockerProvider(stack, 'docker', {});
  new LocalDockerHost(stack, 'dev', { containers: [container(over(v))] });
};

const CASES: TokenCase[] = [
  // Containers on a VmHost (the user data, the role, the security group).
  { name: 'ContainerOnVm image', type: 'string', guarded: true, build: onHost((v) => ({ image: ContainerImage.fromRegistry(v) })) },
  { name: 'ContainerOnVm command word', type: 'string', guarded: false, build: onHost((v) => ({ command: ['serve', v] })) },
  { name: 'ContainerOnVm entrypoint word', type: 'string', guarded: false, build: onHost((v) => ({ entrypoint: ['/bin/app', v] })) },
  { name: 'ContainerOnVm environment value', type: 'string', guarded: false, build: onHost((v) => ({ environment: { MODE: v } })) },
  { name: 'ContainerOnVm secret parameter', type: 'string', guarded: true, build: onHost((v) => ({ secretEnvironment: { DB: v } })) },
  { name: 'ContainerOnVm label value', type: 'string', guarded: false, build: onHost((v) => ({ labels: { team: v } })) },
  { name: 'ContainerOnVm memoryMiB', type: 'number', guarded: true, build: onHost((v) => ({ memoryMiB: v })) },
  { name: 'ContainerOnVm cpus', type: 'number', guarded: true, build: onHost((v) => ({ cpus: v })) },
  { name: 'ContainerOnVm cpuShares', type: 'number', guarded: true, build: onHost((v) => ({ cpuShares: v })) },
  { name: 'ContainerOnVm pidsLimit', type: 'number', guarded: true, build: onHost((v) => ({ pidsLimit: v })) },
  { name: 'ContainerOnVm user', type: 'string', guarded: true, build: onHost((v) => ({ user: v })) },
  { name: 'ContainerOnVm workingDirectory', type: 'string', guarded: true, build: onHost((v) => ({ workingDirectory: v })) },
  { name: 'ContainerOnVm tmpfs size', type: 'number', guarded: true, build: onHost((v) => ({ tmpfs: [{ target: '/cache', sizeMiB: v }] })) },
  { name: 'ContainerOnVm port', type: 'number', guarded: true, build: onHost((v) => ({ ports: [{ containerPort: 8080, hostPort: v }] })) },
  { name: 'ContainerOnVm container port', type: 'number', guarded: true, build: onHost((v) => ({ ports: [{ containerPort: v, hostPort: 8080 }] })) },
  { name: 'ContainerOnVm host address', type: 'string', guarded: true, build: onHost((v) => ({ ports: [{ containerPort: 8080, hostIp: v }] })) },
  { name: 'ContainerOnVm health check word', type: 'string', guarded: false, build: onHost((v) => ({ healthCheck: { command: ['wget', '-q', v] } })) },
  { name: 'ContainerOnVm health check interval', type: 'number', guarded: true, build: onHost((v) => ({ healthCheck: { command: ['true'], intervalSeconds: v } })) },
  { name: 'ContainerOnVm maxRestarts', type: 'number', guarded: true, build: onHost((v) => ({ maxRestarts: v })) },
  { name: 'ContainerOnVm log size', type: 'string', guarded: true, build: onHost((v) => ({ logOptions: { maxSize: v } })) },
  { name: 'ContainerOnVm log files', type: 'number', guarded: true, build: onHost((v) => ({ logOptions: { maxFiles: v } })) },
  { name: 'ContainerOnVm stopTimeoutSeconds', type: 'number', guarded: true, build: onHost((v) => ({ stopTimeoutSeconds: v })) },
  {
    name: 'ContainerOnVm ingress cidr',
    type: 'string',
    guarded: true,
    build: (stack, v) => {
      const host = new VmHost(stack, 'host');
      new ContainerOnVm(stack, 'c', { host, ...container({ ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }] }), ingress: [{ hostPort: 8080, cidr: v }] });
    },
  },
  // VmHost.
  { name: 'VmHost instanceType', type: 'string', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { instanceType: v }) },
  { name: 'VmHost rootVolumeSizeGiB', type: 'number', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { rootVolumeSizeGiB: v }) },
  { name: 'VmHost rootVolumeKmsKeyId', type: 'string', guarded: false, build: (stack, v) => new VmHost(stack, 'host', { rootVolumeKmsKeyId: v }) },
  { name: 'VmHost subnetId', type: 'string', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { subnetId: v, vpcId: 'vpc-0123456789abcdef0' }) },
  { name: 'VmHost vpcId', type: 'string', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { vpcId: v }) },
  { name: 'VmHost keyName', type: 'string', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { keyName: v }) },
  { name: 'VmHost name', type: 'string', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { name: v }) },
  { name: 'VmHost tag value', type: 'string', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { tags: { team: v } }) },
  { name: 'VmHost ingress port', type: 'number', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { ingress: [{ port: v, cidr: '10.0.0.0/16' }] }) },
  { name: 'VmHost ingress cidr', type: 'string', guarded: true, build: (stack, v) => new VmHost(stack, 'host', { ingress: [{ port: 443, cidr: v }] }) },
  { name: 'VmHost ingress source group', type: 'string', guarded: false, build: (stack, v) => new VmHost(stack, 'host', { ingress: [{ port: 443, sourceSecurityGroupId: v }] }) },
  { name: 'VmHost ingress description', type: 'string', guarded: false, build: (stack, v) => new VmHost(stack, 'host', { ingress: [{ port: 443, cidr: '10.0.0.0/16', description: v }] }) },
  {
    name: 'VmHost fixed AMI',
    type: 'string',
    guarded: true,
    build: (stack, v) => new VmHost(stack, 'host', { machineImage: MachineImage.fromAmiId(v, OsFamily.DEBIAN_12, Architecture.X86_64) }),
  },
  { name: 'VmHost file content (escape hatch)', type: 'string', guarded: false, build: (stack, v) => new VmHost(stack, 'host').cloudConfig.addFile({ path: '/etc/x', content: v }) },
  { name: 'VmHost run command word (escape hatch)', type: 'string', guarded: false, build: (stack, v) => new VmHost(stack, 'host').cloudConfig.addRunCommand(['echo', v]) },
  { name: 'VmHost role statement resource', type: 'string', guarded: false, build: (stack, v) => new VmHost(stack, 'host').addToRolePolicy({ actions: ['s3:GetObject'], resources: [v] }) },
  // HostFleet.
  { name: 'HostFleet instanceType', type: 'string', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), instanceType: v }) },
  { name: 'HostFleet minCapacity', type: 'number', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), minCapacity: v }) },
  { name: 'HostFleet maxCapacity', type: 'number', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), maxCapacity: v }) },
  { name: 'HostFleet desiredCapacity', type: 'number', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), desiredCapacity: v }) },
  { name: 'HostFleet rootVolumeSizeGiB', type: 'number', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), rootVolumeSizeGiB: v }) },
  { name: 'HostFleet grace period', type: 'number', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), healthCheckGracePeriodSeconds: v }) },
  { name: 'HostFleet minHealthyPercentage', type: 'number', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), minHealthyPercentage: v }) },
  { name: 'HostFleet CPU target', type: 'number', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), scaling: { cpuUtilizationPercent: v } }) },
  { name: 'HostFleet vpcId', type: 'string', guarded: true, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), vpcId: v }) },
  {
    name: 'HostFleet subnet id',
    type: 'string',
    guarded: true,
    build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({}), subnetIds: [v, 'subnet-0bbbbbbbbbbbbbbbb'] }),
  },
  { name: 'HostFleet container environment', type: 'string', guarded: false, build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({ environment: { MODE: v } }) }) },
  {
    name: 'HostFleet load balancer certificate',
    type: 'string',
    guarded: true,
    build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({ ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }] }), loadBalancer: { certificateArn: v } }),
  },
  {
    name: 'HostFleet load balancer client network',
    type: 'string',
    guarded: true,
    build: (stack, v) => new HostFleet(stack, 'fleet', { container: container({ ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }] }), loadBalancer: { allowedCidrs: [v] } }),
  },
  // The parts on their own.
  { name: 'HostSecurityGroup vpcId', type: 'string', guarded: false, build: (stack, v) => new HostSecurityGroup(stack, 'sg', { vpcId: v }) },
  { name: 'HostRole tag value', type: 'string', guarded: true, build: (stack, v) => new HostRole(stack, 'role', { tags: { team: v } }) },
  // Pools and apps pass what they do not size by.
  {
    name: 'HostPool app image',
    type: 'string',
    guarded: true,
    build: (stack, v) => new IsolatedApp(stack, 'app', { pool: new HostPool(stack, 'pool'), container: container({ image: ContainerImage.fromRegistry(v) }) }),
  },
  { name: 'HostPool subnetId', type: 'string', guarded: true, build: (stack, v) => new IsolatedApp(stack, 'app', { pool: new HostPool(stack, 'pool', { subnetId: v, vpcId: 'vpc-0123456789abcdef0' }), container: container({}) }) },
  {
    name: 'IsolatedApp dedicated VM instanceType',
    type: 'string',
    guarded: true,
    build: (stack, v) => new IsolatedApp(stack, 'app', { requirements: { kernel: KernelNeed.OWN }, native: { packages: ['nginx'] }, dedicatedVm: { instanceType: v } }),
  },
  // LocalDockerHost: the docker provider takes the references directly; checks run before the container is created.
  { name: 'LocalDockerHost image', type: 'string', guarded: true, build: local((v) => ({ image: ContainerImage.fromRegistry(v) })) },
  { name: 'LocalDockerHost memoryMiB', type: 'number', guarded: true, build: local((v) => ({ memoryMiB: v })) },
  { name: 'LocalDockerHost environment value', type: 'string', guarded: false, build: local((v) => ({ environment: { MODE: v } })) },
  { name: 'LocalDockerHost port', type: 'number', guarded: true, build: local((v) => ({ ports: [{ containerPort: 8080, hostPort: v }] })) },
];

describe('every prop a user could take from elsewhere synthesizes as a reference', () => {
  test.each(CASES.map((c) => [c.name, c]))('%s', (_name, c) => {
    const { stack } = awsStack();
    const v = variable(stack, 'v', c.type);
    c.build(stack, c.type === 'number' ? v.numberValue : v.stringValue);
    const json = synthJson(stack);
    expectNoPlaceholders(json);
    const text = JSON.stringify(json);
    expect(text).toContain('var.v');
    const guarded = Object.values<any>(json.resource).flatMap((byName) => Object.values<any>(byName))
      .flatMap((r) => r.lifecycle?.precondition ?? []).filter((p: any) => p.condition.includes('var.v') || p.error_message.includes('var.v'));
    if (c.guarded) expect(guarded.length).toBeGreaterThan(0);
    // The sizes of the user data and of the SSM document hold every value of the host's text.
    else expect(guarded.filter((p: any) => !p.error_message.includes("'userData'") && !p.error_message.includes("'containers' must fit in an SSM document"))).toEqual([]);
  });
});

describe('what decides something at synth must be known at synth, with an error that says why', () => {
  const KNOWN: Array<[string, 'string' | 'number', (stack: TerraformStack, v: any) => void, string]> = [
    ['container name', 'string', onHost((v) => ({ name: v })), "test/c: 'name' must be known at synth, not a Terraform reference (it names the container, its systemd unit and its files on the host)"],
    ['volume source', 'string', onHost((v) => ({ volumes: [{ source: v, target: '/data' }] })), "test/c: 'volumes[0].source' must be known at synth"],
    ['tmpfs target', 'string', onHost((v) => ({ tmpfs: [{ target: v }] })), "test/c: 'tmpfs[0].target' must be known at synth"],
    ['restart policy', 'string', onHost((v) => ({ restartPolicy: v as RestartPolicy })), "test/c: 'restartPolicy' must be known at synth"],
    ['unsafe reason', 'string', onHost((v) => ({ unsafeReason: v })), "test/c: 'unsafeReason' must be known at synth"],
    ['metadata hop limit', 'number', (stack, v) => new VmHost(stack, 'host', { metadataHopLimit: v }), "test/host: 'metadataHopLimit' must be known at synth"],
    ['pool instance type', 'string', (stack, v) => new HostPool(stack, 'pool', { instanceType: v }), "test/pool: 'instanceType' must be known at synth, not a Terraform reference (the pool places its apps on hosts at synth by their sizes)"],
    ['pooled app memory', 'number', (stack, v) => new IsolatedApp(stack, 'app', { pool: new HostPool(stack, 'pool'), container: container({ memoryMiB: v }) }),
      "test/app: 'container.memoryMiB' must be known at synth"],
    ['app replicas', 'number', (stack, v) => new IsolatedApp(stack, 'app', { container: container({}), replicas: v }), "test/app: 'replicas' must be known at synth"],
    ['instanceTypeSize with a looked-up type', 'string', (stack, v) => new VmHost(stack, 'host', { instanceType: v, instanceTypeSize: { vcpus: 2, memoryMiB: 4096 } }),
      "test/host: 'instanceTypeSize' must be left out when instanceType is a Terraform reference (its size is looked up)"],
  ];
  test.each(KNOWN)('%s', (_name, type, build, message) => {
    const { stack } = awsStack();
    const v = variable(stack, 'v', type);
    expect(errorOf(() => build(stack, type === 'number' ? v.numberValue : v.stringValue)).message).toContain(message);
  });

  test('booleans that decide isolation: privileged, hostNetwork, readOnlyRootFilesystem, associatePublicIpAddress', () => {
    const { stack } = awsStack();
    // booleanValue is typed IResolvable: a user passes it to a boolean prop through a cast
    const flag = { booleanValue: new TerraformVariable(stack, 'flag', { type: 'bool' }).booleanValue as unknown as boolean };
    const host = new VmHost(stack, 'host');
    for (const prop of ['privileged', 'hostNetwork', 'readOnlyRootFilesystem'] as const) {
      expect(errorOf(() => new ContainerOnVm(stack, `c-${prop}`, { host, ...container({ name: prop.toLowerCase(), [prop]: flag.booleanValue }) })).message)
        .toContain(`'${prop}' must be known at synth, not a Terraform reference (it decides the container's isolation`);
    }
    expect(errorOf(() => new VmHost(stack, 'public', { associatePublicIpAddress: flag.booleanValue })).message)
      .toContain("'associatePublicIpAddress' must be known at synth, not a Terraform reference (it decides whether the host is reachable from the internet)");
  });

  test('a whole list from a data source as an argv is refused (its words are quoted one by one); elements may be references', () => {
    const { stack } = awsStack();
    const words = new TerraformVariable(stack, 'words', { type: 'list(string)' });
    const host = new VmHost(stack, 'host');
    expect(errorOf(() => new ContainerOnVm(stack, 'c', { host, ...container({ command: words.listValue }) })).message)
      .toContain("test/c: 'command' must be known at synth, not a Terraform reference (its words are quoted one by one at synth; its elements may be Terraform references)");
  });
});
