import { Construct } from 'constructs';
import type { IHostNetwork } from './host-network';
import { InstanceSettings } from './instance-settings';
import { InstanceTypeLookup, ResolvedInstanceType } from './instance-type-lookup';
import { MachineImage, MachineImageConfig } from './machine-image';
import { NetworkLookup } from './network-lookup';
import { NetworkUse } from './network-use';
import type { VmHostProps } from './vm-host-props';
import { DataVolumes, ResolvedDataVolume } from '../core/data-volume';
import { NetworkEgress } from '../core/egress';
import { OsFamilies } from '../core/os-family';
import { LibraryTags } from '../core/tags';
import { IsolationError } from '../private/errors';
import { Check, checkTags } from '../private/validate';

/*
 * A VmHost's props, validated and resolved (its instance type, machine
 * image, network, tags, Docker), before any of its parts is made. The
 * lookups it needs (instance type, image, VPC and subnet) are children of
 * the host, made in this order.
 */

/** What the host's props resolve to. */
export interface VmHostSettings {
  readonly typeLookup: ResolvedInstanceType;
  readonly hopLimit: number;
  readonly image: MachineImageConfig;
  readonly rootSize: number;
  readonly network?: IHostNetwork;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly egress?: NetworkEgress;
  /** True when the host goes into the default VPC's first subnet (neither network, vpcId nor subnetId). */
  readonly inDefaultVpc: boolean;
  /** The tags of every part (with the role-for-containers tag when the hop limit gives containers the role). */
  readonly tags: { [key: string]: string };
  /** The instance's own tags (a Windows host's also name its OS). */
  readonly instanceTags: { [key: string]: string };
  readonly associatePublicIp: boolean;
  readonly monitoring: boolean;
  readonly dockerInstalled: boolean;
  /** True when the host's subnet is given (network or subnetId), not looked up. */
  readonly subnetFixed: boolean;
  readonly hostVolumes: ResolvedDataVolume[];
}

const KEY_NAME_FIX = 'Give the name of an existing key pair, or leave keyName out and use SSM Session Manager.';

/** Validates and resolves the props of the VmHost `host` (at `path`); throws the library's error for the first bad one. */
export function vmHostSettings(host: Construct, path: string, props: VmHostProps): VmHostSettings {
  const typeLookup = InstanceTypeLookup.resolve(host, props.instanceType ?? InstanceSettings.DEFAULT_INSTANCE_TYPE, props.instanceTypeSize,
    props.machineImage?.architecture);
  const type = typeLookup.info;
  const hopLimit = Check.integerInRange(path, 'metadataHopLimit',
    Check.known(path, 'metadataHopLimit', props.metadataHopLimit ?? 1, 'it decides whether containers reach the instance role'), 1, 64,
    'Use 1 (the default) unless containers must reach the instance role, then 2.');
  const image = MachineImage._bind(props.machineImage ?? MachineImage.amazonLinux2023(), host, {
    instanceArchitecture: type.architecture,
    instanceType: type.name,
  });
  const osFamily = image.osFamily;
  const rootSize = OsFamilies.isWindows(osFamily)
    ? Check.integerInRange(path, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? InstanceSettings.DEFAULT_WINDOWS_ROOT_VOLUME_GIB,
      InstanceSettings.MIN_WINDOWS_ROOT_VOLUME_GIB, 16384,
      `Windows Server needs at least ${InstanceSettings.MIN_WINDOWS_ROOT_VOLUME_GIB} GiB (its AMIs' root snapshot); ` +
      `${InstanceSettings.DEFAULT_WINDOWS_ROOT_VOLUME_GIB} leaves room for updates and the app.`)
    : Check.integerInRange(path, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? InstanceSettings.DEFAULT_ROOT_VOLUME_GIB, 8, 16384,
      'EBS gp3 root volumes hold 8 to 16384 GiB; 20 suits a Docker host with a few images.');

  Check.kmsKey(path, 'rootVolumeKmsKeyId', props.rootVolumeKmsKeyId);
  if (props.subnetId !== undefined) NetworkLookup.subnetId(path, 'subnetId', props.subnetId);
  if (props.vpcId !== undefined) NetworkLookup.vpcId(path, 'vpcId', props.vpcId);
  const network = props.network === undefined ? undefined : NetworkUse.check(path, props.network);
  let vpcId: string;
  let subnetId: string;
  let egress: NetworkEgress | undefined;
  let inDefaultVpc = false;
  if (network) {
    NetworkUse.refuseBeside(path, 'vpcId', props.vpcId,
      'Leave vpcId out; to choose the host\'s subnet, give subnetId one of the network\'s host subnets, e.g. network.hostSubnetId(1).');
    vpcId = network.vpcId;
    subnetId = props.subnetId ?? network.hostSubnetId(0);
    egress = network.egress;
  } else {
    vpcId = props.vpcId ?? (props.subnetId ? NetworkLookup.vpcOfSubnet(host, props.subnetId) : NetworkLookup.defaultVpcId(host));
    subnetId = props.subnetId ?? NetworkLookup.firstSubnet(host, vpcId);
    inDefaultVpc = props.vpcId === undefined && props.subnetId === undefined;
    if (inDefaultVpc) NetworkUse.warnDefaultVpc(host, 'the host goes');
  }

  if (props.name !== undefined) Check.matches(path, 'name', props.name, /^.{1,256}$/s, 'a Name tag of 1 to 256 characters', 'Give a short name, or leave it out (the construct path).');
  // User text is escaped on the resources that take it (the parts escape their own): a literal `${` or `%{` in a tag is not a template.
  const tags: { [key: string]: string } = { ...checkTags(path, 'tags', props.tags), Name: props.name ?? path };
  const associatePublicIp = Check.bool(path, 'associatePublicIpAddress', props.associatePublicIpAddress, false, 'it decides whether the host is reachable from the internet');
  const monitoring = Check.bool(path, 'detailedMonitoring', props.detailedMonitoring, false);
  if (props.keyName !== undefined) {
    Check.matches(path, 'keyName', props.keyName, /^[\x20-\x7e]{1,255}$/, 'an EC2 key pair name (1 to 255 printable ASCII characters)', KEY_NAME_FIX);
    Check.matches(path, 'keyName', props.keyName, /[\x21-\x7e]/, 'an EC2 key pair name (1 to 255 printable ASCII characters)', KEY_NAME_FIX);
  }
  const windows = OsFamilies.isWindows(osFamily);
  const dockerInstalled = Check.bool(path, 'installDocker', props.installDocker, !windows, 'it decides what the host is set up to run');
  if (windows && dockerInstalled) {
    throw new IsolationError(path, 'installDocker', `must be false on ${OsFamilies.traits(osFamily).displayName}: the library's containers are Linux containers, which need a Linux kernel`,
      true, 'Leave installDocker out (a Windows host runs its app natively), or boot a Linux image (MachineImage.amazonLinux2023()) for containers.');
  }
  if (windows && props.dockerDaemon !== undefined) {
    throw new IsolationError(path, 'dockerDaemon', 'must be left out on Windows Server: the host runs no Docker', props.dockerDaemon,
      'Remove dockerDaemon, or boot a Linux image for containers.');
  }
  // A hop limit above 1 is the documented way to give containers the
  // instance role; the tag tells IsolationChecks it was meant.
  if (hopLimit > 1) tags[LibraryTags.ROLE_FOR_CONTAINERS] = 'true';
  // IsolationChecks reads it (HOST-WINDOWS-KEY-PAIR); on the instance only.
  const instanceTags = windows ? { ...tags, [LibraryTags.OS]: osFamily } : tags;
  const subnetFixed = props.network !== undefined || props.subnetId !== undefined;
  const hostVolumes = DataVolumes.resolve(path, 'dataVolumes', props.dataVolumes);
  return {
    typeLookup,
    hopLimit,
    image,
    rootSize,
    network,
    vpcId,
    subnetId,
    egress,
    inDefaultVpc,
    tags,
    instanceTags,
    associatePublicIp,
    monitoring,
    dockerInstalled,
    subnetFixed,
    hostVolumes,
  };
}
