import { createHash } from 'node:crypto';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import {
  AppScope, Architecture, ContainerImage, ContainerOnVm, ContainerOptions, HostPool, IsolatedApp, IsolationChecks, Isolation, KernelNeed,
  LocalDockerHost, MachineImage, OperatingSystem, Protocol, RestartPolicy, Tenancy, VmHost,
} from '../../src';

/** The type of mistake. */
export type Kind = 'out of range' | 'malformed' | 'contradictory' | 'impossible placement' | 'oversize';

/** One invalid input and what its error must name. */
export interface InvalidCase {
  readonly name: string;
  readonly kind: Kind;
  /** Builds the invalid input in a stack whose path is `s`. */
  readonly build: (stack: TerraformStack) => void;
  /** The construct path (or model name) the message must start with. */
  readonly path: string;
  /** The prop the message must name. */
  readonly prop: string;
  /** The value as the message shows it. */
  readonly value: string;
}

const img = ContainerImage.fromRegistry('nginx:1.27');
const c = (o: Partial<ContainerOptions> = {}): ContainerOptions => ({ name: 'web', image: img, memoryMiB: 128, ...o });
const host = (s: TerraformStack, props = {}) => new VmHost(s, 'host', props);
const onHost = (o: Partial<ContainerOptions> & Record<string, unknown>) => (s: TerraformStack) => new ContainerOnVm(s, 'web', { host: host(s), ...c(o) } as any);
const noise = (n: number) => {
  let out = '';
  for (let i = 0; out.length < n; i++) out += createHash('sha256').update(String(i)).digest('base64');
  return out.slice(0, n);
};

export const CASES: InvalidCase[] = [
  // VmHost
  { name: 'empty instance type', kind: 'malformed', build: (s) => host(s, { instanceType: '' }), path: 's/host', prop: 'instanceType', value: '""' },
  { name: 'instance type without size', kind: 'malformed', build: (s) => host(s, { instanceType: 't3' }), path: 's/host', prop: 'instanceType', value: '"t3"' },
  { name: 'upper-case instance type', kind: 'malformed', build: (s) => host(s, { instanceType: 'T3.SMALL' }), path: 's/host', prop: 'instanceType', value: '"T3.SMALL"' },
  { name: 'arm64 image on x86 type', kind: 'contradictory', build: (s) => host(s, { instanceType: 'm6i.large', machineImage: MachineImage.ubuntu2404({ architecture: Architecture.ARM64 }) }), path: 's/host', prop: 'machineImage', value: '"Ubuntu 24.04 LTS arm64"' },
  { name: 'x86 AMI on Graviton', kind: 'contradictory', build: (s) => host(s, { instanceType: 'c7g.large', machineImage: MachineImage.fromAmiId('ami-12345678', 'debian-12' as any, Architecture.X86_64) }), path: 's/host', prop: 'machineImage', value: '"Debian 12 (bookworm) x86_64"' },
  { name: 'ingress port 0', kind: 'out of range', build: (s) => host(s, { ingress: [{ port: 0, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.port', value: '0' },
  { name: 'ingress port 65536', kind: 'out of range', build: (s) => host(s, { ingress: [{ port: 65536, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.port', value: '65536' },
  { name: 'ingress port not an integer', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 80.5, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.port', value: '80.5' },
  { name: 'ingress CIDR with a bad octet', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 443, cidr: '10.0.0.256/24' }] }), path: 's/host', prop: 'ingress.cidr', value: '"10.0.0.256/24"' },
  { name: 'ingress CIDR prefix 33', kind: 'out of range', build: (s) => host(s, { ingress: [{ port: 443, cidr: '10.0.0.0/33' }] }), path: 's/host', prop: 'ingress.cidr', value: '"10.0.0.0/33"' },
  { name: 'ingress IPv6 CIDR malformed', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 443, cidr: '2001:db8:::/48' }] }), path: 's/host', prop: 'ingress.cidr', value: '"2001:db8:::/48"' },
  { name: 'SSH from the world', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 22, cidr: '0.0.0.0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0.0.0.0/0"' },
  { name: 'RDP from the IPv6 world', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 3389, cidr: '::/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"::/0"' },
  { name: 'ingress with two sources', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 443, cidr: '10.0.0.0/8', sourceSecurityGroupId: 'sg-1' }] }), path: 's/host', prop: 'ingress', value: '{"cidr":"10.0.0.0/8","sourceSecurityGroupId":"sg-1"}' },
  { name: 'ingress range reversed', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 9000, toPort: 10, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.toPort', value: '10' },
  { name: 'root volume 4 GiB', kind: 'out of range', build: (s) => host(s, { rootVolumeSizeGiB: 4 }), path: 's/host', prop: 'rootVolumeSizeGiB', value: '4' },
  { name: 'root volume 20 TiB', kind: 'out of range', build: (s) => host(s, { rootVolumeSizeGiB: 20480 }), path: 's/host', prop: 'rootVolumeSizeGiB', value: '20480' },
  { name: 'hop limit 0', kind: 'out of range', build: (s) => host(s, { metadataHopLimit: 0 }), path: 's/host', prop: 'metadataHopLimit', value: '0' },
  { name: 'hop limit 100', kind: 'out of range', build: (s) => host(s, { metadataHopLimit: 100 }), path: 's/host', prop: 'metadataHopLimit', value: '100' },
  { name: 'subnet id malformed', kind: 'malformed', build: (s) => host(s, { subnetId: 'subnet_123' }), path: 's/host', prop: 'subnetId', value: '"subnet_123"' },
  { name: 'daemon log files 0', kind: 'out of range', build: (s) => host(s, { dockerDaemon: { logMaxFiles: 0 } }), path: 's/host', prop: 'dockerDaemon.logMaxFiles', value: '0' },
  { name: 'user data too large even gzipped', kind: 'oversize', build: (s) => host(s).cloudConfig.addFile({ path: '/etc/noise', content: noise(60000) }), path: 's/host', prop: 'userData', value: 'bytes of cloud-config"' },
  { name: 'role policy without actions', kind: 'malformed', build: (s) => host(s).addToRolePolicy({ actions: [], resources: ['*'] }), path: 's/host', prop: 'statement.actions', value: '[]' },
  // MachineImage / ContainerImage
  { name: 'AMI id too short', kind: 'malformed', build: () => MachineImage.fromAmiId('ami-123', 'debian-12' as any, Architecture.X86_64), path: 'MachineImage.fromAmiId', prop: 'amiId', value: '"ami-123"' },
  { name: 'AMI of an unknown family', kind: 'malformed', build: () => MachineImage.fromAmiId('ami-12345678', 'windows' as any, Architecture.X86_64), path: 'MachineImage.fromAmiId', prop: 'osFamily', value: '"windows"' },
  { name: 'image without tag', kind: 'malformed', build: () => ContainerImage.fromRegistry('redis'), path: 'ContainerImage.fromRegistry', prop: 'reference', value: '"redis"' },
  { name: 'image with upper case', kind: 'malformed', build: () => ContainerImage.fromRegistry('Redis:7'), path: 'ContainerImage.fromRegistry', prop: 'reference', value: '"Redis:7"' },
  { name: 'image digest too short', kind: 'malformed', build: () => ContainerImage.fromRegistry('redis@sha256:abc'), path: 'ContainerImage.fromRegistry', prop: 'reference', value: '"redis@sha256:abc"' },
  { name: 'ECR URL of another registry', kind: 'malformed', build: () => ContainerImage.fromEcr('ghcr.io/acme/api', '1'), path: 'ContainerImage.fromEcr', prop: 'repositoryUrl', value: '"ghcr.io/acme/api"' },
  { name: 'ECR tag with a space', kind: 'malformed', build: () => ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', 'v 1'), path: 'ContainerImage.fromEcr', prop: 'tag', value: '"v 1"' },
  // ContainerOnVm
  { name: 'memory 5 MiB', kind: 'out of range', build: onHost({ memoryMiB: 5 }), path: 's/web', prop: 'memoryMiB', value: '5' },
  { name: 'memory negative', kind: 'out of range', build: onHost({ memoryMiB: -64 }), path: 's/web', prop: 'memoryMiB', value: '-64' },
  { name: 'cpus 0', kind: 'out of range', build: onHost({ cpus: 0 }), path: 's/web', prop: 'cpus', value: '0' },
  { name: 'pids limit 1', kind: 'out of range', build: onHost({ pidsLimit: 1 }), path: 's/web', prop: 'pidsLimit', value: '1' },
  { name: 'container port 0', kind: 'out of range', build: onHost({ ports: [{ containerPort: 0 }] }), path: 's/web', prop: 'ports[0].containerPort', value: '0' },
  { name: 'host port 99999', kind: 'out of range', build: onHost({ ports: [{ containerPort: 80, hostPort: 99999 }] }), path: 's/web', prop: 'ports[0].hostPort', value: '99999' },
  { name: 'one port twice', kind: 'contradictory', build: onHost({ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 8080 }] }), path: 's/web', prop: 'ports[1].hostPort', value: '8080' },
  { name: 'host IP a name', kind: 'malformed', build: onHost({ ports: [{ containerPort: 80, hostIp: 'localhost' }] }), path: 's/web', prop: 'ports[0].hostIp', value: '"localhost"' },
  { name: 'env name with a dot', kind: 'malformed', build: onHost({ environment: { 'app.mode': 'x' } }), path: 's/web', prop: 'environment.app.mode', value: '"app.mode"' },
  { name: 'secret and plain under one name', kind: 'contradictory', build: onHost({ environment: { TOKEN: 'x' }, secretEnvironment: { TOKEN: '/t' } }), path: 's/web', prop: 'environment.TOKEN', value: '"TOKEN"' },
  { name: 'secret not a parameter', kind: 'malformed', build: onHost({ secretEnvironment: { TOKEN: 'not a parameter!' } }), path: 's/web', prop: 'secretEnvironment.TOKEN', value: '"not a parameter!"' },
  { name: 'mount of /proc', kind: 'contradictory', build: onHost({ volumes: [{ source: '/proc', target: '/host-proc' }] }), path: 's/web', prop: 'volumes[0].source', value: '"/proc"' },
  { name: 'docker socket mount', kind: 'contradictory', build: onHost({ volumes: [{ source: '/run/docker.sock', target: '/var/run/docker.sock' }] }), path: 's/web', prop: 'volumes[0].source', value: '"/run/docker.sock"' },
  { name: 'privileged without reason', kind: 'contradictory', build: onHost({ privileged: true }), path: 's/web', prop: 'privileged', value: 'true' },
  { name: 'host PID without reason', kind: 'contradictory', build: onHost({ hostPid: true }), path: 's/web', prop: 'hostPid', value: 'true' },
  { name: 'seccomp unconfined without reason', kind: 'contradictory', build: onHost({ seccompUnconfined: true }), path: 's/web', prop: 'seccompUnconfined', value: 'true' },
  { name: 'maxRestarts with never', kind: 'contradictory', build: onHost({ restartPolicy: RestartPolicy.NEVER, maxRestarts: 2 }), path: 's/web', prop: 'maxRestarts', value: '2' },
  { name: 'maxRestarts 1000', kind: 'out of range', build: onHost({ maxRestarts: 1000 }), path: 's/web', prop: 'maxRestarts', value: '1000' },
  { name: 'health timeout 0', kind: 'out of range', build: onHost({ healthCheck: { command: ['true'], timeoutSeconds: 0 } }), path: 's/web', prop: 'healthCheck.timeoutSeconds', value: '0' },
  { name: 'tmpfs relative', kind: 'malformed', build: onHost({ tmpfs: [{ target: 'cache' }] }), path: 's/web', prop: 'tmpfs[0].target', value: '"cache"' },
  { name: 'stop timeout 0', kind: 'out of range', build: onHost({ stopTimeoutSeconds: 0 }), path: 's/web', prop: 'stopTimeoutSeconds', value: '0' },
  { name: 'ingress for an unpublished port', kind: 'contradictory', build: onHost({ ports: [{ containerPort: 80, hostIp: '0.0.0.0' }], ingress: [{ hostPort: 81, cidr: '10.0.0.0/8' }] }), path: 's/web', prop: 'ingress[0].hostPort', value: '81' },
  { name: 'duplicate container name on a host', kind: 'impossible placement', build: (s) => { const h = host(s); new ContainerOnVm(s, 'a', { host: h, ...c() }); new ContainerOnVm(s, 'web', { host: h, ...c() }); }, path: 's/web', prop: 'name', value: '"web"' },
  { name: 'port clash between containers', kind: 'impossible placement', build: (s) => { const h = host(s); new ContainerOnVm(s, 'a', { host: h, ...c({ name: 'a', ports: [{ containerPort: 80, hostPort: 8080 }] }) }); new ContainerOnVm(s, 'web', { host: h, ...c({ ports: [{ containerPort: 80, hostPort: 8080 }] }) }); }, path: 's/web', prop: 'ports.hostPort', value: '127.0.0.1:8080' },
  { name: 'containers beyond host memory', kind: 'impossible placement', build: (s) => { const h = host(s, { instanceType: 't3.nano' }); new ContainerOnVm(s, 'web', { host: h, ...c({ memoryMiB: 200 }) }); }, path: 's/host', prop: 'instanceType', value: '600 MiB needed' },
  { name: 'container CPUs beyond host', kind: 'impossible placement', build: (s) => new ContainerOnVm(s, 'web', { host: host(s, { instanceType: 't3.micro' }), ...c({ cpus: 3 }) }), path: 's/web', prop: 'cpus', value: '3' },
  { name: 'container on a host without Docker', kind: 'contradictory', build: (s) => new ContainerOnVm(s, 'web', { host: host(s, { installDocker: false }), ...c() }), path: 's/web', prop: 'host', value: '"s/host"' },
  // LocalDockerHost
  { name: 'local secret without a value', kind: 'contradictory', build: (s) => { new DockerProvider(s, 'docker', {}); new LocalDockerHost(s, 'dev').addContainer(c({ secretEnvironment: { TOKEN: '/t' } })); }, path: 's/dev/web', prop: 'secretEnvironment.TOKEN', value: '"TOKEN"' },
  // HostPool / IsolatedApp / advisor
  { name: 'pool type not in the catalog', kind: 'malformed', build: (s) => new HostPool(s, 'pool', { instanceType: 'x2iedn.32xlarge' }), path: 's/pool', prop: 'instanceType', value: '"x2iedn.32xlarge"' },
  { name: 'pool maxHosts 0', kind: 'out of range', build: (s) => new HostPool(s, 'pool', { maxHosts: 0 }), path: 's/pool', prop: 'maxHosts', value: '0' },
  { name: 'app larger than any pool host', kind: 'impossible placement', build: (s) => new IsolatedApp(s, 'big', { pool: new HostPool(s, 'pool', { instanceType: 't3.micro' }), container: c({ name: 'big', memoryMiB: 2048 }) }), path: 's/pool', prop: 'pool', value: '"1024 MiB, 2 vCPU per host"' },
  { name: 'apps beyond maxHosts', kind: 'impossible placement', build: (s) => { const pool = new HostPool(s, 'pool', { instanceType: 't3.small', maxHosts: 1 }); for (const n of ['a', 'b']) new IsolatedApp(s, n, { pool, container: c({ name: n, memoryMiB: 1200 }) }); }, path: 's/pool', prop: 'maxHosts', value: '1' },
  { name: 'Windows app', kind: 'impossible placement', build: (s) => new IsolatedApp(s, 'win', { requirements: { operatingSystem: OperatingSystem.WINDOWS }, native: {} }), path: 's/win', prop: 'requirements.operatingSystem', value: '"windows"' },
  { name: 'container app without a pool', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'web', { container: c() }), path: 's/web', prop: 'pool', value: 'undefined' },
  { name: 'own-kernel app with only a container', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'k', { requirements: { kernel: KernelNeed.OWN }, container: c({ name: 'k' }) }), path: 's/k', prop: 'container', value: '"k"' },
  { name: 'whole system without native setup', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'erp', { requirements: { scope: AppScope.SYSTEM } }), path: 's/erp', prop: 'native', value: 'undefined' },
  { name: 'override without reason', kind: 'malformed', build: (s) => new IsolatedApp(s, 'web', { pool: new HostPool(s, 'pool'), container: c(), override: { isolation: Isolation.VM, reason: 'no' } }), path: 's/web', prop: 'override.reason', value: '"no"' },
  { name: 'requirements above the container limit', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'web', { pool: new HostPool(s, 'pool'), container: c({ memoryMiB: 128 }), requirements: { memoryMiB: 4096 } }), path: 's/web', prop: 'requirements.memoryMiB', value: '4096' },
  { name: 'tenancy unknown', kind: 'malformed', build: (s) => new IsolatedApp(s, 'web', { requirements: { tenancy: 'shared' as Tenancy } }), path: 's/web', prop: 'requirements.tenancy', value: '"shared"' },
  { name: 'startup budget negative', kind: 'out of range', build: (s) => new IsolatedApp(s, 'web', { requirements: { maxStartupSeconds: -5 } }), path: 's/web', prop: 'requirements.maxStartupSeconds', value: '-5' },
  { name: 'native package with a space', kind: 'malformed', build: (s) => new IsolatedApp(s, 'erp', { requirements: { scope: AppScope.SYSTEM }, native: { packages: ['cron job'] } }), path: 's/erp', prop: 'native.packages', value: '"cron job"' },
  // IsolationChecks
  { name: 'acknowledge an unknown rule', kind: 'malformed', build: (s) => IsolationChecks.acknowledge(host(s), 'NOPE', 'because of reasons'), path: 's/host', prop: 'ruleId', value: '"NOPE"' },
  { name: 'acknowledge without a reason', kind: 'malformed', build: (s) => IsolationChecks.acknowledge(host(s), 'HOST-IMDSV2', ' '), path: 's/host', prop: 'reason', value: '" "' },
  { name: 'a world-open TCP range that covers RDP', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 3000, toPort: 4000, protocol: Protocol.TCP, cidr: '0.0.0.0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0.0.0.0/0"' },
];
