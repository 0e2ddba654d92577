import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage, buildImage, DockerEngine, requireEngineOrSkip } from './engine';
import { hostEnv, Reconciled, runDocument } from './reconcile-host';
import { ContainerImage } from '../../src/containers/container-image';
import { ContainerOptions, RestartPolicy } from '../../src/core/container-options';
import { ContainerSpec } from '../../src/core/container-spec';
import { ContainerSet, ContainerSetConfig } from '../../src/core/render/container-set';
import { DockerRun } from '../../src/core/render/docker-run';
import { HostScripts } from '../../src/core/render/host-scripts';
import { ContainerUnit } from '../../src/core/render/systemd';
import { freePort, httpGet } from '../helpers/http';
import { requireTools, run } from '../helpers/tools';

/*
 * The rendered reconcile, run as the SSM agent would run the document's
 * commands, against the test's private engine. The host's directories move
 * under a temp root (CDKTF_ISOLATION_LIB, CDKTF_ISOLATION_UNIT_DIR, ...) and
 * systemctl is a stand-in that records its calls (CDKTF_ISOLATION_SYSTEMCTL).
 */

const V1 = 'cdktf-test/busybox:1';
const V2 = 'cdktf-test/busybox:2';
/** Runs, but serves an empty directory (404 for /), so its health check fails. */
const BROKEN = 'cdktf-test/busybox:broken';

const enabled = requireEngineOrSkip() && requireTools('reconcile on a real engine', ['flock', 'sha256sum', 'gzip', 'base64']);


(enabled ? describe : describe.skip)('the reconcile on a real Docker engine', () => {
  let engine: DockerEngine;
  let work: string;
  let lib: string;
  let unitDir: string;
  let systemctlLog: string;
  let dockerLog: string;
  let env: NodeJS.ProcessEnv;
  let webPort: number;
  let apiPort: number;

  const health = { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'], intervalSeconds: 1, timeoutSeconds: 1, retries: 2, startPeriodSeconds: 1 };
  const web = (): ContainerOptions => ({
    name: 'web', image: ContainerImage.fromRegistry(V1), memoryMiB: 32, ports: [{ containerPort: 8080, hostPort: webPort }], healthCheck: health, stopTimeoutSeconds: 2,
  });
  const api = (image: string, version: string): ContainerOptions => ({
    name: 'api',
    image: ContainerImage.fromRegistry(image),
    memoryMiB: 32,
    ports: [{ containerPort: 8080, hostPort: apiPort }],
    healthCheck: health,
    environment: { VERSION: version },
    stopTimeoutSeconds: 2,
  });
  const worker = (): ContainerOptions => ({ name: 'worker', image: ContainerImage.fromRegistry(V1), memoryMiB: 16, command: ['sleep', '3600'], stopTimeoutSeconds: 1 });
  const setOf = (...options: ContainerOptions[]): ContainerSetConfig =>
    ContainerSet.render(options.map((o) => ContainerSpec.of(o, `host/${o.name}`)), { settleSeconds: 2, healthTimeoutSeconds: 20 }, 'host');

  /** Runs the document's commands with sh, as the agent does, without blocking the event loop. */
  function reconcile(set: ContainerSetConfig): Promise<Reconciled> {
    writeFileSync(systemctlLog, '');
    writeFileSync(dockerLog, '');
    return runDocument(set, work, env, 120_000);
  }

  const state = (name: string) => {
    const c = engine.inspect(name);
    return { id: c.Id as string, startedAt: c.State.StartedAt as string, image: c.Config.Image as string, digest: c.Config.Labels['cdktf-isolation.spec-digest'] as string };
  };
  const systemctlCalls = () => readFileSync(systemctlLog, 'utf8').split('\n').filter((l) => l !== '');
  /** The docker subcommands of the last reconcile, in order, with repeats of one collapsed into `name xN`. */
  const dockerCalls = () => {
    const calls = readFileSync(dockerLog, 'utf8').split('\n').filter((l) => l !== '');
    const out: string[] = [];
    for (let i = 0; i < calls.length;) {
      let j = i;
      while (j < calls.length && calls[j] === calls[i]) j++;
      out.push(j - i > 1 ? `${calls[i]} x${j - i}` : calls[i]);
      i = j;
    }
    return out;
  };
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const digestOf = (set: ContainerSetConfig, name: string) => set.containers.find((c) => c.name === name)!.digest;

  beforeAll(async () => {
    engine = DockerEngine.start();
    buildBusyboxImage(engine, V1);
    engine.docker(['tag', V1, V2]);
    buildImage(engine, BROKEN, `FROM ${V1}\nCMD ["/bin/httpd","-f","-p","8080","-h","/tmp"]\n`);
    webPort = await freePort();
    apiPort = await freePort();
    while (apiPort === webPort) apiPort = await freePort();

    work = mkdtempSync(join(tmpdir(), 'cdktf-reconcile-'));
    lib = join(work, 'root/usr/local/lib/cdktf-isolation');
    unitDir = join(work, 'root/etc/systemd/system');
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, 'pull-image.sh'), HostScripts.pullImage(), { mode: 0o755 });
    const bin = join(work, 'bin');
    mkdirSync(bin);
    systemctlLog = join(work, 'systemctl.log');
    writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${systemctlLog}'\n`, { mode: 0o755 });
    // Every docker command the scripts run, logged (its subcommand), then run by the real client.
    const dockerBin = join(work, 'docker-bin');
    mkdirSync(dockerBin);
    dockerLog = join(work, 'docker.log');
    writeFileSync(join(dockerBin, 'docker'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${dockerLog}'\nexec /usr/bin/docker "$@"\n`, { mode: 0o755 });
    env = hostEnv(work, { socket: engine.socket, lib, unitDir, systemctl: join(bin, 'systemctl') }, { PATH: `${dockerBin}:/usr/bin:/bin:/usr/sbin:/sbin` });
    mkdirSync(join(work, 'root/var/lib/cloud/instance'), { recursive: true });
    writeFileSync(env.CDKTF_ISOLATION_BOOT_FINISHED!, '');

    // First boot: cloud-init wrote web's start script, and its unit ran it
    // (under the shared lock); the first reconcile must leave it alone.
    const spec = ContainerSpec.of(web(), 'host/web');
    mkdirSync(join(lib, 'containers'));
    mkdirSync(unitDir, { recursive: true });
    writeFileSync(join(lib, 'containers/web.sh'), DockerRun.startScript(spec), { mode: 0o700 });
    writeFileSync(join(unitDir, 'cdktf-container-web.service'), ContainerUnit.render(spec));
    const boot = run('flock', [env.CDKTF_ISOLATION_LOCK!, join(lib, 'containers/web.sh')], { env });
    if (boot.status !== 0) throw new Error(`first boot start of web failed: ${boot.stderr}`);
    engine.waitFor(() => engine.inspect('web').State.Health?.Status === 'healthy', 30_000, 'web healthy after first boot');
  }, 300_000);

  afterAll(() => {
    engine?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('set A: the container of first boot is left alone, the others are created, healthy, with their definitions and units on disk', async () => {
    const before = state('web');
    const set = setOf(web(), api(V1, '1'), worker());
    const r = await reconcile(set);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('cdktf-isolation: reconciled: unchanged: web; updated:; created: api worker; removed:');
    expect(state('web')).toEqual(before);
    expect(before.digest).toBe(sha256(readFileSync(join(lib, 'containers/web.sh'), 'utf8')));
    expect(before.digest).toBe(digestOf(set, 'web'));
    for (const name of ['api', 'worker']) {
      expect(state(name).digest).toBe(digestOf(set, name));
      expect(readFileSync(join(lib, `containers/${name}.sh`), 'utf8')).toBe(set.containers.find((c) => c.name === name)!.startScript);
      expect(readFileSync(join(unitDir, `cdktf-container-${name}.service`), 'utf8')).toBe(set.containers.find((c) => c.name === name)!.unit);
    }
    expect(engine.inspect('api').State.Health.Status).toBe('healthy');
    expect(engine.inspect('worker').State.Running).toBe(true);
    expect(systemctlCalls()).toEqual([
      'daemon-reload', 'enable cdktf-container-api.service', 'enable cdktf-container-worker.service',
      'start --no-block cdktf-container-api.service', 'start --no-block cdktf-container-worker.service',
    ]);
    expect(await httpGet(`http://127.0.0.1:${apiPort}/`)).toEqual({ status: 200, body: 'ok' });
  }, 120_000);

  test('the unit start the reconcile queued keeps the container it created (its start script sees its own digest running)', () => {
    const before = state('api');
    const r = run('flock', [env.CDKTF_ISOLATION_LOCK!, join(lib, 'containers/api.sh')], { env });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
    expect(state('api')).toEqual(before);
  });

  test('the same set twice restarts nothing and tells systemd nothing', async () => {
    const before = ['web', 'api', 'worker'].map(state);
    const r = await reconcile(setOf(web(), api(V1, '1'), worker()));
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('cdktf-isolation: reconciled: unchanged: api web worker; updated:; created:; removed:');
    expect(['web', 'api', 'worker'].map(state)).toEqual(before);
    expect(systemctlCalls()).toEqual([]);
    // Unchanged containers cost no docker call: one listing gives every container's digest.
    expect(dockerCalls()).toEqual(['ps']);
  }, 120_000);

  test('set B: a new tag and environment for api update it; web keeps its id and StartedAt and answers every request meanwhile', async () => {
    const webBefore = state('web');
    const workerBefore = state('worker');
    const apiBefore = state('api');
    const set = setOf(web(), api(V2, '2'), worker());
    let done = false;
    let requests = 0;
    const failures: string[] = [];
    const loop = (async () => {
      // Bounded: at most 2000 requests, one every 20 ms, until the reconcile ends.
      while (!done && requests < 2000) {
        requests++;
        try {
          const res = await httpGet(`http://127.0.0.1:${webPort}/`);
          if (res.status !== 200 || res.body !== 'ok') failures.push(`${res.status} ${res.body}`);
        } catch (e) {
          failures.push(String(e));
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const r = await reconcile(set);
    done = true;
    await loop;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`cdktf-isolation: api: pulling ${V2}\ncdktf-isolation: api: stopping ${V1}\ncdktf-isolation: api: starting ${V2}\n`);
    expect(r.stdout.trim().split('\n').pop()).toBe('cdktf-isolation: reconciled: unchanged: web worker; updated: api; created:; removed:');
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(10);
    expect(state('web')).toEqual(webBefore);
    expect(state('worker')).toEqual(workerBefore);
    const c = engine.inspect('api');
    expect(c.Id).not.toBe(apiBefore.id);
    expect(c.Config.Image).toBe(V2);
    expect(c.Config.Env).toContain('VERSION=2');
    expect(c.Config.Labels['cdktf-isolation.spec-digest']).toBe(digestOf(set, 'api'));
    expect(c.State.Health.Status).toBe('healthy');
    // A reboot brings back B's api; A's is kept as the previous definition.
    expect(readFileSync(join(lib, 'containers/api.sh'), 'utf8')).toBe(set.containers.find((x) => x.name === 'api')!.startScript);
    expect(readFileSync(join(lib, 'previous/api.sh'), 'utf8')).toBe(setOf(api(V1, '1')).containers[0].startScript);
    // The unit does not change with the image: no reload; its start is queued (a no-op for an active unit).
    expect(systemctlCalls()).toEqual(['start --no-block cdktf-container-api.service']);
    // The docker calls of the update: the listing, one inspect of api, pull-image.sh's image inspect (V2 is
    // present: a tag of V1), its stop, then the start script without its own checks (rm, run), then the health wait.
    const calls = dockerCalls();
    expect(calls.slice(0, 6)).toEqual(['ps', 'inspect', 'image', 'stop', 'rm', 'run']);
    expect(calls.slice(6)).toEqual([expect.stringMatching(/^inspect( x\d+)?$/)]);
  }, 120_000);

  test('set C: an image that fails its health check is rolled back; the previous version runs healthy again; the exit is non-zero and names the container, image and reason', async () => {
    const webBefore = state('web');
    const previous = setOf(web(), api(V2, '2'), worker());
    const r = await reconcile(setOf(web(), api(BROKEN, '3'), worker()));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^cdktf-isolation: error: container api: image ${BROKEN.replace(/[.:/]/g, '\\$&')}: its health check failed \\(last output: "wget: server returned error: HTTP/1\\.[01] 404 Not Found(\\\\n)?"\\); ` +
      `rolled back to the previous definition \\(${V2.replace(/[.:/]/g, '\\$&')}\\), which is running and healthy\\n$`));
    const c = engine.inspect('api');
    expect(c.Config.Image).toBe(V2);
    expect(c.Config.Env).toContain('VERSION=2');
    expect(c.State.Running).toBe(true);
    expect(c.State.Health.Status).toBe('healthy');
    expect(c.Config.Labels['cdktf-isolation.spec-digest']).toBe(digestOf(previous, 'api'));
    expect(await httpGet(`http://127.0.0.1:${apiPort}/`)).toEqual({ status: 200, body: 'ok' });
    // The failed definition is not installed: a reboot brings back B's.
    expect(readFileSync(join(lib, 'containers/api.sh'), 'utf8')).toBe(previous.containers.find((x) => x.name === 'api')!.startScript);
    expect(state('web')).toEqual(webBefore);
    expect(readFileSync(env.CDKTF_ISOLATION_LOG!, 'utf8')).toMatch(/ error: container api: image cdktf-test\/busybox:broken: /);
  }, 120_000);

  test('a pull that fails (a registry on a closed 127.0.0.1 port) leaves the running version alone and says so', async () => {
    const before = ['web', 'api', 'worker'].map(state);
    const missing = '127.0.0.1:1/cdktf-test/missing:1';
    const r = await reconcile(setOf(web(), api(missing, '2'), worker()));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toBe(`cdktf-isolation: error: container api: image ${missing}: the pull failed; api still runs ${V2}`);
    expect(r.stderr).toContain(`cdktf-isolation: could not pull ${missing} after 1 attempts\n`);
    expect(['web', 'api', 'worker'].map(state)).toEqual(before);
  }, 120_000);

  test('a container without a health check that exits within the settle time is rolled back to its previous definition', async () => {
    const before = ['web', 'api'].map(state);
    // Seen exited, restarting, or running again after a restart: whichever the check meets first.
    const crashing = { ...worker(), command: ['sh', '-c', 'sleep 1; exit 3'] };
    const r = await reconcile(setOf(web(), api(V2, '2'), crashing));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^cdktf-isolation: error: container worker: image ${V1.replace(/[.:/]/g, '\\$&')}: it stopped running \\(state \\w+, exit code \\d+, restarts \\d+\\); ` +
      `rolled back to the previous definition \\(${V1.replace(/[.:/]/g, '\\$&')}\\), which is running and healthy\\n$`));
    const c = engine.inspect('worker');
    expect({ running: c.State.Running, restarts: c.RestartCount, cmd: c.Config.Cmd, digest: c.Config.Labels['cdktf-isolation.spec-digest'] })
      .toEqual({ running: true, restarts: 0, cmd: ['sleep', '3600'], digest: digestOf(setOf(worker()), 'worker') });
    expect(['web', 'api'].map(state)).toEqual(before);
  }, 120_000);

  test('a new container that fails its health check is removed, and nothing of it is kept', async () => {
    const extra = { ...api(BROKEN, '1'), name: 'extra', ports: [] };
    const r = await reconcile(setOf(web(), api(V2, '2'), worker(), extra));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^cdktf-isolation: error: container extra: image ${BROKEN.replace(/[.:/]/g, '\\$&')}: its health check failed \\(last output: "wget: server returned error: HTTP/1\\.[01] 404 Not Found(\\\\n)?"\\); ` +
      'no previous definition is kept on this host, so it is removed\\n$'));
    expect(engine.docker(['inspect', 'extra'], { allowFailure: true }).status).not.toBe(0);
    expect(existsSync(join(lib, 'containers/extra.sh'))).toBe(false);
    expect(existsSync(join(unitDir, 'cdktf-container-extra.service'))).toBe(false);
    expect(systemctlCalls()).toEqual([]);
  }, 120_000);

  test('set D: a container that left the set is stopped and removed with its unit and definitions', async () => {
    const before = ['web', 'worker'].map(state);
    const r = await reconcile(setOf(web(), worker()));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('cdktf-isolation: reconciled: unchanged: web worker; updated:; created:; removed: api');
    expect(engine.docker(['inspect', 'api'], { allowFailure: true }).status).not.toBe(0);
    expect(existsSync(join(unitDir, 'cdktf-container-api.service'))).toBe(false);
    expect(existsSync(join(lib, 'containers/api.sh'))).toBe(false);
    expect(existsSync(join(lib, 'previous/api.sh'))).toBe(false);
    expect(systemctlCalls()).toEqual(['disable --now cdktf-container-api.service', 'daemon-reload']);
    expect(['web', 'worker'].map(state)).toEqual(before);
  }, 120_000);

  test('a one-shot container (restart policy no) that exits 0 has done its job; the same set again leaves it alone', async () => {
    const job = { ...worker(), name: 'job', command: ['true'], restartPolicy: RestartPolicy.NEVER };
    const r = await reconcile(setOf(web(), worker(), job));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('cdktf-isolation: reconciled: unchanged: web worker; updated:; created: job; removed:');
    // Not running, so no unit start is queued: it runs again at the next boot.
    expect(systemctlCalls()).toEqual(['daemon-reload', 'enable cdktf-container-job.service']);
    const before = state('job');
    expect(engine.inspect('job').State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    const again = await reconcile(setOf(web(), worker(), job));
    expect(again.stdout.trim().split('\n').pop()).toBe('cdktf-isolation: reconciled: unchanged: job web worker; updated:; created:; removed:');
    expect(state('job')).toEqual(before);
  }, 120_000);

  test('a held lock (a unit starting at boot) makes the reconcile wait, then fail without touching anything', async () => {
    const before = ['web', 'worker'].map(state);
    const holder = spawn('flock', [env.CDKTF_ISOLATION_LOCK!, 'sleep', '30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      env = { ...env, CDKTF_ISOLATION_LOCK_WAIT: '1' };
      const r = await reconcile(setOf(worker()));
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`cdktf-isolation: error: the lock ${env.CDKTF_ISOLATION_LOCK} was held for 1 seconds (another reconcile, or a container unit at boot); nothing was changed\n`);
      expect(['web', 'worker'].map(state)).toEqual(before);
    } finally {
      holder.kill();
      delete env.CDKTF_ISOLATION_LOCK_WAIT;
    }
  }, 60_000);

  test('the document leaves no staging directory behind', () => {
    expect(run('sh', ['-c', `ls -d "${lib}"/desired.* 2>/dev/null | wc -l`]).stdout.trim()).toBe('0');
  });
});
