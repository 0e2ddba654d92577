/**
 * Issue 7: the user data `VmHost` synthesizes, booted for real.
 *
 * A Debian 12 VM (debootstrap image, cached outside the repo, see
 * build-image.sh) gets the synthesized user data byte for byte as a NoCloud
 * seed. It installs Docker and starts two `ContainerOnVm`s from a registry
 * that runs on the host's 127.0.0.1. Then: cloud-init done without errors,
 * both containers healthy with the limits of their specs, the published port
 * answers. Then a day-2 deploy (issue 14): the commands of the SSM document
 * synthesized for a changed set (the worker's image tag and environment)
 * run in the guest as the agent would run them (vm-runner.py), while a
 * request loop hits the untouched web container; the worker runs its new
 * version, web keeps its container and answers throughout. After a reboot
 * both come back, the worker in its new version, without cloud-init running
 * the user data again. Times are printed against a container started on an
 * already running engine, and the update against the boot (what a
 * replacement costs); CDKTF_ISOLATION_VM_NUMBERS=<file> writes them as JSON
 * (bench/vm-update.ts).
 *
 * Slow (minutes): runs when CDKTF_ISOLATION_VM_TEST=1 or CI=true.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Accelerator, chooseAccelerator, containersOf, ensureImage, mirrorAddress, progress, Registry, REGISTRY_GUEST_PORT, Report, sleep, Vm, VmImage,
  VM_TOOLS, vmTestWanted,
} from './vm';
import { ContainerImage, ContainerOnVm, ContainerOptions, MachineImage, PortMapping, VmHost } from '../../src';
import { DockerDaemonConfig } from '../../src/core/render/daemon-json';
import { DockerRun } from '../../src/core/render/docker-run';
import { HostLayout } from '../../src/core/render/host-layout';
import { fetchWithRetries, freePort, httpGet } from '../helpers/http';
import { awsStack, documentStep, onlyResource, resourcesOf, synthJson, terraformLiteral, userDataBytes, userDataOf } from '../helpers/synth';
import { requireTools } from '../helpers/tools';
import { buildBusyboxImage, DockerEngine, requireEngineOrSkip } from '../integration/engine';

jest.setTimeout(30 * 60 * 1000);

const IMAGE_PATH = 'cdktf-test/busybox:1';
/** The worker's new version: the same bytes under another tag (a CI build's new tag). */
const IMAGE_PATH_V2 = 'cdktf-test/busybox:2';
/** The image as the VM sees it: Docker pulls from 127.0.0.1 over plain HTTP by default. */
const GUEST_IMAGE = `127.0.0.1:${REGISTRY_GUEST_PORT}/${IMAGE_PATH}`;
const GUEST_IMAGE_V2 = `127.0.0.1:${REGISTRY_GUEST_PORT}/${IMAGE_PATH_V2}`;
const WEB_PORT = 8080;
const MiB = 1024 * 1024;

const enabled = vmTestWanted('test/vm/boot.test.ts', 'boots a real VM (minutes)')
  && requireTools('the VM boot test (test/vm)', [...VM_TOOLS, 'flock'])
  && requireEngineOrSkip();

function webOptions(image: string, ports: PortMapping[]): Omit<ContainerOptions, 'name'> {
  return {
    image: ContainerImage.fromRegistry(image),
    command: ['/bin/httpd', '-f', '-p', String(WEB_PORT), '-h', '/www'],
    memoryMiB: 64,
    ports,
    // Generous timeout and retries: under TCG on a busy machine one check can take seconds.
    healthCheck: { command: ['wget', '-q', '-O', '-', `http://127.0.0.1:${WEB_PORT}/`], intervalSeconds: 2, timeoutSeconds: 30, retries: 5 },
    user: '65534:65534',
  };
}

const healthy = (r: Report, name: string) => containersOf(r)[name]?.State?.Health?.Status === 'healthy';

/** The host and its two containers; version 2 changes the worker's image tag and environment only. */
function vmStack(version: 1 | 2): { json: any; containers: Record<string, ContainerOnVm> } {
  const { stack } = awsStack('vm');
  const host = new VmHost(stack, 'host', { machineImage: MachineImage.debian12(), instanceType: 't3.medium' });
  const web = new ContainerOnVm(stack, 'web', {
    host, name: 'web', ...webOptions(GUEST_IMAGE, [{ containerPort: WEB_PORT, hostPort: WEB_PORT, hostIp: '0.0.0.0' }]),
  });
  const worker = new ContainerOnVm(stack, 'worker', {
    host,
    name: 'worker',
    image: ContainerImage.fromRegistry(version === 1 ? GUEST_IMAGE : GUEST_IMAGE_V2),
    // Stops on SIGTERM as a real app does (a bare `sleep` as PID 1 ignores it: each stop would wait stopTimeoutSeconds, then kill).
    command: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'],
    memoryMiB: 32,
    environment: { VERSION: String(version) },
    healthCheck: { command: ['true'], intervalSeconds: 2, timeoutSeconds: 30, retries: 5 },
  });
  return { json: synthJson(stack), containers: { web, worker } };
}

const hostInputsOf = (json: any) => Object.entries<any>(resourcesOf(json, 'terraform_data')).filter(([k]) => k.includes('HostInputs')).map(([, v]) => v);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(enabled ? describe : describe.skip)('the host VmHost synthesizes, booted on a real VM', () => {
  let work: string;
  let image: VmImage;
  let engine: DockerEngine | undefined;
  let registry: Registry | undefined;
  let vm: Vm | undefined;
  let accel: Accelerator;
  let webHostPort: number;
  let hostImage: string;
  let firstBoot: Report;
  let firstJson: any;
  let containers: Record<string, ContainerOnVm> = {};
  /** Seconds, for the summary. */
  const numbers: Record<string, number> = {};
  const marks: Record<string, number> = {};

  /** Logs what changed and remembers when each milestone was first seen. */
  function watch(prefix: string, start: number): (r: Report) => void {
    let last = '';
    return (r) => {
      const c = containersOf(r);
      const state = [
        `cloud-init ${r.cloud_init.result_json ? 'done' : r.cloud_init.status_json ? r.cloud_init.status_json.v1?.stage ?? 'between stages' : 'not started'}`,
        `docker ${r.units['docker.service'] ?? '?'}`,
        ...(r.containers && !Array.isArray(r.containers)
          ? [`docker API error: ${r.containers.error}`]
          : ['web', 'worker'].map((n) => `${n} ${c[n] ? `${c[n].State?.Status}/${c[n].State?.Health?.Status ?? '-'}` : 'absent'}`)),
      ].join(', ');
      if (state !== last) progress(`${prefix} uptime ${r.uptime.toFixed(0)} s: ${state}`);
      last = state;
      const mark = (key: string, cond: boolean) => {
        if (cond && marks[`${prefix}${key}`] === undefined) marks[`${prefix}${key}`] = r.receivedAt - start;
      };
      mark('agent', true);
      mark('cloudInitDone', r.cloud_init.result_json != null);
      mark('dockerActive', r.units['docker.service'] === 'active');
      mark('firstHealthy', healthy(r, 'web') || healthy(r, 'worker'));
      mark('allHealthy', healthy(r, 'web') && healthy(r, 'worker'));
    };
  }

  async function measureOnRunningEngine(e: DockerEngine): Promise<void> {
    const { stack } = awsStack('bench');
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.debian12(), instanceType: 't3.medium' });
    const port = await freePort();
    const bench = new ContainerOnVm(stack, 'web', {
      host, name: 'bench-web', ...webOptions(hostImage, [{ containerPort: WEB_PORT, hostPort: port, hostIp: '127.0.0.1' }]),
    });
    const runArgs = DockerRun.argv(bench.spec).slice(1);
    const started: number[] = [];
    const healthyAfter: number[] = [];
    for (let i = 0; i < 3; i++) {
      e.docker(['rm', '--force', 'bench-web'], { allowFailure: true });
      const t0 = Date.now();
      e.docker(runArgs);
      started.push((Date.now() - t0) / 1000);
      for (;;) {
        if (e.inspect('bench-web').State.Health?.Status === 'healthy') break;
        if (Date.now() - t0 > 60_000) throw new Error('bench-web did not turn healthy within 60 s');
        await sleep(50);
      }
      healthyAfter.push((Date.now() - t0) / 1000);
    }
    expect((await fetchWithRetries(`http://127.0.0.1:${port}/`, 10, 500)).body).toBe('ok');
    e.docker(['rm', '--force', 'bench-web'], { allowFailure: true });
    numbers.engineRunToStarted = median(started);
    numbers.engineRunToHealthy = median(healthyAfter);
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cdktf-vm-'));
    const t = Date.now();
    image = await ensureImage();
    numbers.imageBuild = image.buildMs / 1000;
    progress(image.built ? `image built in ${(image.buildMs / 1000).toFixed(0)} s: ${image.dir}` : `image from cache: ${image.dir}`);

    engine = DockerEngine.start({ daemonJson: DockerDaemonConfig.render() });
    buildBusyboxImage(engine, IMAGE_PATH);
    registry = await Registry.start(join(work, 'registry'), await freePort());
    hostImage = `127.0.0.1:${registry.port}/${IMAGE_PATH}`;
    engine.docker(['tag', IMAGE_PATH, hostImage]);
    engine.docker(['push', hostImage]);
    const hostImageV2 = `127.0.0.1:${registry.port}/${IMAGE_PATH_V2}`;
    engine.docker(['tag', IMAGE_PATH, hostImageV2]);
    engine.docker(['push', hostImageV2]);
    progress(`busybox image built and pushed to the registry on 127.0.0.1:${registry.port} (VM: ${GUEST_IMAGE})`);

    // The baseline, before the VM runs (so it does not compete for the CPUs):
    // the same container, on an engine that is already running, image present.
    await measureOnRunningEngine(engine);
    progress(`running engine: docker run -> healthy in ${numbers.engineRunToHealthy.toFixed(2)} s (median of 3)`);
    // The engine is done; stopping it now also keeps it short-lived.
    engine.stop();

    const first = vmStack(1);
    firstJson = first.json;
    containers = first.containers;
    const instance = onlyResource(firstJson, 'aws_instance');
    expect(userDataOf(instance)).toMatch(/^#cloud-config\n/);

    accel = await chooseAccelerator(image);
    progress(`accelerator: ${accel.accel} (${accel.reason}); setup took ${((Date.now() - t) / 1000).toFixed(0)} s`);
    webHostPort = await freePort();
    vm = Vm.start({
      image,
      dir: join(work, 'vm'),
      accel: accel.accel,
      userData: userDataBytes(instance),
      instanceId: 'i-cdktf-vm-test',
      hostname: 'cdktf-vm',
      mirrorIp: await mirrorAddress(),
      registryPort: registry.port,
      forward: { hostPort: webHostPort, guestPort: WEB_PORT },
    });
    progress(`VM started (${accel.accel}); work dir ${vm.dir}; 127.0.0.1:${webHostPort} -> guest :${WEB_PORT}`);
    const onReport = watch('boot1.', vm.startedAt);
    await vm.waitFor('cloud-init to finish', 25 * 60 * 1000, (r) => r.cloud_init.result_json != null && r.cloud_init.status_long != null, onReport);
    firstBoot = await vm.waitFor('both containers to be healthy', 3 * 60 * 1000, (r) => {
      const errors = r.cloud_init.result_json?.v1?.errors ?? [];
      if (errors.length > 0) throw new Error(`cloud-init finished with errors: ${JSON.stringify(errors)}\n${vm!.diagnostics()}`);
      return healthy(r, 'web') && healthy(r, 'worker');
    }, onReport);
    numbers.vmToCloudInitDone = marks['boot1.cloudInitDone'] / 1000;
    numbers.vmToFirstHealthy = marks['boot1.firstHealthy'] / 1000;
    numbers.vmToAllHealthy = marks['boot1.allHealthy'] / 1000;
    numbers.vmToUserspace = marks['boot1.agent'] / 1000;
    progress(`first boot: cloud-init done after ${numbers.vmToCloudInitDone} s, first healthy container after ${numbers.vmToFirstHealthy} s`);
  }, 29 * 60 * 1000);

  afterAll(async () => {
    const steps: Array<[string, () => unknown]> = [
      ['vm', () => vm?.stop()],
      ['registry', () => registry?.stop()],
      ['engine', () => engine?.stop()],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (e) {
        progress(`cleanup of ${what} failed: ${e}`);
      }
    }
    if (work && process.env.CDKTF_ISOLATION_VM_KEEP !== '1') rmSync(work, { recursive: true, force: true });
    progress(`numbers (s): ${JSON.stringify(numbers)}`);
    if (process.env.CDKTF_ISOLATION_VM_NUMBERS) {
      writeFileSync(process.env.CDKTF_ISOLATION_VM_NUMBERS, JSON.stringify({ accelerator: accel, imageBuilt: image?.built, numbers }, null, 2) + '\n');
    }
  }, 2 * 60 * 1000);

  test('cloud-init finishes with status done and no errors', () => {
    const ci = firstBoot.cloud_init;
    expect(ci.result_json.v1.errors).toEqual([]);
    for (const [stage, s] of Object.entries<any>(ci.status_json.v1)) {
      if (s && typeof s === 'object' && 'errors' in s) expect({ stage, errors: s.errors }).toEqual({ stage, errors: [] });
    }
    expect(ci.status_long?.out).toMatch(/^status: done$/m);
    expect(ci.status_long?.rc).toBe(0);
    expect(ci.runcmd_runs).toBe(1);
  });

  test('the Docker service is active and both containers are running, healthy, with the limits of their specs', () => {
    expect(firstBoot.units['docker.service']).toBe('active');
    const inspected = containersOf(firstBoot);
    for (const name of ['web', 'worker']) {
      const spec = containers[name].spec;
      expect(firstBoot.units[HostLayout.unitName(spec.name)]).toBe('active');
      const c = inspected[name];
      const hc = c.HostConfig;
      expect({
        Image: c.Config.Image,
        Running: c.State.Running,
        Health: c.State.Health.Status,
        Memory: hc.Memory,
        MemorySwap: hc.MemorySwap,
        PidsLimit: hc.PidsLimit,
        CapDrop: hc.CapDrop,
        NoNewPrivileges: (hc.SecurityOpt ?? []).includes('no-new-privileges=true') || (hc.SecurityOpt ?? []).includes('no-new-privileges'),
        ReadonlyRootfs: hc.ReadonlyRootfs,
        Privileged: hc.Privileged,
        RestartPolicy: hc.RestartPolicy,
      }).toEqual({
        Image: GUEST_IMAGE,
        Running: true,
        Health: 'healthy',
        Memory: spec.memoryMiB * MiB,
        MemorySwap: spec.memoryMiB * MiB,
        PidsLimit: spec.pidsLimit,
        CapDrop: ['ALL'],
        NoNewPrivileges: true,
        ReadonlyRootfs: true,
        Privileged: false,
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
      });
    }
    expect(inspected.web.HostConfig.Memory).toBe(64 * MiB);
    expect(inspected.worker.HostConfig.Memory).toBe(32 * MiB);
    expect(inspected.web.Config.User).toBe('65534:65534');
    expect(inspected.web.HostConfig.PortBindings).toEqual({ [`${WEB_PORT}/tcp`]: [{ HostIp: '0.0.0.0', HostPort: String(WEB_PORT) }] });
  });

  test('the published port answers through the forwarded 127.0.0.1 port', async () => {
    const res = await fetchWithRetries(`http://127.0.0.1:${webHostPort}/`, 20, 1000);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: 'ok' });
  });

  test('a changed set reaches the running host through the synthesized SSM document: the worker runs its new version, web keeps its container and answers throughout', async () => {
    const next = vmStack(2);
    // What would replace the instance did not change (the synth tests check every input; here the two this host has).
    expect(onlyResource(next.json, 'aws_instance').ami).toEqual(onlyResource(firstJson, 'aws_instance').ami);
    expect(hostInputsOf(next.json)).toEqual(hostInputsOf(firstJson));
    const document = onlyResource(next.json, 'aws_ssm_document');
    expect(terraformLiteral(document.content)).not.toEqual(terraformLiteral(onlyResource(firstJson, 'aws_ssm_document').content));
    const step = documentStep(next.json);
    expect(step.action).toBe('aws:runShellScript');

    const before = containersOf(vm!.latest);
    expect(before.worker.Config.Image).toBe(GUEST_IMAGE);
    // The untouched container, asked every 100 ms through the forwarded port for as long as the update runs.
    // A failure is an error answer or no answer within 10 s (software emulation on a busy machine is slow, not down).
    const requests = { ok: 0, failed: [] as string[], slowestMs: 0 };
    let updating = true;
    const loop = (async () => {
      while (updating) {
        const sent = Date.now();
        try {
          const res = await httpGet(`http://127.0.0.1:${webHostPort}/`, 10_000);
          requests.slowestMs = Math.max(requests.slowestMs, Date.now() - sent);
          if (res.status === 200 && res.body === 'ok') requests.ok++;
          else requests.failed.push(`${res.status} ${res.body.slice(0, 80)}`);
        } catch (e) {
          requests.failed.push(String(e));
        }
        await sleep(100);
      }
    })();
    const start = Date.now();
    progress('update: running the SSM document\'s commands in the guest (worker: busybox:2, VERSION=2)');
    const result = await vm!.runCommands(step.inputs.runCommand, Number(step.inputs.timeoutSeconds));
    numbers.updateToHealthy = (Date.now() - start) / 1000;
    updating = false;
    await loop;
    progress(`update: the reconcile exited ${result.rc} after ${numbers.updateToHealthy.toFixed(1)} s (guest ${result.seconds.toFixed(1)} s); web answered ${requests.ok} requests (slowest ${requests.slowestMs} ms), ${requests.failed.length} failed`);
    // Where the time went: the reconcile's own log, one line per step with its time.
    const log = await vm!.runCommands([`tail -n 20 ${HostLayout.RECONCILE_LOG}`], 30);
    progress(`update: the reconcile's log:\n${log.stdout}`);
    expect({ rc: result.rc, output: result.rc === 0 ? '' : `${result.stdout}\n${result.stderr}` }).toEqual({ rc: 0, output: '' });
    numbers.updateRequestsOk = requests.ok;
    numbers.updateRequestsFailed = requests.failed.length;
    numbers.updateSlowestResponse = requests.slowestMs / 1000;
    expect(requests.failed).toEqual([]);
    expect(requests.ok).toBeGreaterThan(0);

    // The reconcile exits 0 only once the new worker is healthy: a report begun after it returned shows it.
    const after = await vm!.waitForReportAfterNow('a report with the new worker', 60 * 1000, (r) => containersOf(r).worker?.Config?.Image === GUEST_IMAGE_V2);
    const now = containersOf(after);
    expect({
      webId: now.web.Id, webStartedAt: now.web.State.StartedAt, webRestarts: now.web.RestartCount,
    }).toEqual({ webId: before.web.Id, webStartedAt: before.web.State.StartedAt, webRestarts: before.web.RestartCount });
    expect(now.worker.Id).not.toBe(before.worker.Id);
    expect({ image: now.worker.Config.Image, health: now.worker.State.Health.Status, version: now.worker.Config.Env.filter((e: string) => e.startsWith('VERSION=')) })
      .toEqual({ image: GUEST_IMAGE_V2, health: 'healthy', version: ['VERSION=2'] });
    expect(now.worker.Config.Labels[HostLayout.SPEC_DIGEST_LABEL]).not.toBe(before.worker.Config.Labels[HostLayout.SPEC_DIGEST_LABEL]);

    // The definitions on disk are the new ones (what a reboot starts), and the same document again changes nothing.
    const again = await vm!.runCommands([
      ...step.inputs.runCommand,
    ], Number(step.inputs.timeoutSeconds));
    expect({ rc: again.rc, output: again.rc === 0 ? '' : `${again.stdout}\n${again.stderr}` }).toEqual({ rc: 0, output: '' });
    const onDisk = await vm!.runCommands([
      `grep -c ${GUEST_IMAGE_V2} ${HostLayout.startScript('worker')}`,
      `grep -c ${GUEST_IMAGE} ${HostLayout.startScript('web')}`,
    ], 30);
    expect({ rc: onDisk.rc, stdout: onDisk.stdout.split('\n').filter(Boolean).map(Number).map((n) => n > 0) }).toEqual({ rc: 0, stdout: [true, true] });
    const settled = await vm!.waitFor('a report after the second run', 30 * 1000, (r) => r.seq > after.seq + 1);
    expect({ web: containersOf(settled).web.Id, worker: containersOf(settled).worker.Id }).toEqual({ web: now.web.Id, worker: now.worker.Id });
  });

  test('after a reboot both containers are healthy again and cloud-init did not run the user data again', async () => {
    const before = vm!.latest!;
    const start = Date.now();
    progress('rebooting: ACPI power button (QMP system_powerdown), which the image maps to a clean reboot');
    await vm!.qmp('system_powerdown');
    const after = await vm!.waitFor(
      'the VM to boot again with cloud-init done and both containers healthy',
      15 * 60 * 1000,
      (r) => r.boot_id !== before.boot_id && r.cloud_init.status_long != null && healthy(r, 'web') && healthy(r, 'worker'),
      watch('boot2.', start),
    );
    numbers.rebootToAllHealthy = marks['boot2.allHealthy'] / 1000;
    progress(`after the reboot: both containers healthy ${numbers.rebootToAllHealthy} s after the power button`);

    expect(after.boot_id).not.toBe(before.boot_id);
    // Per-instance modules (package install, write_files, runcmd) did not run again: their semaphores are untouched.
    expect(Object.keys(before.cloud_init.sems)).toEqual(expect.arrayContaining(['config_scripts_user', 'config_package_update_upgrade_install', 'config_write_files']));
    expect(after.cloud_init.sems).toEqual(before.cloud_init.sems);
    expect(after.cloud_init.runcmd_runs).toBe(1);
    expect(after.cloud_init.result_json.v1.errors).toEqual([]);
    expect(after.cloud_init.status_long?.out).toMatch(/^status: done$/m);
    // The units the host must run, named here (a map built from its own keys would pass when empty).
    expect(after.units).toEqual({ 'docker.service': 'active', 'cdktf-container-web.service': 'active', 'cdktf-container-worker.service': 'active' });
    // Both containers were started during this boot (guest clock on both sides).
    const bootedAt = after.time - after.uptime;
    for (const name of ['web', 'worker']) {
      const startedAt = Date.parse(String(containersOf(after)[name].State.StartedAt).replace(/(\.\d{3})\d*Z$/, '$1Z')) / 1000;
      expect({ name, startedThisBoot: startedAt > bootedAt }).toEqual({ name, startedThisBoot: true });
    }
    const res = await fetchWithRetries(`http://127.0.0.1:${webHostPort}/`, 20, 1000);
    expect(res.body).toBe('ok');
    // The worker comes back in the version of the update, not that of the first boot's user data.
    const worker = containersOf(after).worker;
    expect({ image: worker.Config.Image, version: worker.Config.Env.filter((e: string) => e.startsWith('VERSION=')) }).toEqual({ image: GUEST_IMAGE_V2, version: ['VERSION=2'] });
    expect(containersOf(after).web.Config.Image).toBe(GUEST_IMAGE);
  });

  test('prints the VM against container startup times (no time is asserted)', () => {
    for (const key of ['vmToCloudInitDone', 'vmToFirstHealthy', 'rebootToAllHealthy', 'engineRunToHealthy', 'updateToHealthy']) expect(numbers[key]).toBeGreaterThan(0);
    numbers.replacementOverUpdate = numbers.vmToAllHealthy / numbers.updateToHealthy;
    const rows: Array<[string, string]> = [
      ['VM image build (debootstrap, once per machine)', image.built ? `${numbers.imageBuild.toFixed(0)} s` : 'cached'],
      ['VM start -> userspace (test agent reports)', `${numbers.vmToUserspace.toFixed(0)} s`],
      ['VM start -> cloud-init done (Docker installed, containers started)', `${numbers.vmToCloudInitDone.toFixed(0)} s`],
      ['VM start -> first healthy container', `${numbers.vmToFirstHealthy.toFixed(0)} s`],
      ['VM start -> both containers healthy', `${numbers.vmToAllHealthy.toFixed(0)} s`],
      ['reboot (power button) -> both containers healthy', `${numbers.rebootToAllHealthy.toFixed(0)} s`],
      ['in-place update (SSM document commands) -> new version healthy', `${numbers.updateToHealthy.toFixed(1)} s`],
      ['failed requests on the untouched container during the update', `${numbers.updateRequestsFailed} of ${numbers.updateRequestsOk + numbers.updateRequestsFailed}`],
      ['replacement (boot -> healthy) / in-place update (target >= 10x)', `${numbers.replacementOverUpdate.toFixed(1)}x`],
      ['running engine: docker run -> running (median of 3)', `${numbers.engineRunToStarted.toFixed(2)} s`],
      ['running engine: docker run -> healthy (median of 3)', `${numbers.engineRunToHealthy.toFixed(2)} s`],
    ];
    // eslint-disable-next-line no-console
    console.log([
      `VM against container startup (${accel.accel.toUpperCase()}: ${accel.reason})`,
      '| what | time |',
      '| --- | --- |',
      ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    ].join('\n'));
  });
});
