/**
 * Issue 16: the zero-downtime cutover inside a booted guest.
 *
 * The Debian 12 guest of boot.test.ts boots on the user data of a VmHost
 * whose container `web` has `zeroDowntime`: cloud-init installs Docker and
 * the OS's nginx, and the host's proxy listens on the published port and
 * forwards to web's first version on a loopback port. Then the commands of
 * the SSM document synthesized for web's second version run in the guest
 * (vm-runner.py, as the SSM agent would run them) while a request loop
 * (20 per second, each on a fresh connection, all to the forwarded
 * 127.0.0.1 port) asks the proxy: no request fails and the answers switch
 * from v1 to v2 exactly once. After a reboot the proxy and version 2 come
 * back with the same scripts.
 *
 * Slow (about 10 minutes under TCG): runs when CDKTF_ISOLATION_VM_TEST=1 or
 * CI=true. One QEMU at a time on the build machines: run it under
 * `flock /tmp/qemu-slot.lock`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseAccelerator, containersOf, ensureImage, mirrorAddress, progress, Registry, REGISTRY_GUEST_PORT, Report, Vm, VmImage, VM_TOOLS, vmTestWanted } from './vm';
import { ContainerImage, ContainerOnVm, MachineImage, VmHost } from '../../src';
import { DockerDaemonConfig } from '../../src/core/render/daemon-json';
import { HostLayout } from '../../src/core/render/host-layout';
import { ReverseProxy } from '../../src/core/render/reverse-proxy';
import { fetchWithRetries, freePort } from '../helpers/http';
import { awsStack, documentStep, onlyResource, synthJson, userDataBytes } from '../helpers/synth';
import { requireTools } from '../helpers/tools';
import { buildBusyboxImage, buildImage, DockerEngine, requireEngineOrSkip } from '../integration/engine';
import { requestLoop, summarize } from '../integration/reconcile-host';

jest.setTimeout(40 * 60 * 1000);

const BASE = 'cdktf-test/busybox:base';
const SITE = (version: 1 | 2) => `cdktf-test/site:${version}`;
/** The image as the VM sees it: Docker pulls from 127.0.0.1 over plain HTTP by default. */
const GUEST_SITE = (version: 1 | 2) => `127.0.0.1:${REGISTRY_GUEST_PORT}/${SITE(version)}`;
const PORT = 8080;

const enabled = vmTestWanted('test/vm/cutover.test.ts', 'boots a real VM (about 10 minutes)')
  && requireTools('the VM cutover test (test/vm)', [...VM_TOOLS, 'flock'])
  && requireEngineOrSkip();

/** The host and its one container behind the proxy, in version 1 or 2 (only the image tag differs). */
function siteStack(version: 1 | 2): any {
  const { stack } = awsStack('vm');
  const host = new VmHost(stack, 'host', { machineImage: MachineImage.debian12(), instanceType: 't3.medium' });
  new ContainerOnVm(stack, 'web', {
    host,
    name: 'web',
    image: ContainerImage.fromRegistry(GUEST_SITE(version)),
    command: ['/bin/httpd', '-f', '-p', String(PORT), '-h', '/www'],
    memoryMiB: 64,
    // The proxy listens here (every guest address: qemu forwards to the guest's own address).
    ports: [{ containerPort: PORT, hostPort: PORT, hostIp: '0.0.0.0' }],
    // Generous timeout and retries: under TCG on a busy machine one check can take seconds.
    healthCheck: { command: ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${PORT}/`], intervalSeconds: 2, timeoutSeconds: 30, retries: 5 },
    zeroDowntime: { containerPort: PORT, healthPath: '/', drainSeconds: 2 },
  });
  return synthJson(stack);
}

const healthy = (r: Report) => containersOf(r).web?.State?.Health?.Status === 'healthy';
/** Where a container's ports are published, as HOST_IP:HOST_PORT. */
const bindingsOf = (c: any): string[] => Object.values<any>(c.HostConfig.PortBindings).flat().map((b) => `${b.HostIp}:${b.HostPort}`);

(enabled ? describe : describe.skip)('zero-downtime cutover through the host\'s nginx, inside a booted guest', () => {
  let work: string;
  let image: VmImage;
  let registry: Registry | undefined;
  let vm: Vm | undefined;
  let hostPort: number;
  let firstBoot: Report;

  /** Runs shell commands in the guest and returns their output; fails the test on a non-zero exit. */
  async function guest(commands: string[], timeoutSeconds = 60): Promise<string> {
    const r = await vm!.runCommands(commands, timeoutSeconds);
    expect({ rc: r.rc, stderr: r.rc === 0 ? '' : r.stderr }).toEqual({ rc: 0, stderr: '' });
    return r.stdout;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cdktf-vm-cutover-'));
    image = await ensureImage();
    progress(image.built ? `image built in ${(image.buildMs / 1000).toFixed(0)} s: ${image.dir}` : `image from cache: ${image.dir}`);

    const engine = DockerEngine.start({ daemonJson: DockerDaemonConfig.render() });
    try {
      buildBusyboxImage(engine, BASE);
      registry = await Registry.start(join(work, 'registry'), await freePort());
      for (const version of [1, 2] as const) {
        buildImage(engine, SITE(version), `FROM ${BASE}\nCOPY index.html /www/index.html\n`, { 'index.html': `v${version}` });
        const pushed = `127.0.0.1:${registry.port}/${SITE(version)}`;
        engine.docker(['tag', SITE(version), pushed]);
        engine.docker(['push', pushed]);
      }
    } finally {
      engine.stop();
    }
    progress(`site:1 and site:2 pushed to the registry on 127.0.0.1:${registry.port}`);

    const accel = await chooseAccelerator(image);
    hostPort = await freePort();
    vm = Vm.start({
      image,
      dir: join(work, 'vm'),
      accel: accel.accel,
      userData: userDataBytes(onlyResource(siteStack(1), 'aws_instance')),
      instanceId: 'i-cdktf-vm-cutover',
      hostname: 'cdktf-cutover',
      mirrorIp: await mirrorAddress(),
      registryPort: registry.port,
      forward: { hostPort, guestPort: PORT },
    });
    progress(`VM started (${accel.accel}); work dir ${vm.dir}; 127.0.0.1:${hostPort} -> guest :${PORT}`);
    await vm.waitFor('cloud-init to finish', 25 * 60 * 1000, (r) => r.cloud_init.result_json != null && r.cloud_init.status_long != null);
    firstBoot = await vm.waitFor('web to be healthy', 3 * 60 * 1000, (r) => {
      const errors = r.cloud_init.result_json?.v1?.errors ?? [];
      if (errors.length > 0) throw new Error(`cloud-init finished with errors: ${JSON.stringify(errors)}\n${vm!.diagnostics()}`);
      return healthy(r);
    });
    progress(`first boot: web healthy after ${((firstBoot.receivedAt - vm.startedAt) / 1000).toFixed(0)} s`);
  }, 30 * 60 * 1000);

  afterAll(async () => {
    for (const [what, step] of [['vm', () => vm?.stop()], ['registry', () => registry?.stop()]] as const) {
      try {
        await step();
      } catch (e) {
        progress(`cleanup of ${what} failed: ${e}`);
      }
    }
    if (work && process.env.CDKTF_ISOLATION_VM_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }, 2 * 60 * 1000);

  test('first boot: cloud-init without errors, the proxy answers with version 1 through the published port, web itself only on loopback', async () => {
    expect(firstBoot.cloud_init.result_json.v1.errors).toEqual([]);
    expect(firstBoot.cloud_init.status_long?.out).toMatch(/^status: done$/m);
    const res = await fetchWithRetries(`http://127.0.0.1:${hostPort}/`, 30, 1000);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: 'v1' });
    const web = containersOf(firstBoot).web;
    const bindings = bindingsOf(web);
    expect(bindings).toHaveLength(1);
    const [slotA] = bindings;
    expect(slotA).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(slotA).not.toBe(`127.0.0.1:${PORT}`);
  });

  test('the proxy is hardened as configured: its unit active, the package\'s own nginx.service disabled, workers as the proxy user, listening only on the published port, nginx -t passes', async () => {
    const out = await guest([
      `systemctl is-active ${HostLayout.PROXY_UNIT}`,
      // Disabled and stopped (is-enabled and is-active exit non-zero then).
      'systemctl is-enabled nginx.service || true',
      'systemctl is-active nginx.service || true',
      // The users of nginx's processes: the master (root, to bind) and the workers.
      'ps -C nginx -o user:32= | awk "{print \$1}" | sort -u | tr "\\n" " "; echo',
      // Every TCP socket nginx listens on.
      'ss -Hltnp | grep \'"nginx"\' | awk \'{print $4}\' | sort -u | tr "\\n" " "; echo',
      `${ReverseProxy.NGINX} -q -t -c ${ReverseProxy.CONFIG} && echo config ok`,
      `curl -sS -D - -o /dev/null http://127.0.0.1:${PORT}/ | tr -d "\\r" | grep -i "^server:"`,
    ]);
    expect(out.split('\n').filter(Boolean)).toEqual([
      'active',
      'disabled',
      'inactive',
      `${HostLayout.PROXY_USER} root `,
      `0.0.0.0:${PORT} `,
      'config ok',
      'Server: nginx',
    ]);
  });

  test('v1 to v2 through the synthesized SSM document: zero failed requests through the forwarded port, the answers switch from v1 to v2 exactly once', async () => {
    const step = documentStep(siteStack(2));
    expect(step.action).toBe('aws:runShellScript');
    const before = containersOf(vm!.latest).web;
    // 10 s per request: software emulation on a busy machine is slow, not down.
    const loop = requestLoop(hostPort, { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 2000));
    const start = Date.now();
    const result = await vm!.runCommands(step.inputs.runCommand, Number(step.inputs.timeoutSeconds));
    const seconds = (Date.now() - start) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    loop.stop();
    const summary = summarize(await loop.done);
    progress(`cutover: the reconcile exited ${result.rc} after ${seconds.toFixed(1)} s; ${JSON.stringify(summary)}`);
    expect({ rc: result.rc, stderr: result.stderr }).toEqual({ rc: 0, stderr: '' });
    expect(result.stdout).toContain(`cdktf-isolation: web: the proxy sends new requests to ${GUEST_SITE(2)}; ${GUEST_SITE(1)} drains for 2 seconds\n`);
    expect(summary.failed).toBe(0);
    expect(summary.versions).toEqual(['v1', 'v2']);
    // About 20 a second for the length of the rollout (at least half of that rate, on a busy machine).
    expect(summary.requests).toBeGreaterThan(seconds * 10);

    const after = await vm!.waitForReportAfterNow('a report with web in version 2', 60 * 1000, (r) => containersOf(r).web?.Config?.Image === GUEST_SITE(2));
    const web = containersOf(after).web;
    expect(web.Id).not.toBe(before.Id);
    expect(web.State.Health.Status).toBe('healthy');
    expect(Object.keys(containersOf(after)).sort()).toEqual(['web']);
    // The new version took the other loopback port; the proxy's upstream file points there.
    expect(bindingsOf(web)).not.toEqual(bindingsOf(before));
    const upstream = await guest([`cat ${HostLayout.PROXY_DIR}/${ReverseProxy.upstreamPath('web')}`]);
    expect(upstream).toBe(ReverseProxy.upstream(Number(bindingsOf(web)[0].split(':')[1])));
  });

  test('after a reboot the proxy and version 2 come back with the same scripts', async () => {
    const before = vm!.latest!;
    progress('rebooting: ACPI power button (QMP system_powerdown), which the image maps to a clean reboot');
    await vm!.qmp('system_powerdown');
    await vm!.waitFor('the VM to boot again with web healthy', 15 * 60 * 1000, (r) => r.boot_id !== before.boot_id && r.cloud_init.status_long != null && healthy(r));
    const res = await fetchWithRetries(`http://127.0.0.1:${hostPort}/`, 30, 1000);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: 'v2' });
    expect((await guest([`systemctl is-active ${HostLayout.PROXY_UNIT}`])).trim()).toBe('active');
  });
});
