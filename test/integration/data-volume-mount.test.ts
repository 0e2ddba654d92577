import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataVolumeSetup } from '../../src/core/render/data-volume-setup';
import { shellcheck } from '../helpers/cloud-init';
import { IN_CI, requireTools, run } from '../helpers/tools';

// The mount script against real block devices: loop devices, with a fake
// sysfs tree that gives each the serial an EBS volume has on Nitro (loop
// devices have no serial of their own; the script's sysfs root is a variable).
const VOLUME_ID = 'vol-0123456789abcdef0';
const SERIAL = 'vol0123456789abcdef0';

function asRoot(): boolean {
  if (process.getuid?.() === 0) return true;
  if (IN_CI) throw new Error('CI=true: the data volume mount tests need root (loop devices, mount)');
  // eslint-disable-next-line no-console
  console.warn('SKIPPED: the data volume mount tests need root (loop devices, mount)');
  return false;
}

test('the mount script is shellcheck-clean', () => {
  if (!requireTools('shellcheck of the data volume mount script', ['shellcheck'])) return;
  const r = shellcheck(DataVolumeSetup.mountScript());
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
});

const tools = ['losetup', 'mkfs.ext4', 'blkid', 'mount', 'umount', 'mountpoint', 'findmnt', 'sfdisk', 'awk'];
const enabled = asRoot() && requireTools('data volume mount script on loop devices', tools);
const maybe = enabled ? describe : describe.skip;

maybe('the mount script on loop devices', () => {
  let dir: string;
  let script: string;
  let loop: string;
  const sysfs = () => join(dir, 'sys');
  const fstab = () => join(dir, 'fstab');
  const mnt = () => join(dir, 'volumes', 'pgdata');
  const giveSerial = (device: string, serial: string) => {
    const name = device.replace(/^\/dev\//, '');
    mkdirSync(join(sysfs(), 'block', name, 'device'), { recursive: true });
    // EBS pads the serial with spaces, as NVMe serials are fixed-width.
    writeFileSync(join(sysfs(), 'block', name, 'device', 'serial'), `${serial}    \n`);
  };
  const mount = (volumeId = VOLUME_ID, timeout = 6) => run('sh', [script, volumeId, mnt()], {
    env: { ...process.env, CDKTF_ISOLATION_SYSFS: sysfs(), CDKTF_ISOLATION_FSTAB: fstab(), CDKTF_ISOLATION_VOLUME_TIMEOUT: String(timeout) },
  });
  const uuid = (device: string) => run('blkid', ['-p', '-s', 'UUID', '-o', 'value', device]).stdout.trim();
  const newLoop = (file: string) => {
    writeFileSync(file, '');
    run('truncate', ['-s', '32M', file]);
    const r = run('losetup', ['--find', '--show', file]);
    expect(r.stderr).toBe('');
    return r.stdout.trim();
  };
  const unmount = () => {
    if (run('mountpoint', ['-q', mnt()]).status === 0) run('umount', [mnt()]);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'data-volume-'));
    script = join(dir, 'mount-data-volume.sh');
    writeFileSync(script, DataVolumeSetup.mountScript(), { mode: 0o755 });
    writeFileSync(fstab(), '# fstab of the test\nUUID=1111 / ext4 defaults 0 1\n');
    loop = newLoop(join(dir, 'disk.img'));
    // Another disk, with another serial, which must be left alone.
    giveSerial('/dev/other0', 'vol0fffffffffffffffff');
  });

  afterEach(() => {
    unmount();
    run('losetup', ['-d', loop]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('first run formats the empty device, mounts it by UUID with nofail, and a second run (a fresh host) keeps the data and the filesystem', () => {
    giveSerial(loop, SERIAL);
    const first = mount();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`cdktf-isolation: ${loop} holds no filesystem: creating ext4`);
    const id = uuid(loop);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(fstab(), 'utf8')).toBe(`# fstab of the test\nUUID=1111 / ext4 defaults 0 1\nUUID=${id} ${mnt()} ext4 defaults,nofail 0 2\n`);
    expect(run('findmnt', ['-n', '-o', 'SOURCE', '--mountpoint', mnt()]).stdout.trim()).toBe(loop);
    writeFileSync(join(mnt(), 'data', 'kept.txt'), 'survives\n');

    // A fresh host: nothing mounted, an fstab without the line.
    unmount();
    writeFileSync(fstab(), '# another fstab\n');
    const second = mount();
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    expect(second.stdout).not.toContain('creating ext4');
    expect(uuid(loop)).toBe(id);
    expect(readFileSync(join(mnt(), 'data', 'kept.txt'), 'utf8')).toBe('survives\n');
    expect(readFileSync(fstab(), 'utf8')).toBe(`# another fstab\nUUID=${id} ${mnt()} ext4 defaults,nofail 0 2\n`);

    // A run while it is mounted (a reboot's unit after fstab mounted it) changes nothing.
    const third = mount();
    expect(third.status).toBe(0);
    expect(readFileSync(fstab(), 'utf8').match(/nofail/g)).toHaveLength(1);
  });

  test('a device that appears after the script started (attached after boot began) is waited for', async () => {
    const child = spawn('sh', [script, VOLUME_ID, mnt()], {
      env: { ...process.env, CDKTF_ISOLATION_SYSFS: sysfs(), CDKTF_ISOLATION_FSTAB: fstab(), CDKTF_ISOLATION_VOLUME_TIMEOUT: '30' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => out += d.toString());
    child.stderr.on('data', (d: Buffer) => out += d.toString());
    await new Promise((r) => setTimeout(r, 3000));
    expect(run('mountpoint', ['-q', mnt()]).status).not.toBe(0);
    giveSerial(loop, SERIAL);
    const code = await new Promise((r) => child.on('exit', r));
    expect(out).toContain(`cdktf-isolation: data volume ${VOLUME_ID} is ${loop}`);
    expect(code).toBe(0);
    expect(run('mountpoint', ['-q', mnt()]).status).toBe(0);
  }, 40_000);

  test('a device that never appears fails with the message, formatting and mounting nothing', () => {
    const before = readFileSync(fstab(), 'utf8');
    const r = mount(VOLUME_ID, 2);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`cdktf-isolation: data volume ${VOLUME_ID} (${mnt()}): no block device with serial ${SERIAL} appeared within 2 s; ` +
      'is the volume attached (aws_volume_attachment)? Nothing was formatted or mounted\n');
    expect(readFileSync(fstab(), 'utf8')).toBe(before);
    expect(existsSync(mnt())).toBe(false);
    expect(run('blkid', ['-p', loop]).status).toBe(2);
  });

  test('a stale by-id link alone is not trusted: only the serial in sysfs finds the device', () => {
    // The loop device has no serial; a link named like an EBS by-id link points at it.
    mkdirSync(join(dir, 'dev', 'disk', 'by-id'), { recursive: true });
    symlinkSync(loop, join(dir, 'dev', 'disk', 'by-id', `nvme-Amazon_Elastic_Block_Store_${SERIAL}`));
    const r = mount(VOLUME_ID, 2);
    expect(r.status).toBe(1);
    expect(run('blkid', ['-p', loop]).status).toBe(2);
  });

  test('a device with a partition table and no filesystem is never formatted', () => {
    expect(run('sfdisk', ['--quiet', loop], { input: 'label: dos\n,,L\n' }).status).toBe(0);
    giveSerial(loop, SERIAL);
    const r = mount();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`cdktf-isolation: data volume ${VOLUME_ID} (${mnt()}): ${loop} holds data but no filesystem with a UUID (a partition table?); ` +
      'it is not formatted: mount it yourself\n');
    expect(run('blkid', ['-p', '-s', 'PTTYPE', '-o', 'value', loop]).stdout.trim()).toBe('dos');
    expect(run('mountpoint', ['-q', mnt()]).status).not.toBe(0);
  });

  test('another filesystem already mounted on the directory is an error, not mounted over', () => {
    giveSerial(loop, SERIAL);
    const other = newLoop(join(dir, 'other.img'));
    try {
      expect(run('mkfs.ext4', ['-q', other]).status).toBe(0);
      mkdirSync(mnt(), { recursive: true });
      expect(run('mount', [other, mnt()]).status).toBe(0);
      const r = mount();
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`cdktf-isolation: data volume ${VOLUME_ID} (${mnt()}): ${mnt()} is already a mount of another filesystem ` +
        `(UUID ${uuid(other)}), not of ${loop} (UUID ${uuid(loop)})\n`);
    } finally {
      unmount();
      run('losetup', ['-d', other]);
    }
  });
});
