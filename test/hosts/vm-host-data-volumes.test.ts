import { rmSync } from 'node:fs';
import { TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import {
  ContainerImage, ContainerOnVm, ContainerOptions, DataVolumeOptions, DataVolumeRemovalPolicy, HostNetwork, MachineImage, NetworkEgress, VmHost,
  VmHostProps,
} from '../../src';
import { DataVolumeSetup } from '../../src/core/render/data-volume-setup';
import { cloudInitSchema, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { systemdRoot, systemdVerify } from '../helpers/host-root';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson } from '../helpers/synth';
import { requireTools } from '../helpers/tools';

const SUBNET = 'subnet-0123456789abcdef0';
const FAKE_ID = 'vol-0123456789abcdef0';
const postgres: Omit<ContainerOptions, 'name'> & { name: string } = {
  name: 'postgres',
  image: ContainerImage.fromRegistry('postgres:17'),
  memoryMiB: 512,
  user: '999:999',
  volumes: [{ source: 'pgdata', target: '/var/lib/postgresql/data' }],
};

/** The host's HostInputs (the digest whose change replaces the instance). */
const inputs = (r: { stack: TerraformStack; host: VmHost; json: any }) => resourcesOf(r.json, 'terraform_data')[r.stack.getLogicalId(r.host.hostInputs!)];

function build(hostProps: Partial<VmHostProps> = {}, volumes: DataVolumeOptions[] = [{ name: 'pgdata', sizeGiB: 20 }], containers: ContainerOptions[] = [postgres]) {
  const { stack } = awsStack();
  const host = new VmHost(stack, 'db', { subnetId: SUBNET, dataVolumes: volumes, ...hostProps });
  containers.forEach((c) => new ContainerOnVm(stack, c.name, { host, ...c }));
  return { stack, host, json: synthJson(stack) };
}

/** The user data with the volume ids (references at synth) as Terraform gives them at apply. */
function userDataWithIds(host: VmHost): string {
  return host.renderUserData().replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, FAKE_ID);
}

describe('a VmHost with a data volume', () => {
  const { stack, host, json } = build({}, [{ name: 'pgdata', sizeGiB: 20, backup: { everyHours: 12, keep: 14 }, tags: { team: 'db' } }]);
  const volumeId = stack.getLogicalId(host.dataVolumes[0].resource);
  const instanceId = stack.getLogicalId(host.resource);

  test('an encrypted gp3 aws_ebs_volume in the zone of the host subnet, kept by prevent_destroy', () => {
    const subnetId = Object.keys(resourcesOf(json, 'aws_subnet', 'data'))[0];
    expect(resourcesOf(json, 'aws_subnet', 'data')).toEqual({ [subnetId]: { id: SUBNET } });
    expect(resourcesOf(json, 'aws_ebs_volume')).toEqual({
      [volumeId]: {
        availability_zone: `\${data.aws_subnet.${subnetId}.availability_zone}`,
        encrypted: true,
        final_snapshot: false,
        iops: 3000,
        throughput: 125,
        size: 20,
        type: 'gp3',
        lifecycle: { prevent_destroy: true },
        tags: { 'Name': 'test/db/pgdata', 'team': 'db', 'cdktf-isolation:data-volume': 'test/db/DataVolume-pgdata' },
      },
    });
  });

  test('an aws_volume_attachment that stops the instance before detaching', () => {
    expect(Object.values(resourcesOf(json, 'aws_volume_attachment'))).toEqual([{
      device_name: '/dev/sdf',
      instance_id: `\${aws_instance.${instanceId}.id}`,
      volume_id: `\${aws_ebs_volume.${volumeId}.id}`,
      stop_instance_before_detaching: true,
    }]);
  });

  test('snapshots: a DLM policy targeting the volume\'s tag, every 12 hours, keeping 14, with a role DLM assumes', () => {
    const roleId = stack.getLogicalId(host.backupRole!.resource);
    expect(Object.values(resourcesOf(json, 'aws_dlm_lifecycle_policy'))).toEqual([{
      description: 'cdktf-isolation data volume pgdata: every 12 h, keep 14',
      execution_role_arn: `\${aws_iam_role.${roleId}.arn}`,
      state: 'ENABLED',
      policy_details: {
        resource_types: ['VOLUME'],
        target_tags: { 'cdktf-isolation:data-volume': 'test/db/DataVolume-pgdata' },
        schedule: [{ name: 'every 12 h, keep 14', copy_tags: true, create_rule: { interval: 12, interval_unit: 'HOURS' }, retain_rule: { count: 14 } }],
      },
      tags: { Name: 'test/db/pgdata', team: 'db' },
    }]);
    expect(JSON.parse(resourcesOf(json, 'aws_iam_role')[roleId].assume_role_policy).Statement).toEqual(
      [{ Effect: 'Allow', Principal: { Service: 'dlm.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).map((a: any) => a.policy_arn)).toContain(
      'arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole');
  });

  test('the container binds the volume\'s data directory; its unit requires the mount unit and the mount; its start script refuses an unmounted volume and gives data/ to the user', () => {
    const doc = parse(userDataWithIds(host), { version: '1.1' });
    const file = (path: string) => doc.write_files.find((f: any) => f.path === path)?.content as string;
    expect(file('/usr/local/lib/cdktf-isolation/mount-data-volume.sh')).toBe(DataVolumeSetup.mountScript());
    expect(file('/etc/systemd/system/cdktf-isolation-volume-pgdata.service')).toBe([
      '[Unit]', 'Description=cdktf-isolation data volume pgdata', 'After=local-fs.target', '',
      '[Service]', 'Type=oneshot', 'RemainAfterExit=yes', 'TimeoutStartSec=420',
      `ExecStart=/usr/local/lib/cdktf-isolation/mount-data-volume.sh ${FAKE_ID} /var/lib/cdktf-isolation/volumes/pgdata`, '',
      '[Install]', 'WantedBy=multi-user.target', '',
    ].join('\n'));
    const unit = file('/etc/systemd/system/cdktf-container-postgres.service');
    expect(unit).toContain('Wants=docker.service\nRequires=cdktf-isolation-volume-pgdata.service\nAfter=cdktf-isolation-volume-pgdata.service\n' +
      'RequiresMountsFor=/var/lib/cdktf-isolation/volumes/pgdata\n\n[Service]');
    const script = file('/usr/local/lib/cdktf-isolation/containers/postgres.sh');
    expect(script).toContain('fi\nif ! mountpoint -q /var/lib/cdktf-isolation/volumes/pgdata; then\n' +
      '  echo "cdktf-isolation: data volume /var/lib/cdktf-isolation/volumes/pgdata is not mounted; not starting the container" >&2\n  exit 1\nfi\n' +
      'mkdir -p /var/lib/cdktf-isolation/volumes/pgdata/data\nchown 999:999 /var/lib/cdktf-isolation/volumes/pgdata/data\n[ -n "$replace" ] || "$lib/pull-image.sh" postgres:17\n');
    expect(script).toContain('  --volume /var/lib/cdktf-isolation/volumes/pgdata/data:/var/lib/postgresql/data \\\n');
    // First boot: the script from cloud-init (its error in the cloud-init log), then the unit (every boot), then the containers.
    expect(doc.runcmd.slice(2)).toEqual([
      ['/usr/local/lib/cdktf-isolation/mount-data-volume.sh', FAKE_ID, '/var/lib/cdktf-isolation/volumes/pgdata'],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'cdktf-isolation-volume-pgdata.service'],
      ['systemctl', 'enable', '--now', 'cdktf-container-postgres.service'],
    ]);
    // No cloud-init disk_setup/fs_setup: they cannot wait for a device attached after boot started.
    expect(Object.keys(doc)).not.toContain('fs_setup');
    expect(Object.keys(doc)).not.toContain('disk_setup');
  });

  test('the container spec of ContainerOnVm is the one the host runs', () => {
    expect(host.containerSpecs[0].volumes).toEqual([{
      source: '/var/lib/cdktf-isolation/volumes/pgdata/data', target: '/var/lib/postgresql/data', readOnly: false, hostPath: true, shared: false, dataVolume: 'pgdata',
    }]);
  });

  test('the report lines say what each volume is, whether it is backed up and who uses it', () => {
    expect(host.dataVolumeSummary).toEqual(['pgdata 20 GiB gp3 encrypted, snapshots every 12 h, keep 14, kept (prevent_destroy), used by postgres']);
  });

  test('cloud-init schema, shellcheck and systemd-analyze verify accept what the data volume adds', () => {
    if (!requireTools('data volume user data checks', ['cloud-init', 'shellcheck', 'systemd-analyze'])) return;
    const userData = userDataWithIds(host);
    const schema = cloudInitSchema(userData);
    expect({ status: schema.status, stderr: schema.stderr }).toEqual({ status: 0, stderr: '' });
    const scripts = shellScriptsOf(userData);
    expect(scripts.map((s) => s.where)).toContain('/usr/local/lib/cdktf-isolation/mount-data-volume.sh');
    for (const s of scripts) {
      const r = shellcheck(s.text);
      expect({ where: s.where, out: r.stdout, status: r.status }).toEqual({ where: s.where, out: '', status: 0 });
    }
    const root = systemdRoot(userData);
    try {
      for (const unit of ['cdktf-isolation-volume-pgdata.service', 'cdktf-container-postgres.service']) {
        const r = systemdVerify(root, unit);
        expect({ unit, status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ unit, status: 0, stderr: '', stdout: '' });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('data volumes and host replacement', () => {
  test('a change that replaces the host (a new machine image) leaves the volume resource as it was: same address, same attributes', () => {
    const a = build({ machineImage: MachineImage.debian12() });
    const b = build({ machineImage: MachineImage.ubuntu2404() });
    expect(resourcesOf(b.json, 'aws_ebs_volume')).toEqual(resourcesOf(a.json, 'aws_ebs_volume'));
    expect(Object.keys(resourcesOf(a.json, 'aws_ebs_volume'))).toEqual(['db_DataVolume-pgdata_B9B271D0']);
    // The host is replaced (its HostInputs digest changed), the attachment with it: the volume is not.
    expect(inputs(b).input.digest).not.toEqual(inputs(a).input.digest);
    expect(resourcesOf(b.json, 'aws_volume_attachment')).toEqual(resourcesOf(a.json, 'aws_volume_attachment'));
  });

  test('a container change leaves the volume and the host\'s inputs alone', () => {
    const a = build();
    const b = build({}, undefined, [{ ...postgres, memoryMiB: 768 }]);
    expect(resourcesOf(b.json, 'aws_ebs_volume')).toEqual(resourcesOf(a.json, 'aws_ebs_volume'));
    expect(inputs(b)).toEqual(inputs(a));
    expect(inputs(a).input.digest).toMatch(/^\$\{sha256\(/);
  });

  test('a data volume added is host-level: it changes the host\'s inputs (the instance is replaced and boots with both)', () => {
    const a = build();
    const b = build({}, [{ name: 'pgdata', sizeGiB: 20 }, { name: 'wal', sizeGiB: 8 }]);
    expect(inputs(b).input.digest).not.toEqual(inputs(a).input.digest);
    expect(Object.keys(resourcesOf(b.json, 'aws_ebs_volume'))).toEqual(['db_DataVolume-pgdata_B9B271D0', b.stack.getLogicalId(b.host.dataVolumes[1].resource)]);
    expect(resourcesOf(b.json, 'aws_ebs_volume')['db_DataVolume-pgdata_B9B271D0']).toEqual(resourcesOf(a.json, 'aws_ebs_volume')['db_DataVolume-pgdata_B9B271D0']);
    expect(Object.values(resourcesOf(b.json, 'aws_volume_attachment')).map((x: any) => x.device_name)).toEqual(['/dev/sdf', '/dev/sdg']);
  });
});

describe('data volume options', () => {
  test('DESTROY: no prevent_destroy; iops, throughput and a KMS key as given', () => {
    const { json } = build({}, [{ name: 'pgdata', sizeGiB: 100, iops: 6000, throughputMiBps: 500, kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abc', removalPolicy: DataVolumeRemovalPolicy.DESTROY }]);
    const v = onlyResource(json, 'aws_ebs_volume');
    expect([v.lifecycle, v.iops, v.throughput, v.size, v.kms_key_id, v.encrypted]).toEqual([undefined, 6000, 500, 100, 'arn:aws:kms:eu-west-1:123456789012:key/abc', true]);
    expect(resourcesOf(json, 'aws_dlm_lifecycle_policy')).toEqual({});
  });

  test('in a HostNetwork the zone is the subnet resource\'s attribute (no lookup whose pending read would replace the volume)', () => {
    const { stack } = awsStack();
    const network = new HostNetwork(stack, 'net', { egress: NetworkEgress.NAT_GATEWAY });
    const host = new VmHost(stack, 'db', { network, dataVolumes: [{ name: 'pgdata', sizeGiB: 20 }] });
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_ebs_volume').availability_zone).toBe(`\${aws_subnet.${stack.getLogicalId(network.privateSubnets[0])}.availability_zone}`);
    expect(resourcesOf(json, 'aws_subnet', 'data')).toEqual({});
    expect(host.dataVolumes).toHaveLength(1);
  });

  test('a data volume used by no container is still attached and mounted (a container added later mounts it), and the report says it is unused', () => {
    const { host, json } = build({}, undefined, []);
    expect(Object.keys(resourcesOf(json, 'aws_ebs_volume'))).toHaveLength(1);
    expect(parse(userDataWithIds(host), { version: '1.1' }).runcmd).toContainEqual(['systemctl', 'enable', '--now', 'cdktf-isolation-volume-pgdata.service']);
    expect(host.dataVolumeSummary).toEqual(['pgdata 20 GiB gp3 encrypted, not backed up, kept (prevent_destroy), used by no container']);
  });

  test('a volume name that is no data volume of the host stays a named Docker volume (on the root volume)', () => {
    const { host } = build({}, undefined, [{ ...postgres, volumes: [{ source: 'cache', target: '/cache' }] }]);
    expect(host.containerSpecs[0].volumes).toEqual([{ source: 'cache', target: '/cache', readOnly: false, hostPath: false, shared: false }]);
    expect(userDataWithIds(host)).toContain('  --volume cache:/cache \\\n');
  });

  test('two containers share a volume when both ask for it; root owns it as 0:0; a read-only mount is not chowned', () => {
    const { host } = build({}, undefined, [
      { ...postgres, user: 'root', volumes: [{ source: 'pgdata', target: '/data', shared: true }] },
      { ...postgres, name: 'reader', user: 'nobody', volumes: [{ source: 'pgdata', target: '/data', shared: true, readOnly: true }] },
    ]);
    const text = userDataWithIds(host);
    expect(text).toContain('chown 0:0 /var/lib/cdktf-isolation/volumes/pgdata/data\n');
    expect(text.match(/chown /g)).toHaveLength(1);
    expect(text).toContain('  --volume /var/lib/cdktf-isolation/volumes/pgdata/data:/data:ro \\\n');
  });
});

describe('data volume errors', () => {
  const msg = (fn: () => unknown) => errorOf(fn).message;

  test('a second container on a volume without shared in both', () => {
    expect(msg(() => build({}, undefined, [postgres, { ...postgres, name: 'other', volumes: [{ source: 'pgdata', target: '/d', shared: true }] }]))).toBe(
      "test/other: 'volumes[0].shared' must be true in both containers to mount data volume 'pgdata', which container test/postgres mounts too (without shared), got true. " +
      'Give each container its own data volume, or set shared: true on the mount in both when they are meant to share it.');
  });

  test('a container user given by name cannot own the data directory', () => {
    expect(msg(() => build({}, undefined, [{ ...postgres, user: 'postgres' }]))).toBe(
      "test/postgres: 'user' must be a numeric uid or 'uid:gid' to own data volume 'pgdata' (the host gives the volume's data directory to the container's user, " +
      "and cannot resolve a name that only the image knows), got \"postgres\". Give the user's ids, e.g. '999:999' for the postgres image's user, or mount the volume readOnly.");
  });

  test('a host without subnet or network: the zone of its volumes is not fixed', () => {
    expect(msg(() => build({ subnetId: undefined }))).toBe(
      "test/db: 'dataVolumes' needs the host's subnet to be fixed (a data volume lives in the subnet's availability zone, and a host without network or subnetId " +
      'goes into the first subnet a lookup finds, which may change), got ["pgdata"]. Give the host a network (HostNetwork) or a subnetId.');
  });

  test('a Xen instance type (t2) presents no volume id', () => {
    expect(msg(() => build({ instanceType: 't2.small' }))).toBe(
      "test/db: 'instanceType' must be a Nitro instance type for data volumes (it presents EBS volumes as NVMe devices whose serial is the volume id; " +
      'Xen types such as t2 do not, and the host finds a volume only by its id), got "t2.small". Choose a Nitro type, e.g. t3.small.');
  });

  test('a container that mounts a data volume cannot leave its host', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'db', { subnetId: SUBNET, dataVolumes: [{ name: 'pgdata', sizeGiB: 20 }] });
    const c = new ContainerOnVm(stack, 'pg', { host, ...postgres });
    expect(msg(() => host._unregisterContainer(c))).toBe(
      "test/pg: 'volumes' must stay on host test/db, whose data volume 'pgdata' it mounts (the volume cannot follow it to another host or zone without a snapshot), " +
      'got "pgdata". Keep the app where it is (the pool\'s placement lock does), or move its data yourself: snapshot the volume and restore it beside the new host.');
  });
});
