import type { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { DataVolumeBackupRole, HostDataVolume } from './host-data-volume';
import type { IHostNetwork } from './host-network';
import type { HostFacts } from './vm-host-checks';
import { ContainerSpec } from '../core/container-spec';
import { DataVolumeRemovalPolicy, ResolvedDataVolume } from '../core/data-volume';
import { OsFamilies } from '../core/os-family';
import { CloudConfig } from '../core/render/cloud-config';
import { DataVolumeSetup } from '../core/render/data-volume-setup';
import { IsolationError } from '../private/errors';

/*
 * A VmHost's data volumes (host-level): the set a host holds (HostVolumes),
 * whether the host can hold them, how containers may mount them, the
 * volumes' zone, and their report line. The resources themselves are
 * HostDataVolume constructs (host-data-volume.ts).
 */

/** What HostVolumes reads of its host (a VmHost). */
export interface VolumeHost extends Construct {
  readonly subnetId: string;
  readonly network?: IHostNetwork;
  /** The instance the volumes are attached to. */
  readonly resource: { readonly id: string };
  /** The host's cloud-config, which gets each volume's mount unit. */
  readonly cloudConfig: CloudConfig;
}

/**
 * The data volumes of one host: their resources (children of the host, so
 * their ids are `DataVolume-<name>` and `DataVolumeBackupRole` under it),
 * their zone from the subnet, and their mount units in the host's
 * cloud-config.
 */
export class HostVolumes {
  /** The validated volumes, in the order they were added. */
  public readonly specs: ResolvedDataVolume[] = [];
  /** Their constructs, in the same order. */
  public readonly volumes: HostDataVolume[] = [];
  /** The role Data Lifecycle Manager snapshots with (made with the first backed-up volume). */
  public backupRole?: DataVolumeBackupRole;
  private zone?: string;

  /** @param tags the host's tags (each volume also gets its own and a Name) */
  constructor(private readonly host: VolumeHost, private readonly tags: { [key: string]: string }) {}

  /** Adds `volumes` (the host's own, or a container's: `path` and `prop` name where they were given). */
  public add(volumes: readonly ResolvedDataVolume[], path: string, prop: string): void {
    const tags = this.tags;
    const hostPath = this.host.node.path;
    volumes.forEach((volume, i) => {
      if (this.specs.some((v) => v.name === volume.name)) {
        throw new IsolationError(path, `${prop}[${i}].name`, `must be unique on host ${hostPath}, which has a data volume '${volume.name}' already`, volume.name,
          'Give each data volume of a host its own name.');
      }
      if (this.specs.length >= 20) {
        throw new IsolationError(path, prop, `must not take host ${hostPath} beyond 20 data volumes (device names /dev/sdf to /dev/sdy)`, volume.name,
          'Put some of the data on a host of its own, or on fewer, larger volumes.');
      }
      if (volume.backup && !this.backupRole) this.backupRole = new DataVolumeBackupRole(this.host, 'DataVolumeBackupRole', tags);
      this.zone ??= subnetZone(this.host, this.host.subnetId, this.host.network);
      const dv = new HostDataVolume(this.host, `DataVolume-${volume.name}`, {
        volume,
        availabilityZone: this.zone,
        instanceId: this.host.resource.id,
        // EC2 wants a name; the host finds the volume by its id (on Nitro the name is not what the host sees).
        deviceName: `/dev/sd${String.fromCharCode('f'.charCodeAt(0) + this.specs.length)}`,
        tags: { ...tags, ...volume.tags, Name: `${tags.Name}/${volume.name}` },
        backupRoleArn: volume.backup ? this.backupRole!.resource.arn : undefined,
      });
      this.specs.push(volume);
      this.volumes.push(dv);
      DataVolumeSetup.apply(this.host.cloudConfig, [{ volume, volumeId: dv.volumeId }]);
    });
  }
}

/** The volumes' names, sizes and backups, for the report: `pgdata 20 GiB gp3, snapshots every 24 h, keep 7 (used by db)`. */
export function dataVolumeSummary(host: HostFacts, volumes: readonly ResolvedDataVolume[]): string[] {
  return volumes.map((v) => {
    const users = host.containers.filter((c) => c.spec.volumes.some((m) => m.dataVolume === v.name)).map((c) => c.spec.name);
    const backup = v.backup ? `snapshots every ${v.backup.everyHours} h, keep ${v.backup.keep}` : 'not backed up';
    return `${v.name} ${v.sizeGiB} GiB gp3 encrypted, ${backup}, ${v.removalPolicy === DataVolumeRemovalPolicy.RETAIN ? 'kept (prevent_destroy)' : 'destroyed with the stack'}, ` +
      `${users.length > 0 ? `used by ${users.join(', ')}` : 'used by no container'}`;
  });
}

/** A host whose subnet (and so the volumes' zone) is not fixed, or which presents volumes without their id, cannot hold data volumes. */
export function checkDataVolumeHost(host: HostFacts, path: string, prop: string, names: string[]): void {
  if (OsFamilies.isWindows(host.osFamily)) {
    throw new IsolationError(path, prop, `must be left out on ${OsFamilies.traits(host.osFamily).displayName}: the library mounts data volumes for its Linux containers ` +
      '(a script of its cloud-config finds each by its NVMe serial), which a Windows host does not run', names,
    'Attach the volume with aws_ebs_volume and aws_volume_attachment and bring it online in your own PowerShell (windowsUserData), or use a Linux host for the data.');
  }
  if (!host.subnetFixed) {
    throw new IsolationError(path, prop, 'needs the host\'s subnet to be fixed (a data volume lives in the subnet\'s availability zone, ' +
      'and a host without network or subnetId goes into the first subnet a lookup finds, which may change)', names,
    'Give the host a network (HostNetwork) or a subnetId.');
  }
  if (/^(t2|m4|c4|r4|x1|d2|i2|m3|c3|r3)\./.test(host.instanceType)) {
    throw new IsolationError(host.hostPath, 'instanceType', 'must be a Nitro instance type for data volumes (it presents EBS volumes as NVMe devices whose serial is the volume id; ' +
      'Xen types such as t2 do not, and the host finds a volume only by its id)', host.instanceType, 'Choose a Nitro type, e.g. t3.small.');
  }
}

/**
 * The availability zone of the host's subnet: the attribute of a subnet
 * of the host's HostNetwork (known from its state, so a pending change of
 * the network never makes the volumes' zone unknown, which would replace
 * them), else an `aws_subnet` lookup of the subnet id.
 */
export function subnetZone(host: Construct, subnetId: string, network: IHostNetwork | undefined): string {
  const subnets = (network as { privateSubnets?: Subnet[] } | undefined)?.privateSubnets;
  // Ids are references: compared as Terraform writes them.
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (v: string) => String(Tokenization.resolve(v, { scope: host, resolver, preparing: false }));
  const wanted = resolve(subnetId);
  const own = Array.isArray(subnets) ? subnets.find((s) => resolve(s.id) === wanted) : undefined;
  if (own) return own.availabilityZone;
  // The lookup that found the subnet's VPC, if there is one (NetworkLookup.vpcOfSubnet), tells its zone too.
  const lookup = host.node.tryFindChild('Subnet') as DataAwsSubnet | undefined;
  if (lookup) return lookup.availabilityZone;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DataAwsSubnetClass = require('@cdktf/provider-aws/lib/data-aws-subnet').DataAwsSubnet as typeof DataAwsSubnet;
  return new DataAwsSubnetClass(host, 'Subnet', { id: subnetId }).availabilityZone;
}

/** A named user cannot own a data directory; a data volume mounted by two containers must be shared by both. */
export function checkDataVolumeUse(host: HostFacts, spec: ContainerSpec, path: string): void {
  spec.volumes.forEach((v, i) => {
    if (v.dataVolume === undefined) return;
    if (!v.readOnly && spec._dataOwner() === undefined) {
      throw new IsolationError(path, 'user', `must be a numeric uid or 'uid:gid' to own data volume '${v.dataVolume}' (the host gives the volume's ` +
        'data directory to the container\'s user, and cannot resolve a name that only the image knows)', spec.user,
      "Give the user's ids, e.g. '999:999' for the postgres image's user, or mount the volume readOnly.");
    }
    for (const { spec: other, owner } of host.containers) {
      const j = other.volumes.findIndex((o) => o.dataVolume === v.dataVolume);
      if (j < 0) continue;
      if (!v.shared || !other.volumes[j].shared) {
        throw new IsolationError(path, `volumes[${i}].shared`, `must be true in both containers to mount data volume '${v.dataVolume}', ` +
          `which container ${owner.node.path} mounts too${other.volumes[j].shared ? '' : ' (without shared)'}`, v.shared,
        'Give each container its own data volume, or set shared: true on the mount in both when they are meant to share it.');
      }
    }
  });
}
