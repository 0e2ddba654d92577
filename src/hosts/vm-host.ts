import { createHash } from 'node:crypto';
import type { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import type { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import type { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { DefaultTokenResolver, StringConcat, TerraformResource, Token, Tokenization } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ContainerRollout, ContainerUpdateOptions } from './container-rollout';
import { DataVolumeBackupRole, HostDataVolume } from './host-data-volume';
import type { IHostNetwork } from './host-network';
import { HostRole } from './host-role';
import { HostSecurityGroup } from './host-security-group';
import { InstanceSettings } from './instance-settings';
import { InstanceTypeLookup, ResolvedInstanceType } from './instance-type-lookup';
import { IMachineImage, MachineImage, MachineImageConfig } from './machine-image';
import { NetworkLookup } from './network-lookup';
import { DEFAULT_VPC_REACH, NetworkUse, OWN_VPC_REACH } from './network-use';
import { HostUserData } from './user-data';
import { Capacity } from '../core/capacity';
import { ContainerSpec } from '../core/container-spec';
import { DataVolumeOptions, DataVolumeRemovalPolicy, DataVolumes, ResolvedDataVolume } from '../core/data-volume';
import { HostEgress, HostNeed, HostReach, NetworkEgress } from '../core/egress';
import { RolePolicyStatement } from '../core/iam';
import { IngressRule } from '../core/ingress';
import { InstanceTypeInfo, InstanceTypeSize } from '../core/instance-types';
import { Architecture, OsFamilies, OsFamily } from '../core/os-family';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSetup } from '../core/render/container-setup';
import { DockerDaemonOptions } from '../core/render/daemon-json';
import { DataVolumeSetup } from '../core/render/data-volume-setup';
import { DockerHostSetup } from '../core/render/docker-host';
import { WindowsUserData } from '../core/render/windows-user-data';
import { LibraryTags } from '../core/tags';
import { beginDeferred, DeferredCheck, endDeferred } from '../private/deferred';
import { describeValue, IsolationError } from '../private/errors';
import { oncePerObject } from '../private/memo';
import { escapeTerraformTemplate, escapeTerraformTemplates } from '../private/terraform-string';
import { holdsToken, serializeWithTokens, Tokens } from '../private/tokens';
import { Check, checkTags } from '../private/validate';
import { replaceTrigger } from '../terraform/expressions';
import { lazyString, producedString } from '../terraform/lazy';
import { Preconditions } from '../terraform/preconditions';
import { TerraformData } from '../terraform/terraform-data';
import { isTokenValue } from '../terraform/tokens';

/** Props of `VmHost`. */
export interface VmHostProps {
  /**
   * The image to boot.
   * @default - MachineImage.amazonLinux2023() in the instance type's architecture
   */
  readonly machineImage?: IMachineImage;
  /**
   * EC2 instance type: one of the library's catalog (t2, t3, t3a, t4g, m5,
   * m5a, m6i, m6a, m6g, m7i, m7a, m7g, m8g, c5, c6i, c6a, c6g, c7i, c7g, r5,
   * r6i, r6a, r6g, r7i, r7g), or another with `instanceTypeSize`. A name
   * the catalog does not know is an error that names the nearest ones.
   * @default 't3.small'
   */
  readonly instanceType?: string;
  /**
   * The size of an instance type the catalog does not list yet: the name is
   * then used as given (EC2 checks it at apply) and the host's capacity is
   * checked against this size.
   * @default - the type must be in the catalog
   */
  readonly instanceTypeSize?: InstanceTypeSize;
  /**
   * The network of the host: a `HostNetwork` (private subnets with a way
   * out), `HostNetwork.fromExisting()` (a VPC of yours) or
   * `HostNetwork.defaultVpc()` (to try synthesis: no way out). The host goes
   * into its first host subnet (or `subnetId`), its security group's
   * outbound rules fit the network's way out, the network's endpoints admit
   * it, and a host whose packages, images or Systems Manager the network
   * cannot reach is an error.
   * @default - `vpcId`/`subnetId`; without them the account's default VPC, with a warning
   */
  readonly network?: IHostNetwork;
  /**
   * VPC of the host, for a VPC of your own without a `network` (which gives
   * its VPC: leave `vpcId` out with it).
   * @default - the network's VPC, the subnet's VPC, or the account's default VPC
   */
  readonly vpcId?: string;
  /**
   * Subnet of the host; with a `network`, one of its host subnets.
   * @default - the network's first host subnet, or the first subnet (by id) of the VPC
   */
  readonly subnetId?: string;
  /**
   * Give the host a public IPv4 address. Doing so makes it reachable from the
   * internet wherever its security group allows; reach it through SSM instead.
   * @default false
   */
  readonly associatePublicIpAddress?: boolean;
  /**
   * Inbound rules. SSH (22) and RDP (3389) from anywhere are refused.
   * @default - no inbound traffic
   */
  readonly ingress?: IngressRule[];
  /**
   * Allow every outbound connection. Doing so lets a compromised host or
   * container talk to anything; the default allows only HTTP and HTTPS, which
   * package installs, image pulls and SSM need (in a network reached through
   * VPC endpoints only: HTTPS to the endpoints and to S3).
   * @default false
   */
  readonly allowAllOutbound?: boolean;
  /**
   * Hop limit of instance metadata (IMDSv2) responses. 1 keeps the instance
   * role away from containers on bridge networks; 2 lets containers reach
   * it (and its credentials), which only a container meant to use the
   * host's role should.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Size of the root volume (gp3, always encrypted) in GiB, 8 to 16384
   * (30 to 16384 on Windows Server, whose AMIs have a 30 GiB root snapshot).
   * @default - 20; 50 on Windows Server
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * KMS key for the root volume.
   * @default - the account's default EBS key (aws/ebs)
   */
  readonly rootVolumeKmsKeyId?: string;
  /**
   * EC2 key pair for SSH. Prefer SSM Session Manager, which needs no key and no open port.
   * On Windows Server the key pair decrypts the Administrator password
   * (IsolationChecks warns); Session Manager and Fleet Manager's RDP need neither.
   * @default - no key pair
   */
  readonly keyName?: string;
  /**
   * Detailed (1-minute) CloudWatch monitoring, billed per instance.
   * @default false
   */
  readonly detailedMonitoring?: boolean;
  /**
   * Docker daemon settings.
   * @default - live restore, log rotation, no-new-privileges
   */
  readonly dockerDaemon?: DockerDaemonOptions;
  /**
   * How container changes reach the running host. A change of a container
   * (its image, environment, any option; a container added or removed)
   * never replaces the instance: an SSM association runs the library's
   * reconcile on it, which updates only the containers that changed,
   * health-gated, and puts the previous version back when the new one
   * fails (`cdktf deploy` waits for it and fails with it). What the host
   * is (its machine image, daemon.json, the library's host setup, OS
   * packages, a native setup, the cloud-config escape hatch) still
   * replaces it.
   * @default - settle 10 s, health timeout 300 s
   */
  readonly containerUpdates?: ContainerUpdateOptions;
  /**
   * Install and start Docker. Turn it off for a host that runs its app
   * natively (no containers can then be placed on it). A Windows Server
   * host never runs Docker (the library's containers are Linux containers).
   * @default - true; false on Windows Server
   */
  readonly installDocker?: boolean;
  /**
   * Data volumes: EBS volumes that outlive the host (a replaced host gets
   * the same volumes, with their data). Each is an encrypted gp3 volume in
   * the zone of the host's subnet, attached to the instance, found on the
   * host by its volume id, formatted only when it holds nothing, and
   * mounted before the containers that use it start; a container mounts
   * one by naming it in `volumes` (`{ source: 'pgdata', target: '/var/lib/postgresql/data' }`).
   * Terraform refuses to destroy one unless its `removalPolicy` is DESTROY.
   * A volume added or removed replaces the instance (it is part of what
   * the host is); the other volumes stay.
   * @default - none: named Docker volumes live on the root volume, which is lost with the host
   */
  readonly dataVolumes?: DataVolumeOptions[];
  /**
   * The `Name` tag.
   * @default - the construct path
   */
  readonly name?: string;
  /**
   * More tags for the instance, its volume and its security group.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** A container registered on a host: its validated spec and the construct it belongs to. */
interface HostedContainer {
  readonly spec: ContainerSpec;
  readonly owner: IConstruct;
}

/**
 * One EC2 instance prepared to run Docker, secure by default: IMDSv2 only,
 * encrypted gp3 root volume, no public IP, no inbound traffic, SSM access
 * instead of SSH, and cloud-init user data that installs and configures Docker.
 *
 * The host's parts are constructs of their own, exposed as properties:
 * `securityGroup` (HostSecurityGroup) and `role` (HostRole).
 */
export class VmHost extends Construct {
  /** The EC2 instance (escape hatch). */
  public readonly resource: Instance;
  /** The host's security group. */
  public readonly securityGroup: HostSecurityGroup;
  /** The host's IAM role and instance profile. */
  public readonly role: HostRole;
  /**
   * What the host is at first boot, as cloud-config: the OS packages,
   * daemon.json and the library's host setup (its containers are added
   * when the user data is rendered). Add files, packages or commands to it
   * before synthesis, as an escape hatch. Linux hosts only: on a Windows
   * host it stays empty (anything added to it is an error at synth; use
   * `windowsUserData`).
   */
  public readonly cloudConfig: CloudConfig;
  /**
   * What a Windows Server host is at first boot: its features, files,
   * environment and service, rendered as the PowerShell user data that
   * EC2Launch v2 runs. Add to it before synthesis, as an escape hatch.
   * @default - none on a Linux host
   */
  public readonly windowsUserData?: WindowsUserData;
  /** The OS family of the machine image. */
  public readonly osFamily: OsFamily;
  /** The CPU architecture. */
  public readonly architecture: Architecture;
  /** The instance type. */
  public readonly instanceType: string;
  /** The VPC id. */
  public readonly vpcId: string;
  /** The subnet id. */
  public readonly subnetId: string;
  /** Whether the host runs Docker. */
  public readonly dockerInstalled: boolean;
  /**
   * How the host gets out of its network.
   * @default - NetworkEgress.NONE when the host has no `network` (a VPC of yours: the library cannot see its routes)
   */
  public readonly egress?: NetworkEgress;

  /** The host's data volumes, in the order given. */
  public readonly dataVolumes: HostDataVolume[] = [];
  /** The role Data Lifecycle Manager snapshots the backed-up volumes with (none without backups). */
  public readonly backupRole?: DataVolumeBackupRole;

  /** The host's network, when it was given one. */
  public readonly network?: IHostNetwork;
  /** How container changes reach the host (see `containerUpdates`); none on a host without Docker. */
  private readonly rollout?: ContainerRollout;
  /**
   * The digest of what the host is (its user data without its containers'
   * definitions): the instance is replaced when it changes (`replace_triggered_by`).
   * A `terraform_data` resource with `input.digest` (escape hatch).
   */
  public readonly hostInputs?: TerraformResource;

  /** True when the host was given no network, VPC or subnet (the default VPC). */
  private readonly inDefaultVpc: boolean = false;
  private readonly type: InstanceTypeInfo;
  private readonly typeLookup: ResolvedInstanceType;
  /** The checks of the host's own token props (its containers bring theirs). */
  private readonly deferred: DeferredCheck[];
  private readonly containers: HostedContainer[] = [];
  private readonly volumeSpecs: ResolvedDataVolume[] = [];
  /** True when the host's subnet is given (a network's or subnetId), so its zone, where data volumes live, is fixed. */
  private readonly subnetFixed: boolean;
  private readonly hostTags: { [key: string]: string };
  private subnetZoneCache?: string;
  private containersVersion = 0;
  private readonly userData: HostUserData;
  private hostDigestCache?: { version: string; digest: string };
  /** True when the last refresh gave the instance preconditions of the library's (see refreshPreconditions). */
  private hasPreconditions = false;
  private configTokensCache?: { revision: number; holds: boolean };

  constructor(scope: Construct, id: string, props?: VmHostProps) {
    super(scope, id);
    const path = this.node.path;
    props = Check.props(path, props, "{ instanceType: 't3.small' }", true);
    // Props that are tokens are checked by Terraform: their checks are collected
    // here and become preconditions of the instance (with its containers').
    this.deferred = beginDeferred();
    let hopLimit: number;
    let rootSize: number;
    let tags: { [key: string]: string };
    let associatePublicIp: boolean;
    let monitoring: boolean;
    let image: MachineImageConfig;
    let hostVolumes: ResolvedDataVolume[];
    try {
      this.typeLookup = InstanceTypeLookup.resolve(this, props.instanceType ?? InstanceSettings.DEFAULT_INSTANCE_TYPE, props.instanceTypeSize,
        props.machineImage?.architecture);
      this.type = this.typeLookup.info;
      this.instanceType = this.type.name;
      hopLimit = Check.integerInRange(path, 'metadataHopLimit',
        Check.known(path, 'metadataHopLimit', props.metadataHopLimit ?? 1, 'it decides whether containers reach the instance role'), 1, 64,
        'Use 1 (the default) unless containers must reach the instance role, then 2.');
      this.architecture = this.type.architecture;
      image = MachineImage._bind(props.machineImage ?? MachineImage.amazonLinux2023(), this, {
        instanceArchitecture: this.architecture,
        instanceType: this.instanceType,
      });
      this.osFamily = image.osFamily;
      rootSize = OsFamilies.isWindows(this.osFamily)
        ? Check.integerInRange(path, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? InstanceSettings.DEFAULT_WINDOWS_ROOT_VOLUME_GIB,
          InstanceSettings.MIN_WINDOWS_ROOT_VOLUME_GIB, 16384,
          `Windows Server needs at least ${InstanceSettings.MIN_WINDOWS_ROOT_VOLUME_GIB} GiB (its AMIs' root snapshot); ` +
          `${InstanceSettings.DEFAULT_WINDOWS_ROOT_VOLUME_GIB} leaves room for updates and the app.`)
        : Check.integerInRange(path, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? InstanceSettings.DEFAULT_ROOT_VOLUME_GIB, 8, 16384,
          'EBS gp3 root volumes hold 8 to 16384 GiB; 20 suits a Docker host with a few images.');

      if (props.subnetId !== undefined) NetworkLookup.subnetId(path, 'subnetId', props.subnetId);
      if (props.vpcId !== undefined) NetworkLookup.vpcId(path, 'vpcId', props.vpcId);
      this.network = props.network === undefined ? undefined : NetworkUse.check(path, props.network);
      if (this.network) {
        NetworkUse.refuseBeside(path, 'vpcId', props.vpcId,
          'Leave vpcId out; to choose the host\'s subnet, give subnetId one of the network\'s host subnets, e.g. network.hostSubnetId(1).');
        this.vpcId = this.network.vpcId;
        this.subnetId = props.subnetId ?? this.network.hostSubnetId(0);
        this.egress = this.network.egress;
      } else {
        this.vpcId = props.vpcId ?? (props.subnetId ? NetworkLookup.vpcOfSubnet(this, props.subnetId) : NetworkLookup.defaultVpcId(this));
        this.subnetId = props.subnetId ?? NetworkLookup.firstSubnet(this, this.vpcId);
        this.inDefaultVpc = props.vpcId === undefined && props.subnetId === undefined;
        if (this.inDefaultVpc) NetworkUse.warnDefaultVpc(this, 'the host goes');
      }

      if (props.name !== undefined) Check.matches(path, 'name', props.name, /^.{1,256}$/s, 'a Name tag of 1 to 256 characters', 'Give a short name, or leave it out (the construct path).');
      // User text is escaped on the resources that take it (the parts escape their own): a literal `${` or `%{` in a tag is not a template.
      tags = { ...checkTags(path, 'tags', props.tags), Name: props.name ?? path };
      associatePublicIp = Check.bool(path, 'associatePublicIpAddress', props.associatePublicIpAddress, false, 'it decides whether the host is reachable from the internet');
      monitoring = Check.bool(path, 'detailedMonitoring', props.detailedMonitoring, false);
      if (props.keyName !== undefined) {
        Check.matches(path, 'keyName', props.keyName, /^[\x20-\x7e]{1,255}$/, 'an EC2 key pair name (1 to 255 printable ASCII characters)', KEY_NAME_FIX);
        Check.matches(path, 'keyName', props.keyName, /[\x21-\x7e]/, 'an EC2 key pair name (1 to 255 printable ASCII characters)', KEY_NAME_FIX);
      }
      const windows = OsFamilies.isWindows(this.osFamily);
      this.dockerInstalled = Check.bool(path, 'installDocker', props.installDocker, !windows, 'it decides what the host is set up to run');
      if (windows && this.dockerInstalled) {
        throw new IsolationError(path, 'installDocker', `must be false on ${OsFamilies.traits(this.osFamily).displayName}: the library's containers are Linux containers, which need a Linux kernel`,
          true, 'Leave installDocker out (a Windows host runs its app natively), or boot a Linux image (MachineImage.amazonLinux2023()) for containers.');
      }
      if (windows && props.dockerDaemon !== undefined) {
        throw new IsolationError(path, 'dockerDaemon', 'must be left out on Windows Server: the host runs no Docker', props.dockerDaemon,
          'Remove dockerDaemon, or boot a Linux image for containers.');
      }
      this.subnetFixed = props.network !== undefined || props.subnetId !== undefined;
      hostVolumes = DataVolumes.resolve(path, 'dataVolumes', props.dataVolumes);
      if (hostVolumes.length > 0) this.checkDataVolumeHost(path, 'dataVolumes', hostVolumes.map((v) => v.name));
    } finally {
      endDeferred(this.deferred);
    }
    // A hop limit above 1 is the documented way to give containers the
    // instance role; the tag tells IsolationChecks it was meant.
    if (hopLimit > 1) tags[LibraryTags.ROLE_FOR_CONTAINERS] = 'true';
    // IsolationChecks reads it (HOST-WINDOWS-KEY-PAIR); on the instance only.
    const instanceTags = OsFamilies.isWindows(this.osFamily) ? { ...tags, [LibraryTags.OS]: this.osFamily } : tags;

    const allowAllOutbound = Check.bool(path, 'allowAllOutbound', props.allowAllOutbound, false, 'it decides where the host can connect to');
    this.securityGroup = new HostSecurityGroup(this, 'SecurityGroup', {
      vpcId: this.vpcId,
      tags,
      allowAllOutbound,
      egress: this.egress,
      endpointSecurityGroupId: this.network?.endpointSecurityGroupId,
      s3PrefixListId: this.network?.s3PrefixListId,
    });
    this.network?.admitHost(this.securityGroup.securityGroupId, this);
    for (const rule of Check.objectList(path, 'ingress', props.ingress, "{ port: 443, cidr: '10.0.0.0/16' }")) this.addIngress(rule);
    this.role = new HostRole(this, 'Role', { tags });

    if (OsFamilies.isWindows(this.osFamily)) {
      // A Windows host's user data is a PowerShell script (EC2Launch v2 reads no cloud-config, and no gzip).
      this.cloudConfig = new CloudConfig();
      const windowsUserData = new WindowsUserData();
      this.windowsUserData = windowsUserData;
      this.userData = new HostUserData(path, () => `w${windowsUserData.revision}`, () => this.renderUserData(), false);
      this.node.addValidation({
        validate: () => (this.cloudConfig.revision === 0 ? [] : [new IsolationError(path, 'cloudConfig', 'must stay empty on a Windows Server host: EC2Launch v2 runs PowerShell, not cloud-config',
          describeValue(this.cloudConfig.toObject()), 'Add features, files, environment or the service to host.windowsUserData instead.').message]),
      });
    } else {
      this.cloudConfig = DockerHostSetup.hostConfig({
        osFamily: this.osFamily, installDocker: this.dockerInstalled, daemon: props.dockerDaemon, path,
      });
      this.userData = new HostUserData(path, () => `${this.cloudConfig.revision}/${this.containersVersion}`, () => this.renderUserData());
    }
    // What the host itself needs (its packages, Systems Manager); its containers' images are checked as they join,
    // packages added later (a native setup) when the tree is complete.
    this.checkReach(path, this.reach().filter((r) => r.need !== HostNeed.IMAGE));
    const installsAtFirst = this.installsPackages();
    this.node.addValidation({
      validate: () => {
        if (installsAtFirst || !this.installsPackages()) return [];
        try {
          this.checkReach(path, this.reach().filter((r) => r.need === HostNeed.PACKAGES));
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });

    // A host that runs containers keeps its instance when they change: its user data (the full set, for a
    // first boot) is ignored after creation, and what the host is replaces it through this digest.
    this.hostInputs = this.dockerInstalled
      ? new TerraformData(this, 'HostInputs', { digest: producedString(() => this.hostDigest()) })
      : undefined;

    this.resource = new Instance(this, 'Resource', {
      ami: image.imageId,
      instanceType: this.instanceType,
      subnetId: this.subnetId,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      iamInstanceProfile: this.role.instanceProfile.name,
      associatePublicIpAddress: associatePublicIp,
      keyName: props.keyName === undefined ? undefined : escapeTerraformTemplate(props.keyName),
      monitoring,
      ebsOptimized: true,
      metadataOptions: InstanceSettings.metadataOptions(hopLimit),
      rootBlockDevice: {
        volumeType: 'gp3',
        volumeSize: rootSize,
        encrypted: true,
        kmsKeyId: props.rootVolumeKmsKeyId,
        deleteOnTermination: true,
        tags: escapeTerraformTemplates(tags),
      },
      userData: lazyString(() => this.userData.plainText()),
      userDataBase64: lazyString(() => this.userData.compressedBase64()),
      // A host without containers has only host-level user data: any change of it replaces the host.
      userDataReplaceOnChange: this.hostInputs === undefined,
      lifecycle: this.hostInputs === undefined ? undefined : { ignoreChanges: ['user_data', 'user_data_base64'], replaceTriggeredBy: [replaceTrigger(this.hostInputs)] },
      tags: escapeTerraformTemplates(instanceTags),
    });
    this.hostTags = tags;
    this.addDataVolumes(hostVolumes, path, 'dataVolumes');
    if (this.dockerInstalled) {
      this.rollout = new ContainerRollout(this, 'Rollout', {
        instanceId: this.resource.id,
        specs: () => this.containers.map((c) => c.spec),
        version: () => String(this.containersVersion),
        options: props.containerUpdates,
      });
    }
    Preconditions.report(this, this.deferred);
    this.refreshPreconditions();

    // What depends on the whole host (its user data with every container) is checked when the tree is complete.
    this.node.addValidation({ validate: () => this.userData.check() });
  }

  /** The instance id. */
  public get instanceId(): string {
    return this.resource.id;
  }

  /** The private IPv4 address. */
  public get privateIp(): string {
    return this.resource.privateIp;
  }

  /** The public IPv4 address (empty unless `associatePublicIpAddress`). */
  public get publicIp(): string {
    return this.resource.publicIp;
  }

  /** The security group id. */
  public get securityGroupId(): string {
    return this.securityGroup.securityGroupId;
  }

  /** The IAM role name. */
  public get roleName(): string {
    return this.role.roleName;
  }

  /** The specs of the containers on this host, in the order they joined it. */
  public get containerSpecs(): ContainerSpec[] {
    return this.containers.map((c) => c.spec);
  }

  /**
   * Registers a container placed on this host (ContainerOnVm does this);
   * its files reach the user data, its IAM statements the host role.
   * @internal
   */
  public _registerContainer(given: ContainerSpec, owner: IConstruct): ContainerSpec {
    const path = owner.node.path;
    if (OsFamilies.isWindows(this.osFamily)) {
      throw new IsolationError(path, 'host', `must be a Linux host, but host ${this.node.path} runs ${OsFamilies.traits(this.osFamily).displayName}: ` +
        'the library\'s containers are Linux containers, which share the host\'s Linux kernel (namespaces, cgroups, seccomp)', this.node.path,
      'Place the container on a Linux host (MachineImage.amazonLinux2023(), the default), or run the Windows app natively on its host ' +
        '(IsolatedApp with requirements.operatingSystem WINDOWS and a native setup, or host.windowsUserData).');
    }
    if (!this.dockerInstalled) {
      throw new IsolationError(path, 'host', `must run Docker, but host ${this.node.path} was created with installDocker: false`, this.node.path,
        'Place the container on a host with Docker (the default).');
    }
    // The container's own data volumes join the host's (host-level: the instance is replaced to attach them).
    if (given.dataVolumes.length > 0) {
      this.checkDataVolumeHost(path, 'dataVolumes', given.dataVolumes.map((v) => v.name));
      this.addDataVolumes(given.dataVolumes, path, 'dataVolumes');
    }
    const spec = given._onDataVolumes(this.volumeSpecs);
    this.checkDataVolumeUse(spec, path);
    const other = this.containers.find((c) => c.spec.name === spec.name);
    if (other) {
      throw new IsolationError(path, 'name', `must be unique on host ${this.node.path} (container ${other.owner.node.path} already has it)`, spec.name,
        'Give each container on a host its own name.');
    }
    this.checkCapacity(spec, path);
    this.checkPorts(spec, path);
    if (this.egress !== undefined) {
      const reach = HostEgress.reach(this.egress, { osFamily: this.osFamily, images: [spec.imageSource], installsPackages: false });
      this.checkReach(path, reach.filter((r) => r.need === HostNeed.IMAGE));
    }
    this.containers.push({ spec, owner });
    this.containersVersion++;
    this.refreshPreconditions();
    for (const statement of ContainerSetup.statements(spec)) this.role._addStatementOf(owner, statement);
    return spec;
  }

  /**
   * Takes a container off this host (a pool moving it to another host).
   * @internal
   */
  public _unregisterContainer(owner: IConstruct): void {
    const i = this.containers.findIndex((c) => c.owner === owner);
    if (i < 0) return;
    const data = this.containers[i].spec.volumes.find((v) => v.dataVolume !== undefined);
    if (data) {
      // A data volume is in one zone, attached to one host: the container cannot leave it.
      throw new IsolationError(owner.node.path, 'volumes', `must stay on host ${this.node.path}, whose data volume '${data.dataVolume}' it mounts ` +
        '(the volume cannot follow it to another host or zone without a snapshot)', data.dataVolume,
      'Keep the app where it is (the pool\'s placement lock does), or move its data yourself: snapshot the volume and restore it beside the new host.');
    }
    this.containers.splice(i, 1);
    this.containersVersion++;
    this.refreshPreconditions();
    this.role._removeStatementsOf(owner);
  }

  /**
   * Orders the containers of this host by `rank` of their owner (a pool lists them in declaration order).
   * @internal
   */
  public _orderContainers(rank: (owner: IConstruct) => number): void {
    const before = this.containers.map((c) => c.owner);
    this.containers.sort((a, b) => rank(a.owner) - rank(b.owner));
    if (this.containers.some((c, i) => c.owner !== before[i])) this.containersVersion++;
  }

  /** The volumes' names, sizes and backups, for the report: `pgdata 20 GiB gp3, snapshots every 24 h, keep 7 (used by db)`. */
  public get dataVolumeSummary(): string[] {
    return this.volumeSpecs.map((v) => {
      const users = this.containers.filter((c) => c.spec.volumes.some((m) => m.dataVolume === v.name)).map((c) => c.spec.name);
      const backup = v.backup ? `snapshots every ${v.backup.everyHours} h, keep ${v.backup.keep}` : 'not backed up';
      return `${v.name} ${v.sizeGiB} GiB gp3 encrypted, ${backup}, ${v.removalPolicy === DataVolumeRemovalPolicy.RETAIN ? 'kept (prevent_destroy)' : 'destroyed with the stack'}, ` +
        `${users.length > 0 ? `used by ${users.join(', ')}` : 'used by no container'}`;
    });
  }

  /** A host whose subnet (and so the volumes' zone) is not fixed, or which presents volumes without their id, cannot hold data volumes. */
  private checkDataVolumeHost(path: string, prop: string, names: string[]): void {
    if (OsFamilies.isWindows(this.osFamily)) {
      throw new IsolationError(path, prop, `must be left out on ${OsFamilies.traits(this.osFamily).displayName}: the library mounts data volumes for its Linux containers ` +
        '(a script of its cloud-config finds each by its NVMe serial), which a Windows host does not run', names,
      'Attach the volume with aws_ebs_volume and aws_volume_attachment and bring it online in your own PowerShell (windowsUserData), or use a Linux host for the data.');
    }
    if (!this.subnetFixed) {
      throw new IsolationError(path, prop, 'needs the host\'s subnet to be fixed (a data volume lives in the subnet\'s availability zone, ' +
        'and a host without network or subnetId goes into the first subnet a lookup finds, which may change)', names,
      'Give the host a network (HostNetwork) or a subnetId.');
    }
    if (/^(t2|m4|c4|r4|x1|d2|i2|m3|c3|r3)\./.test(this.instanceType)) {
      throw new IsolationError(this.node.path, 'instanceType', 'must be a Nitro instance type for data volumes (it presents EBS volumes as NVMe devices whose serial is the volume id; ' +
        'Xen types such as t2 do not, and the host finds a volume only by its id)', this.instanceType, 'Choose a Nitro type, e.g. t3.small.');
    }
  }

  /** The volumes' resources, their zone from the subnet, and their mount units in the host's cloud-config (host-level). */
  private addDataVolumes(volumes: ResolvedDataVolume[], path: string, prop: string): void {
    if (volumes.length === 0) return;
    const tags = this.hostTags;
    volumes.forEach((volume, i) => {
      const other = this.volumeSpecs.findIndex((v) => v.name === volume.name);
      if (other >= 0) {
        throw new IsolationError(path, `${prop}[${i}].name`, `must be unique on host ${this.node.path}, which has a data volume '${volume.name}' already`, volume.name,
          'Give each data volume of a host its own name.');
      }
      if (this.volumeSpecs.length >= 20) {
        throw new IsolationError(path, prop, `must not take host ${this.node.path} beyond 20 data volumes (device names /dev/sdf to /dev/sdy)`, volume.name,
          'Put some of the data on a host of its own, or on fewer, larger volumes.');
      }
      if (volume.backup && !this.backupRole) {
        (this as { backupRole?: DataVolumeBackupRole }).backupRole = new DataVolumeBackupRole(this, 'DataVolumeBackupRole', tags);
      }
      this.subnetZoneCache ??= this.subnetZone();
      const dv = new HostDataVolume(this, `DataVolume-${volume.name}`, {
        volume,
        availabilityZone: this.subnetZoneCache,
        instanceId: this.resource.id,
        // EC2 wants a name; the host finds the volume by its id (on Nitro the name is not what the host sees).
        deviceName: `/dev/sd${String.fromCharCode('f'.charCodeAt(0) + this.volumeSpecs.length)}`,
        tags: { ...tags, ...volume.tags, Name: `${tags.Name}/${volume.name}` },
        backupRoleArn: volume.backup ? this.backupRole!.resource.arn : undefined,
      });
      this.volumeSpecs.push(volume);
      this.dataVolumes.push(dv);
      DataVolumeSetup.apply(this.cloudConfig, [{ volume, volumeId: dv.volumeId }]);
    });
  }

  /**
   * The availability zone of the host's subnet: the attribute of a subnet
   * of the host's HostNetwork (known from its state, so a pending change of
   * the network never makes the volumes' zone unknown, which would replace
   * them), else an `aws_subnet` lookup of the subnet id.
   */
  private subnetZone(): string {
    const subnets = (this.network as { privateSubnets?: Subnet[] } | undefined)?.privateSubnets;
    // Ids are references: compared as Terraform writes them.
    const resolver = new DefaultTokenResolver(new StringConcat());
    const resolve = (v: string) => String(Tokenization.resolve(v, { scope: this, resolver, preparing: false }));
    const wanted = resolve(this.subnetId);
    const own = Array.isArray(subnets) ? subnets.find((s) => resolve(s.id) === wanted) : undefined;
    if (own) return own.availabilityZone;
    // The lookup that found the subnet's VPC, if there is one (NetworkLookup.vpcOfSubnet), tells its zone too.
    const lookup = this.node.tryFindChild('Subnet') as DataAwsSubnet | undefined;
    if (lookup) return lookup.availabilityZone;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const DataAwsSubnetClass = require('@cdktf/provider-aws/lib/data-aws-subnet').DataAwsSubnet as typeof DataAwsSubnet;
    return new DataAwsSubnetClass(this, 'Subnet', { id: this.subnetId }).availabilityZone;
  }

  /** A named user cannot own a data directory; a data volume mounted by two containers must be shared by both. */
  private checkDataVolumeUse(spec: ContainerSpec, path: string): void {
    spec.volumes.forEach((v, i) => {
      if (v.dataVolume === undefined) return;
      if (!v.readOnly && spec._dataOwner() === undefined) {
        throw new IsolationError(path, 'user', `must be a numeric uid or 'uid:gid' to own data volume '${v.dataVolume}' (the host gives the volume's ` +
          'data directory to the container\'s user, and cannot resolve a name that only the image knows)', spec.user,
        "Give the user's ids, e.g. '999:999' for the postgres image's user, or mount the volume readOnly.");
      }
      for (const { spec: other, owner } of this.containers) {
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

  /** Adds an inbound rule to the host's security group. */
  public addIngress(rule: IngressRule): void {
    this.securityGroup.addIngress(rule);
  }

  /** Adds a statement to the host role's inline policy. */
  public addToRolePolicy(statement: RolePolicyStatement): void {
    this.role.addToPolicy(statement);
  }

  /**
   * The user data text as it is now: on Linux the cloud-config YAML (the
   * host's cloud-config and its containers), on Windows Server the
   * PowerShell script.
   */
  public renderUserData(): string {
    if (this.windowsUserData) return this.windowsUserData.render({ comment: `cdktf-isolation host ${this.node.path}` });
    const config = this.hostLevelConfig();
    for (const { spec } of this.containers) ContainerSetup.applyDefinition(config, spec);
    return config.render({ comment: `cdktf-isolation host ${this.node.path}` });
  }

  /**
   * What the host is, as cloud-config: its own (OS packages, daemon.json,
   * the library's host setup, a native setup, the escape hatch) and what
   * its containers need from it (the pull script, ECR's credential helper
   * and registries, the SSM client), without their definitions.
   */
  private hostLevelConfig(): CloudConfig {
    const config = this.cloudConfig.clone();
    for (const { spec } of this.containers) ContainerSetup.applySupport(config, spec, this.osFamily);
    return config;
  }

  /**
   * The hex SHA-256 of the host-level cloud-config, as JSON (by Terraform
   * when it holds values known at apply), computed once per version.
   */
  private hostDigest(): string {
    const version = `${this.cloudConfig.revision}/${this.containersVersion}`;
    if (this.hostDigestCache?.version !== version) {
      const text = serializeWithTokens(this.hostLevelConfig().toObject(), (doc) => JSON.stringify(doc));
      const digest = Token.isUnresolved(text) ? Tokens.sha256(text) : createHash('sha256').update(text, 'utf8').digest('hex');
      this.hostDigestCache = { version, digest };
    }
    return this.hostDigestCache.digest;
  }

  /**
   * The SSM document that brings the running host to its containers (escape hatch).
   * @default - none on a host without Docker
   */
  public get updateDocument(): SsmDocument | undefined {
    return this.rollout?.document;
  }

  /**
   * The association that runs it on the instance, replaced at every change
   * of what it delivers, so Terraform waits for each rollout (escape hatch).
   * @default - none on a host without Docker
   */
  public get updateAssociation(): SsmAssociation | undefined {
    return this.rollout?.association;
  }

  /**
   * The rollout (its document rendered as now).
   * @internal
   */
  public get _rollout(): ContainerRollout | undefined {
    return this.rollout;
  }

  /**
   * How a deploy changes the host, one line (the isolation report shows it):
   * containers in place through Systems Manager and what replaces the
   * host, or, without Docker, replacement on any change of its user data.
   */
  public get updatePath(): string {
    if (this.windowsUserData) return 'replaced when its user data changes (a Windows host runs no containers: everything on it is host-level)';
    if (!this.rollout) return 'replaced when its user data changes (a host without containers: everything on it is host-level)';
    return `containers updated in place through Systems Manager (document ${this.rollout.documentName}, health-gated, rolled back on failure); ` +
      `replaced when what the host is changes: ${HOST_LEVEL_INPUTS}`;
  }

  /**
   * How the host reaches its packages, its containers' images and Systems
   * Manager, one line, e.g. `Amazon Linux 2023 packages: S3 gateway endpoint; ...`
   * (the isolation report shows it); for a host without a `network`,
   * that the library cannot see its routes.
   */
  public get networkReach(): string {
    if (this.egress === undefined) return this.inDefaultVpc ? DEFAULT_VPC_REACH : OWN_VPC_REACH;
    return HostEgress.describe(this.egress, this.egressOptions());
  }

  /** What the host and its containers need from outside the network, and how the network reaches each (HostEgress). */
  public reach(): HostReach[] {
    if (this.egress === undefined) return [];
    return HostEgress.reach(this.egress, this.egressOptions());
  }

  private egressOptions() {
    return { osFamily: this.osFamily, images: this.containers.map((c) => c.spec.imageSource), installsPackages: this.installsPackages() };
  }

  /** Whether first boot installs OS packages (Docker, or those of the cloud-config: a native setup's). */
  private installsPackages(): boolean {
    // Windows Server features come from the image's component store.
    if (this.windowsUserData) return false;
    return this.dockerInstalled || this.cloudConfig.listPackages().length > 0;
  }

  /** A need the network cannot reach is an error where it is declared (a warning in a network without a way out). */
  private checkReach(path: string, reach: HostReach[]): void {
    if (this.network) NetworkUse.requireReach(this, path, this.network, reach, OsFamilies.traits(this.osFamily).displayName);
  }

  /** The vCPUs and memory of the host's instance type. */
  public get instanceTypeSize(): InstanceTypeSize {
    return { vcpus: this.type.vcpus, memoryMiB: this.type.memoryMiB };
  }

  /** A container that does not fit beside the others is an error where it is declared. */
  private checkCapacity(spec: ContainerSpec, path: string): void {
    const host = this.node.path;
    const type = this.type;
    // With a number known only at apply, Terraform checks the sums (capacityChecks).
    if (this.capacityUnknown([...this.containers.map((c) => c.spec), spec])) return;
    const loads = [...this.containers.map((c) => c.spec), spec].map((s) => ({ memoryMiB: s.memoryMiB, cpus: s.cpus ?? 0, container: true }));
    for (const problem of Capacity.problems(type, loads)) {
      if (problem.kind === 'cpu-limit') {
        throw new IsolationError(path, 'cpus', `must not exceed the ${type.vcpus} vCPUs of host ${host} (${this.instanceType})`, spec.cpus,
          'Lower the limit or choose a larger instance type.');
      }
      if (problem.kind === 'memory') {
        const all = [...this.containers, { spec, owner: undefined }];
        const limits = all.reduce((sum, c) => sum + c.spec.memoryMiB, 0);
        const reserve = Capacity.reserveMiB(all.length);
        const list = all.map((c) => `${c.owner ? c.owner.node.path : path} ${c.spec.memoryMiB} MiB`).join(', ');
        throw new IsolationError(path, 'memoryMiB',
          `must fit host ${host} (${this.instanceType}, ${type.memoryMiB} MiB): its containers' memory limits (${list}: ${limits} MiB) plus the reserve ` +
          `for the OS and Docker (${reserve} MiB) need ${limits + reserve} MiB`, spec.memoryMiB,
          'Choose an instance type with more memory, lower the limits, or put the container on another host.');
      }
    }
  }

  /**
   * The instance's preconditions: the checks of the host's and its
   * containers' values known at apply, the capacity sums Terraform must
   * add up, the looked-up instance type's architecture, and the size of
   * user data that holds such values. Set again whenever a container
   * joins or leaves.
   */
  private refreshPreconditions(): void {
    const tokensInSpecs = this.containers.some((c) => specHoldsToken(c.spec));
    // A Windows host's script can gain references after this (windowsUserData is filled later): its size precondition
    // is always there, and true for a script without references.
    const tokensInText = tokensInSpecs || this.cloudConfigHoldsToken() || this.windowsUserData !== undefined;
    if (tokensInText) this.userData.useLocal(this);
    this.rollout?.refreshPreconditions(tokensInSpecs);
    // Nothing for Terraform to check now, nor after the last refresh (the usual host: every value known at synth):
    // the list would be empty again, so there is nothing to set (a join costs no list of checks).
    if (!this.hasPreconditions && !tokensInText && !this.typeLookup.lookedUp && this.deferred.length === 0 &&
      this.containers.every((c) => c.spec._deferred.length === 0) && !this.capacityUnknown(this.containers.map((c) => c.spec))) return;
    const checks = [...this.deferred, ...this.containers.flatMap((c) => c.spec._deferred), ...this.capacityChecks()];
    const preconditions = [
      ...Preconditions.of(checks),
      ...this.typeLookup.preconditions(OsFamilies.traits(this.osFamily).displayName),
      ...(tokensInText ? [this.userData.sizePrecondition()] : []),
    ];
    Preconditions.set(this.resource, preconditions);
    this.hasPreconditions = preconditions.length > 0;
  }

  /** True when the host's own cloud-config holds a token (walked once per revision). */
  private cloudConfigHoldsToken(): boolean {
    const revision = this.cloudConfig.revision;
    if (this.configTokensCache?.revision !== revision) this.configTokensCache = { revision, holds: holdsToken(this.cloudConfig.toObject()) };
    return this.configTokensCache.holds;
  }

  /** True when the host's size or a container's limits are known only at apply. */
  private capacityUnknown(specs: readonly ContainerSpec[]): boolean {
    if (isTokenValue(this.type.memoryMiB) || isTokenValue(this.type.vcpus)) return true;
    for (const s of specs) if (isTokenValue(s.memoryMiB) || isTokenValue(s.cpus ?? 0)) return true;
    return false;
  }

  /**
   * The capacity checks Terraform runs when a number is known only at apply:
   * the containers' memory limits and the reserve fit the type's memory,
   * and no container asks for more CPUs than the type has.
   */
  private capacityChecks(): DeferredCheck[] {
    const specs = this.containers.map((c) => c.spec);
    if (specs.length === 0 || !this.capacityUnknown(specs)) return [];
    const host = this.node.path;
    const reserve = Capacity.reserveMiB(specs.length);
    const n = Tokens.numberText;
    const checks: DeferredCheck[] = [{
      path: host,
      prop: 'containers',
      value: specs.map((s) => s.memoryMiB),
      problem: `must fit the host (${this.instanceType}, ${n(this.type.memoryMiB)} MiB): the memory limits of its containers ` +
        `(${this.containers.map((c) => c.owner.node.path).join(', ')}) plus the reserve for the OS and Docker (${reserve} MiB) must not exceed its memory`,
      fix: 'Choose an instance type with more memory, lower the limits, or put a container on another host.',
      condition: { kind: 'sum-at-most', values: specs.map((s) => s.memoryMiB), plus: reserve, limit: this.type.memoryMiB },
    }];
    for (const { spec, owner } of this.containers) {
      if (spec.cpus === undefined) continue;
      checks.push({
        path: owner.node.path,
        prop: 'cpus',
        value: spec.cpus,
        problem: `must not exceed the ${n(this.type.vcpus)} vCPUs of host ${host} (${this.instanceType})`,
        fix: 'Lower the limit or choose a larger instance type.',
        condition: { kind: 'number-range', min: 0, max: this.type.vcpus },
      });
    }
    return checks;
  }

  /** A port published twice on overlapping addresses of one host is an error where the second is declared. */
  private checkPorts(spec: ContainerSpec, path: string): void {
    spec.ports.forEach((p, i) => {
      for (const { spec: other, owner } of this.containers) {
        // A port known only at apply is checked by Terraform, per container (ContainerSpec); across containers, not.
        if (isTokenValue(p.hostPort) || isTokenValue(p.hostIp)) continue;
        const known = other.ports.filter((b) => !isTokenValue(b.hostPort) && !isTokenValue(b.hostIp));
        const clash = known.find((b) => b.hostPort === p.hostPort && b.protocol === p.protocol &&
          (b.hostIp === p.hostIp || isWildcard(b.hostIp) || isWildcard(p.hostIp)));
        if (clash) {
          throw new IsolationError(path, `ports[${i}].hostPort`,
            `must not reuse ${p.protocol} port ${p.hostPort} on host ${this.node.path}, which container ${owner.node.path} already publishes (${clash.hostIp}:${clash.hostPort})`,
            `${p.hostIp}:${p.hostPort}`, 'Choose another host port for one of them.');
        }
      }
    });
  }
}

/** What replaces a VmHost that runs containers (the host-level inputs of its HostInputs digest). */
export const HOST_LEVEL_INPUTS = 'the machine image, daemon.json, the library\'s host setup, OS packages, a native setup, the cloud-config escape hatch, ' +
  'and what its containers need from it (the pull script, the ECR credential helper and registries, the SSM client)';

const KEY_NAME_FIX = 'Give the name of an existing key pair, or leave keyName out and use SSM Session Manager.';

/** Whether each spec holds a token (a spec does not change once made; a host asks whenever a container joins or leaves). */
const specHoldsToken = oncePerObject((spec: ContainerSpec) => holdsToken(spec));

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
