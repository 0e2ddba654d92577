import type { Instance } from '@cdktf/provider-aws/lib/instance';
import type { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import type { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ContainerRollout } from './container-rollout';
import type { DataVolumeBackupRole, HostDataVolume } from './host-data-volume';
import { HostInstance } from './host-instance';
import type { IHostNetwork } from './host-network';
import { HostRole } from './host-role';
import { HostSecurityGroup } from './host-security-group';
import { InstanceSettings } from './instance-settings';
import { ResolvedInstanceType } from './instance-type-lookup';
import { HostUserData } from './user-data';
import { checkCapacity, checkJoin, checkLeave, checkName, checkPorts, emptyCloudConfig, HostedContainer, HostFacts } from './vm-host-checks';
import { HostCloudConfig, hostUpdatePath } from './vm-host-config';
import { HostPreconditions } from './vm-host-preconditions';
import type { VmHostProps } from './vm-host-props';
import { HostNetworkNeeds } from './vm-host-reach';
import { vmHostSettings, VmHostSettings } from './vm-host-settings';
import { checkDataVolumeHost, checkDataVolumeUse, dataVolumeSummary, HostVolumes } from './vm-host-volumes';
import { ContainerSpec } from '../core/container-spec';
import { HostReach, NetworkEgress } from '../core/egress';
import { RolePolicyStatement } from '../core/iam';
import { IngressRule } from '../core/ingress';
import { InstanceTypeInfo, InstanceTypeSize } from '../core/instance-types';
import { Architecture, OsFamilies, OsFamily } from '../core/os-family';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSetup } from '../core/render/container-setup';
import { DockerHostSetup } from '../core/render/docker-host';
import { WindowsUserData } from '../core/render/windows-user-data';
import { beginDeferred, DeferredCheck, endDeferred } from '../private/deferred';
import { escapeTerraformTemplate, escapeTerraformTemplates } from '../private/terraform-string';
import { Check } from '../private/validate';
import { replaceTrigger } from '../terraform/expressions';
import { LazyText, producedString } from '../terraform/lazy';
import { Preconditions } from '../terraform/preconditions';
import { TerraformData } from '../terraform/terraform-data';


export type { VmHostProps } from './vm-host-props';
export { HOST_LEVEL_INPUTS } from './vm-host-config';

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

  private readonly type: InstanceTypeInfo;
  private readonly typeLookup: ResolvedInstanceType;
  /** The checks of the host's own token props (its containers bring theirs). */
  private readonly deferred: DeferredCheck[];
  private readonly containers: HostedContainer[] = [];
  /** What the checks of its containers read of the host (vm-host-checks.ts), with the live container list. */
  private readonly facts: HostFacts;
  private containersVersion = 0;
  private readonly userData: HostUserData;
  /** The Linux host's cloud-config as first boot and the HostInputs digest see it (empty on Windows). */
  private readonly config: HostCloudConfig;
  private readonly volumes: HostVolumes;
  private readonly preconditions: HostPreconditions;
  private readonly needs: HostNetworkNeeds;

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
      this.dockerInstalled = settings.dockerInstalled;
      this.facts = {
        hostPath: path,
        osFamily: this.osFamily,
        instanceType: this.instanceType,
        type: this.type,
        dockerInstalled: this.dockerInstalled,
        subnetFixed: settings.subnetFixed,
        containers: this.containers,
      };
      if (settings.hostVolumes.length > 0) checkDataVolumeHost(this.facts, path, 'dataVolumes', settings.hostVolumes.map((v) => v.name));
    } finally {
      endDeferred(this.deferred);
    }
    const { hopLimit, tags, instanceTags, rootSize, associatePublicIp, monitoring, image, hostVolumes } = settings;

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
      this.windowsUserData = new WindowsUserData();
      this.node.addValidation(emptyCloudConfig(path, this.cloudConfig));
    } else {
      this.cloudConfig = DockerHostSetup.hostConfig({
        osFamily: this.osFamily, installDocker: this.dockerInstalled, daemon: props.dockerDaemon, path,
      });
    }
    this.config = new HostCloudConfig(path, this.cloudConfig, this.osFamily, this.containers, () => this.containersVersion);
    const windows = this.windowsUserData;
    this.userData = windows
      ? new HostUserData(path, () => `w${windows.revision}`, () => this.renderUserData(), false)
      : new HostUserData(path, () => this.config.version(), () => this.config.render());
    this.needs = new HostNetworkNeeds(this, {
      network: this.network,
      egress: this.egress,
      inDefaultVpc: settings.inDefaultVpc,
      facts: this.facts,
      cloudConfig: this.cloudConfig,
    });
    this.needs.checkHost(path);

    // A host that runs containers keeps its instance when they change: its user data (the full set, for a
    // first boot) is ignored after creation, and what the host is replaces it through this digest.
    this.hostInputs = this.dockerInstalled
      ? new TerraformData(this, 'HostInputs', { digest: producedString(() => this.config.digest()) })
      : undefined;

    const userData = new LazyText(() => this.userData.plainText());
    const userDataBase64 = new LazyText(() => this.userData.compressedBase64());
    this.resource = new HostInstance(this, 'Resource', { plain: userData, base64: userDataBase64 }, {
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
      userData: userData.token,
      userDataBase64: userDataBase64.token,
      // A host without containers has only host-level user data: any change of it replaces the host.
      userDataReplaceOnChange: this.hostInputs === undefined,
      lifecycle: this.hostInputs === undefined ? undefined : { ignoreChanges: ['user_data', 'user_data_base64'], replaceTriggeredBy: [replaceTrigger(this.hostInputs)] },
      tags: escapeTerraformTemplates(instanceTags),
    });
    this.volumes = new HostVolumes(this, tags);
    this.volumes.add(hostVolumes, path, 'dataVolumes');
    if (this.dockerInstalled) {
      this.rollout = new ContainerRollout(this, 'Rollout', {
        instanceId: this.resource.id,
        specs: () => this.containers.map((c) => c.spec),
        version: () => String(this.containersVersion),
        options: props.containerUpdates,
      });
    }
    Preconditions.report(this, this.deferred);
    this.preconditions = new HostPreconditions({
      host: this,
      resource: this.resource,
      facts: this.facts,
      userData: this.userData,
      config: this.config,
      typeLookup: this.typeLookup,
      deferred: this.deferred,
      rollout: this.rollout,
    });
    this.preconditions.refresh();

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
    checkJoin(this.facts, path);
    // The container's own data volumes join the host's (host-level: the instance is replaced to attach them).
    if (given.dataVolumes.length > 0) {
      checkDataVolumeHost(this.facts, path, 'dataVolumes', given.dataVolumes.map((v) => v.name));
      this.volumes.add(given.dataVolumes, path, 'dataVolumes');
    }
    const spec = given._onDataVolumes(this.volumes.specs);
    checkDataVolumeUse(this.facts, spec, path);
    checkName(this.facts, spec, path);
    checkCapacity(this.facts, spec, path);
    checkPorts(this.facts, spec, path);
    this.needs.checkImage(path, spec);
    this.containers.push({ spec, owner });
    this.containersVersion++;
    this.preconditions.joined(spec);
    this.preconditions.refresh();
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
    checkLeave(this.facts, this.containers[i]);
    const [left] = this.containers.splice(i, 1);
    this.containersVersion++;
    this.preconditions.left(left.spec);
    this.preconditions.refresh();
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

  /** The host's data volumes, in the order given. */
  public get dataVolumes(): HostDataVolume[] {
    return this.volumes.volumes;
  }

  /** The role Data Lifecycle Manager snapshots the backed-up volumes with (none without backups). */
  public get backupRole(): DataVolumeBackupRole | undefined {
    return this.volumes.backupRole;
  }

  /** The volumes' names, sizes and backups, for the report: `pgdata 20 GiB gp3, snapshots every 24 h, keep 7 (used by db)`. */
  public get dataVolumeSummary(): string[] {
    return dataVolumeSummary(this.facts, this.volumes.specs);
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
    return this.config.render();
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
    return hostUpdatePath(this.windowsUserData !== undefined, this.rollout?.documentName);
  }

  /**
   * How the host reaches its packages, its containers' images and Systems
   * Manager, one line, e.g. `Amazon Linux 2023 packages: S3 gateway endpoint; ...`
   * (the isolation report shows it); for a host without a `network`,
   * that the library cannot see its routes.
   */
  public get networkReach(): string {
    return this.needs.describe();
  }

  /** What the host and its containers need from outside the network, and how the network reaches each (HostEgress). */
  public reach(): HostReach[] {
    return this.needs.reach();
  }

  /** The vCPUs and memory of the host's instance type. */
  public get instanceTypeSize(): InstanceTypeSize {
    return { vcpus: this.type.vcpus, memoryMiB: this.type.memoryMiB };
  }
}
