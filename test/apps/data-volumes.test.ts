import { parse } from 'yaml';
import { ContainerImage, ContainerOptions, HostPool, IsolatedApp, IsolationReport, PlacementStrategy, Tenancy } from '../../src';
import { awsStack, errorOf, resourcesOf, synthJson } from '../helpers/synth';

const SUBNET = 'subnet-0123456789abcdef0';
const db = (name = 'db', memoryMiB = 512): ContainerOptions => ({
  name,
  image: ContainerImage.fromRegistry('postgres:17'),
  memoryMiB,
  user: '999:999',
  dataVolumes: [{ name: `${name}data`, sizeGiB: 20, backup: { everyHours: 24, keep: 7 } }],
  volumes: [{ source: `${name}data`, target: '/var/lib/postgresql/data' }],
});

describe('data volumes through the container spec', () => {
  test('a pool app brings its data volume to the host it is placed on; the report lists it with its backup', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', subnetId: SUBNET });
    new IsolatedApp(stack, 'db', { pool, container: db() });
    new IsolatedApp(stack, 'web', { pool, container: { name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 256 } });
    const json = synthJson(stack);
    expect(Object.values(resourcesOf(json, 'aws_ebs_volume')).map((v: any) => [v.size, v.tags.Name])).toEqual([[20, 'test/pool/Host0/dbdata']]);
    const instance: any = Object.values(resourcesOf(json, 'aws_instance'))[0];
    expect(Object.keys(resourcesOf(json, 'aws_volume_attachment'))).toHaveLength(1);
    // The user data holds the volume id (known at apply), so it reaches the instance through a local.
    expect(instance.user_data ?? instance.user_data_base64).toMatch(/\$\{base64gzip\(local\./);
    const hosts = IsolationReport.of(stack).toJson().hosts;
    expect(hosts.map((h) => [h.path, h.dataVolumes])).toEqual([
      ['test/pool/Host0', ['dbdata 20 GiB gp3 encrypted, snapshots every 24 h, keep 7, kept (prevent_destroy), used by db']],
    ]);
    expect(IsolationReport.renderMarkdown(IsolationReport.of(stack).toJson())).toContain('## Data\n\nThe data volumes of each host (they outlive it) and whether they are backed up:\n\n' +
      '- test/pool/Host0: dbdata 20 GiB gp3 encrypted, snapshots every 24 h, keep 7, kept (prevent_destroy), used by db\n');
  });

  test('an app on a VM of its own (untrusted tenancy, Docker allowed) gets the volume on that VM', () => {
    const { stack } = awsStack();
    const app = new IsolatedApp(stack, 'db', { requirements: { tenancy: Tenancy.UNTRUSTED }, container: db(), dedicatedVm: { subnetId: SUBNET } });
    const json = synthJson(stack);
    expect(app.host!.node.path).toBe('test/db/Host');
    expect(Object.values(resourcesOf(json, 'aws_ebs_volume')).map((v: any) => v.tags.Name)).toEqual(['test/db/Host/dbdata']);
    expect(app.host!.containerSpecs[0].volumes[0]).toEqual({
      source: '/var/lib/cdktf-isolation/volumes/dbdata/data', target: '/var/lib/postgresql/data', readOnly: false, hostPath: true, shared: false, dataVolume: 'dbdata',
    });
  });

  test('a pool whose hosts have no fixed subnet cannot take an app with a data volume: the error names the app', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium' });
    expect(errorOf(() => {
      new IsolatedApp(stack, 'db', { pool, container: db() });
      synthJson(stack);
    }).message).toBe("test/db/Container: 'dataVolumes' needs the host's subnet to be fixed (a data volume lives in the subnet's availability zone, and a host without " +
      'network or subnetId goes into the first subnet a lookup finds, which may change), got ["dbdata"]. Give the host a network (HostNetwork) or a subnetId.');
  });

  test('a data volume the container does not mount is an error', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', subnetId: SUBNET });
    expect(errorOf(() => new IsolatedApp(stack, 'db', { pool, container: { ...db(), volumes: [] } })).message).toBe(
      "test/db/Container: 'dataVolumes[0].name' must be mounted by the container that brings it (a volume in volumes with this source), got \"dbdata\". " +
      "Add { source: 'dbdata', target: '/data' } to volumes, or give the volume to the host (VmHost dataVolumes) if another container mounts it.");
  });

  test('placement that would move an app with a data volume to another host is an error naming the app and the volume', () => {
    const { stack } = awsStack();
    // Bin-pack without an earlier placement re-packs, largest first, as apps arrive: big takes host 0, db would go to host 1.
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', subnetId: SUBNET, strategy: PlacementStrategy.BIN_PACK });
    new IsolatedApp(stack, 'db', { pool, container: db('db', 1024) });
    const error = errorOf(() => {
      new IsolatedApp(stack, 'big', { pool, container: { name: 'big', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 2800 } });
      synthJson(stack);
    });
    expect(error.message).toMatch(/^test\/db\/Container: 'volumes' must stay on host test\/pool\/Host0, whose data volume 'dbdata' it mounts/);
  });

  test('the user data of a pool host mounts the volume before the container', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', subnetId: SUBNET });
    new IsolatedApp(stack, 'db', { pool, container: db() });
    const doc = parse(pool.hosts[0].renderUserData(), { version: '1.1' });
    expect(doc.runcmd.slice(-3).map((c: string[]) => c.slice(0, 1).concat(c.slice(-1)))).toEqual([
      ['systemctl', 'daemon-reload'], ['systemctl', 'cdktf-isolation-volume-dbdata.service'], ['systemctl', 'cdktf-container-db.service'],
    ]);
  });
});
