import { createHash } from 'node:crypto';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import type { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import type { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { TerraformResource, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ContainerRollout } from './container-rollout';
import { DataVolumeBackupRole, HostDataVolume } from './host-data-volume';
import type { IHostNetwork } from './host-network';
import { HostRole } from './host-role';
import { HostSecurityGroup } from './host-security-group';
import { InstanceSettings } from './instance-settings';
import { ResolvedInstanceType } from './instance-type-lookup';
import { DEFAULT_VPC_REACH, NetworkUse, OWN_VPC_REACH } from './network-use';
import { HostUserData } from './user-data';
import { capacityChecks, capacityUnknown, checkCapacity, checkPorts, HostedContainer, HostFacts } from './vm-host-checks';
import type { VmHostProps } from './vm-host-props';
import { vmHostSettings, VmHostSettings } from './vm-host-settings';
import { checkDataVolumeHost, checkDataVolumeUse, dataVolumeSummary, subnetZone } from './vm-host-volumes';
import { ContainerSpec } from '../core/container-spec';
import { ResolvedDataVolume } from '../core/data-volume';
import { HostEgress, HostNeed, HostReach, NetworkEgress } from '../core/egress';
import { RolePolicyStatement } from '../core/iam';
import { IngressRule } from '../core/ingress';
import { InstanceTypeInfo, InstanceTypeSize } from '../core/instance-types';
import { Architecture, OsFamilies, OsFamily } from '../core/os-family';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSetup } from '../core/render/container-setup';
import { DataVolumeSetup } from '../core/render/data-volume-setup';
import { DockerHostSetup } from '../core/render/docker-host';
import { WindowsUserData } from '../core/render/windows-user-data';
import { LibraryTags } from '../core/tags';
import { beginDeferred, DeferredCheck, endDeferred } from '../private/deferred';
import { describeValue, IsolationError } from '../private/errors';
import { oncePerObject } from '../private/memo';
import { escapeTerraformTemplate, escapeTerraformTemplates } from '../private/terraform-string';
import { holdsToken, serializeWithTokens, Tokens } from '../private/tokens';
import { Check } from '../private/validate';
import { replaceTrigger } from '../terraform/expressions';
import { lazyString, producedString } from '../terraform/lazy';
import { Preconditions } from '../terraform/preconditions';
import { TerraformData } from '../terraform/terraform-data';


export type { VmHostProps } from './vm-host-props';

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
  private factsCache?: HostFacts;
  private configTokensCache?: { revision: number; holds: boolean };

  constructor(scope: Construct, id: string, props?: VmHostProps) {
    super(scope, id);
    const path = this.node.path;
    props = Check.props(path, props, "{ instanceType: 't3.small' }", true);
    // Props that are tokens are checked by Terraform: their checks are collected
    // here and become preconditions of the instance (with its containers').
    this.deferred = beginDeferred();
    let settings: VmHostSettings;
    try {
      settings = vmHostSettings(this, path, props);
      this.typeLookup = settings.typeLookup;
      this.type = this.typeLookup.info;
      this.instanceType = this.type.name;
      this.architecture = this.type.architecture;
      this.osFamily = settings.image.osFamily;
      this.network = settings.network;
      this.vpcId = settings.vpcId;
      this.subnetId = settings.subnetId;
      this.egress = settings.egress;
      this.inDefaultVpc = settings.inDefaultVpc;
      this.dockerInstalled = settings.dockerInstalled;
      this.subnetFixed = settings.subnetFixed;
      if (settings.hostVolumes.length > 0) checkDataVolumeHost(this.facts, path, 'dataVolumes', settings.hostVolumes.map((v) => v.name));
    } finally {
      endDeferred(this.deferred);
    }
    const { hopLimit, tags, rootSize, associatePublicIp, monitoring, image, hostVolumes } = settings;
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
      checkDataVolumeHost(this.facts, path, 'dataVolumes', given.dataVolumes.map((v) => v.name));
      this.addDataVolumes(given.dataVolumes, path, 'dataVolumes');
    }
    const spec = given._onDataVolumes(this.volumeSpecs);
    checkDataVolumeUse(this.facts, spec, path);
    const other = this.containers.find((c) => c.spec.name === spec.name);
    if (other) {
      throw new IsolationError(path, 'name', `must be unique on host ${this.node.path} (container ${other.owner.node.path} already has it)`, spec.name,
        'Give each container on a host its own name.');
    }
    checkCapacity(this.facts, spec, path);
    checkPorts(this.facts, spec, path);
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
      this.subnetZoneCache ??= subnetZone(this, this.subnetId, this.network);
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

  /** The volumes' names, sizes and backups, for the report: `pgdata 20 GiB gp3, snapshots every 24 h, keep 7 (used by db)`. */
  public get dataVolumeSummary(): string[] {
    return dataVolumeSummary(this.facts, this.volumeSpecs);
  }

  /** What the checks of its containers read of the host (vm-host-checks.ts), made at the first check (after the constructor's fields). */
  private get facts(): HostFacts {
    this.factsCache ??= {
      hostPath: this.node.path,
      osFamily: this.osFamily,
      instanceType: this.instanceType,
      type: this.type,
      subnetFixed: this.subnetFixed,
      containers: this.containers,
    };
    return this.factsCache;
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
      this.containers.every((c) => c.spec._deferred.length === 0) && !capacityUnknown(this.type, this.containers.map((c) => c.spec))) return;
    const checks = [...this.deferred, ...this.containers.flatMap((c) => c.spec._deferred), ...capacityChecks(this.facts)];
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

}

/** What replaces a VmHost that runs containers (the host-level inputs of its HostInputs digest). */
export const HOST_LEVEL_INPUTS = 'the machine image, daemon.json, the library\'s host setup, OS packages, a native setup, the cloud-config escape hatch, ' +
  'and what its containers need from it (the pull script, the ECR credential helper and registries, the SSM client)';

/** Whether each spec holds a token (a spec does not change once made; a host asks whenever a container joins or leaves). */
const specHoldsToken = oncePerObject((spec: ContainerSpec) => holdsToken(spec));

