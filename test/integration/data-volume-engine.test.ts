import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage, DockerEngine, requireEngineOrSkip } from './engine';
import { ContainerImage, ContainerOnVm, RestartPolicy, VmHost } from '../../src';
import { DockerDaemonConfig } from '../../src/core/render/daemon-json';
import { DataVolumeSetup } from '../../src/core/render/data-volume-setup';
import { DockerRun } from '../../src/core/render/docker-run';
import { awsStack } from '../helpers/synth';
import { IN_CI, run } from '../helpers/tools';

// The container's user writes into its data volume's directory with the
// default hardening (read-only root, every capability dropped, no new
// privileges, user 65532:65532), on a real engine: the start script's own
// lines (mounted? then data/ given to the user) prepare a real mount (a
// tmpfs standing in for the EBS filesystem), then the spec's docker run.
const IMAGE = 'cdktf-test/busybox:data';
const enabled = requireEngineOrSkip() && (process.getuid?.() === 0 || (() => {
  if (IN_CI) throw new Error('CI=true: the data volume engine test needs root (a mount)');
  // eslint-disable-next-line no-console
  console.warn('SKIPPED: the data volume engine test needs root (a mount)');
  return false;
})());

(enabled ? describe : describe.skip)('a data volume on a real engine, with the default hardening', () => {
  let engine: DockerEngine;
  let dir: string;

  beforeAll(() => {
    engine = DockerEngine.start({ daemonJson: DockerDaemonConfig.render() });
    buildBusyboxImage(engine, IMAGE);
    dir = mkdtempSync(join(tmpdir(), 'cdktf-data-volume-'));
    mkdirSync(join(dir, 'volume'));
    expect(run('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0755', 'tmpfs', join(dir, 'volume')]).status).toBe(0);
  });

  afterAll(() => {
    engine?.docker(['rm', '--force', 'writer'], { allowFailure: true });
    engine?.stop();
    if (dir) {
      run('umount', [join(dir, 'volume')]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the container writes into data/, owned by its user; the root filesystem stays read-only', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h', { subnetId: 'subnet-0123456789abcdef0', dataVolumes: [{ name: 'appdata', sizeGiB: 1 }] });
    const writer = new ContainerOnVm(stack, 'writer', {
      host,
      name: 'writer',
      image: ContainerImage.fromRegistry(IMAGE),
      memoryMiB: 32,
      command: ['sh', '-c', 'echo written > /data/file && id -u > /data/uid && if touch /etc/x 2>/dev/null; then echo rw; else echo ro; fi > /data/root'],
      restartPolicy: RestartPolicy.NEVER,
      volumes: [{ source: 'appdata', target: '/data' }],
    });
    const spec = writer.spec;
    expect([spec.user, spec.readOnlyRootFilesystem, spec.capDrop, spec.noNewPrivileges]).toEqual(['65532:65532', true, ['ALL'], true]);
    // The start script's lines for the volume, run against the stand-in mount.
    const volume = join(dir, 'volume');
    const lines = DataVolumeSetup.startScriptLines([{ directory: volume, owner: spec._dataOwner() }]);
    writeFileSync(join(dir, 'prepare.sh'), ['#!/bin/sh', 'set -eu', ...lines, ''].join('\n'));
    const prepared = run('sh', [join(dir, 'prepare.sh')]);
    expect({ status: prepared.status, stderr: prepared.stderr }).toEqual({ status: 0, stderr: '' });
    expect(`${statSync(join(volume, 'data')).uid}:${statSync(join(volume, 'data')).gid}`).toBe('65532:65532');

    // The spec's docker run, with the volume's data directory where the host has it.
    const argv = DockerRun.argv(spec).slice(1).map((a) => a.replace('/var/lib/cdktf-isolation/volumes/appdata/data', join(volume, 'data')));
    expect(argv).toContain(`${join(volume, 'data')}:/data`);
    engine.docker(argv);
    engine.waitFor(() => engine.inspect('writer').State.Status === 'exited', 30_000, 'the writer to exit');
    const state = engine.inspect('writer').State;
    expect(state.ExitCode).toBe(0);
    expect(readFileSync(join(volume, 'data', 'file'), 'utf8')).toBe('written\n');
    expect(readFileSync(join(volume, 'data', 'uid'), 'utf8')).toBe('65532\n');
    expect(readFileSync(join(volume, 'data', 'root'), 'utf8')).toBe('ro\n');
    expect(statSync(join(volume, 'data', 'file')).uid).toBe(65532);
  });

  test('the start script refuses a volume that is not mounted (no data lands on the root volume)', () => {
    const unmounted = join(dir, 'not-mounted');
    mkdirSync(unmounted);
    writeFileSync(join(dir, 'refuse.sh'), ['#!/bin/sh', 'set -eu', ...DataVolumeSetup.startScriptLines([{ directory: unmounted, owner: '65532:65532' }]), 'echo started', ''].join('\n'));
    const r = run('sh', [join(dir, 'refuse.sh')]);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 1, stdout: '', stderr: `cdktf-isolation: data volume ${unmounted} is not mounted; not starting the container\n`,
    });
  });
});
