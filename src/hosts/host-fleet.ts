import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import type { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { FleetAutoScaling, FleetScalingOptions } from './fleet-auto-scaling';
import { FleetLaunchTemplate } from './fleet-launch-template';
import { FleetLoadBalancer, FleetLoadBalancerOptions } from './fleet-load-balancer';
import { FleetNetwork } from './fleet-network';
import { FleetSettings, validateFleet } from './fleet-settings';
import type { IHostNetwork } from './host-network';
import { HostRole } from './host-role';
import { HostSecurityGroup } from './host-security-group';
import { IMachineImage, MachineImage, MachineImageConfig } from './machine-image';
import { DEFAULT_VPC_REACH, NetworkUse, OWN_VPC_REACH } from './network-use';
import { HostUserData } from './user-data';
import { ContainerOptions } from '../core/container-options';
import { ContainerSpec } from '../core/container-spec';
import { HostEgress } from '../core/egress';
import { FleetSize } from '../core/fleet';
import { RolePolicyStatement } from '../core/iam';
import { InstanceTypeSize } from '../core/instance-types';
import { OsFamilies, OsFamily } from '../core/os-family';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSetup } from '../core/render/container-setup';
import { DockerDaemonOptions } from '../core/render/daemon-json';
import { DockerHostSetup } from '../core/render/docker-host';
import { beginDeferred, endDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { holdsToken } from '../private/tokens';
import { Check, checkTags } from '../private/validate';
import { Preconditions } from '../terraform/preconditions';

// Declared with the part it configures; exported with the construct (src/index.ts takes it from here).
export type { FleetScalingOptions };

/** Props of `HostFleet`. */
export interface HostFleetProps {
  /** The container every instance runs. */
  readonly container: ContainerOptions;
  /**
   * Instance type.
   * @default 't3.small'
   */
  readonly instanceType?: string;
  /**
   * The size of an instance type the catalog does not list yet (see VmHostProps.instanceTypeSize).
   * @default - the type must be in the catalog
   */
  readonly instanceTypeSize?: InstanceTypeSize;
  /**
   * Image.
   * @default - Amazon Linux 2023 in the instance type's architecture
   */
  readonly machineImage?: IMachineImage;
  /**
   * The network of the fleet (see VmHostProps.network): its instances go
   * into the network's host subnets, an internet-facing load balancer into
   * its public subnets, an internal one into its host subnets.
   * @default - `vpcId`/`subnetIds`; without them the default VPC's default subnets, with a warning
   */
  readonly network?: IHostNetwork;
  /**
   * VPC, for a VPC of your own without a `network`.
   * @default - the network's VPC, or the default VPC
   */
  readonly vpcId?: string;
  /**
   * Subnets, in at least two availability zones, without a `network`.
   * @default - the network's host subnets, or the default subnets (one per zone) of the VPC
   */
  readonly subnetIds?: string[];
  /**
   * Fewest instances.
   * @default 2
   */
  readonly minCapacity?: number;
  /**
   * Most instances.
   * @default 4
   */
  readonly maxCapacity?: number;
  /**
   * Instances to start with.
   * @default - minCapacity
   */
  readonly desiredCapacity?: number;
  /**
   * An Application Load Balancer in front of the fleet.
   * @default - none
   */
  readonly loadBalancer?: FleetLoadBalancerOptions;
  /**
   * Scaling policies.
   * @default - CPU at 60 %
   */
  readonly scaling?: FleetScalingOptions;
  /**
   * Healthy capacity an instance refresh keeps, in percent.
   * @default 90
   */
  readonly minHealthyPercentage?: number;
  /**
   * Seconds after launch before health checks count; covers boot, the
   * Docker install and the first image pull.
   * @default 300
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Root volume size in GiB (gp3, encrypted).
   * @default 20
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Docker daemon settings.
   * @default - live restore, log rotation, no-new-privileges
   */
  readonly dockerDaemon?: DockerDaemonOptions;
  /**
   * Tags for every resource and instance.
   * @default - Name only
   */
  readonly tags?: { [key: string]: string };
}

/**
 * Containers on EC2 Auto Scaling behind an optional Application Load
 * Balancer: AWS's own engine instead of a home-made scheduler, configured
 * from the same container spec and the same hardened host setup as VmHost.
 *
 * Its parts are constructs and resources exposed as properties: the hosts'
 * `securityGroup` and `role`, the `launchTemplate`, the `loadBalancer`
 * (FleetLoadBalancer: its security group, target group and listeners), the
 * Auto Scaling group (`resource`) and its scaling policies.
 */
export class HostFleet extends Construct {
  /** The Auto Scaling group (escape hatch). */
  public readonly resource: AutoscalingGroup;
  /** The launch template every instance starts from. */
  public readonly launchTemplate: LaunchTemplate;
  /** The hosts' security group. */
  public readonly securityGroup: HostSecurityGroup;
  /** The hosts' IAM role and instance profile. */
  public readonly role: HostRole;
  /**
   * The load balancer and its parts.
   * @default - none without `loadBalancer`
   */
  public readonly loadBalancer?: FleetLoadBalancer;
  /** The target-tracking policy on average CPU. */
  public readonly cpuScalingPolicy: AutoscalingPolicy;
  /**
   * The target-tracking policy on requests per target.
   * @default - none without `scaling.requestsPerTarget`
   */
  public readonly requestScalingPolicy?: AutoscalingPolicy;
  /** The cloud-config every instance boots with. */
  public readonly cloudConfig: CloudConfig;
  /** The container's validated spec. */
  public readonly spec: ContainerSpec;
  /** Sizes. */
  public readonly size: FleetSize;
  /** The instance type. */
  public readonly instanceType: string;
  /** The OS family. */
  public readonly osFamily: OsFamily;
  /** The fleet's network, when it was given one. */
  public readonly network?: IHostNetwork;
  /** True when the fleet was given no network, VPC or subnets (the default VPC). */
  private readonly inDefaultVpc: boolean = false;

  private readonly userData: HostUserData;

  constructor(scope: Construct, id: string, props: HostFleetProps) {
    super(scope, id);
    const path = this.node.path;
    props = Check.props(path, props, "{ container: { name: 'web', image, memoryMiB: 256 } }", false);
    if (!props.container) {
      throw new IsolationError(path, 'container', 'must be given: the container every instance runs', undefined, 'Describe the container (name, image, memoryMiB, ports).');
    }
    this.spec = ContainerSpec.of(props.container, `${path}/container`);
    if (this.spec.dataVolumes.length > 0) {
      // An EBS volume is in one zone and attached to one instance; a fleet's instances come and go across zones.
      throw new IsolationError(path, 'container.dataVolumes', 'must be empty: a fleet scales and replaces its instances across zones, and a data volume belongs to one host',
        this.spec.dataVolumes.map((v) => v.name), 'Keep the data in a service made for it (a database, S3), or run the app on a VmHost or a HostPool with the data volume.');
    }
    // Props that are tokens are checked by Terraform: their checks are collected here and become preconditions.
    const deferred = beginDeferred();
    let settings: FleetSettings;
    let image: MachineImageConfig;
    let tags: { [key: string]: string };
    try {
      settings = validateFleet(this, props, this.spec);
      image = MachineImage._bind(props.machineImage ?? MachineImage.amazonLinux2023(), this, {
        instanceArchitecture: settings.architecture,
        instanceType: settings.instanceType,
      });
      // Raw here: each construct escapes the user text on the resources it creates.
      tags = { ...checkTags(path, 'tags', props.tags), Name: path };
    } finally {
      endDeferred(deferred);
    }
    this.size = settings.size;
    this.instanceType = settings.instanceType;
    this.osFamily = image.osFamily;
    if (OsFamilies.isWindows(this.osFamily)) {
      throw new IsolationError(path, 'machineImage', 'must be a Linux image: the fleet runs a container, and the library\'s containers are Linux containers, which need a Linux kernel',
        OsFamilies.traits(this.osFamily).displayName, 'Use MachineImage.amazonLinux2023() (the default), ubuntu2404() or debian12().');
    }
    const placement = FleetNetwork.place(this, props);
    const { network, vpcId } = placement;
    this.network = network;
    this.inDefaultVpc = placement.inDefaultVpc;

    this.securityGroup = new HostSecurityGroup(this, 'SecurityGroup', {
      vpcId, tags, egress: network?.egress, endpointSecurityGroupId: network?.endpointSecurityGroupId, s3PrefixListId: network?.s3PrefixListId,
    });
    if (network) {
      network.admitHost(this.securityGroup.securityGroupId, this);
      NetworkUse.requireReach(this, path, network, HostEgress.reach(network.egress, { osFamily: this.osFamily, images: [this.spec.imageSource] }),
        OsFamilies.traits(this.osFamily).displayName);
    }
    this.role = new HostRole(this, 'Role', { tags });
    for (const statement of ContainerSetup.statements(this.spec)) this.role.addToPolicy(statement);
    this.cloudConfig = DockerHostSetup.hostConfig({ osFamily: this.osFamily, installDocker: true, daemon: props.dockerDaemon, path });
    ContainerSetup.apply(this.cloudConfig, this.spec, this.osFamily);
    this.userData = new HostUserData(path, () => String(this.cloudConfig.revision), () => this.renderUserData());

    this.launchTemplate = FleetLaunchTemplate.create(this, {
      imageId: image.imageId,
      instanceType: this.instanceType,
      osFamily: this.osFamily,
      rootSizeGiB: settings.rootSizeGiB,
      role: this.role,
      securityGroup: this.securityGroup,
      userData: this.userData,
      tags,
    });
    if (props.loadBalancer && settings.targetHealthCheck) {
      const hc = settings.targetHealthCheck;
      this.loadBalancer = new FleetLoadBalancer(this, 'LoadBalancer', {
        vpcId,
        subnetIds: placement.loadBalancerSubnetIds,
        hostSecurityGroup: this.securityGroup,
        containerName: this.spec.name,
        hostPort: hc.hostPort,
        healthCheckPath: hc.path,
        healthCheckIntervalSeconds: hc.intervalSeconds,
        healthCheckTimeoutSeconds: hc.timeoutSeconds,
        unhealthyThreshold: hc.unhealthyThreshold,
        certificateArn: props.loadBalancer.certificateArn,
        internal: props.loadBalancer.internal,
        allowedCidrs: props.loadBalancer.allowedCidrs,
        tags,
      });
    }
    const { launchTemplate, loadBalancer } = this;
    this.resource = FleetAutoScaling.group(this, { subnetIds: placement.subnetIds, settings, launchTemplate, loadBalancer, tags });
    const { cpu, requests } = FleetAutoScaling.policies(this, {
      group: this.resource, containerName: this.spec.name, settings, requestsPerTarget: props.scaling?.requestsPerTarget, loadBalancer,
    });
    this.cpuScalingPolicy = cpu;
    this.requestScalingPolicy = requests;

    const checks = [...this.spec._deferred, ...deferred];
    const tokensInText = holdsToken(this.spec) || holdsToken(this.cloudConfig.toObject());
    if (tokensInText) this.userData.useLocal(this);
    Preconditions.report(this, checks);
    Preconditions.set(this.launchTemplate, [
      ...Preconditions.of(checks),
      ...settings.type.preconditions(OsFamilies.traits(this.osFamily).displayName),
      ...(tokensInText ? [this.userData.sizePrecondition()] : []),
    ]);
    // A HostNetwork puts one host subnet in each of its zones; subnets of your own are checked.
    const ownSubnets = FleetNetwork.ownSubnets(network, props.subnetIds);
    if (ownSubnets !== undefined) Preconditions.set(this.resource, [FleetNetwork.zonesPrecondition(this, ownSubnets)]);

    this.node.addValidation({ validate: () => this.userData.check() });
  }

  /**
   * How the instances reach their packages, the image and Systems Manager
   * (see VmHost.networkReach).
   */
  public get networkReach(): string {
    if (!this.network) return this.inDefaultVpc ? DEFAULT_VPC_REACH : OWN_VPC_REACH;
    return HostEgress.describe(this.network.egress, { osFamily: this.osFamily, images: [this.spec.imageSource] });
  }

  /**
   * How a deploy changes the fleet: any change makes a new launch template
   * version and a rolling instance refresh behind the load balancer.
   */
  public get updatePath(): string {
    return 'a new launch template version and a rolling instance refresh (minimum healthy 90 %, auto rollback): new instances boot with the current container';
  }

  /** Adds a statement to the hosts' role policy. */
  public addToRolePolicy(statement: RolePolicyStatement): void {
    this.role.addToPolicy(statement);
  }

  /** The user data text (cloud-config). */
  public renderUserData(): string {
    return this.cloudConfig.render({ comment: `cdktf-isolation fleet ${this.node.path}` });
  }
}
