import { ContainerImage } from '../../src/containers/container-image';
import { ContainerOptions, RestartPolicy } from '../../src/core/container-options';
import { ContainerSpec } from '../../src/core/container-spec';
import { Protocol } from '../../src/core/network';
import { IsolationError } from '../../src/private/errors';
import { errorOf } from '../helpers/synth';

const image = ContainerImage.fromRegistry('nginx:1.27');
const base: ContainerOptions = { name: 'web', image, memoryMiB: 128 };

describe('ContainerSpec defaults', () => {
  const spec = ContainerSpec.of(base, 'app/web');

  test('secure defaults: all capabilities dropped, no-new-privileges, default seccomp, no privileged, no host namespaces', () => {
    expect(spec.capDrop).toEqual(['ALL']);
    expect(spec.capAdd).toEqual([]);
    expect(spec.noNewPrivileges).toBe(true);
    expect(spec.seccompUnconfined).toBe(false);
    expect([spec.privileged, spec.hostNetwork, spec.hostPid, spec.hostIpc, spec.hostUts]).toEqual([false, false, false, false, false]);
  });

  test('limits always set: memory as given, 256 pids; read-only root with a 64 MiB /tmp tmpfs', () => {
    expect(spec.memoryMiB).toBe(128);
    expect(spec.pidsLimit).toBe(256);
    expect(spec.cpus).toBeUndefined();
    expect(spec.readOnlyRootFilesystem).toBe(true);
    expect(spec.tmpfs).toEqual([{ target: '/tmp', sizeMiB: 64 }]);
  });

  test('restart on failure, at most 5 times; log rotation 10m x 3; stop timeout 10 s', () => {
    expect([spec.restartPolicy, spec.maxRestarts]).toEqual([RestartPolicy.ON_FAILURE, 5]);
    expect([spec.logMaxSize, spec.logMaxFiles, spec.stopTimeoutSeconds]).toEqual(['10m', 3, 10]);
  });

  test('the library labels its containers', () => {
    expect(spec.labels).toEqual([{ name: 'cdktf-isolation.container', value: 'web' }]);
  });

  test('a non-root user (65532:65532) and a CPU weight (512 shares) by default', () => {
    expect([spec.user, spec.runsAsRoot, spec.cpuShares]).toEqual(['65532:65532', false, 512]);
  });

  test.each([['root', true], ['0', true], ['0:0', true], ['root:wheel', true], ['0:1000', true], ['1000:0', false], ['nobody', false], ['10001', false], ['rootless', false]])(
    'user %j runs as root: %s', (user, root) => {
      expect(ContainerSpec.of({ ...base, user }, 'x').runsAsRoot).toBe(root);
    });

  test('cpuShares: any weight from 2 to 262144 but the unbounding 1024', () => {
    expect(ContainerSpec.of({ ...base, cpuShares: 2 }, 'x').cpuShares).toBe(2);
    expect(ContainerSpec.of({ ...base, cpuShares: 262144 }, 'x').cpuShares).toBe(262144);
    expect(errorOf(() => ContainerSpec.of({ ...base, cpuShares: 1024 }, 'app/web')).message).toBe(
      "app/web: 'cpuShares' must not be 1024, the kernel's default weight (it bounds nothing), got 1024. Leave cpuShares out (512), give another weight, or bound the container with cpus.");
    expect(errorOf(() => ContainerSpec.of({ ...base, cpuShares: 1 }, 'app/web')).message).toBe(
      "app/web: 'cpuShares' must be an integer from 2 to 262144, got 1. Give a relative weight from 2 to 262144 (512, the default, is half the weight of the host's own services).");
    expect(errorOf(() => ContainerSpec.of({ ...base, cpuShares: 262145 }, 'app/web')).message).toMatch(/^app\/web: 'cpuShares' must be an integer from 2 to 262144, got 262145\./);
  });

  test('a small container gets a /tmp no larger than its memory', () => {
    expect(ContainerSpec.of({ ...base, memoryMiB: 16 }, 'x').tmpfs).toEqual([{ target: '/tmp', sizeMiB: 16 }]);
  });
});

describe('ContainerSpec normalization', () => {
  test('ports bind to 127.0.0.1 unless told, host port defaults to the container port', () => {
    const spec = ContainerSpec.of({ ...base, ports: [{ containerPort: 80 }, { containerPort: 53, hostPort: 5353, protocol: Protocol.UDP, hostIp: '0.0.0.0' }] }, 'x');
    expect(spec.ports).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'tcp', hostIp: '127.0.0.1' },
      { containerPort: 53, hostPort: 5353, protocol: 'udp', hostIp: '0.0.0.0' },
    ]);
  });

  test('environment, secrets and labels are sorted by name; a user /tmp replaces the default', () => {
    const spec = ContainerSpec.of({
      ...base,
      environment: { B: '2', A: '1' },
      secretEnvironment: { Z_TOKEN: '/prod/token', DB_PASSWORD: 'arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db' },
      labels: { 'z.team': 'web', 'a.tier': 'front' },
      tmpfs: [{ target: '/tmp', sizeMiB: 8 }, { target: '/run', sizeMiB: 1 }],
    }, 'x');
    expect(spec.environment).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(spec.secretEnvironment.map((s) => s.name)).toEqual(['DB_PASSWORD', 'Z_TOKEN']);
    expect(spec.labels.map((l) => l.name)).toEqual(['a.tier', 'cdktf-isolation.container', 'z.team']);
    expect(spec.tmpfs).toEqual([{ target: '/tmp', sizeMiB: 8 }, { target: '/run', sizeMiB: 1 }]);
  });

  test('unsafe options are accepted with a reason, which becomes a label', () => {
    const spec = ContainerSpec.of({ ...base, privileged: true, hostNetwork: true, unsafeReason: 'runs the host VPN client' }, 'x');
    expect([spec.privileged, spec.hostNetwork]).toEqual([true, true]);
    expect(spec.labels).toContainEqual({ name: 'cdktf-isolation.unsafe-reason', value: 'runs the host VPN client' });
  });

  test('CAP_ prefixes are accepted and removed; restart always and never take no bound', () => {
    expect(ContainerSpec.of({ ...base, capAdd: ['CAP_NET_BIND_SERVICE'] }, 'x').capAdd).toEqual(['NET_BIND_SERVICE']);
    expect(ContainerSpec.of({ ...base, restartPolicy: RestartPolicy.ALWAYS }, 'x').maxRestarts).toBeUndefined();
    expect(ContainerSpec.of({ ...base, restartPolicy: RestartPolicy.NEVER }, 'x').restartPolicy).toBe('no');
  });
});

/** [case, options, exact message prefix] — each names path, prop, value and fix. */
const INVALID: Array<[string, Partial<ContainerOptions> & Record<string, unknown>, string]> = [
  ['memory below 6 MiB', { memoryMiB: 5 }, "app/web: 'memoryMiB' must be an integer from 6 to 4194304, got 5. Docker's smallest memory limit is 6 MiB"],
  ['memory as a string', { memoryMiB: '256' as any }, "app/web: 'memoryMiB' must be an integer from 6 to 4194304, not a string, got \"256\". Give a number, not a string: 256 instead of \"256\"."],
  ['memory not a number', { memoryMiB: 'lots' as any }, "app/web: 'memoryMiB' must be an integer from 6 to 4194304, got \"lots\"."],
  ['cpus as a string', { cpus: '0.5' as any }, "app/web: 'cpus' must be a number from 0.01 to 1024, not a string, got \"0.5\". Give a number, not a string: 0.5 instead of \"0.5\"."],
  ['a port as a number', { ports: [8080 as any] }, "app/web: 'ports[0]' must be an object like { containerPort: 8080 }, got 8080. Write each element of ports as an object, e.g. { containerPort: 8080 }."],
  ['ports not a list', { ports: { containerPort: 80 } as any }, "app/web: 'ports' must be a list, got {\"containerPort\":80}. Write ports as a list of objects, e.g. [{ containerPort: 8080 }]."],
  ['a volume as a string', { volumes: ['data:/data' as any] }, "app/web: 'volumes[0]' must be an object like { source: 'data', target: '/data' }, got \"data:/data\"."],
  ['a tmpfs as a string', { tmpfs: ['/cache' as any] }, "app/web: 'tmpfs[0]' must be an object like { target: '/cache', sizeMiB: 16 }, got \"/cache\"."],
  ['a health check as a list', { healthCheck: ['true'] as any }, "app/web: 'healthCheck' must be an object like { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] }, got [\"true\"]."],
  ['env value undefined', { environment: { PORT: undefined as any } }, "app/web: 'environment.PORT' must have a value, got undefined. Give PORT a string value, or leave it out of environment."],
  ['a boolean as a string', { readOnlyRootFilesystem: 'false' as any }, "app/web: 'readOnlyRootFilesystem' must be true or false, got \"false\". Give a boolean, not a string: false instead of \"false\"."],
  ['missing memory', { memoryMiB: undefined as any }, "app/web: 'memoryMiB' must be an integer from 6 to 4194304, got undefined."],
  ['cpus zero', { cpus: 0 }, "app/web: 'cpus' must be a number from 0.01 to 1024, got 0. Give CPUs as a number such as 0.25, 1 or 2."],
  ['cpus too fine', { cpus: 0.125 }, "app/web: 'cpus' must be a multiple of 0.01, got 0.125. Round the CPU limit to hundredths, e.g. 0.25."],
  ['pids limit 0', { pidsLimit: 0 }, "app/web: 'pidsLimit' must be an integer from 8 to 4194304, got 0."],
  ['bad name', { name: '-web' }, "app/web: 'name' must be a container name (letters, digits, '_', '.', '-'; at most 63, starting with a letter or digit), got \"-web\"."],
  ['name with slash', { name: 'a/b' }, "app/web: 'name' must be a container name"],
  ['port 0', { ports: [{ containerPort: 0 }] }, "app/web: 'ports[0].containerPort' must be an integer from 1 to 65535, got 0. Ports are whole numbers from 1 to 65535."],
  ['host port 70000', { ports: [{ containerPort: 80, hostPort: 70000 }] }, "app/web: 'ports[0].hostPort' must be an integer from 1 to 65535, got 70000."],
  ['port used twice', { ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 8080 }] },
    "app/web: 'ports[1].hostPort' must not publish tcp port 8080 twice (also ports[0]), got 8080. Give each published port its own host port."],
  ['host IP not an address', { ports: [{ containerPort: 80, hostIp: 'localhost' }] }, "app/web: 'ports[0].hostIp' must be an IPv4 or IPv6 address, got \"localhost\"."],
  ['protocol sctp', { ports: [{ containerPort: 80, protocol: 'sctp' as Protocol }] }, "app/web: 'ports[0].protocol' must be one of 'tcp', 'udp', got \"sctp\"."],
  ['env name with dash', { environment: { 'DB-HOST': 'x' } }, "app/web: 'environment.DB-HOST' must be named with a valid environment variable name (letters, digits, _; not starting with a digit), got \"DB-HOST\"."],
  ['env name with digit first', { environment: { '1X': 'x' } }, "app/web: 'environment.1X' must be named with a valid environment variable name"],
  ['env value not a string', { environment: { PORT: 8080 as any } }, "app/web: 'environment.PORT' must be a string, got 8080. Give a string: '8080' instead of 8080."],
  ['secret and plain value under one name', { environment: { TOKEN: 'x' }, secretEnvironment: { TOKEN: '/prod/token' } },
    "app/web: 'environment.TOKEN' must not also be a secret (secretEnvironment), got \"TOKEN\". Keep one of the two"],
  ['secret not an SSM parameter', { secretEnvironment: { TOKEN: 'prod token' } }, "app/web: 'secretEnvironment.TOKEN' must be an SSM parameter name or ARN, got \"prod token\"."],
  ['mount of /', { volumes: [{ source: '/', target: '/host' }] }, "app/web: 'volumes[0].source' needs 'unsafeReason': it gives up part of the container's isolation (volumes[0].source), got \"/\"."],
  ['mount of /etc', { volumes: [{ source: '/etc', target: '/host-etc', readOnly: true }] }, "app/web: 'volumes[0].source' needs 'unsafeReason'"],
  ['mount below /proc', { volumes: [{ source: '/proc/sys', target: '/x' }] }, "app/web: 'volumes[0].source' needs 'unsafeReason'"],
  ['docker socket', { volumes: [{ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] }, "app/web: 'volumes[0].source' needs 'unsafeReason'"],
  ['a parent of the docker socket', { volumes: [{ source: '/run', target: '/hostrun' }] }, "app/web: 'volumes[0].source' needs 'unsafeReason'"],
  ['relative host path', { volumes: [{ source: '/srv/../etc', target: '/x' }] }, "app/web: 'volumes[0].source' must be a normalized absolute path (no '.', '..', '//', ':' or ','), got \"/srv/../etc\"."],
  ['volume target /', { volumes: [{ source: 'data', target: '/' }] }, "app/web: 'volumes[0].target' must not be '/', got \"/\"."],
  ['two mounts at one path', { volumes: [{ source: 'data', target: '/tmp' }] }, "app/web: 'volumes' must not mount two things at /tmp, got \"/tmp\"."],
  ['tmpfs bigger than memory', { tmpfs: [{ target: '/cache', sizeMiB: 512 }] }, "app/web: 'tmpfs[0].sizeMiB' must be an integer from 1 to 128, got 512. A tmpfs lives in the container's memory"],
  ['privileged without reason', { privileged: true }, "app/web: 'privileged' needs 'unsafeReason': it gives up part of the container's isolation (privileged), got true. Set unsafeReason"],
  ['host network without reason', { hostNetwork: true }, "app/web: 'hostNetwork' needs 'unsafeReason'"],
  ['host PID without reason', { hostPid: true }, "app/web: 'hostPid' needs 'unsafeReason'"],
  ['host IPC without reason', { hostIpc: true }, "app/web: 'hostIpc' needs 'unsafeReason'"],
  ['host UTS without reason', { hostUts: true }, "app/web: 'hostUts' needs 'unsafeReason'"],
  ['seccomp unconfined without reason', { seccompUnconfined: true }, "app/web: 'seccompUnconfined' needs 'unsafeReason'"],
  ['privilege escalation without reason', { allowPrivilegeEscalation: true }, "app/web: 'allowPrivilegeEscalation' needs 'unsafeReason'"],
  ['keeping default capabilities without reason', { capDrop: ['NET_RAW'] }, "app/web: 'capDrop' needs 'unsafeReason'"],
  ['adding ALL capabilities without reason', { capAdd: ['ALL'] }, "app/web: 'capAdd' needs 'unsafeReason'"],
  ['unknown capability', { capAdd: ['SUPERPOWER'] }, "app/web: 'capAdd' must list Linux capabilities (capabilities(7), without CAP_), got \"SUPERPOWER\"."],
  ['a reason with nothing unsafe', { unsafeReason: 'just in case we need it' }, "app/web: 'unsafeReason' is set but the container asks for nothing unsafe"],
  ['a reason too short', { privileged: true, unsafeReason: 'yes' }, "app/web: 'unsafeReason' must be a sentence of at least 10 characters, got \"yes\"."],
  ['host network with ports', { hostNetwork: true, unsafeReason: 'binds many ports dynamically', ports: [{ containerPort: 80 }] },
    "app/web: 'ports' must be empty with hostNetwork"],
  ['maxRestarts with always', { restartPolicy: RestartPolicy.ALWAYS, maxRestarts: 3 }, "app/web: 'maxRestarts' only applies to RestartPolicy.ON_FAILURE, not 'always', got 3."],
  ['maxRestarts 0', { maxRestarts: 0 }, "app/web: 'maxRestarts' must be an integer from 1 to 100, got 0."],
  ['empty health command', { healthCheck: { command: [] } }, "app/web: 'healthCheck.command' must be a non-empty list of strings (an argv, no NUL bytes), got []."],
  ['health command as a string', { healthCheck: { command: 'curl localhost' as any } }, "app/web: 'healthCheck.command' must be a non-empty list of strings"],
  // A list of one element that is not a string: the library's error, not a TypeError from cdktf's list-token lookup.
  ['a command of one number', { command: [1 as any] }, "app/web: 'command' must be a list of strings (an argv, no NUL bytes), got [1]."],
  ['a command of one list', { command: [['x'] as any] }, "app/web: 'command' must be a list of strings (an argv, no NUL bytes), got [[\"x\"]]."],
  ['an entrypoint of one null', { entrypoint: [null as any] }, "app/web: 'entrypoint' must be a non-empty list of strings (an argv, no NUL bytes), got [null]."],
  ['a health command of one boolean', { healthCheck: { command: [true as any] } }, "app/web: 'healthCheck.command' must be a non-empty list of strings (an argv, no NUL bytes), got [true]."],
  ['capAdd of one number', { capAdd: [5 as any] }, "app/web: 'capAdd' must list Linux capabilities (capabilities(7), without CAP_), got 5."],
  ['capDrop of one object', { capDrop: [{} as any] }, "app/web: 'capDrop' must list Linux capabilities (capabilities(7), without CAP_), got {}."],
  ['health interval 0', { healthCheck: { command: ['true'], intervalSeconds: 0 } }, "app/web: 'healthCheck.intervalSeconds' must be an integer from 1 to 3600, got 0."],
  ['bad user', { user: 'root; rm -rf /' }, "app/web: 'user' must be a user name, uid or 'uid:gid', got \"root; rm -rf /\"."],
  ['bad log size', { logOptions: { maxSize: '10MB' } }, "app/web: 'logOptions.maxSize' must be a size such as '10m', '512k' or '1g', got \"10MB\"."],
  ['reserved label prefix', { labels: { 'cdktf-isolation.container': 'x' } }, "app/web: 'labels' must not use the 'cdktf-isolation.' prefix"],
  ['capability added and dropped', { capAdd: ['CHOWN'], capDrop: ['ALL', 'CHOWN'] }, "app/web: 'capAdd' must not add a capability it also drops (CHOWN)"],
  ['not a ContainerImage', { image: 'nginx:1.27' as any }, "app/web: 'image' must be a ContainerImage, got \"nginx:1.27\". Use ContainerImage.fromRegistry('name:tag')"],
  ['non-boolean readOnlyRootFilesystem', { readOnlyRootFilesystem: 'false' as any }, "app/web: 'readOnlyRootFilesystem' must be true or false, got \"false\"."],
];

describe('ContainerSpec rejects bad input with path, prop, value and fix', () => {
  test.each(INVALID)('%s', (_name, options, message) => {
    const e = errorOf(() => ContainerSpec.of({ ...base, ...options } as ContainerOptions, 'app/web'));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message.slice(0, message.length)).toBe(message);
  });

  test('null options are the library error, not a TypeError', () => {
    expect(errorOf(() => ContainerSpec.of(null as any, 'app/web'))).toBeInstanceOf(IsolationError);
  });
});

describe('ContainerImage', () => {
  test.each([
    'nginx:1.27', 'library/nginx:1.27-alpine', 'ghcr.io/acme/api:2.1.0', 'registry.example.com:5000/team/app:v1',
    `nginx@sha256:${'a'.repeat(64)}`, `nginx:1.27@sha256:${'b'.repeat(64)}`, 'localhost:5000/busybox-test:1', 'a__b/c--d:x_Y.1-2',
  ])('accepts %s', (ref) => {
    expect(ContainerImage.fromRegistry(ref).reference).toBe(ref);
  });

  test.each([
    ['nginx', "'reference' must name a tag or a digest, got \"nginx\". Pin the image: 'nginx:<tag>' or 'nginx@sha256:<digest>'"],
    ['Nginx:1', "'reference' must be an image reference, got \"Nginx:1\"."],
    ['nginx:', "'reference' must be an image reference, got \"nginx:\"."],
    ['nginx:-bad', "'reference' must be an image reference"],
    ['nginx@sha256:abc', "'reference' must be an image reference"],
    ['', "'reference' must be an image reference, got \"\"."],
    ['http://ghcr.io/acme/api:1', "'reference' must be an image reference"],
    ['nginx 1.27', "'reference' must be an image reference"],
  ])('rejects %j', (ref, message) => {
    expect(() => ContainerImage.fromRegistry(ref)).toThrow(`ContainerImage.fromRegistry: ${message}`);
  });

  test('fromEcr parses the repository and pins the tag', () => {
    const img = ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api', '1.4.2');
    expect(img.reference).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.4.2');
    expect(img.ecr).toEqual({
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      accountId: '123456789012',
      region: 'eu-west-1',
      repositoryName: 'team/api',
      repositoryArn: 'arn:aws:ecr:eu-west-1:123456789012:repository/team/api',
    });
    const digest = `sha256:${'c'.repeat(64)}`;
    expect(ContainerImage.fromEcr('123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/api', digest).reference)
      .toBe(`123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/api@${digest}`);
  });

  test.each([
    ['docker.io/library/nginx', '1', "ContainerImage.fromEcr: 'repositoryUrl' must be an ECR repository URL"],
    ['12345.dkr.ecr.eu-west-1.amazonaws.com/api', '1', "ContainerImage.fromEcr: 'repositoryUrl' must be an ECR repository URL"],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/API', '1', "ContainerImage.fromEcr: 'repositoryUrl' must be an ECR repository URL"],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', '', "ContainerImage.fromEcr: 'tag' must be an image tag or a digest sha256:<hex>, got \"\"."],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', 'sha256:xyz', "ContainerImage.fromEcr: 'tag' must be an image tag or a digest"],
  ])('fromEcr rejects %s %j', (url, tag, message) => {
    expect(() => ContainerImage.fromEcr(url, tag)).toThrow(message);
  });
});
