import { ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage, buildImage, DockerEngine, requireEngineOrSkip } from './engine';
import { hostEnv, LoopSummary, requestLoop, runDocument, summarize } from './reconcile-host';
import { ContainerImage } from '../../src/containers/container-image';
import { ContainerOptions } from '../../src/core/container-options';
import { ContainerSpec } from '../../src/core/container-spec';
import { ContainerSet, ContainerSetConfig } from '../../src/core/render/container-set';
import { DockerRun } from '../../src/core/render/docker-run';
import { HostScripts } from '../../src/core/render/host-scripts';
import { ReverseProxy } from '../../src/core/render/reverse-proxy';
import { ContainerUnit } from '../../src/core/render/systemd';
import { freePort, httpGet } from '../helpers/http';
import { requireTools, run } from '../helpers/tools';

/*
 * Zero-downtime cutover (issue 16) on the test's private engine, through the
 * OS's nginx (Debian's package) on the rendered configuration. nginx runs as
 * nobody, on 127.0.0.1 high ports, from a temp directory (its own pid,
 * logs, temp files): the system's nginx is never touched. The reconcile
 * runs as the SSM agent would run the document (see reconcile.test.ts).
 *
 * Every request of the loops goes to 127.0.0.1, one at a time, 20 per
 * second, each on a fresh connection.
 */

const BASE = 'cdktf-test/busybox:base';
const V1 = 'cdktf-test/web:1';
const V2 = 'cdktf-test/web:2';
/** Runs, but serves an empty directory (404 for /), so its health check fails. */
const BROKEN = 'cdktf-test/web:broken';
const NOBODY = 65534;

const enabled = requireEngineOrSkip() &&
  requireTools('zero-downtime cutover through nginx on a real engine', ['nginx', 'curl', 'flock', 'sha256sum', 'gzip', 'base64', 'shellcheck']);

(enabled ? describe : describe.skip)('zero-downtime cutover through the host\'s nginx, on a real Docker engine', () => {
  let engine: DockerEngine;
  let work: string;
  let lib: string;
  let unitDir: string;
  let proxyDir: string;
  let nginxConf: string;
  let nginxLog: string;
  let nginx: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let webPort: number;
  let plainPort: number;
  const measured: Record<string, LoopSummary> = {};

  const health = { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'], intervalSeconds: 1, timeoutSeconds: 1, retries: 2, startPeriodSeconds: 1 };
  const web = (image: string): ContainerOptions => ({
    name: 'web',
    image: ContainerImage.fromRegistry(image),
    memoryMiB: 32,
    ports: [{ containerPort: 8080, hostPort: webPort }],
    healthCheck: health,
    stopTimeoutSeconds: 2,
    zeroDowntime: { containerPort: 8080, healthPath: '/index.html', drainSeconds: 2 },
  });
  /** The same app without zeroDowntime: the plain in-place update, for the benchmark. */
  const plain = (image: string): ContainerOptions => ({
    name: 'plain', image: ContainerImage.fromRegistry(image), memoryMiB: 32, ports: [{ containerPort: 8080, hostPort: plainPort }], healthCheck: health, stopTimeoutSeconds: 2,
  });
  const setOf = (...options: ContainerOptions[]): ContainerSetConfig =>
    ContainerSet.render(options.map((o) => ContainerSpec.of(o, `host/${o.name}`)), { settleSeconds: 2, healthTimeoutSeconds: 20 }, 'host');
  const webSpec = (image: string) => ContainerSpec.of(web(image), 'host/web');
  const [slotA, slotB] = ContainerSpec.of({ ...web(V1), ports: [{ containerPort: 8080, hostPort: 8080 }] }, 'host/web').zeroDowntime!.upstreamPorts;
  const upstreamPort = () => Number(/server 127\.0\.0\.1:(\d+) /.exec(readFileSync(join(proxyDir, 'upstreams/web.conf'), 'utf8'))![1]);
  const publishedPort = (name: string) => engine.inspect(name).HostConfig.PortBindings['8080/tcp'].map((b: { HostIp: string; HostPort: string }) => `${b.HostIp}:${b.HostPort}`);
  const nginxT = (conf: string) => run('nginx', ['-t', '-c', conf, '-e', nginxLog]);

  /** Starts nginx as nobody on the test's configuration, as the proxy's unit does at boot. */
  function startNginx(): void {
    nginx = spawn('nginx', ['-c', nginxConf, '-e', nginxLog, '-g', 'daemon off;'], { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    nginx.stderr!.on('data', (d) => (stderr += d));
    nginx.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`nginx exited ${code}: ${stderr}\n`);
    });
  }

  beforeAll(async () => {
    engine = DockerEngine.start();
    buildBusyboxImage(engine, BASE);
    buildImage(engine, V1, `FROM ${BASE}\nCOPY index.html /www/index.html\n`, { 'index.html': 'v1' });
    buildImage(engine, V2, `FROM ${BASE}\nCOPY index.html /www/index.html\n`, { 'index.html': 'v2' });
    buildImage(engine, BROKEN, `FROM ${V1}\nCMD ["/bin/httpd","-f","-p","8080","-h","/tmp"]\n`);
    webPort = await freePort();
    plainPort = await freePort();
    while (plainPort === webPort) plainPort = await freePort();

    work = mkdtempSync(join(tmpdir(), 'cdktf-cutover-'));
    lib = join(work, 'root/usr/local/lib/cdktf-isolation');
    unitDir = join(work, 'root/etc/systemd/system');
    proxyDir = join(work, 'root/etc/cdktf-isolation/proxy');
    for (const d of [lib, unitDir, join(lib, 'containers'), join(proxyDir, 'sites'), join(proxyDir, 'upstreams')]) mkdirSync(d, { recursive: true });
    writeFileSync(join(lib, 'pull-image.sh'), HostScripts.pullImage(), { mode: 0o755 });
    // The proxy's own files, writable by its (unprivileged) process.
    const proxyRun = join(work, 'proxy-run');
    for (const d of [proxyRun, join(proxyRun, 'state'), join(proxyRun, 'logs')]) {
      mkdirSync(d, { recursive: true });
      chownSync(d, NOBODY, NOBODY);
    }
    run('chmod', ['0755', work]);
    nginxLog = join(proxyRun, 'logs/proxy-error.log');
    nginxConf = join(proxyDir, 'nginx.conf');
    writeFileSync(nginxConf, ReverseProxy.mainConfig({ pidFile: join(proxyRun, 'nginx.pid'), stateDir: join(proxyRun, 'state'), logDir: join(proxyRun, 'logs'), user: 'nobody nogroup' }));
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${join(work, 'systemctl.log')}'\n`, { mode: 0o755 });
    env = hostEnv(work, { socket: engine.socket, lib, unitDir, systemctl: join(bin, 'systemctl') }, { CDKTF_ISOLATION_PROXY_DIR: proxyDir });
    mkdirSync(join(work, 'root/var/lib/cloud/instance'), { recursive: true });
    writeFileSync(env.CDKTF_ISOLATION_BOOT_FINISHED!, '');

    // First boot, as cloud-init writes it (ContainerSetup.applyDefinition):
    // web's start script, unit, proxy server and upstream file; the unit runs
    // the script under the lock, and the proxy's unit starts nginx.
    const spec = webSpec(V1);
    writeFileSync(join(lib, 'containers/web.sh'), DockerRun.startScript(spec), { mode: 0o700 });
    writeFileSync(join(unitDir, 'cdktf-container-web.service'), ContainerUnit.render(spec));
    writeFileSync(join(proxyDir, ReverseProxy.sitePath('web')), ReverseProxy.site(spec));
    writeFileSync(join(proxyDir, ReverseProxy.upstreamPath('web')), ReverseProxy.upstream(spec.zeroDowntime!.upstreamPorts[0]));
    const boot = run('flock', [env.CDKTF_ISOLATION_LOCK!, join(lib, 'containers/web.sh')], { env });
    if (boot.status !== 0) throw new Error(`first boot start of web failed: ${boot.stderr}`);
    startNginx();
    engine.waitFor(() => engine.inspect('web').State.Health?.Status === 'healthy', 30_000, 'web healthy after first boot');
    // The plain container of the benchmark, created by a first reconcile.
    const r = await runDocument(setOf(web(V1), plain(V1)), work, env);
    if (r.status !== 0) throw new Error(`first reconcile failed: ${r.stderr}`);
  }, 300_000);

  afterAll(() => {
    nginx?.kill('SIGQUIT');
    engine?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    if (Object.keys(measured).length > 0) {
      // eslint-disable-next-line no-console
      console.log(`cutover measurements: ${JSON.stringify(measured)}`);
      if (process.env.CDKTF_ISOLATION_BENCH_OUT) writeFileSync(process.env.CDKTF_ISOLATION_BENCH_OUT, `${JSON.stringify(measured, null, 2)}\n`);
    }
  });

  test('nginx -t passes the rendered configuration (main, server, upstream), and the proxy answers with the first version on its published port', async () => {
    const t = nginxT(nginxConf);
    expect({ status: t.status, stderr: t.stderr }).toEqual({
      status: 0,
      stderr: `nginx: the configuration file ${nginxConf} syntax is ok\nnginx: configuration file ${nginxConf} test is successful\n`,
    });
    expect(upstreamPort()).toBe(slotA);
    expect(publishedPort('web')).toEqual([`127.0.0.1:${slotA}`]);
    const res = await httpGet(`http://127.0.0.1:${webPort}/`);
    expect(res).toEqual({ status: 200, body: 'v1' });
  });

  test('the proxy hides its version and rejects bodies over its limit', () => {
    const head = run('curl', ['-sS', '-D', '-', '-o', '/dev/null', `http://127.0.0.1:${webPort}/`]);
    expect(head.status).toBe(0);
    expect(head.stdout).toMatch(/^Server: nginx\r$/m);
    writeFileSync(join(work, 'big.bin'), Buffer.alloc(11 * 1024 * 1024, 97));
    const big = run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Content-Type: application/octet-stream',
      '--data-binary', `@${join(work, 'big.bin')}`, `http://127.0.0.1:${webPort}/`]);
    // 11 MiB over the default limit of 10 MiB.
    expect(big.stdout).toBe('413');
  });

  test('the shell the cutover runs is shellcheck-clean: the reconcile and the zero-downtime start script', () => {
    const set = setOf(web(V2));
    const dir = join(work, 'shellcheck');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'web.sh'), set.containers[0].startScript);
    const r = run('shellcheck', ['--shell=sh', '--severity=style', join(dir, 'web.sh')]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
  });

  test('baseline: the same loop through the proxy with no deploy (for the benchmark)', async () => {
    const loop = requestLoop(webPort);
    await new Promise((r) => setTimeout(r, 5000));
    loop.stop();
    const summary = summarize(await loop.done);
    measured.idleThroughProxy = summary;
    expect({ failed: summary.failed, versions: summary.versions }).toEqual({ failed: 0, versions: ['v1'] });
  }, 60_000);

  test('v1 to v2: zero failed requests through the proxy, the answers switch from v1 to v2 exactly once, and the old version is stopped after the drain', async () => {
    const loop = requestLoop(webPort);
    await new Promise((r) => setTimeout(r, 1000));
    const set = setOf(web(V2), plain(V1));
    const r = await runDocument(set, work, env);
    await new Promise((res) => setTimeout(res, 1000));
    loop.stop();
    const summary = summarize(await loop.done);
    measured.withProxy = summary;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`cdktf-isolation: web: starting ${V2} beside ${V1}, on 127.0.0.1:${slotB}\n`);
    expect(r.stdout).toContain(`cdktf-isolation: web: the proxy sends new requests to ${V2}; ${V1} drains for 2 seconds\ncdktf-isolation: web: stopping ${V1}\n`);
    expect(r.stdout.trim().split('\n').pop()).toBe('cdktf-isolation: reconciled: unchanged: plain; updated: web; created:; removed:');
    expect(summary.failed).toBe(0);
    expect(summary.versions).toEqual(['v1', 'v2']);
    expect(summary.requests).toBeGreaterThan(60);
    // The new version runs under the container's name, on the other loopback port, and the proxy points there.
    const c = engine.inspect('web');
    expect({ image: c.Config.Image, health: c.State.Health.Status, digest: c.Config.Labels['cdktf-isolation.spec-digest'] })
      .toEqual({ image: V2, health: 'healthy', digest: set.containers.find((x) => x.name === 'web')!.digest });
    expect(publishedPort('web')).toEqual([`127.0.0.1:${slotB}`]);
    expect(upstreamPort()).toBe(slotB);
    expect(engine.docker(['inspect', 'web.next'], { allowFailure: true }).status).not.toBe(0);
    expect(readFileSync(join(lib, 'containers/web.sh'), 'utf8')).toBe(set.containers.find((x) => x.name === 'web')!.startScript);
    expect(readFileSync(join(work, 'systemctl.log'), 'utf8')).toMatch(/start --no-block cdktf-container-web\.service\n$/);
  }, 180_000);

  test('a version whose health check fails: zero failed requests, every answer from the running version, a non-zero exit naming the container', async () => {
    const before = engine.inspect('web');
    const loop = requestLoop(webPort);
    const r = await runDocument(setOf(web(BROKEN), plain(V1)), work, env);
    loop.stop();
    const summary = summarize(await loop.done);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^cdktf-isolation: error: container web: image ${BROKEN.replace(/[.:/]/g, '\\$&')}: its health check failed \\(last output: .*\\); ` +
      `the new version was removed, and web still serves ${V2.replace(/[.:/]/g, '\\$&')} through the proxy\\n$`));
    expect(summary.failed).toBe(0);
    expect(summary.versions).toEqual(['v2']);
    expect(summary.requests).toBeGreaterThan(20);
    const after = engine.inspect('web');
    expect({ id: after.Id, startedAt: after.State.StartedAt }).toEqual({ id: before.Id, startedAt: before.State.StartedAt });
    expect(engine.docker(['inspect', 'web.next'], { allowFailure: true }).status).not.toBe(0);
    expect(upstreamPort()).toBe(slotB);
  }, 180_000);

  test('a reboot brings back the version the proxy points to, with the same start script', async () => {
    engine.docker(['rm', '--force', 'web']);
    const boot = run('flock', [env.CDKTF_ISOLATION_LOCK!, join(lib, 'containers/web.sh')], { env });
    expect(boot.status).toBe(0);
    expect(publishedPort('web')).toEqual([`127.0.0.1:${slotB}`]);
    engine.waitFor(() => engine.inspect('web').State.Health?.Status === 'healthy', 30_000, 'web healthy after reboot');
    expect(await httpGet(`http://127.0.0.1:${webPort}/`)).toEqual({ status: 200, body: 'v2' });
  }, 60_000);

  test('benchmark: the plain in-place update of the same app, measured the same way (it has a gap; the proxy has none)', async () => {
    const loop = requestLoop(plainPort);
    await new Promise((r) => setTimeout(r, 1000));
    const r = await runDocument(setOf(web(V2), plain(V2)), work, env);
    await new Promise((res) => setTimeout(res, 1000));
    loop.stop();
    const summary = summarize(await loop.done);
    measured.withoutProxy = summary;
    expect(r.status).toBe(0);
    expect(summary.versions).toEqual(['v1', 'v2']);
    // Without the proxy the port is closed between the old container's stop and the new one's start.
    expect(summary.failed).toBeGreaterThan(0);
  }, 180_000);

  test('a container that leaves the set takes its server out of the proxy', async () => {
    const r = await runDocument(setOf(plain(V2)), work, env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('cdktf-isolation: web: removing its server from the proxy\n');
    expect(existsSync(join(proxyDir, 'sites/web.conf'))).toBe(false);
    expect(existsSync(join(proxyDir, 'upstreams/web.conf'))).toBe(false);
    const t = nginxT(nginxConf);
    expect(t.status).toBe(0);
    // A reload takes effect when nginx's master has handled the signal (and old workers have finished): bounded wait.
    let last = '';
    for (let i = 0; i < 50 && !/ECONNREFUSED/.test(last); i++) {
      last = await httpGet(`http://127.0.0.1:${webPort}/`).then((res) => `${res.status}`, (e) => String(e));
      if (!/ECONNREFUSED/.test(last)) await new Promise((res) => setTimeout(res, 100));
    }
    expect(last).toMatch(/ECONNREFUSED/);
  }, 120_000);

  test('a plain container that gets zeroDowntime moves behind the proxy on its port, and back again without it', async () => {
    const behind: ContainerOptions = { ...plain(V2), zeroDowntime: { containerPort: 8080, drainSeconds: 1 } };
    const [plainSlot] = ContainerSpec.of(behind, 'host/plain').zeroDowntime!.upstreamPorts;
    const r = await runDocument(setOf(behind), work, env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(publishedPort('plain')).toEqual([`127.0.0.1:${plainSlot}`]);
    expect(readFileSync(join(proxyDir, 'sites/plain.conf'), 'utf8')).toBe(ReverseProxy.site(ContainerSpec.of(behind, 'host/plain')));
    expect(await httpGet(`http://127.0.0.1:${plainPort}/`)).toEqual({ status: 200, body: 'v2' });
    const back = await runDocument(setOf(plain(V1)), work, env);
    expect(back.stderr).toBe('');
    expect(back.status).toBe(0);
    expect(back.stdout).toContain('cdktf-isolation: plain: removing its server from the proxy\n');
    expect(existsSync(join(proxyDir, 'sites/plain.conf'))).toBe(false);
    expect(publishedPort('plain')).toEqual([`127.0.0.1:${plainPort}`]);
    expect(await httpGet(`http://127.0.0.1:${plainPort}/`)).toEqual({ status: 200, body: 'v1' });
  }, 120_000);
});
