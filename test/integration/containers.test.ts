import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildBusyboxImage, DockerEngine, requireEngineOrSkip } from './engine';
import { ContainerImage, ContainerOnVm, MachineImage, Protocol, RestartPolicy, VmHost } from '../../src';
import { DockerDaemonConfig } from '../../src/core/render/daemon-json';
import { DockerRun } from '../../src/core/render/docker-run';
import { ContainerUnit } from '../../src/core/render/systemd';
import { cloudInitSchema, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { materialize, systemdRoot, systemdVerify } from '../helpers/host-root';
import { fetchWithRetries, freePort } from '../helpers/http';
import { awsStack, onlyResource, synthJson, userDataOf } from '../helpers/synth';
import { requireTools, run } from '../helpers/tools';

const IMAGE = 'cdktf-test/busybox:1';
/** Values that must reach the container byte for byte. */
const NASTY = "it's $HOME \"double\" `tick` \\back\\slash\nsecond line %s %% 100% ünïcødé ✓ tab\there  ";
const SECRET = 'p@ss w0rd $x \'q\' "dq" ✓';

const enabled = requireEngineOrSkip() && requireTools('container unit checks', ['systemd-analyze', 'cloud-init', 'shellcheck']);

(enabled ? describe : describe.skip)('containers on a real Docker engine', () => {
  let engine: DockerEngine;
  let work: string;
  let port: number;
  let userData: string;
  let host: VmHost;
  const containers: Record<string, ContainerOnVm> = {};
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // The daemon runs with the library's own daemon.json.
    engine = DockerEngine.start({ daemonJson: DockerDaemonConfig.render() });
    buildBusyboxImage(engine, IMAGE);
    port = await freePort();
    work = mkdtempSync(join(tmpdir(), 'cdktf-containers-'));

    const { stack } = awsStack();
    host = new VmHost(stack, 'host', { machineImage: MachineImage.debian12(), instanceType: 't3.medium' });
    const image = ContainerImage.fromRegistry(IMAGE);
    containers.web = new ContainerOnVm(stack, 'web', {
      host,
      name: 'web',
      image,
      command: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'],
      environment: { GREETING: NASTY, MODE: 'prod' },
      secretEnvironment: { DB_PASSWORD: '/prod/db/password' },
      ports: [{ containerPort: 8080, hostPort: port }, { containerPort: 5353, protocol: Protocol.UDP, hostPort: port }],
      memoryMiB: 64,
      cpus: 0.5,
      pidsLimit: 64,
      user: '65534:65534',
      workingDirectory: '/www',
      tmpfs: [{ target: '/cache', sizeMiB: 8 }],
      volumes: [{ source: 'web-data', target: '/data' }, { source: join(work, 'root/srv/cdktf-test'), target: '/files', readOnly: true }],
      capAdd: ['NET_BIND_SERVICE'],
      healthCheck: { command: ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'], intervalSeconds: 1, timeoutSeconds: 1, retries: 3, startPeriodSeconds: 1 },
      maxRestarts: 3,
      logOptions: { maxSize: '1m', maxFiles: 2 },
      labels: { team: 'web', note: NASTY },
      stopTimeoutSeconds: 3,
    });
    containers.sleeper = new ContainerOnVm(stack, 'sleeper', {
      host, name: 'sleeper', image, command: ['sleep', '3600'], memoryMiB: 16, restartPolicy: RestartPolicy.ON_FAILURE, maxRestarts: 2,
    });
    containers.failer = new ContainerOnVm(stack, 'failer', { host, name: 'failer', image, command: ['false'], memoryMiB: 16, maxRestarts: 2 });
    containers.echo = new ContainerOnVm(stack, 'echo', { host, name: 'echo', image, command: ['printf', '%s', NASTY], memoryMiB: 16, restartPolicy: RestartPolicy.NEVER });
    containers.stopper = new ContainerOnVm(stack, 'stopper', { host, name: 'stopper', image, command: ['sleep', '3600'], memoryMiB: 16, stopTimeoutSeconds: 2 });
    host.cloudConfig.addFile({ path: '/srv/cdktf-test/nasty.txt', content: NASTY });
    userData = userDataOf(onlyResource(synthJson(stack), 'aws_instance'));

    // The host's files, as cloud-init writes them. AWS is unreachable from
    // tests, so `curl` (IMDS) and `aws` (SSM) are stand-ins on the PATH; the
    // library's ssm-env.sh itself runs for real.
    materialize(userData, join(work, 'root'));
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'curl'), '#!/bin/sh\ncase "$*" in *api/token*) echo token ;; *placement/region*) echo eu-west-1 ;; *) exit 22 ;; esac\n', { mode: 0o755 });
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\n[ "$*" = "ssm get-parameter --region eu-west-1 --with-decryption --name /prod/db/password --query Parameter.Value --output text" ] || exit 3\nprintf '%s\\n' '${SECRET.replace(/'/g, "'\\''")}'\n`, { mode: 0o755 });
    env = {
      PATH: `${bin}:/usr/bin:/bin:/usr/sbin:/sbin`,
      DOCKER_HOST: `unix://${engine.socket}`,
      DOCKER_CONFIG: join(work, 'docker-config'),
      CDKTF_ISOLATION_LIB: join(work, 'root/usr/local/lib/cdktf-isolation'),
      CDKTF_ISOLATION_RUN: join(work, 'run'),
      CDKTF_ISOLATION_PULL_ATTEMPTS: '1',
    };
    for (const name of ['web', 'sleeper', 'failer', 'echo', 'stopper']) {
      const r = run(join(work, 'root', DockerRun.scriptPath(containers[name].spec)), [], { env });
      if (r.status !== 0) throw new Error(`start script of ${name} failed: ${r.stderr}`);
    }
  });

  afterAll(() => {
    engine?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('by default a container runs as uid and gid 65532 with CPU shares 512, and writes its tmpfs but not its root', () => {
    const c = engine.inspect('sleeper');
    expect({ User: c.Config.User, CpuShares: c.HostConfig.CpuShares, NanoCpus: c.HostConfig.NanoCpus })
      .toEqual({ User: '65532:65532', CpuShares: 512, NanoCpus: 0 });
    expect(engine.docker(['exec', 'sleeper', 'id', '-u']).stdout.trim()).toBe('65532');
    expect(engine.docker(['exec', 'sleeper', 'id', '-g']).stdout.trim()).toBe('65532');
    expect(engine.docker(['exec', 'sleeper', 'sh', '-c', 'echo ok > /tmp/probe && cat /tmp/probe']).stdout).toBe('ok\n');
    const root = engine.docker(['exec', 'sleeper', 'sh', '-c', 'echo no > /probe'], { allowFailure: true });
    expect(root.status).not.toBe(0);
    expect(root.stderr).toMatch(/Read-only file system/);
  });

  test('docker inspect shows exactly the limits and options of the spec', () => {
    const c = engine.inspect('web');
    const hc = c.HostConfig;
    expect({
      Memory: hc.Memory,
      MemorySwap: hc.MemorySwap,
      NanoCpus: hc.NanoCpus,
      PidsLimit: hc.PidsLimit,
      CapDrop: hc.CapDrop,
      CapAdd: hc.CapAdd,
      SecurityOpt: hc.SecurityOpt,
      ReadonlyRootfs: hc.ReadonlyRootfs,
      Tmpfs: hc.Tmpfs,
      Privileged: hc.Privileged,
      NetworkMode: hc.NetworkMode,
      PidMode: hc.PidMode,
      IpcMode: hc.IpcMode,
      UTSMode: hc.UTSMode,
      RestartPolicy: hc.RestartPolicy,
      PortBindings: hc.PortBindings,
      LogConfig: hc.LogConfig,
      Binds: [...hc.Binds].sort(), // Docker does not keep the order of binds
      User: c.Config.User,
      WorkingDir: c.Config.WorkingDir,
      StopTimeout: c.Config.StopTimeout,
      Cmd: c.Config.Cmd,
      Image: c.Config.Image,
    }).toEqual({
      Memory: 64 * 1024 * 1024,
      MemorySwap: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
      CapDrop: ['ALL'],
      CapAdd: ['NET_BIND_SERVICE'],
      SecurityOpt: ['no-new-privileges=true'],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=64m', '/cache': 'rw,noexec,nosuid,nodev,size=8m' },
      Privileged: false,
      NetworkMode: 'default',
      PidMode: '',
      IpcMode: 'private',
      UTSMode: '',
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }], '5353/udp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      LogConfig: { Type: 'json-file', Config: { 'max-file': '2', 'max-size': '1m' } },
      Binds: [`${join(work, 'root/srv/cdktf-test')}:/files:ro`, 'web-data:/data'].sort(),
      User: '65534:65534',
      WorkingDir: '/www',
      StopTimeout: 3,
      Cmd: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'],
      Image: IMAGE,
    });
    expect(c.Config.Healthcheck).toEqual({
      Test: ['CMD-SHELL', 'wget -q -O - http://127.0.0.1:8080/'], Interval: 1e9, Timeout: 1e9, StartPeriod: 1e9, Retries: 3,
    });
    expect(c.Config.Labels).toEqual({
      'cdktf-isolation.container': 'web',
      'team': 'web',
      'note': NASTY,
      // The digest of the start script it was created from, as the reconcile compares it.
      'cdktf-isolation.spec-digest': createHash('sha256').update(readFileSync(join(work, 'root', DockerRun.scriptPath(containers.web.spec)))).digest('hex'),
    });
  });

  test('the health check turns healthy and the published port answers on 127.0.0.1', async () => {
    engine.waitFor(() => engine.inspect('web').State.Health?.Status === 'healthy', 30_000, 'web healthy');
    const res = await fetchWithRetries(`http://127.0.0.1:${port}/index.html`, 20, 250);
    expect(res).toEqual({ status: 200, body: 'ok' });
  });

  test('environment values and the SSM secret reach the process byte for byte', () => {
    const environ = engine.docker(['exec', 'web', 'cat', '/proc/1/environ']).stdout.split('\0');
    expect(environ).toContain(`GREETING=${NASTY}`);
    expect(environ).toContain('MODE=prod');
    expect(environ).toContain(`DB_PASSWORD=${SECRET}`);
    const envFile = join(work, 'run', 'web.env');
    expect((statSync(envFile).mode % 0o1000).toString(8)).toBe('600');
    expect(readFileSync(envFile, 'utf8')).toBe(`DB_PASSWORD=${SECRET}\n`);
  });

  test('a command argument and a file written by cloud-init reach the container byte for byte', () => {
    engine.waitFor(() => engine.inspect('echo').State.Status === 'exited', 20_000, 'echo exited');
    expect(engine.docker(['logs', 'echo']).stdout).toBe(NASTY);
    expect(engine.docker(['exec', 'web', 'cat', '/files/nasty.txt']).stdout).toBe(NASTY);
    expect(engine.inspect('echo').Config.Cmd).toEqual(['printf', '%s', NASTY]);
  });

  test('inside: no capabilities, no new privileges, read-only root, writable /tmp, runs as nobody', () => {
    const status = engine.docker(['exec', 'web', 'cat', '/proc/1/status']).stdout;
    // Only NET_BIND_SERVICE (bit 10) is left in the bounding set; as uid 65534 the process holds none.
    expect(status).toMatch(/^CapBnd:\s+0000000000000400$/m);
    expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status).toMatch(/^Seccomp:\s+2$/m); // Docker's default profile, filtering
    expect(engine.docker(['exec', 'web', 'sh', '-c', 'echo "$(id -u):$(id -g)"']).stdout).toBe('65534:65534\n');
    expect(engine.docker(['exec', 'web', 'sh', '-c', 'echo x > /www/x'], { allowFailure: true }).status).not.toBe(0);
    expect(engine.docker(['exec', 'web', 'sh', '-c', 'echo x > /tmp/x && cat /tmp/x']).stdout).toBe('x\n');
  });

  test('a container killed with SIGKILL is restarted by Docker, its supervisor', () => {
    const before = engine.inspect('sleeper');
    expect(before.State.Running).toBe(true);
    // A crash, not a `docker kill` (which Docker counts as a manual stop):
    // SIGKILL the container's process from the host.
    process.kill(before.State.Pid, 'SIGKILL');
    engine.waitFor(() => {
      const s = engine.inspect('sleeper');
      return s.RestartCount === 1 && s.State.Running && s.State.Pid !== before.State.Pid;
    }, 20_000, 'sleeper restarted after SIGKILL');
  });

  test('a container that fails on every start stops being restarted after the bound', () => {
    engine.waitFor(() => {
      const s = engine.inspect('failer');
      return !s.State.Running && !s.State.Restarting && s.RestartCount === 2;
    }, 30_000, 'failer given up after 2 restarts');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    const s = engine.inspect('failer');
    expect([s.State.Running, s.RestartCount, s.State.ExitCode]).toEqual([false, 2, 1]);
  });

  test("the unit's stop path, run as systemd runs it (ExecStop, then ExecStopPost), stops the container within its timeout and removes it", () => {
    expect(engine.inspect('stopper').State.Running).toBe(true);
    const unit = ContainerUnit.render(containers.stopper.spec).split('\n');
    const command = (key: string) => unit.find((l) => l.startsWith(`${key}=`))!.slice(key.length + 1).replace(/^-/, '').split(' ');
    const stop = command('ExecStop');
    const post = command('ExecStopPost');
    expect([stop, post]).toEqual([['/usr/bin/docker', 'stop', '--time', '2', 'stopper'], ['/usr/bin/docker', 'rm', '--force', 'stopper']]);
    const t0 = Date.now();
    for (const argv of [stop, post]) {
      const r = run(argv[0], argv.slice(1), { env });
      expect({ argv, status: r.status, stderr: r.stderr }).toEqual({ argv, status: 0, stderr: '' });
    }
    // `sleep` ignores SIGTERM as PID 1: Docker kills it after the 2 s the unit gives it.
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(engine.docker(['ps', '--all', '--filter', 'name=^stopper$', '--format', '{{.Names}}']).stdout.trim()).toBe('');
  });

  test('the start script is idempotent: running it again keeps a container that runs its definition, and replaces a stopped one', () => {
    const script = join(work, 'root', DockerRun.scriptPath(containers.sleeper.spec));
    const first = engine.inspect('sleeper');
    const again = run(script, [], { env });
    expect(again.status).toBe(0);
    expect([engine.inspect('sleeper').Id, engine.inspect('sleeper').State.StartedAt]).toEqual([first.Id, first.State.StartedAt]);
    engine.docker(['stop', '--time', '1', 'sleeper']);
    const r = run(script, [], { env });
    expect(r.status).toBe(0);
    const second = engine.inspect('sleeper');
    expect(second.Id).not.toBe(first.Id);
    expect(second.State.Running).toBe(true);
  });

  test('the daemon runs with the library daemon.json: live restore, json-file logs rotated, no-new-privileges by default', () => {
    const info = JSON.parse(engine.docker(['info', '--format', '{{json .}}']).stdout);
    expect([info.LiveRestoreEnabled, info.LoggingDriver]).toEqual([true, 'json-file']);
    engine.docker(['run', '-d', '--name', 'plain', IMAGE, 'sleep', '600']);
    expect(engine.inspect('plain').HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } });
    expect(engine.docker(['exec', 'plain', 'cat', '/proc/1/status']).stdout).toMatch(/^NoNewPrivs:\s+1$/m);
  });

  test('every unit passes systemd-analyze verify with no warnings', () => {
    const root = systemdRoot(userData);
    try {
      for (const c of Object.values(containers)) {
        const r = systemdVerify(root, c.unitName);
        expect({ unit: c.unitName, status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ unit: c.unitName, status: 0, stderr: '', stdout: '' });
      }
      // The check can fail: a typo in a unit is reported.
      writeFileSync(join(root, 'etc/systemd/system/broken.service'), '[Service]\nExecStart=/usr/bin/docker ps\nRestrat=always\n');
      expect(systemdVerify(root, 'broken.service').stderr).toContain("Unknown key 'Restrat'");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the cloud-config of the host with five containers passes cloud-init schema, and its scripts shellcheck', () => {
    const schema = cloudInitSchema(userData);
    expect({ status: schema.status, stderr: schema.stderr }).toEqual({ status: 0, stderr: '' });
    const scripts = shellScriptsOf(userData);
    expect(scripts.map((s) => s.where)).toEqual([
      '/usr/local/lib/cdktf-isolation/wait-for-docker.sh',
      '/usr/local/lib/cdktf-isolation/install-ssm-agent.sh',
      '/usr/local/lib/cdktf-isolation/pull-image.sh',
      '/usr/local/lib/cdktf-isolation/ssm-env.sh',
      '/usr/local/lib/cdktf-isolation/containers/web.sh',
      '/usr/local/lib/cdktf-isolation/containers/sleeper.sh',
      '/usr/local/lib/cdktf-isolation/containers/failer.sh',
      '/usr/local/lib/cdktf-isolation/containers/echo.sh',
      '/usr/local/lib/cdktf-isolation/containers/stopper.sh',
    ]);
    for (const s of scripts) {
      const r = shellcheck(s.text);
      expect({ where: s.where, out: r.stdout, status: r.status }).toEqual({ where: s.where, out: '', status: 0 });
    }
    expect(parse(userData, { version: '1.1' }).runcmd.slice(-5).map((c: string[]) => c[3])).toEqual(
      ['cdktf-container-web.service', 'cdktf-container-sleeper.service', 'cdktf-container-failer.service', 'cdktf-container-echo.service', 'cdktf-container-stopper.service']);
  });
});
