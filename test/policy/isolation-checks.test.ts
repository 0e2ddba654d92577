import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { runChecks } from './checks';

/** A compliant container as the rules see it. */
const containerView: ContainerView = {
  memoryMiB: 64,
  cpuShares: 512,
  user: '65532:65532',
  pidsLimit: 256,
  pidsLimitSupported: true,
  privileged: false,
  capDrop: ['ALL'],
  capAdd: [],
  securityOpts: ['no-new-privileges=true'],
  readOnlyRootFilesystem: true,
  hostNetwork: false,
  hostPid: false,
  hostIpc: false,
  hostUts: false,
  hostPaths: [],
  healthCheck: true,
  restart: 'on-failure',
  maxRestarts: 5,
  portHostIps: ['127.0.0.1'],
  rootVolumeNamedVolumes: [],
};
import { ShopOnEc2, ShopOnLocalDocker } from '../../examples/containers/main';
import { PortfolioStack } from '../../examples/portfolio/main';
import { DockerHostStack } from '../../examples/vm-host/main';
import {
  ContainerImage, ContainerOnVm, HostNetwork, IsolationChecks, IsolationReport, LocalDockerHost, NetworkEgress, VmHost,
} from '../../src';
import { ContainerView, PolicyRules } from '../../src/policy/rules';
import { IsolationError } from '../../src/private/errors';
import { awsStack, errorOf } from '../helpers/synth';

const GOOD_INSTANCE = {
  ami: 'ami-12345678',
  instanceType: 't3.small',
  iamInstanceProfile: 'profile',
  associatePublicIpAddress: false,
  metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
  rootBlockDevice: { encrypted: true },
  userData: '#cloud-config\n{}\n',
};

function instanceFindings(overrides: Record<string, unknown>): string[] {
  const { stack } = awsStack();
  new Instance(stack, 'i', { ...GOOD_INSTANCE, ...overrides } as any);
  return runChecks(stack).map((f) => f.ruleId);
}

describe('host rules on raw aws_instance resources', () => {
  test('a hardened instance is compliant', () => {
    expect(instanceFindings({})).toEqual([]);
  });
  test.each([
    ['HOST-IMDSV2', { metadataOptions: { httpTokens: 'optional' } }],
    ['HOST-IMDSV2', { metadataOptions: undefined }],
    ['HOST-HOP-LIMIT', { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 } }],
    ['HOST-EBS-ENCRYPTED', { rootBlockDevice: { encrypted: false } }],
    ['HOST-EBS-ENCRYPTED', { ebsBlockDevice: [{ deviceName: '/dev/sdf', encrypted: false }] }],
    ['HOST-NO-PUBLIC-IP', { associatePublicIpAddress: true }],
    ['HOST-INSTANCE-PROFILE', { iamInstanceProfile: undefined }],
    ['HOST-USERDATA-SECRETS', { userData: 'export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n' }],
    ['HOST-USERDATA-SECRETS', { userData: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n' }],
    ['HOST-USERDATA-SECRETS', { userData: 'db_password = "hunter22"\n' }],
    ['HOST-PROXY-HARDENED', { userData: '#cloud-config\n# /etc/cdktf-isolation/proxy/nginx.conf\nhttp { server { listen 80; } }\n' }],
  ])('%s: non-compliant %j', (rule, overrides) => {
    expect(instanceFindings(overrides)).toEqual([rule]);
  });
  test('the hop limit is accepted when the role is marked as meant for containers', () => {
    expect(instanceFindings({ metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 }, tags: { 'cdktf-isolation:instance-role-for-containers': 'true' } })).toEqual([]);
  });
  test('secrets are found in gzip-compressed user_data_base64 too', () => {
    expect(instanceFindings({ userData: undefined, userDataBase64: gzipSync(Buffer.from('password: s3cretvalue\n')).toString('base64') })).toEqual(['HOST-USERDATA-SECRETS']);
  });
});

describe('host rules on raw aws_launch_template resources', () => {
  const good = {
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
    iamInstanceProfile: { name: 'profile' },
    blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeType: 'gp3' } }],
    networkInterfaces: [{ associatePublicIpAddress: 'false' }],
    userData: Buffer.from('#cloud-config\n{}\n').toString('base64'),
  };
  const findings = (overrides: Record<string, unknown>) => {
    const { stack } = awsStack();
    new LaunchTemplate(stack, 'lt', { ...good, ...overrides } as any);
    return runChecks(stack).map((f) => f.ruleId);
  };
  test('compliant', () => expect(findings({})).toEqual([]));
  test.each([
    ['HOST-IMDSV2', { metadataOptions: { httpTokens: 'optional' } }],
    ['HOST-HOP-LIMIT', { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 3 } }],
    ['HOST-EBS-ENCRYPTED', { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'false' } }] }],
    ['HOST-NO-PUBLIC-IP', { networkInterfaces: [{ associatePublicIpAddress: 'true' }] }],
    ['HOST-INSTANCE-PROFILE', { iamInstanceProfile: undefined }],
    ['HOST-USERDATA-SECRETS', { userData: Buffer.from('token=abcdef123456\n').toString('base64') }],
  ])('%s: non-compliant', (rule, overrides) => expect(findings(overrides)).toEqual([rule]));
});

describe('HOST-ADMIN-INGRESS on every kind of security group rule', () => {
  const findings = (build: (stack: TerraformStack) => void) => {
    const { stack } = awsStack();
    build(stack);
    return runChecks(stack).map((f) => f.ruleId);
  };
  test.each([
    ['vpc rule, SSH from 0.0.0.0/0', (s: TerraformStack) => new VpcSecurityGroupIngressRule(s, 'r', { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }), ['HOST-ADMIN-INGRESS']],
    ['vpc rule, RDP from ::/0', (s: TerraformStack) => new VpcSecurityGroupIngressRule(s, 'r', { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIpv6: '::/0' }), ['HOST-ADMIN-INGRESS']],
    ['vpc rule, every protocol from 0.0.0.0/0', (s: TerraformStack) => new VpcSecurityGroupIngressRule(s, 'r', { securityGroupId: 'sg-1', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }), ['HOST-ADMIN-INGRESS']],
    ['vpc rule, HTTPS from 0.0.0.0/0 (allowed)', (s: TerraformStack) => new VpcSecurityGroupIngressRule(s, 'r', { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }), []],
    ['vpc rule, SSH from a private range (allowed)', (s: TerraformStack) => new VpcSecurityGroupIngressRule(s, 'r', { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' }), []],
    ['classic rule, a range over 22', (s: TerraformStack) => new SecurityGroupRule(s, 'r', { type: 'ingress', securityGroupId: 'sg-1', protocol: 'tcp', fromPort: 0, toPort: 1024, cidrBlocks: ['0.0.0.0/0'] }), ['HOST-ADMIN-INGRESS']],
    ['classic egress rule (ignored)', (s: TerraformStack) => new SecurityGroupRule(s, 'r', { type: 'egress', securityGroupId: 'sg-1', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }), []],
    ['inline ingress block', (s: TerraformStack) => new SecurityGroup(s, 'sg', { ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }] }), ['HOST-ADMIN-INGRESS']],
    ['inline ingress block from a security group (allowed)', (s: TerraformStack) => new SecurityGroup(s, 'sg', { ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, securityGroups: ['sg-2'] }] }), []],
  ])('%s', (_name, build, expected) => expect(findings(build)).toEqual(expected));
});

describe('container rules on raw docker_container resources', () => {
  const good = {
    name: 'c',
    image: 'img',
    memory: 128,
    cpuShares: 512,
    user: '1000:1000',
    privileged: false,
    capabilities: { drop: ['ALL'] },
    securityOpts: ['no-new-privileges=true'],
    readOnly: true,
    healthcheck: { test: ['CMD', 'true'] },
    restart: 'on-failure',
    maxRetryCount: 5,
    ports: [{ internal: 80, ip: '127.0.0.1' }],
  };
  const findings = (overrides: Record<string, unknown>) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new DockerProvider(stack, 'docker', {});
    new Container(stack, 'c', { ...good, ...overrides } as any);
    return runChecks(stack).map((f) => f.ruleId);
  };
  test('compliant: CTR-PIDS does not apply to docker_container, which has no pids limit setting', () => {
    expect(findings({})).toEqual([]);
    // The same exemption the rule reads, on the pure rules: a library spec without a limit is a finding.
    expect(PolicyRules.checkContainer({ ...containerView, pidsLimit: undefined, pidsLimitSupported: true }).map((f) => f.ruleId)).toEqual(['CTR-PIDS']);
    expect(PolicyRules.checkContainer({ ...containerView, pidsLimit: undefined, pidsLimitSupported: false })).toEqual([]);
  });
  test.each([
    ['CTR-MEMORY', { memory: undefined }],
    ['CTR-PRIVILEGED', { privileged: true }],
    ['CTR-CAPABILITIES', { capabilities: { drop: ['NET_RAW'] } }],
    ['CTR-CAPABILITIES', { capabilities: { drop: ['ALL'], add: ['ALL'] } }],
    ['CTR-NO-NEW-PRIVILEGES', { securityOpts: [] }],
    ['CTR-SECCOMP', { securityOpts: ['no-new-privileges=true', 'seccomp=unconfined'] }],
    ['CTR-READONLY-ROOTFS', { readOnly: false }],
    ['CTR-HOST-NAMESPACES', { networkMode: 'host' }],
    ['CTR-HOST-NAMESPACES', { pidMode: 'host' }],
    ['CTR-HOST-NAMESPACES', { ipcMode: 'host' }],
    ['CTR-SENSITIVE-MOUNTS', { volumes: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }] }],
    ['CTR-SENSITIVE-MOUNTS', { volumes: [{ hostPath: '/etc', containerPath: '/host-etc' }] }],
    ['CTR-SENSITIVE-MOUNTS', { volumes: [{ hostPath: '/var', containerPath: '/host-var' }] }],
    ['CTR-HEALTHCHECK', { healthcheck: undefined }],
    ['CTR-RESTART-BOUNDED', { restart: 'always' }],
    ['CTR-RESTART-BOUNDED', { restart: 'on-failure', maxRetryCount: 0 }],
    ['CTR-PORT-HOST-IP', { ports: [{ internal: 80 }] }],
    ['CTR-CPU', { cpuShares: undefined }],
    ['CTR-CPU', { cpuShares: 1024 }],
    ['CTR-CPU', { cpuShares: 0 }],
    ['CTR-ROOT-USER', { user: undefined }],
    ['CTR-ROOT-USER', { user: 'root' }],
    ['CTR-ROOT-USER', { user: '0:0' }],
  ])('%s: non-compliant %j', (rule, overrides) => expect(findings(overrides)).toEqual([rule]));
  test.each([[{ cpuShares: undefined, cpus: '0.5' }], [{ cpuShares: 256 }], [{ user: 'nobody' }], [{ user: '1000' }]])('compliant %j', (overrides) => {
    expect(findings(overrides)).toEqual([]);
  });
  test('a data volume under /srv is not sensitive', () => {
    expect(findings({ volumes: [{ hostPath: '/srv/data', containerPath: '/data' }] })).toEqual([]);
  });
});

describe('container rules on ContainerOnVm', () => {
  const image = ContainerImage.fromRegistry('nginx:1.27');
  test('root by choice is a warning (CTR-ROOT-USER), a CPU quota instead of shares is fine', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'db', { host, name: 'db', image, memoryMiB: 64, user: 'root', cpus: 0.5, healthCheck: { command: ['true'] } });
    expect(runChecks(stack).map((f) => [f.level, f.ruleId, f.message.split('. ')[0]])).toEqual([
      ['warning', 'CTR-ROOT-USER', 'test/db: [CTR-ROOT-USER] the process runs as root: user is "root"'],
    ]);
  });
  test('unsafe options with their reason are still findings, one per rule, until acknowledged', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'vpn', {
      host,
      name: 'vpn',
      image,
      memoryMiB: 64,
      privileged: true,
      hostNetwork: true,
      seccompUnconfined: true,
      readOnlyRootFilesystem: false,
      volumes: [{ source: '/dev/net', target: '/dev/net' }],
      healthCheck: { command: ['true'] },
      unsafeReason: 'manages the host network stack',
    });
    expect(runChecks(stack).map((f) => [f.path, f.level, f.ruleId])).toEqual([
      ['test/vpn', 'error', 'CTR-PRIVILEGED'],
      ['test/vpn', 'error', 'CTR-SECCOMP'],
      ['test/vpn', 'error', 'CTR-READONLY-ROOTFS'],
      ['test/vpn', 'error', 'CTR-HOST-NAMESPACES'],
      ['test/vpn', 'error', 'CTR-SENSITIVE-MOUNTS'],
    ]);
  });
});

describe('the library\'s defaults produce zero findings', () => {
  const image = ContainerImage.fromRegistry('nginx:1.27');
  test('VmHost with defaults', () => {
    const { stack } = awsStack();
    new VmHost(stack, 'host');
    expect(runChecks(stack)).toEqual([]);
  });
  test('ContainerOnVm with defaults and the one prop that has none, a health check', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 64, ports: [{ containerPort: 80 }], healthCheck: { command: ['true'] } });
    expect(runChecks(stack)).toEqual([]);
  });
  test('without a health check the only finding is the CTR-HEALTHCHECK warning', () => {
    const { stack } = awsStack();
    new ContainerOnVm(stack, 'web', { host: new VmHost(stack, 'host'), name: 'web', image, memoryMiB: 64 });
    expect(runChecks(stack).map((f) => [f.level, f.ruleId])).toEqual([['warning', 'CTR-HEALTHCHECK']]);
  });
  test('LocalDockerHost: nothing is found, and the construct acknowledges nothing on its own', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'local');
    new DockerProvider(stack, 'docker', {});
    new LocalDockerHost(stack, 'dev', { containers: [{ name: 'web', image, memoryMiB: 64, healthCheck: { command: ['true'] } }] });
    expect(runChecks(stack)).toEqual([]);
    expect(IsolationReport.of(stack).toJson().acknowledgements).toEqual([]);
  });
  test.each([NetworkEgress.NAT_GATEWAY, NetworkEgress.VPC_ENDPOINTS_ONLY, NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS])('HostNetwork with %s, and a host in it', (egress) => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress });
    const host = new VmHost(stack, 'host', { vpcId: network.vpcId, subnetId: network.hostSubnetId(0) });
    network.admitHost(host.securityGroupId, host);
    expect(runChecks(stack)).toEqual([]);
  });
  test('HostNetwork without flow logs: the NET-VPC-FLOW-LOGS warning on its VPC, which an acknowledgement accepts', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY, flowLogs: false });
    expect(runChecks(stack).map((f) => [f.path, f.level, f.ruleId])).toEqual([['test/net/Vpc', 'warning', 'NET-VPC-FLOW-LOGS']]);
    const { stack: other } = awsStack('other');
    IsolationChecks.acknowledge(new HostNetwork(other, 'net', { egress: NetworkEgress.NAT_GATEWAY, flowLogs: false }), 'NET-VPC-FLOW-LOGS', 'a sandbox torn down every night');
    expect(runChecks(other)).toEqual([]);
    expect(network.flowLog).toBeUndefined();
  });
  test.each([
    ['vm-host', () => DockerHostStack],
    ['containers (EC2)', () => ShopOnEc2],
    ['containers (local)', () => ShopOnLocalDocker],
    ['portfolio', () => PortfolioStack],
  ])('example %s', (_name, stackClass) => {
    const app = new App({ outdir: tmpdir() });
    const Klass = stackClass();
    const stack = new Klass(app, 'example');
    expect(runChecks(stack)).toEqual([]);
  });
});

describe('acknowledgements', () => {
  test('accept one rule on a construct and its children, with a reason, recorded in the report', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { associatePublicIpAddress: true });
    IsolationChecks.acknowledge(host, 'HOST-NO-PUBLIC-IP', 'a bastion that must be reachable from the office');
    expect(runChecks(stack)).toEqual([]);
    expect(IsolationReport.of(stack).toJson().acknowledgements).toEqual([
      { ruleId: 'HOST-NO-PUBLIC-IP', path: 'test/host', reason: 'a bastion that must be reachable from the office' },
    ]);
  });
  test('cover only the rule named', () => {
    const { stack } = awsStack();
    const i = new Instance(stack, 'i', { ...GOOD_INSTANCE, associatePublicIpAddress: true, iamInstanceProfile: undefined } as any);
    IsolationChecks.acknowledge(i, 'HOST-NO-PUBLIC-IP', 'a bastion that must be reachable');
    expect(runChecks(stack).map((f) => f.ruleId)).toEqual(['HOST-INSTANCE-PROFILE']);
  });
  test('need a known rule and a reason', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    const unknown = errorOf(() => IsolationChecks.acknowledge(host, 'HOST-NOPE', 'because reasons'));
    expect(unknown).toBeInstanceOf(IsolationError);
    expect(unknown.message).toMatch(/^test\/host: 'ruleId' must be the id of an IsolationChecks rule, got "HOST-NOPE". Use one of HOST-IMDSV2, /);
    expect(() => IsolationChecks.acknowledge(host, 'HOST-IMDSV2', '')).toThrow("test/host: 'reason' must say why the finding is accepted (at least 10 characters), got \"\".");
  });
});

describe('findings stop synthesis', () => {
  test('an error finding fails app.synth() with the rule id, path and explanation', () => {
    const app = new App({ outdir: tmpdir() });
    const stack = new TerraformStack(app, 'bad');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new Instance(stack, 'i', { ...GOOD_INSTANCE, associatePublicIpAddress: true } as any);
    Aspects.of(stack).add(new IsolationChecks());
    expect(() => app.synth()).toThrow(/bad\/i: \[HOST-NO-PUBLIC-IP\] the host has a public IP address: associate_public_ip_address is true\. A public address/);
  });
});

describe('RULES.md', () => {
  test('is generated from the rules and in step with them', () => {
    expect(readFileSync(join(__dirname, '..', '..', 'RULES.md'), 'utf8')).toBe(PolicyRules.markdown());
  });
  test('every rule has an id, a finding, an explanation, a level and at least one public id', () => {
    for (const r of IsolationChecks.rules()) {
      expect(r.id).toMatch(/^(HOST|CTR|LB|ASG|NET)-[A-Z0-9-]+$/);
      expect(r.explanation.length).toBeGreaterThan(40);
      expect(['error', 'warning']).toContain(r.level);
      const ids = (r.references.cisDocker ? 1 : 0) + (r.references.cisNginx ? 1 : 0) +
        (r.references.checkov?.length ?? 0) + (r.references.trivy?.length ?? 0);
      // Only the library's own rules (launch template versions, key pairs on Windows, named volumes on a host's root volume) have no public equivalent.
      expect([r.id, ids > 0]).toEqual([r.id, !['ASG-PINNED-LAUNCH-TEMPLATE', 'HOST-WINDOWS-KEY-PAIR', 'CTR-VOLUME-ON-ROOT'].includes(r.id)]);
    }
    expect(new Set(IsolationChecks.rules().map((r) => r.id)).size).toBe(IsolationChecks.rules().length);
  });
});

describe('load balancer, listener and Auto Scaling group rules on raw resources', () => {
  const findings = (build: (stack: TerraformStack) => void) => {
    const { stack } = awsStack();
    build(stack);
    return runChecks(stack).map((f) => f.ruleId);
  };
  const lb = (s: TerraformStack, drop = true) => new Lb(s, 'lb', { loadBalancerType: 'application', dropInvalidHeaderFields: drop, subnets: ['subnet-1', 'subnet-2'] });
  const forward = [{ type: 'forward', targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/1' }];
  test.each([
    ['ALB that drops invalid headers', (s: TerraformStack) => lb(s), []],
    ['ALB that passes invalid headers', (s: TerraformStack) => lb(s, false), ['LB-DROP-INVALID-HEADERS']],
    ['network load balancer (rule does not apply)', (s: TerraformStack) => new Lb(s, 'lb', { loadBalancerType: 'network', subnets: ['subnet-1'] }), []],
    ['HTTPS with a TLS 1.2+ policy', (s: TerraformStack) => new LbListener(s, 'l', { loadBalancerArn: lb(s).arn, port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x', defaultAction: forward }), []],
    ['HTTPS with an old policy', (s: TerraformStack) => new LbListener(s, 'l', { loadBalancerArn: lb(s).arn, port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-2016-08', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x', defaultAction: forward }), ['LB-TLS-POLICY']],
    ['a certificate on an HTTP listener', (s: TerraformStack) => new LbListener(s, 'l', { loadBalancerArn: lb(s).arn, port: 80, protocol: 'HTTP', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x', defaultAction: forward }), ['LB-HTTPS-WITH-CERTIFICATE']],
    ['HTTP forwarding next to HTTPS', (s: TerraformStack) => {
      const b = lb(s);
      new LbListener(s, 'https', { loadBalancerArn: b.arn, port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x', defaultAction: forward });
      new LbListener(s, 'http', { loadBalancerArn: b.arn, port: 80, protocol: 'HTTP', defaultAction: forward });
    }, ['LB-HTTP-REDIRECT']],
    ['HTTP redirecting next to HTTPS', (s: TerraformStack) => {
      const b = lb(s);
      new LbListener(s, 'https', { loadBalancerArn: b.arn, port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x', defaultAction: forward });
      new LbListener(s, 'http', { loadBalancerArn: b.arn, port: 80, protocol: 'HTTP', defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }] });
    }, []],
    ['HTTP alone (no HTTPS on that load balancer)', (s: TerraformStack) => new LbListener(s, 'http', { loadBalancerArn: lb(s).arn, port: 80, protocol: 'HTTP', defaultAction: forward }), []],
    ['group pinned to a version', (s: TerraformStack) => new AutoscalingGroup(s, 'g', { minSize: 1, maxSize: 2, launchTemplate: { id: 'lt-1', version: '3' } }), []],
    ['group on $Latest', (s: TerraformStack) => new AutoscalingGroup(s, 'g', { minSize: 1, maxSize: 2, launchTemplate: { id: 'lt-1', version: '$Latest' } }), ['ASG-PINNED-LAUNCH-TEMPLATE']],
  ])('%s', (_name, build, expected) => expect(findings(build)).toEqual(expected));
});

describe('VPC rules on raw resources: flow logs (NET-VPC-FLOW-LOGS) and the default security group (NET-DEFAULT-SG-CLOSED)', () => {
  const findings = (build: (stack: TerraformStack) => void) => {
    const { stack } = awsStack();
    build(stack);
    return runChecks(stack).map((f) => [f.path, f.level, f.ruleId]);
  };
  const vpc = (s: TerraformStack, id = 'vpc') => new Vpc(s, id, { cidrBlock: '10.0.0.0/16' });
  const flowLog = (s: TerraformStack, vpcId: string, id = 'flow') =>
    new FlowLog(s, id, { vpcId, trafficType: 'ALL', logDestination: 'arn:aws:logs:eu-west-1:123456789012:log-group:flow', iamRoleArn: 'arn:aws:iam::123456789012:role/flow' });
  test.each([
    ['a VPC alone: no flow log, and AWS\'s default security group', (s: TerraformStack) => vpc(s),
      [['test/vpc', 'warning', 'NET-VPC-FLOW-LOGS'], ['test/vpc', 'error', 'NET-DEFAULT-SG-CLOSED']]],
    ['a VPC with its flow log and its default security group emptied', (s: TerraformStack) => {
      const v = vpc(s);
      flowLog(s, v.id);
      new DefaultSecurityGroup(s, 'default', { vpcId: v.id });
    }, []],
    ['a VPC under a logical id of your own, with its flow log and default security group', (s: TerraformStack) => {
      const v = vpc(s);
      v.overrideLogicalId('main');
      flowLog(s, v.id);
      new DefaultSecurityGroup(s, 'default', { vpcId: v.id });
    }, []],
    ['a flow log of another VPC does not count', (s: TerraformStack) => {
      const v = vpc(s);
      const other = vpc(s, 'other');
      flowLog(s, other.id);
      new DefaultSecurityGroup(s, 'default', { vpcId: v.id });
      new DefaultSecurityGroup(s, 'otherDefault', { vpcId: other.id });
    }, [['test/vpc', 'warning', 'NET-VPC-FLOW-LOGS']]],
    ['a default security group that admits traffic', (s: TerraformStack) => {
      const v = vpc(s);
      flowLog(s, v.id);
      new DefaultSecurityGroup(s, 'default', { vpcId: v.id, ingress: [{ protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: true }] });
    }, [['test/default', 'error', 'NET-DEFAULT-SG-CLOSED']]],
    ['a default security group of a VPC elsewhere that lets everything out', (s: TerraformStack) => {
      new DefaultSecurityGroup(s, 'default', { vpcId: 'vpc-0123456789abcdef0', egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }] });
    }, [['test/default', 'error', 'NET-DEFAULT-SG-CLOSED']]],
  ])('%s', (_name, build, expected) => expect(findings(build)).toEqual(expected));

  test('the messages say what is missing', () => {
    const { stack } = awsStack();
    vpc(stack);
    new DefaultSecurityGroup(stack, 'default', {
      vpcId: 'vpc-0123456789abcdef0',
      ingress: [{ protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: true }],
      egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
    });
    expect(runChecks(stack).map((f) => f.message)).toEqual([
      'test/vpc: [NET-VPC-FLOW-LOGS] the VPC has no flow logs: no aws_flow_log in the stack names this VPC. Without VPC flow logs there is no record of what crossed ' +
      'the network, for an investigation or to find a host that talks where it should not. Add an aws_flow_log of the VPC (HostNetwork sends all traffic to CloudWatch Logs by default).',
      'test/vpc: [NET-DEFAULT-SG-CLOSED] the VPC\'s default security group allows traffic: no aws_default_security_group in the stack empties it, so it keeps the rules AWS ' +
      'gives it. AWS creates every VPC\'s default security group admitting all traffic from its own members and allowing all outbound traffic, and anything launched without ' +
      'a security group lands in it. Manage it with an aws_default_security_group without ingress or egress rules (HostNetwork does), and give resources groups of their own.',
      'test/default: [NET-DEFAULT-SG-CLOSED] the VPC\'s default security group allows traffic: it has 1 ingress and 1 egress rules. AWS creates every VPC\'s default ' +
      'security group admitting all traffic from its own members and allowing all outbound traffic, and anything launched without a security group lands in it. ' +
      'Manage it with an aws_default_security_group without ingress or egress rules (HostNetwork does), and give resources groups of their own.',
    ]);
  });

  test('the pure rules: one finding per rule, none when the VPC has both', () => {
    expect(PolicyRules.checkVpc({ hasFlowLog: true, managesDefaultSecurityGroup: true })).toEqual([]);
    expect(PolicyRules.checkVpc({ hasFlowLog: false, managesDefaultSecurityGroup: true }).map((f) => f.ruleId)).toEqual(['NET-VPC-FLOW-LOGS']);
    expect(PolicyRules.checkDefaultSecurityGroup({ ingressRules: 0, egressRules: 0 })).toEqual([]);
    expect(PolicyRules.checkDefaultSecurityGroup({ ingressRules: 2, egressRules: 0 }).map((f) => f.message.split('. ')[0]))
      .toEqual(['[NET-DEFAULT-SG-CLOSED] the VPC\'s default security group allows traffic: it has 2 ingress rules']);
    expect(PolicyRules.checkDefaultSecurityGroup({ ingressRules: 0, egressRules: 1 }).map((f) => f.message.split('. ')[0]))
      .toEqual(['[NET-DEFAULT-SG-CLOSED] the VPC\'s default security group allows traffic: it has 1 egress rule']);
  });
});
