/**
 * Issue 15: a data volume on a real guest, the way EC2 presents an EBS
 * volume on a Nitro instance: an NVMe disk whose serial is the volume id
 * without its dash.
 *
 * Three boots of the Debian 12 guest of boot.test.ts, each from a fresh
 * root (a new overlay of the image, a new instance id: as after a host
 * replacement), with the user data VmHost synthesizes (the volume id,
 * known at apply, given the value Terraform would give it):
 * 1. the data disk is hot-plugged (QMP device_add) some seconds after
 *    Docker is up, while the mount script waits for it: it formats the
 *    empty disk, and the container (default hardening) writes into it;
 * 2. a fresh guest with the same disk from the start: the file is there,
 *    the filesystem UUID is the same (not reformatted), the container is
 *    healthy;
 * 3. a guest whose data disk never appears (another disk with another
 *    serial is attached): cloud-init fails with the script's message, the
 *    container does not start, and the other disk is left without a filesystem.
 * The disk's content is read on the host between boots (blkid, debugfs).
 *
 * Slow (about 3 minutes a boot under TCG): runs when CDKTF_ISOLATION_VM_TEST=1
 * or CI=true. One QEMU at a time on the build machines: run it under
 * `flock /tmp/qemu-slot.lock`.
 */
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseAccelerator, containersOf, ensureImage, mirrorAddress, NvmeDisk, progress, Registry, REGISTRY_GUEST_PORT, Report, sleep, Vm, VmImage, VM_TOOLS, vmTestWanted } from './vm';
import { ContainerImage, ContainerOnVm, MachineImage, VmHost } from '../../src';
import { DockerDaemonConfig } from '../../src/core/render/daemon-json';
import { freePort } from '../helpers/http';
import { awsStack } from '../helpers/synth';
import { requireTools, run } from '../helpers/tools';
import { buildBusyboxImage, DockerEngine, requireEngineOrSkip } from '../integration/engine';

jest.setTimeout(40 * 60 * 1000);

const IMAGE_PATH = 'cdktf-test/busybox:1';
const GUEST_IMAGE = `127.0.0.1:${REGISTRY_GUEST_PORT}/${IMAGE_PATH}`;
const VOLUME_ID = 'vol-0123456789abcdef0';
const SERIAL = 'vol0123456789abcdef0';

const enabled = vmTestWanted('test/vm/data-volume.test.ts', 'boots a real VM three times (about 10 minutes)')
  && requireTools('the VM data volume test (test/vm)', [...VM_TOOLS, 'blkid', 'debugfs', 'e2fsck'])
  && requireEngineOrSkip();

/** The user data of a host with data volume `appdata` and a container that writes into it. */
function hostUserData(): string {
  const { stack } = awsStack('vm');
  const host = new VmHost(stack, 'host', {
    machineImage: MachineImage.debian12(),
    instanceType: 't3.medium',
    subnetId: 'subnet-0123456789abcdef0',
    dataVolumes: [{ name: 'appdata', sizeGiB: 1 }],
  });
  new ContainerOnVm(stack, 'keeper', {
    host,
    name: 'keeper',
    image: ContainerImage.fromRegistry(GUEST_IMAGE),
    // Default hardening: read-only root, all capabilities dropped, user 65532:65532.
    command: ['sh', '-c', 'test -s /data/first || date +%s > /data/first; echo boot >> /data/boots; exec sleep 100000'],
    memoryMiB: 32,
    healthCheck: { command: ['test', '-s', '/data/first'], intervalSeconds: 2 },
    volumes: [{ source: 'appdata', target: '/data' }],
  });
  // The volume id is known at apply: Terraform puts the id of the aws_ebs_volume where the reference is.
  const text = host.renderUserData();
  const references = text.match(/\$\{TfToken\[TOKEN\.\d+\]\}/g) ?? [];
  // In the volume's unit and in the runcmd line that runs the mount script at first boot.
  expect(references.length).toBe(2);
  return text.replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, VOLUME_ID);
}

const keeper = (r: Report) => containersOf(r).keeper;
const healthy = (r: Report) => keeper(r)?.State?.Health?.Status === 'healthy';

function rawDisk(file: string, size = '1G'): string {
  writeFileSync(file, '');
  expect(run('truncate', ['-s', size, file]).status).toBe(0);
  return file;
}

/**
 * Makes the disk's filesystem readable on the host: a guest that did not
 * power off cleanly leaves its journal to replay (e2fsck replays only that).
 */
function settle(file: string): void {
  const r = run('e2fsck', ['-E', 'journal_only', '-y', file]);
  expect([0, 1]).toContain(r.status);
}

const uuidOf = (file: string) => run('blkid', ['-p', '-s', 'UUID', '-o', 'value', file]).stdout.trim();
const catOf = (file: string, path: string) => run('debugfs', ['-R', `cat ${path}`, file]).stdout;
const ownerOf = (file: string, path: string) => /User:\s+(\d+)\s+Group:\s+(\d+)/.exec(run('debugfs', ['-R', `stat ${path}`, file]).stdout)?.slice(1, 3).join(':');

(enabled ? describe : describe.skip)('a data volume on a real guest (NVMe disk with the volume id as serial)', () => {
  let work: string;
  let image: VmImage;
  let registry: Registry | undefined;
  let vm: Vm | undefined;
  let accel: 'kvm' | 'tcg';
  let userData: string;
  let dataDisk: NvmeDisk;
  let firstUuid: string;
  let firstContent: string;

  async function boot(name: string, nvme: NvmeDisk[], text: string): Promise<Vm> {
    const started = Vm.start({
      image,
      dir: join(work, name),
      accel,
      userData: Buffer.from(text, 'utf8'),
      instanceId: `i-cdktf-${name}`,
      hostname: `cdktf-${name}`,
      mirrorIp: await mirrorAddress(),
      registryPort: registry!.port,
      forward: { hostPort: await freePort(), guestPort: 8080 },
      nvme,
    });
    progress(`${name}: VM started (${accel}), work dir ${started.dir}`);
    return started;
  }

  async function finish(v: Vm, what: string): Promise<Report> {
    return v.waitFor(what, 25 * 60 * 1000, (r) => r.cloud_init.result_json != null && r.cloud_init.status_long != null);
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cdktf-vm-data-'));
    image = await ensureImage();
    const engine = DockerEngine.start({ daemonJson: DockerDaemonConfig.render() });
    try {
      buildBusyboxImage(engine, IMAGE_PATH);
      registry = await Registry.start(join(work, 'registry'), await freePort());
      const hostImage = `127.0.0.1:${registry.port}/${IMAGE_PATH}`;
      engine.docker(['tag', IMAGE_PATH, hostImage]);
      engine.docker(['push', hostImage]);
    } finally {
      engine.stop();
    }
    accel = (await chooseAccelerator(image)).accel;
    userData = hostUserData();
    dataDisk = { id: 'dv0', file: rawDisk(join(work, 'data.img')), serial: SERIAL, attached: false };
  }, 20 * 60 * 1000);

  afterAll(async () => {
    for (const step of [() => vm?.stop(), () => registry?.stop()]) {
      try {
        await step();
      } catch (e) {
        progress(`cleanup failed: ${e}`);
      }
    }
    if (work && process.env.CDKTF_ISOLATION_VM_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }, 2 * 60 * 1000);

  test('first boot, the disk hot-plugged while the mount script waits: formatted once, the container writes into it', async () => {
    vm = await boot('first', [dataDisk], userData);
    // Docker is started by runcmd right before the mount script: plug the disk some seconds after.
    await vm.waitFor('Docker to be active (runcmd under way)', 25 * 60 * 1000, (r) => r.units['docker.service'] === 'active');
    await sleep(15_000);
    progress('first: hot-plugging the data disk (device_add nvme)');
    await vm.hotplugNvme(dataDisk);
    const done = await finish(vm, 'cloud-init to finish');
    expect(done.cloud_init.result_json.v1.errors).toEqual([]);
    const ready = await vm.waitFor('the container to be healthy', 3 * 60 * 1000, healthy);
    const c = keeper(ready);
    expect([c.HostConfig.ReadonlyRootfs, c.HostConfig.CapDrop, c.Config.User]).toEqual([true, ['ALL'], '65532:65532']);
    expect(c.HostConfig.Binds).toEqual(['/var/lib/cdktf-isolation/volumes/appdata/data:/data']);
    // The mount script said what it did, in the cloud-init output on the console.
    const console = readFileSync(join(vm.dir, 'console.log'), 'utf8');
    expect(console).toContain('cdktf-isolation: /dev/nvme0n1 holds no filesystem: creating ext4');
    // Powered off as EC2 stops an instance before detaching its volume.
    progress(`first: powered off cleanly: ${await vm.powerdown()}`);
    vm = undefined;
    settle(dataDisk.file);

    firstUuid = uuidOf(dataDisk.file);
    expect(firstUuid).toMatch(/^[0-9a-f-]{36}$/);
    firstContent = catOf(dataDisk.file, '/data/first');
    expect(firstContent).toMatch(/^\d+\n$/);
    expect(catOf(dataDisk.file, '/data/boots')).toBe('boot\n');
    // The container's user owns the directory it got, on the volume.
    expect(ownerOf(dataDisk.file, '/data')).toBe('65532:65532');
  });

  test('a fresh guest (a replaced host) with the same disk: the data is there, the filesystem is the same, the container healthy', async () => {
    expect(firstUuid).toBeDefined();
    vm = await boot('second', [{ ...dataDisk, attached: true }], userData);
    const done = await finish(vm, 'cloud-init to finish');
    expect(done.cloud_init.result_json.v1.errors).toEqual([]);
    await vm.waitFor('the container to be healthy', 3 * 60 * 1000, healthy);
    const console = readFileSync(join(vm.dir, 'console.log'), 'utf8');
    expect(console).not.toContain('holds no filesystem');
    progress(`second: powered off cleanly: ${await vm.powerdown()}`);
    vm = undefined;
    settle(dataDisk.file);
    expect(uuidOf(dataDisk.file)).toBe(firstUuid);
    expect(catOf(dataDisk.file, '/data/first')).toBe(firstContent);
    expect(catOf(dataDisk.file, '/data/boots')).toBe('boot\nboot\n');
  });

  test('a data disk that never appears fails cloud-init with the message, starts no container and formats no other disk', async () => {
    const other: NvmeDisk = { id: 'other', file: rawDisk(join(work, 'other.img'), '256M'), serial: 'vol0fffffffffffffffff', attached: true };
    // A bound of 20 s instead of 300 s, so the test does not wait five minutes.
    const text = userData.replace('CDKTF_ISOLATION_VOLUME_TIMEOUT:-300', 'CDKTF_ISOLATION_VOLUME_TIMEOUT:-20');
    expect(text).not.toBe(userData);
    vm = await boot('never', [other], text);
    const done = await finish(vm, 'cloud-init to finish');
    expect(JSON.stringify(done.cloud_init.result_json.v1.errors)).toContain('runcmd');
    const console = readFileSync(join(vm.dir, 'console.log'), 'utf8');
    expect(console).toContain(`cdktf-isolation: data volume ${VOLUME_ID} (/var/lib/cdktf-isolation/volumes/appdata): no block device with serial ${SERIAL} appeared within 20 s; ` +
      'is the volume attached (aws_volume_attachment)? Nothing was formatted or mounted');
    // The container's unit requires the volume's: it never starts the container.
    await sleep(10_000);
    const later = await vm.waitFor('a report after cloud-init', 60_000, () => true);
    expect(keeper(later)?.State?.Running ?? false).toBe(false);
    await vm.stop();
    vm = undefined;
    expect(run('blkid', ['-p', other.file]).status).toBe(2);
  });
});
