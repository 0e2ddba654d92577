import { createHash } from 'node:crypto';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import {
  AppScope, Architecture, ContainerImage, ContainerOnVm, ContainerOptions, HostPool, IsolatedApp, IsolationChecks, Isolation, KernelNeed,
  HostFleet, HostNetwork, HostNetworkProps, HostSecurityGroup, LocalDockerHost, MachineImage, NetworkEgress, OperatingSystem, Protocol,
  RestartPolicy, Tenancy, VmHost,
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
  /** The value as the message shows it, exactly. */
  readonly value: string;
  /** The problem the message states, exactly. */
  readonly problem: string;
}

const img = ContainerImage.fromRegistry('nginx:1.27');
const c = (o: Partial<ContainerOptions> = {}): ContainerOptions => ({ name: 'web', image: img, memoryMiB: 128, ...o });
const host = (s: TerraformStack, props = {}) => new VmHost(s, 'host', props);
const onHost = (o: Partial<ContainerOptions> & Record<string, unknown>) => (s: TerraformStack) => new ContainerOnVm(s, 'web', { host: host(s), ...c(o) } as any);
const net = (o: Partial<HostNetworkProps> & Record<string, unknown> = {}) => (s: TerraformStack) => new HostNetwork(s, 'net', { egress: NetworkEgress.NAT_GATEWAY, ...o } as HostNetworkProps);
const existing = (o: Record<string, unknown>) => (s: TerraformStack) => HostNetwork.fromExisting(s, 'net', {
  vpcId: 'vpc-0123456789abcdef0', hostSubnetIds: ['subnet-0123456789abcdef0'], egress: NetworkEgress.NAT_GATEWAY, ...o,
} as any);
const noise = (n: number) => {
  let out = '';
  for (let i = 0; out.length < n; i++) out += createHash('sha256').update(String(i)).digest('base64');
  return out.slice(0, n);
};

const strVar = (s: TerraformStack) => new TerraformVariable(s, 'v', { type: 'string' }).stringValue;
const numVar = (s: TerraformStack) => new TerraformVariable(s, 'v', { type: 'number' }).numberValue;
// booleanValue is typed IResolvable: a user passes it to a boolean prop through a cast
const boolVar = (s: TerraformStack) => new TerraformVariable(s, 'v', { type: 'bool' }).booleanValue as unknown as boolean;
const listVar = (s: TerraformStack) => new TerraformVariable(s, 'v', { type: 'list(string)' }).listValue;
/** How an error shows a token: what it is, not its placeholder. */
const STR_TOKEN = 'a Terraform reference';
const LIST_TOKEN = STR_TOKEN;
const NUM_TOKEN = STR_TOKEN;
const ANY_TOKEN = STR_TOKEN;

export const CASES: InvalidCase[] = [
  // VmHost
  { name: 'empty instance type', kind: 'malformed', build: (s) => host(s, { instanceType: '' }), path: 's/host', prop: 'instanceType', value: '""', problem: 'must be an EC2 instance type of the form \'<family>.<size>\'' },
  { name: 'instance type without size', kind: 'malformed', build: (s) => host(s, { instanceType: 't3' }), path: 's/host', prop: 'instanceType', value: '"t3"', problem: 'must be an EC2 instance type of the form \'<family>.<size>\'' },
  { name: 'upper-case instance type', kind: 'malformed', build: (s) => host(s, { instanceType: 'T3.SMALL' }), path: 's/host', prop: 'instanceType', value: '"T3.SMALL"', problem: 'must be an EC2 instance type of the form \'<family>.<size>\'' },
  { name: 'arm64 image on x86 type', kind: 'contradictory', build: (s) => host(s, { instanceType: 'm6i.large', machineImage: MachineImage.ubuntu2404({ architecture: Architecture.ARM64 }) }), path: 's/host', prop: 'machineImage', value: '"Ubuntu 24.04 LTS arm64"', problem: 'has architecture arm64, which instance type \'m6i.large\' (x86_64) cannot boot' },
  { name: 'x86 AMI on Graviton', kind: 'contradictory', build: (s) => host(s, { instanceType: 'c7g.large', machineImage: MachineImage.fromAmiId('ami-12345678', 'debian-12' as any, Architecture.X86_64) }), path: 's/host', prop: 'machineImage', value: '"Debian 12 (bookworm) x86_64"', problem: 'has architecture x86_64, which instance type \'c7g.large\' (arm64) cannot boot' },
  { name: 'ingress port 0', kind: 'out of range', build: (s) => host(s, { ingress: [{ port: 0, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.port', value: '0', problem: 'must be an integer from 1 to 65535' },
  { name: 'ingress port 65536', kind: 'out of range', build: (s) => host(s, { ingress: [{ port: 65536, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.port', value: '65536', problem: 'must be an integer from 1 to 65535' },
  { name: 'ingress port not an integer', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 80.5, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.port', value: '80.5', problem: 'must be an integer from 1 to 65535' },
  { name: 'ingress CIDR with a bad octet', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 443, cidr: '10.0.0.256/24' }] }), path: 's/host', prop: 'ingress.cidr', value: '"10.0.0.256/24"', problem: 'must be an IPv4 or IPv6 CIDR block' },
  { name: 'ingress CIDR prefix 33', kind: 'out of range', build: (s) => host(s, { ingress: [{ port: 443, cidr: '10.0.0.0/33' }] }), path: 's/host', prop: 'ingress.cidr', value: '"10.0.0.0/33"', problem: 'must be an IPv4 or IPv6 CIDR block' },
  { name: 'ingress IPv6 CIDR malformed', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 443, cidr: '2001:db8:::/48' }] }), path: 's/host', prop: 'ingress.cidr', value: '"2001:db8:::/48"', problem: 'must be an IPv4 or IPv6 CIDR block' },
  { name: 'SSH from the world', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 22, cidr: '0.0.0.0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0.0.0.0/0"', problem: 'must not open SSH (port 22) to the whole internet' },
  { name: 'RDP from the IPv6 world', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 3389, cidr: '::/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"::/0"', problem: 'must not open RDP (port 3389) to the whole internet' },
  { name: 'ingress with two sources', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 443, cidr: '10.0.0.0/8', sourceSecurityGroupId: 'sg-1' }] }), path: 's/host', prop: 'ingress', value: '{"cidr":"10.0.0.0/8","sourceSecurityGroupId":"sg-1"}', problem: 'must name exactly one source (cidr or sourceSecurityGroupId)' },
  { name: 'ingress range reversed', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 9000, toPort: 10, cidr: '10.0.0.0/8' }] }), path: 's/host', prop: 'ingress.toPort', value: '10', problem: 'must not be below port 9000' },
  { name: 'root volume 4 GiB', kind: 'out of range', build: (s) => host(s, { rootVolumeSizeGiB: 4 }), path: 's/host', prop: 'rootVolumeSizeGiB', value: '4', problem: 'must be an integer from 8 to 16384' },
  { name: 'root volume 20 TiB', kind: 'out of range', build: (s) => host(s, { rootVolumeSizeGiB: 20480 }), path: 's/host', prop: 'rootVolumeSizeGiB', value: '20480', problem: 'must be an integer from 8 to 16384' },
  { name: 'hop limit 0', kind: 'out of range', build: (s) => host(s, { metadataHopLimit: 0 }), path: 's/host', prop: 'metadataHopLimit', value: '0', problem: 'must be an integer from 1 to 64' },
  { name: 'hop limit 100', kind: 'out of range', build: (s) => host(s, { metadataHopLimit: 100 }), path: 's/host', prop: 'metadataHopLimit', value: '100', problem: 'must be an integer from 1 to 64' },
  { name: 'subnet id malformed', kind: 'malformed', build: (s) => host(s, { subnetId: 'subnet_123' }), path: 's/host', prop: 'subnetId', value: '"subnet_123"', problem: 'must be a subnet id (\'subnet-\' and hex digits)' },
  { name: 'daemon log files 0', kind: 'out of range', build: (s) => host(s, { dockerDaemon: { logMaxFiles: 0 } }), path: 's/host', prop: 'dockerDaemon.logMaxFiles', value: '0', problem: 'must be an integer from 1 to 100' },
  { name: 'user data too large even gzipped', kind: 'oversize', build: (s) => host(s).cloudConfig.addFile({ path: '/etc/noise', content: noise(60000) }), path: 's/host', prop: 'userData', value: '"61182 bytes of cloud-config"', problem: 'must fit EC2\'s 16384-byte limit even gzip-compressed (46207 bytes compressed)' },
  { name: 'role policy without actions', kind: 'malformed', build: (s) => host(s).addToRolePolicy({ actions: [], resources: ['*'] }), path: 's/host', prop: 'statement.actions', value: '[]', problem: 'must be a non-empty list of IAM actions like \'service:Action\'' },
  // MachineImage / ContainerImage
  { name: 'AMI id too short', kind: 'malformed', build: () => MachineImage.fromAmiId('ami-123', 'debian-12' as any, Architecture.X86_64), path: 'MachineImage.fromAmiId', prop: 'amiId', value: '"ami-123"', problem: 'must be an AMI id (\'ami-\' and 8 or 17 hex digits)' },
  { name: 'AMI of an unknown family', kind: 'malformed', build: () => MachineImage.fromAmiId('ami-12345678', 'windows' as any, Architecture.X86_64), path: 'MachineImage.fromAmiId', prop: 'osFamily', value: '"windows"', problem: 'must be one of amazon-linux-2023, ubuntu-24.04, debian-12' },
  { name: 'image without tag', kind: 'malformed', build: () => ContainerImage.fromRegistry('redis'), path: 'ContainerImage.fromRegistry', prop: 'reference', value: '"redis"', problem: 'must name a tag or a digest' },
  { name: 'image with upper case', kind: 'malformed', build: () => ContainerImage.fromRegistry('Redis:7'), path: 'ContainerImage.fromRegistry', prop: 'reference', value: '"Redis:7"', problem: 'must be an image reference' },
  { name: 'image digest too short', kind: 'malformed', build: () => ContainerImage.fromRegistry('redis@sha256:abc'), path: 'ContainerImage.fromRegistry', prop: 'reference', value: '"redis@sha256:abc"', problem: 'must be an image reference' },
  { name: 'ECR URL of another registry', kind: 'malformed', build: () => ContainerImage.fromEcr('ghcr.io/acme/api', '1'), path: 'ContainerImage.fromEcr', prop: 'repositoryUrl', value: '"ghcr.io/acme/api"', problem: 'must be an ECR repository URL \'<account>.dkr.ecr.<region>.amazonaws.com/<name>\'' },
  { name: 'ECR tag with a space', kind: 'malformed', build: () => ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', 'v 1'), path: 'ContainerImage.fromEcr', prop: 'tag', value: '"v 1"', problem: 'must be an image tag or a digest sha256:<hex>' },
  // ContainerOnVm
  { name: 'memory 5 MiB', kind: 'out of range', build: onHost({ memoryMiB: 5 }), path: 's/web', prop: 'memoryMiB', value: '5', problem: 'must be an integer from 6 to 4194304' },
  { name: 'memory negative', kind: 'out of range', build: onHost({ memoryMiB: -64 }), path: 's/web', prop: 'memoryMiB', value: '-64', problem: 'must be an integer from 6 to 4194304' },
  { name: 'cpus 0', kind: 'out of range', build: onHost({ cpus: 0 }), path: 's/web', prop: 'cpus', value: '0', problem: 'must be a number from 0.01 to 1024' },
  { name: 'pids limit 1', kind: 'out of range', build: onHost({ pidsLimit: 1 }), path: 's/web', prop: 'pidsLimit', value: '1', problem: 'must be an integer from 8 to 4194304' },
  { name: 'container port 0', kind: 'out of range', build: onHost({ ports: [{ containerPort: 0 }] }), path: 's/web', prop: 'ports[0].containerPort', value: '0', problem: 'must be an integer from 1 to 65535' },
  { name: 'host port 99999', kind: 'out of range', build: onHost({ ports: [{ containerPort: 80, hostPort: 99999 }] }), path: 's/web', prop: 'ports[0].hostPort', value: '99999', problem: 'must be an integer from 1 to 65535' },
  { name: 'one port twice', kind: 'contradictory', build: onHost({ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 8080 }] }), path: 's/web', prop: 'ports[1].hostPort', value: '8080', problem: 'must not publish tcp port 8080 twice (also ports[0])' },
  { name: 'host IP a name', kind: 'malformed', build: onHost({ ports: [{ containerPort: 80, hostIp: 'localhost' }] }), path: 's/web', prop: 'ports[0].hostIp', value: '"localhost"', problem: 'must be an IPv4 or IPv6 address' },
  { name: 'env name with a dot', kind: 'malformed', build: onHost({ environment: { 'app.mode': 'x' } }), path: 's/web', prop: 'environment.app.mode', value: '"app.mode"', problem: 'must be named with a valid environment variable name (letters, digits, _; not starting with a digit)' },
  { name: 'secret and plain under one name', kind: 'contradictory', build: onHost({ environment: { TOKEN: 'x' }, secretEnvironment: { TOKEN: '/t' } }), path: 's/web', prop: 'environment.TOKEN', value: '"TOKEN"', problem: 'must not also be a secret (secretEnvironment)' },
  { name: 'secret not a parameter', kind: 'malformed', build: onHost({ secretEnvironment: { TOKEN: 'not a parameter!' } }), path: 's/web', prop: 'secretEnvironment.TOKEN', value: '"not a parameter!"', problem: 'must be an SSM parameter name or ARN' },
  { name: 'mount of /proc', kind: 'contradictory', build: onHost({ volumes: [{ source: '/proc', target: '/host-proc' }] }), path: 's/web', prop: 'volumes[0].source', value: '"/proc"', problem: 'needs \'unsafeReason\': it gives up part of the container\'s isolation (volumes[0].source)' },
  { name: 'docker socket mount', kind: 'contradictory', build: onHost({ volumes: [{ source: '/run/docker.sock', target: '/var/run/docker.sock' }] }), path: 's/web', prop: 'volumes[0].source', value: '"/run/docker.sock"', problem: 'needs \'unsafeReason\': it gives up part of the container\'s isolation (volumes[0].source)' },
  { name: 'privileged without reason', kind: 'contradictory', build: onHost({ privileged: true }), path: 's/web', prop: 'privileged', value: 'true', problem: 'needs \'unsafeReason\': it gives up part of the container\'s isolation (privileged)' },
  { name: 'host PID without reason', kind: 'contradictory', build: onHost({ hostPid: true }), path: 's/web', prop: 'hostPid', value: 'true', problem: 'needs \'unsafeReason\': it gives up part of the container\'s isolation (hostPid)' },
  { name: 'seccomp unconfined without reason', kind: 'contradictory', build: onHost({ seccompUnconfined: true }), path: 's/web', prop: 'seccompUnconfined', value: 'true', problem: 'needs \'unsafeReason\': it gives up part of the container\'s isolation (seccompUnconfined)' },
  { name: 'maxRestarts with never', kind: 'contradictory', build: onHost({ restartPolicy: RestartPolicy.NEVER, maxRestarts: 2 }), path: 's/web', prop: 'maxRestarts', value: '2', problem: 'only applies to RestartPolicy.ON_FAILURE, not \'no\'' },
  { name: 'maxRestarts 1000', kind: 'out of range', build: onHost({ maxRestarts: 1000 }), path: 's/web', prop: 'maxRestarts', value: '1000', problem: 'must be an integer from 1 to 100' },
  { name: 'health timeout 0', kind: 'out of range', build: onHost({ healthCheck: { command: ['true'], timeoutSeconds: 0 } }), path: 's/web', prop: 'healthCheck.timeoutSeconds', value: '0', problem: 'must be an integer from 1 to 3600' },
  { name: 'tmpfs relative', kind: 'malformed', build: onHost({ tmpfs: [{ target: 'cache' }] }), path: 's/web', prop: 'tmpfs[0].target', value: '"cache"', problem: 'must be a normalized absolute path (no \'.\', \'..\', \'//\', \':\' or \',\')' },
  { name: 'stop timeout 0', kind: 'out of range', build: onHost({ stopTimeoutSeconds: 0 }), path: 's/web', prop: 'stopTimeoutSeconds', value: '0', problem: 'must be an integer from 1 to 3600' },
  { name: 'ingress for an unpublished port', kind: 'contradictory', build: onHost({ ports: [{ containerPort: 80, hostIp: '0.0.0.0' }], ingress: [{ hostPort: 81, cidr: '10.0.0.0/8' }] }), path: 's/web', prop: 'ingress[0].hostPort', value: '81', problem: 'must be a host port the container publishes' },
  { name: 'duplicate container name on a host', kind: 'impossible placement', build: (s) => { const h = host(s); new ContainerOnVm(s, 'a', { host: h, ...c() }); new ContainerOnVm(s, 'web', { host: h, ...c() }); }, path: 's/web', prop: 'name', value: '"web"', problem: 'must be unique on host s/host (container s/a already has it)' },
  { name: 'port clash between containers', kind: 'impossible placement', build: (s) => { const h = host(s); new ContainerOnVm(s, 'a', { host: h, ...c({ name: 'a', ports: [{ containerPort: 80, hostPort: 8080 }] }) }); new ContainerOnVm(s, 'web', { host: h, ...c({ ports: [{ containerPort: 80, hostPort: 8080 }] }) }); }, path: 's/web', prop: 'ports[0].hostPort', value: '"127.0.0.1:8080"', problem: 'must not reuse tcp port 8080 on host s/host, which container s/a already publishes (127.0.0.1:8080)' },
  { name: 'containers beyond host memory', kind: 'impossible placement', build: (s) => { const h = host(s, { instanceType: 't3.nano' }); new ContainerOnVm(s, 'web', { host: h, ...c({ memoryMiB: 200 }) }); }, path: 's/web', prop: 'memoryMiB', value: '200', problem: 'must fit host s/host (t3.nano, 512 MiB): its containers\' memory limits (s/web 200 MiB: 200 MiB) plus the reserve for the OS and Docker (400 MiB) need 600 MiB' },
  { name: 'container CPUs beyond host', kind: 'impossible placement', build: (s) => new ContainerOnVm(s, 'web', { host: host(s, { instanceType: 't3.micro' }), ...c({ cpus: 3 }) }), path: 's/web', prop: 'cpus', value: '3', problem: 'must not exceed the 2 vCPUs of host s/host (t3.micro)' },
  { name: 'container on a host without Docker', kind: 'contradictory', build: (s) => new ContainerOnVm(s, 'web', { host: host(s, { installDocker: false }), ...c() }), path: 's/web', prop: 'host', value: '"s/host"', problem: 'must run Docker, but host s/host was created with installDocker: false' },
  // LocalDockerHost
  { name: 'local secret without a value', kind: 'contradictory', build: (s) => { new DockerProvider(s, 'docker', {}); new LocalDockerHost(s, 'dev').addContainer(c({ secretEnvironment: { TOKEN: '/t' } })); }, path: 's/dev/web', prop: 'secretEnvironment.TOKEN', value: '"TOKEN"', problem: 'needs a local value in the LocalDockerHost\'s secretValues' },
  // HostPool / IsolatedApp / advisor
  { name: 'pool type not in the catalog', kind: 'malformed', build: (s) => new HostPool(s, 'pool', { instanceType: 'x2iedn.32xlarge' }), path: 's/pool', prop: 'instanceType', value: '"x2iedn.32xlarge"', problem: 'must be an instance type this library knows (its vCPUs and memory decide what the host can hold)' },
  { name: 'pool maxHosts 0', kind: 'out of range', build: (s) => new HostPool(s, 'pool', { maxHosts: 0 }), path: 's/pool', prop: 'maxHosts', value: '0', problem: 'must be an integer from 1 to 1000' },
  { name: 'app larger than any pool host', kind: 'impossible placement', build: (s) => new IsolatedApp(s, 'big', { pool: new HostPool(s, 'pool', { instanceType: 't3.micro' }), container: c({ name: 'big', memoryMiB: 2048 }) }), path: 's/big', prop: 'container.memoryMiB', value: '2048', problem: 'must fit a host of pool s/pool (t3.micro: 1024 MiB, 640 MiB for containers after the 384 MiB OS reserve, and 16 MiB of overhead per container)' },
  { name: 'apps beyond maxHosts', kind: 'impossible placement', build: (s) => { const pool = new HostPool(s, 'pool', { instanceType: 't3.small', maxHosts: 1 }); for (const n of ['a', 'b']) new IsolatedApp(s, n, { pool, container: c({ name: n, memoryMiB: 1200 }) }); }, path: 's/pool', prop: 'maxHosts', value: '1', problem: 'is too small: the apps need 2 hosts' },
  { name: 'Windows app', kind: 'impossible placement', build: (s) => new IsolatedApp(s, 'win', { requirements: { operatingSystem: OperatingSystem.WINDOWS }, native: {} }), path: 's/win', prop: 'requirements.operatingSystem', value: '"windows"', problem: 'needs a VM running windows, which this library cannot build (VmHost boots Linux images only)' },
  { name: 'container app without a pool', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'web', { container: c() }), path: 's/web', prop: 'pool', value: 'undefined', problem: 'must be a HostPool: container apps share the hosts of a pool' },
  { name: 'own-kernel app with only a container', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'k', { requirements: { kernel: KernelNeed.OWN }, container: c({ name: 'k' }) }), path: 's/k', prop: 'container', value: '"k"', problem: 'cannot serve this app: its reasons need the VM itself, not Docker on it' },
  { name: 'whole system without native setup', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'erp', { requirements: { scope: AppScope.SYSTEM } }), path: 's/erp', prop: 'native', value: 'undefined', problem: 'must be given: the app gets a VM of its own and runs natively' },
  { name: 'override without reason', kind: 'malformed', build: (s) => new IsolatedApp(s, 'web', { pool: new HostPool(s, 'pool'), container: c(), override: { isolation: Isolation.VM, reason: 'no' } }), path: 's/web', prop: 'override.reason', value: '"no"', problem: 'must say why the advice is overridden (at least 10 characters)' },
  { name: 'requirements above the container limit', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'web', { pool: new HostPool(s, 'pool'), container: c({ memoryMiB: 128 }), requirements: { memoryMiB: 4096 } }), path: 's/web', prop: 'requirements.memoryMiB', value: '4096', problem: 'must not exceed the container\'s memory limit (128 MiB)' },
  { name: 'tenancy unknown', kind: 'malformed', build: (s) => new IsolatedApp(s, 'web', { requirements: { tenancy: 'shared' as Tenancy } }), path: 's/web', prop: 'requirements.tenancy', value: '"shared"', problem: 'must be one of \'trusted\', \'untrusted\'' },
  { name: 'startup budget negative', kind: 'out of range', build: (s) => new IsolatedApp(s, 'web', { requirements: { maxStartupSeconds: -5 } }), path: 's/web', prop: 'requirements.maxStartupSeconds', value: '-5', problem: 'must be a number from 0 to 86400' },
  { name: 'native package with a space', kind: 'malformed', build: (s) => new IsolatedApp(s, 'erp', { requirements: { scope: AppScope.SYSTEM }, native: { packages: ['cron job'] } }), path: 's/erp', prop: 'native.packages', value: '"cron job"', problem: 'must list package names' },
  // IsolationChecks
  { name: 'acknowledge an unknown rule', kind: 'malformed', build: (s) => IsolationChecks.acknowledge(host(s), 'NOPE', 'because of reasons'), path: 's/host', prop: 'ruleId', value: '"NOPE"', problem: 'must be the id of an IsolationChecks rule' },
  { name: 'acknowledge without a reason', kind: 'malformed', build: (s) => IsolationChecks.acknowledge(host(s), 'HOST-IMDSV2', ' '), path: 's/host', prop: 'reason', value: '" "', problem: 'must say why the finding is accepted (at least 10 characters)' },
  // Capabilities that give power over the host (issue: dangerous capabilities)
  { name: 'SYS_ADMIN without reason', kind: 'contradictory', build: onHost({ capAdd: ['SYS_ADMIN'] }), path: 's/web', prop: 'capAdd', value: '["SYS_ADMIN"]', problem: 'needs \'unsafeReason\': SYS_ADMIN mount, namespaces and most of the kernel\'s administration interfaces: the usual way out of a container' },
  { name: 'SYS_MODULE without reason', kind: 'contradictory', build: onHost({ capAdd: ['SYS_MODULE'] }), path: 's/web', prop: 'capAdd', value: '["SYS_MODULE"]', problem: 'needs \'unsafeReason\': SYS_MODULE loads kernel modules: code in the host kernel' },
  { name: 'DAC_READ_SEARCH without reason', kind: 'contradictory', build: onHost({ capAdd: ['NET_BIND_SERVICE', 'DAC_READ_SEARCH'] }), path: 's/web', prop: 'capAdd', value: '["NET_BIND_SERVICE","DAC_READ_SEARCH"]', problem: 'needs \'unsafeReason\': DAC_READ_SEARCH bypasses read permission checks and opens files by handle (open_by_handle_at): reads host files (the "Shocker" escape)' },
  { name: 'CAP_SYS_PTRACE spelt with its prefix', kind: 'contradictory', build: onHost({ capAdd: ['CAP_SYS_PTRACE'] }), path: 's/web', prop: 'capAdd', value: '["CAP_SYS_PTRACE"]', problem: 'needs \'unsafeReason\': SYS_PTRACE traces and injects into any process it can see, and opens kernel attack surface' },
  { name: 'NET_ADMIN and BPF without reason', kind: 'contradictory', build: onHost({ capAdd: ['NET_ADMIN', 'BPF'] }), path: 's/web', prop: 'capAdd', value: '["NET_ADMIN","BPF"]', problem: 'needs \'unsafeReason\': NET_ADMIN configures interfaces, routes and firewall rules (of the host, with its network namespace); BPF loads BPF programs into the kernel' },
  { name: 'a lower-case capability', kind: 'malformed', build: onHost({ capAdd: ['sys_admin'] }), path: 's/web', prop: 'capAdd', value: '"sys_admin"', problem: 'must list Linux capabilities (capabilities(7), without CAP_)' },
  { name: 'dangerous capability on a local container', kind: 'contradictory', build: (s) => { new DockerProvider(s, 'docker', {}); new LocalDockerHost(s, 'dev').addContainer(c({ capAdd: ['SYS_RAWIO'] })); }, path: 's/dev/web', prop: 'capAdd', value: '["SYS_RAWIO"]', problem: 'needs \'unsafeReason\': SYS_RAWIO raw I/O ports and /dev/mem: reads and writes host memory and devices' },
  // Other spellings of the whole internet, host bits, leading zeros
  { name: 'SSH from 0::0/0', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 22, cidr: '0::0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0::0/0"', problem: 'must not open SSH (port 22) to the whole internet' },
  { name: 'SSH from 0:0:0:0:0:0:0:0/0', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 22, cidr: '0:0:0:0:0:0:0:0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0:0:0:0:0:0:0:0/0"', problem: 'must not open SSH (port 22) to the whole internet' },
  { name: 'RDP from 0::/0', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 3389, cidr: '0::/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0::/0"', problem: 'must not open RDP (port 3389) to the whole internet' },
  { name: 'RDP over UDP from the world', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 3389, protocol: Protocol.UDP, cidr: '0.0.0.0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0.0.0.0/0"', problem: 'must not open RDP (port 3389) to the whole internet' },
  { name: 'SSH from a /0 of another address', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 22, cidr: '10.1.2.3/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"10.1.2.3/0"', problem: 'must be a network address, but bits below the /0 prefix are set (it names the network 0.0.0.0/0)' },
  { name: 'SSH from the world with leading zeros', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 22, cidr: '000.0.0.0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"000.0.0.0/0"', problem: 'must not write IPv4 octets with leading zeros (some tools read them as octal)' },
  { name: 'SSH from two halves of the internet', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 22, cidr: '0.0.0.0/1' }, { port: 22, cidr: '128.0.0.0/1' }] }), path: 's/host', prop: 'ingress.cidr', value: '"128.0.0.0/1"', problem: 'must not open SSH (port 22) to the whole internet: with the security group\'s other rules for port 22 (0.0.0.0/1) it covers every IPv4 address' },
  { name: 'SSH in a world-open IPv6 range', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 20, toPort: 25, cidr: '::/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"::/0"', problem: 'must not open SSH (port 22) to the whole internet' },
  { name: 'a CIDR with host bits set', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 443, cidr: '10.0.0.1/16' }] }), path: 's/host', prop: 'ingress.cidr', value: '"10.0.0.1/16"', problem: 'must be a network address, but bits below the /16 prefix are set (it names the network 10.0.0.0/16)' },
  { name: 'an IPv6 CIDR with host bits set', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 443, cidr: '2001:db8::1/32' }] }), path: 's/host', prop: 'ingress.cidr', value: '"2001:db8::1/32"', problem: 'must be a network address, but bits below the /32 prefix are set (it names the network 2001:db8::/32)' },
  { name: 'SSH from the world on a bare security group', kind: 'contradictory', build: (s) => new HostSecurityGroup(s, 'sg', { vpcId: 'vpc-0123456789abcdef0' }).addIngress({ port: 22, cidr: '::0/0' }), path: 's/sg', prop: 'ingress.cidr', value: '"::0/0"', problem: 'must not open SSH (port 22) to the whole internet' },
  { name: 'container ingress SSH from 0::0/0', kind: 'contradictory', build: onHost({ ports: [{ containerPort: 22, hostIp: '0.0.0.0' }], ingress: [{ hostPort: 22, cidr: '0::0/0' }] }), path: 's/web', prop: 'ingress[0].cidr', value: '"0::0/0"', problem: 'must not open SSH (port 22) to the whole internet' },
  // Instance types that do not exist
  { name: 'a misspelt instance type', kind: 'malformed', build: (s) => host(s, { instanceType: 't3.medum' }), path: 's/host', prop: 'instanceType', value: '"t3.medum"', problem: 'must be an instance type this library knows (its vCPUs and memory decide what the host can hold)' },
  { name: 'a misspelt fleet instance type', kind: 'malformed', build: (s) => new HostFleet(s, 'fleet', { container: c(), instanceType: 't4g.smal' }), path: 's/fleet', prop: 'instanceType', value: '"t4g.smal"', problem: 'must be an instance type this library knows (its vCPUs and memory decide what the host can hold)' },
  { name: 'a misspelt dedicated VM type', kind: 'malformed', build: (s) => new IsolatedApp(s, 'erp', { requirements: { scope: AppScope.SYSTEM }, native: { packages: ['cron'] }, dedicatedVm: { instanceType: 'm5.larg' } }), path: 's/erp', prop: 'dedicatedVm.instanceType', value: '"m5.larg"', problem: 'must be an instance type this library knows (its vCPUs and memory decide what the host can hold)' },
  { name: 'a size for a listed type', kind: 'contradictory', build: (s) => host(s, { instanceType: 't3.small', instanceTypeSize: { vcpus: 2, memoryMiB: 2048 } }), path: 's/host', prop: 'instanceTypeSize', value: '{"vcpus":2,"memoryMiB":2048}', problem: 'is only for types the catalog does not list, but \'t3.small\' is listed (2 vCPUs, 2048 MiB)' },
  // Smaller holes
  { name: 'an empty key pair name', kind: 'malformed', build: (s) => host(s, { keyName: '' }), path: 's/host', prop: 'keyName', value: '""', problem: 'must be an EC2 key pair name (1 to 255 printable ASCII characters)' },
  { name: 'a non-ASCII key pair name', kind: 'malformed', build: (s) => host(s, { keyName: 'schlüssel' }), path: 's/host', prop: 'keyName', value: '"schlüssel"', problem: 'must be an EC2 key pair name (1 to 255 printable ASCII characters)' },
  { name: 'a public IP given as a string', kind: 'malformed', build: (s) => host(s, { associatePublicIpAddress: 'true' as any }), path: 's/host', prop: 'associatePublicIpAddress', value: '"true"', problem: 'must be true or false' },
  { name: 'tags not strings', kind: 'malformed', build: (s) => host(s, { tags: { team: 7 as any } }), path: 's/host', prop: 'tags.team', value: '7', problem: 'must be a string of at most 256 characters (an EC2 tag value)' },
  // Errors in one shape: no props, wrong shapes
  { name: 'VmHost with null props', kind: 'malformed', build: (s) => new VmHost(s, 'host', null as any), path: 's/host', prop: 'props', value: 'null', problem: 'must be an object (or left out)' },
  { name: 'ContainerOnVm with no props', kind: 'malformed', build: (s) => new ContainerOnVm(s, 'web', undefined as any), path: 's/web', prop: 'props', value: 'undefined', problem: 'must be an object with at least host, name, image and memoryMiB' },
  { name: 'HostPool with a string for props', kind: 'malformed', build: (s) => new HostPool(s, 'pool', 't3.medium' as any), path: 's/pool', prop: 'props', value: '"t3.medium"', problem: 'must be an object (or left out)' },
  { name: 'IsolatedApp with null props', kind: 'malformed', build: (s) => new IsolatedApp(s, 'web', null as any), path: 's/web', prop: 'props', value: 'null', problem: 'must be an object' },
  { name: 'LocalDockerHost with a list for props', kind: 'malformed', build: (s) => new LocalDockerHost(s, 'dev', [] as any), path: 's/dev', prop: 'props', value: '[]', problem: 'must be an object (or left out)' },
  { name: 'HostFleet with null props', kind: 'malformed', build: (s) => new HostFleet(s, 'fleet', null as any), path: 's/fleet', prop: 'props', value: 'null', problem: 'must be an object' },
  { name: 'a number as a string', kind: 'malformed', build: onHost({ memoryMiB: '128' as any }), path: 's/web', prop: 'memoryMiB', value: '"128"', problem: 'must be an integer from 6 to 4194304, not a string' },
  { name: 'a port as a bare number', kind: 'malformed', build: onHost({ ports: [8080 as any] }), path: 's/web', prop: 'ports[0]', value: '8080', problem: 'must be an object like { containerPort: 8080 }' },
  { name: 'an undefined environment value', kind: 'malformed', build: onHost({ environment: { PORT: undefined as any } }), path: 's/web', prop: 'environment.PORT', value: 'undefined', problem: 'must have a value' },
  { name: 'minReplicas above maxReplicas', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'web', { container: c(), minReplicas: 5, maxReplicas: 3 }), path: 's/web', prop: 'minReplicas', value: '5', problem: 'must not exceed maxReplicas (3)' },
  { name: 'replicas outside minReplicas and maxReplicas', kind: 'contradictory', build: (s) => new IsolatedApp(s, 'web', { container: c(), replicas: 9, minReplicas: 2, maxReplicas: 4 }), path: 's/web', prop: 'replicas', value: '9', problem: 'must lie between minReplicas (2) and maxReplicas (4)' },
  { name: 'CPU shares of the default weight', kind: 'contradictory', build: onHost({ cpuShares: 1024 }), path: 's/web', prop: 'cpuShares', value: '1024', problem: 'must not be 1024, the kernel\'s default weight (it bounds nothing)' },
  { name: 'a user with a space', kind: 'malformed', build: onHost({ user: 'app user' }), path: 's/web', prop: 'user', value: '"app user"', problem: 'must be a user name, uid or \'uid:gid\'' },
  { name: 'a world-open TCP range that covers RDP', kind: 'contradictory', build: (s) => host(s, { ingress: [{ port: 3000, toPort: 4000, protocol: Protocol.TCP, cidr: '0.0.0.0/0' }] }), path: 's/host', prop: 'ingress.cidr', value: '"0.0.0.0/0"', problem: 'must not open RDP (port 3389) to the whole internet' },
  // Token values (a Terraform variable, another resource's attribute) where the value decides something at synth.
  { name: 'a container name from a variable', kind: 'malformed', build: (s) => onHost({ name: strVar(s) })(s), path: 's/web', prop: 'name', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (it names the container, its systemd unit and its files on the host)' },
  { name: 'privileged from a variable', kind: 'malformed', build: (s) => onHost({ privileged: boolVar(s) })(s), path: 's/web', prop: 'privileged', value: ANY_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides the container\'s isolation, which is checked and reported at synth)' },
  { name: 'capabilities from a list variable', kind: 'malformed', build: (s) => onHost({ capAdd: listVar(s) })(s), path: 's/web', prop: 'capAdd', value: LIST_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides the container\'s isolation, which is checked and reported at synth)' },
  { name: 'a volume source from a variable', kind: 'malformed', build: (s) => onHost({ volumes: [{ source: strVar(s), target: '/data' }] })(s), path: 's/web', prop: 'volumes[0].source', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides what is mounted where, which is checked at synth)' },
  { name: 'a port protocol from a variable', kind: 'malformed', build: (s) => onHost({ ports: [{ containerPort: 80, protocol: strVar(s) as Protocol }] })(s), path: 's/web', prop: 'ports[0].protocol', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides the rules that open the port)' },
  { name: 'an environment map from a variable', kind: 'malformed', build: (s) => onHost({ environment: new TerraformVariable(s, 'env', { type: 'map(string)' }).value })(s), path: 's/web', prop: 'environment', value: ANY_TOKEN, problem: 'must be known at synth, not a Terraform reference (its names are checked and sorted at synth; write the map out, its values may be Terraform references)' },
  { name: 'tags from a map variable', kind: 'malformed', build: (s) => host(s, { tags: new TerraformVariable(s, 'tags', { type: 'map(string)' }).value }), path: 's/host', prop: 'tags', value: ANY_TOKEN, problem: 'must be known at synth, not a Terraform reference (tags are merged with the library\'s own at synth; write the map out, its values may be Terraform references)' },
  { name: 'a hop limit from a variable', kind: 'malformed', build: (s) => host(s, { metadataHopLimit: numVar(s) }), path: 's/host', prop: 'metadataHopLimit', value: NUM_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides whether containers reach the instance role)' },
  { name: 'a public IP from a variable', kind: 'malformed', build: (s) => host(s, { associatePublicIpAddress: boolVar(s) }), path: 's/host', prop: 'associatePublicIpAddress', value: ANY_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides whether the host is reachable from the internet)' },
  { name: 'an ingress protocol from a variable', kind: 'malformed', build: (s) => host(s, { ingress: [{ port: 443, protocol: strVar(s) as Protocol, cidr: '10.0.0.0/16' }] }), path: 's/host', prop: 'ingress.protocol', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides which rules apply, e.g. to SSH and RDP)' },
  { name: 'a pool instance type from a variable', kind: 'impossible placement', build: (s) => new HostPool(s, 'pool', { instanceType: strVar(s) }), path: 's/pool', prop: 'instanceType', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (the pool places its apps on hosts at synth by their sizes)' },
  { name: 'a pooled app\'s memory from a variable', kind: 'impossible placement', build: (s) => new IsolatedApp(s, 'web', { pool: new HostPool(s, 'pool'), container: c({ memoryMiB: numVar(s) }) }), path: 's/web', prop: 'container.memoryMiB', value: NUM_TOKEN, problem: 'must be known at synth, not a Terraform reference (the app is sized and isolated by it at synth, and the isolation report plans with it)' },
  { name: 'a looked-up instance type with a size', kind: 'contradictory', build: (s) => host(s, { instanceType: strVar(s), instanceTypeSize: { vcpus: 2, memoryMiB: 4096 } }), path: 's/host', prop: 'instanceTypeSize', value: '{"vcpus":2,"memoryMiB":4096}', problem: 'must be left out when instanceType is a Terraform reference (its size is looked up)' },
  { name: 'a fleet health check interval from a variable', kind: 'malformed', build: (s) => new HostFleet(s, 'fleet', { container: c({ ports: [{ containerPort: 80, hostIp: '0.0.0.0' }], healthCheck: { command: ['true'], intervalSeconds: numVar(s) } }), loadBalancer: {} }), path: 's/fleet', prop: 'container.healthCheck.intervalSeconds', value: NUM_TOKEN, problem: 'must be known at synth, not a Terraform reference (the load balancer\'s health check is derived from it at synth)' },
  { name: 'an argv from a list variable', kind: 'malformed', build: (s) => onHost({ command: listVar(s) })(s), path: 's/web', prop: 'command', value: LIST_TOKEN, problem: 'must be known at synth, not a Terraform reference (its words are quoted one by one at synth; its elements may be Terraform references)' },
  // HostNetwork (issue 20: a network where the hosts work)
  { name: 'a network in one zone', kind: 'out of range', build: net({ availabilityZoneCount: 1 }), path: 's/net', prop: 'availabilityZoneCount', value: '1', problem: 'must be at least 2: a network in one availability zone goes down with the zone' },
  { name: 'a network in seven zones', kind: 'out of range', build: net({ availabilityZoneCount: 7 }), path: 's/net', prop: 'availabilityZoneCount', value: '7', problem: 'must be an integer from 2 to 6' },
  { name: 'a network CIDR too small for its subnets', kind: 'out of range', build: net({ cidr: '10.0.0.0/24' }), path: 's/net', prop: 'cidr', value: '"10.0.0.0/24"', problem: 'is too small for the subnets: a /24 gives /27 private and /30 public subnets, and AWS\'s smallest subnet is a /28' },
  { name: 'a network CIDR larger than a VPC', kind: 'out of range', build: net({ cidr: '10.0.0.0/8' }), path: 's/net', prop: 'cidr', value: '"10.0.0.0/8"', problem: 'must be a /16 or smaller block (AWS\'s largest VPC is a /16)' },
  { name: 'a malformed network CIDR', kind: 'malformed', build: net({ cidr: '10.0.0/16' }), path: 's/net', prop: 'cidr', value: '"10.0.0/16"', problem: 'must be an IPv4 or IPv6 CIDR block' },
  { name: 'a network CIDR with host bits set', kind: 'malformed', build: net({ cidr: '10.0.1.0/16' }), path: 's/net', prop: 'cidr', value: '"10.0.1.0/16"', problem: 'must be a network address, but bits below the /16 prefix are set (it names the network 10.0.0.0/16)' },
  { name: 'an IPv6 network CIDR', kind: 'malformed', build: net({ cidr: '2001:db8::/56' }), path: 's/net', prop: 'cidr', value: '"2001:db8::/56"', problem: 'must be an IPv4 CIDR block (a VPC\'s primary block is IPv4)' },
  { name: 'a network over Docker\'s bridge network', kind: 'contradictory', build: net({ cidr: '172.17.0.0/16' }), path: 's/net', prop: 'cidr', value: '"172.17.0.0/16"', problem: 'must not overlap 172.17.0.0/16, Docker\'s bridge network on every host (the hosts would send traffic for those VPC addresses to their containers)' },
  { name: 'overlapping subnet blocks', kind: 'contradictory', build: net({ privateSubnetCidrs: ['10.0.0.0/19', '10.0.16.0/20'] }), path: 's/net', prop: 'privateSubnetCidrs[1]', value: '"10.0.16.0/20"', problem: 'must not overlap privateSubnetCidrs[0] (10.0.0.0/19)' },
  { name: 'a subnet block outside the VPC', kind: 'contradictory', build: net({ publicSubnetCidrs: ['10.0.224.0/22', '192.168.0.0/24'] }), path: 's/net', prop: 'publicSubnetCidrs[1]', value: '"192.168.0.0/24"', problem: 'must lie inside the VPC\'s block 10.0.0.0/16' },
  { name: 'one subnet block for two zones', kind: 'contradictory', build: net({ privateSubnetCidrs: ['10.0.0.0/19'] }), path: 's/net', prop: 'privateSubnetCidrs', value: '["10.0.0.0/19"]', problem: 'must list one block per availability zone (2)' },
  { name: 'a network without a way out chosen', kind: 'malformed', build: net({ egress: undefined }), path: 's/net', prop: 'egress', value: 'undefined', problem: 'must be chosen: how hosts get out of the network (each way costs money and decides what hosts can run)' },
  { name: 'a network with no way out', kind: 'contradictory', build: net({ egress: NetworkEgress.NONE }), path: 's/net', prop: 'egress', value: '"none"', problem: 'must be a way out: a HostNetwork builds one (NONE is for networks of your own, HostNetwork.fromExisting)' },
  { name: 'a way out that does not exist', kind: 'malformed', build: net({ egress: 'internet' as NetworkEgress }), path: 's/net', prop: 'egress', value: '"internet"', problem: 'must be one of \'nat-gateway\', \'vpc-endpoints-only\', \'nat-gateway-and-endpoints\'' },
  { name: 'NAT gateways without public subnets', kind: 'contradictory', build: net({ publicSubnets: false }), path: 's/net', prop: 'publicSubnets', value: 'false', problem: 'must be true with NetworkEgress.NAT_GATEWAY: NAT gateways live in public subnets' },
  { name: 'a shared NAT gateway without NAT', kind: 'contradictory', build: net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY, singleNatGateway: true }), path: 's/net', prop: 'singleNatGateway', value: 'true', problem: 'only applies to a network with a NAT gateway, not NetworkEgress.VPC_ENDPOINTS_ONLY' },
  { name: 'more endpoints in a network without them', kind: 'contradictory', build: net({ additionalInterfaceEndpoints: ['logs'] }), path: 's/net', prop: 'additionalInterfaceEndpoints', value: '["logs"]', problem: 'only applies to a network with VPC endpoints, not NetworkEgress.NAT_GATEWAY' },
  { name: 'S3 as an interface endpoint', kind: 'contradictory', build: net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY, additionalInterfaceEndpoints: ['s3'] }), path: 's/net', prop: 'additionalInterfaceEndpoints[0]', value: '"s3"', problem: 'must not be s3: the network already has the S3 gateway endpoint (free, on the private route tables)' },
  { name: 'an endpoint the network already has', kind: 'contradictory', build: net({ egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, additionalInterfaceEndpoints: ['logs', 'ecr.dkr'] }), path: 's/net', prop: 'additionalInterfaceEndpoints[1]', value: '"ecr.dkr"', problem: 'must not repeat an endpoint the network already has (ssm, ssmmessages, ec2messages, ecr.api, ecr.dkr, logs)' },
  { name: 'an endpoint service name with a capital', kind: 'malformed', build: net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY, additionalInterfaceEndpoints: ['Logs'] }), path: 's/net', prop: 'additionalInterfaceEndpoints[0]', value: '"Logs"', problem: 'must be a service name such as \'logs\' or \'ecr.api\' (what follows com.amazonaws.<region>.)' },
  { name: 'flow logs kept 10 days', kind: 'out of range', build: net({ flowLogRetentionDays: 10 }), path: 's/net', prop: 'flowLogRetentionDays', value: '10', problem: 'must be one of CloudWatch Logs\' retention periods (0 keeps the logs forever)' },
  { name: 'a retention for flow logs that are off', kind: 'contradictory', build: net({ flowLogs: false, flowLogRetentionDays: 30 }), path: 's/net', prop: 'flowLogRetentionDays', value: '30', problem: 'only applies with flow logs, but flowLogs is false' },
  { name: 'a flow log key that is an alias', kind: 'malformed', build: net({ flowLogKmsKeyArn: 'alias/flow-logs' }), path: 's/net', prop: 'flowLogKmsKeyArn', value: '"alias/flow-logs"', problem: 'must be a KMS key ARN' },
  { name: 'a host admitted with a name for its group', kind: 'malformed', build: (s) => net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY })(s).admitHost('web-sg', host(s)), path: 's/host', prop: 'securityGroupId', value: '"web-sg"', problem: 'must be a security group id (\'sg-\' and hex digits)' },
  { name: 'HostNetwork with null props', kind: 'malformed', build: (s) => new HostNetwork(s, 'net', null as any), path: 's/net', prop: 'props', value: 'null', problem: 'must be an object' },
  { name: 'an existing network without subnets', kind: 'malformed', build: existing({ hostSubnetIds: [] }), path: 's/net', prop: 'hostSubnetIds', value: '[]', problem: 'must list at least one subnet' },
  { name: 'an existing network with a subnet twice', kind: 'contradictory', build: existing({ hostSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef0'] }), path: 's/net', prop: 'hostSubnetIds', value: '"subnet-0123456789abcdef0"', problem: 'must not list a subnet twice' },
  { name: 'an existing network without its way out', kind: 'malformed', build: existing({ egress: undefined }), path: 's/net', prop: 'egress', value: 'undefined', problem: 'must say how hosts get out of these subnets (the library cannot see your routes)' },
  { name: 'an endpoints group for a network without endpoints', kind: 'contradictory', build: existing({ endpointSecurityGroupId: 'sg-0123456789abcdef0' }), path: 's/net', prop: 'endpointSecurityGroupId', value: '"sg-0123456789abcdef0"', problem: 'only applies to a network with VPC endpoints, but egress is \'nat-gateway\'' },
  { name: 'an existing network with a malformed public subnet', kind: 'malformed', build: existing({ publicSubnetIds: ['subnet-0123456789abcdef0', 'public-b'] }), path: 's/net', prop: 'publicSubnetIds[1]', value: '"public-b"', problem: 'must be a subnet id (\'subnet-\' and hex digits)' },
  { name: 'an existing network with a malformed VPC id', kind: 'malformed', build: existing({ vpcId: 'vpc_123' }), path: 's/net', prop: 'vpcId', value: '"vpc_123"', problem: 'must be a VPC id (\'vpc-\' and hex digits)' },
  { name: 'a network\'s way out from a variable', kind: 'malformed', build: (s) => net({ egress: strVar(s) as NetworkEgress })(s), path: 's/net', prop: 'egress', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides at synth which resources the network has)' },
  { name: 'an existing network\'s way out from a variable', kind: 'malformed', build: (s) => existing({ egress: strVar(s) })(s), path: 's/net', prop: 'egress', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides at synth what the hosts can reach)' },
  { name: 'a zone count from a variable', kind: 'malformed', build: (s) => net({ availabilityZoneCount: numVar(s) })(s), path: 's/net', prop: 'availabilityZoneCount', value: NUM_TOKEN, problem: 'must be known at synth, not a Terraform reference (one subnet per zone is planned at synth)' },
  { name: 'a network CIDR from a variable', kind: 'malformed', build: (s) => net({ cidr: strVar(s) })(s), path: 's/net', prop: 'cidr', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (the subnet plan is computed from it at synth)' },
  { name: 'an endpoint service from a variable', kind: 'malformed', build: (s) => net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY, additionalInterfaceEndpoints: [strVar(s)] })(s), path: 's/net', prop: 'additionalInterfaceEndpoints[0]', value: STR_TOKEN, problem: 'must be known at synth, not a Terraform reference (each service is an endpoint resource made at synth)' },
  { name: 'flow logs switched by a variable', kind: 'malformed', build: (s) => net({ flowLogs: boolVar(s) })(s), path: 's/net', prop: 'flowLogs', value: ANY_TOKEN, problem: 'must be known at synth, not a Terraform reference (it decides at synth whether the flow log resources exist)' },
  { name: 'a host with a network and a VPC of its own', kind: 'contradictory', build: (s) => host(s, { network: net()(s), vpcId: 'vpc-0123456789abcdef0' }), path: 's/host', prop: 'vpcId', value: '"vpc-0123456789abcdef0"', problem: 'must be left out with a network (the network gives the VPC)' },
  { name: 'a host whose network is not one', kind: 'malformed', build: (s) => host(s, { network: { vpcId: 'vpc-0123456789abcdef0' } }), path: 's/host', prop: 'network', value: '{"vpcId":"vpc-0123456789abcdef0"}', problem: 'must be a network (IHostNetwork)' },
  { name: 'a Debian host on endpoints only', kind: 'contradictory', build: (s) => host(s, { network: net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY })(s), machineImage: MachineImage.debian12() }), path: 's/host', prop: 'machineImage', value: '"Debian 12 (bookworm)"', problem: 'cannot work in network s/net (NetworkEgress.VPC_ENDPOINTS_ONLY): it needs the internet for Debian 12 (bookworm) packages (Debian\'s mirrors are on the internet)' },
  { name: 'a Docker Hub image on endpoints only', kind: 'contradictory', build: (s) => new ContainerOnVm(s, 'web', { host: host(s, { network: net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY })(s) }), ...c() }), path: 's/web', prop: 'image', value: '"nginx:1.27"', problem: 'cannot work in network s/net (NetworkEgress.VPC_ENDPOINTS_ONLY): it needs the internet for image nginx:1.27 (Docker Hub is on the internet)' },
  { name: 'an internet-facing load balancer in a network without public subnets', kind: 'contradictory', build: (s) => new HostFleet(s, 'fleet', { network: net({ egress: NetworkEgress.VPC_ENDPOINTS_ONLY })(s), container: c({ image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/web', '1.0'), ports: [{ containerPort: 80, hostIp: '0.0.0.0' }], healthCheck: { command: ['true'] } }), loadBalancer: {} }), path: 's/fleet', prop: 'loadBalancer.internal', value: 'undefined', problem: 'must be true in a network without public subnets (an internet-facing load balancer lives in public subnets)' },
  { name: 'a pool with a network and a subnet of its own', kind: 'contradictory', build: (s) => new HostPool(s, 'pool', { network: net()(s), subnetId: 'subnet-0123456789abcdef0' }), path: 's/pool', prop: 'subnetId', value: '"subnet-0123456789abcdef0"', problem: 'must be left out with a network (the network gives the subnets)' },
  // Day-2 deploys (issue 14)
  { name: 'a settle time of zero', kind: 'out of range', build: (s) => host(s, { containerUpdates: { settleSeconds: 0 } }), path: 's/host', prop: 'settleSeconds', value: '0', problem: 'must be an integer from 1 to 600' },
  { name: 'a health timeout of two hours', kind: 'out of range', build: (s) => host(s, { containerUpdates: { healthTimeoutSeconds: 7200 } }), path: 's/host', prop: 'healthTimeoutSeconds', value: '7200', problem: 'must be an integer from 10 to 3600' },
  { name: 'a settle time from a variable', kind: 'malformed', build: (s) => host(s, { containerUpdates: { settleSeconds: numVar(s) } }), path: 's/host', prop: 'settleSeconds', value: NUM_TOKEN, problem: 'must be known at synth, not a Terraform reference (the settle time bounds the SSM command\'s timeout, which is computed at synth)' },
  { name: 'containers over the SSM document limit', kind: 'oversize', build: (s) => { const h = host(s, { instanceType: 'm6i.4xlarge' }); for (let i = 0; i < 80; i++) new ContainerOnVm(s, `w${i}`, { host: h, ...c({ name: `w${i}`, memoryMiB: 16, environment: { ID: noise(300).slice(0, 300 + i) } }) }); }, path: 's/host', prop: 'containers', value: '"80 containers"', problem: 'must fit in an SSM document of at most 65536 bytes (Systems Manager\'s limit for a document\'s content), but the desired set of 80 container(s) and the reconcile script take 169776 bytes' },
];

/**
 * Hostile strings: what a value that reaches a script must survive
 * unchanged (quotes of each kind, command substitution, backticks, line
 * breaks, Terraform template sequences, PowerShell's typographic quotes,
 * non-ASCII, control characters, the tags EC2Launch reads).
 */
export const HOSTILE_VALUES: string[] = [
  '',
  "it's",
  "''",
  "'; Remove-Item -Recurse C:\\ ; '",
  '"double" and $env:PATH',
  '$(Invoke-Expression whoami)',
  '`backtick` and `n and `$x',
  '${var.secret} and %{ if true }x%{ endif }',
  '$${escaped} $$ %%{',
  'line one\nline two\n',
  'crlf\r\nline',
  'tab\there',
  '\u2018typographic\u2019 \u201a\u201b quotes',
  'ünïcødé ✓ 日本',
  '</powershell><script>calc</script><persist>true</persist>',
  '@\'\nhere\n\'@',
  '\\back\\slash\\',
  '# not a comment <# nor this #>',
  '\u0001\u007f control',
];
