import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import type { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import type { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Fn, Op, TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import { FleetLoadBalancer, FleetLoadBalancerOptions } from './fleet-load-balancer';
import { HostNetwork, IHostNetwork } from './host-network';
import { HostRole } from './host-role';
import { HostSecurityGroup } from './host-security-group';
import { InstanceSettings } from './instance-settings';
import { InstanceTypeLookup, ResolvedInstanceType } from './instance-type-lookup';
import { IMachineImage, MachineImage, MachineImageConfig } from './machine-image';
import { NetworkLookup } from './network-lookup';
import { DEFAULT_VPC_REACH, NetworkUse, OWN_VPC_REACH } from './network-use';
import { HostUserData } from './user-data';
import { ContainerOptions } from '../core/container-options';
import { ContainerSpec } from '../core/container-spec';
import { HostEgress } from '../core/egress';
import { FleetRules, FleetSize, HttpTargetHealthCheck } from '../core/fleet';
import { RolePolicyStatement } from '../core/iam';
import { InstanceTypeSize } from '../core/instance-types';
import { Architecture, OsFamilies, OsFamily } from '../core/os-family';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSetup } from '../core/render/container-setup';
import { DockerDaemonOptions } from '../core/render/daemon-json';
import { DockerHostSetup } from '../core/render/docker-host';
import { beginDeferred, endDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { escapeTerraformTemplate, escapeTerraformTemplates } from '../private/terraform-string';
import { holdsToken, Tokens } from '../private/tokens';
import { Check, checkTags } from '../private/validate';
import { lazyString } from '../terraform/lazy';
import { Preconditions, TerraformPrecondition } from '../terraform/preconditions';

/** Target-tracking scaling of a fleet. */
export interface FleetScalingOptions {
  /**
   * Average CPU the group keeps, in percent.
   * @default 60
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Requests per target the group keeps (needs a load balancer).
   * @default - no request-count policy
   */
  readonly requestsPerTarget?: number;
}

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
 * The Auto Scaling modules are loaded on first use, not with the library:
 * most stacks never build a fleet, and these modules cost tens of ms and
 * several MiB to load (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function fleetModules() {
  return {
    AutoscalingGroup: require('@cdktf/provider-aws/lib/autoscaling-group').AutoscalingGroup as typeof AutoscalingGroup,
    AutoscalingPolicy: require('@cdktf/provider-aws/lib/autoscaling-policy').AutoscalingPolicy as typeof AutoscalingPolicy,
    LaunchTemplate: require('@cdktf/provider-aws/lib/launch-template').LaunchTemplate as typeof LaunchTemplate,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The validated settings of a fleet. */
interface FleetSettings {
  readonly size: FleetSize;
  readonly instanceType: string;
  readonly type: ResolvedInstanceType;
  readonly architecture: Architecture;
  readonly rootSizeGiB: number;
  readonly minHealthyPercentage: number;
  readonly gracePeriodSeconds: number;
  readonly cpuTargetPercent: number;
  readonly targetHealthCheck?: HttpTargetHealthCheck;
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
    const network = props.network === undefined ? undefined : NetworkUse.check(path, props.network);
    if (network) {
      const fix = 'Leave vpcId and subnetIds out: the fleet uses the network\'s VPC and host subnets.';
      NetworkUse.refuseBeside(path, 'vpcId', props.vpcId, fix);
      NetworkUse.refuseBeside(path, 'subnetIds', props.subnetIds, fix);
    } else if (props.vpcId === undefined && props.subnetIds === undefined) {
      this.inDefaultVpc = true;
      NetworkUse.warnDefaultVpc(this, 'the fleet goes');
    }
    const vpcId = network?.vpcId ?? props.vpcId ?? NetworkLookup.defaultVpcId(this);
    const subnets = network?.hostSubnetIds ?? props.subnetIds ?? NetworkLookup.defaultSubnets(this, vpcId);
    const lbSubnets = network ? FleetNetwork.loadBalancerSubnets(path, network, props.loadBalancer) : subnets;
    this.network = network;

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

    this.launchTemplate = this.createLaunchTemplate(image.imageId, settings.rootSizeGiB, tags);
    if (props.loadBalancer && settings.targetHealthCheck) {
      const hc = settings.targetHealthCheck;
      this.loadBalancer = new FleetLoadBalancer(this, 'LoadBalancer', {
        vpcId,
        subnetIds: lbSubnets,
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
    this.resource = this.createGroup(subnets, settings, tags);
    const { cpu, requests } = this.createScaling(settings, props.scaling?.requestsPerTarget);
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
    const ownSubnets = network ? (isBuiltNetwork(network) ? undefined : network.hostSubnetIds) : props.subnetIds;
    if (ownSubnets !== undefined) Preconditions.set(this.resource, [this.zonesPrecondition(ownSubnets)]);

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

  /**
   * The subnets span two zones or more: their zones are read from EC2
   * (`data.aws_subnet`, one per subnet, construct `SubnetZones`) and
   * counted by Terraform before the group is created.
   */
  private zonesPrecondition(subnetIds: string[]): TerraformPrecondition {
    // Loaded on first use: only a fleet with subnets of its own needs the lookup.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const DataAwsSubnetClass = require('@cdktf/provider-aws/lib/data-aws-subnet').DataAwsSubnet as typeof DataAwsSubnet;
    const each = TerraformIterator.fromList(subnetIds);
    const subnets = new DataAwsSubnetClass(this, 'SubnetZones', { forEach: each, id: each.value });
    const zones = Fn.distinct(Token.asList(TerraformIterator.fromDataSources(subnets).pluckProperty('availability_zone')));
    return {
      condition: Op.gte(Fn.lengthOf(zones), 2),
      errorMessage: `${escapeTerraformTemplate(`${this.node.path}: 'subnetIds' must list subnets in at least two availability zones`)}, ` +
        `got ${Fn.jsonencode(subnetIds)} (zones ${Fn.join(', ', zones)}). Give two or more subnets in different zones (a fleet in one zone goes down with it).`,
    };
  }

  private createLaunchTemplate(imageId: string, rootSizeGiB: number, rawTags: { [key: string]: string }): LaunchTemplate {
    const { LaunchTemplate } = fleetModules();
    const tags = escapeTerraformTemplates(rawTags);
    return new LaunchTemplate(this, 'LaunchTemplate', {
      description: `cdktf-isolation fleet ${this.node.path}`.slice(0, 255),
      imageId,
      instanceType: this.instanceType,
      updateDefaultVersion: true,
      ebsOptimized: 'true',
      iamInstanceProfile: { name: this.role.instanceProfile.name },
      metadataOptions: InstanceSettings.metadataOptions(1),
      blockDeviceMappings: [{
        deviceName: OsFamilies.traits(this.osFamily).rootDeviceName,
        ebs: { volumeType: 'gp3', volumeSize: rootSizeGiB, encrypted: 'true', deleteOnTermination: 'true' },
      }],
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'false', deleteOnTermination: 'true', securityGroups: [this.securityGroup.securityGroupId] }],
      monitoring: { enabled: false },
      userData: lazyString(() => this.userData.base64()),
      tagSpecifications: [{ resourceType: 'instance', tags }, { resourceType: 'volume', tags }],
      tags,
    });
  }

  private createGroup(subnets: string[], settings: FleetSettings, rawTags: { [key: string]: string }): AutoscalingGroup {
    const { AutoscalingGroup } = fleetModules();
    const tags = escapeTerraformTemplates(rawTags);
    return new AutoscalingGroup(this, 'Resource', {
      minSize: this.size.min,
      maxSize: this.size.max,
      desiredCapacity: this.size.desired,
      vpcZoneIdentifier: subnets,
      // Pinned to the version this apply creates, never $Latest: a change of
      // user data or image makes a new version, and that starts a refresh.
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      healthCheckType: this.loadBalancer ? 'ELB' : 'EC2',
      healthCheckGracePeriod: settings.gracePeriodSeconds,
      targetGroupArns: this.loadBalancer ? [this.loadBalancer.targetGroup.arn] : undefined,
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: settings.minHealthyPercentage, autoRollback: true, instanceWarmup: String(settings.gracePeriodSeconds) },
      },
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });
  }

  private createScaling(settings: FleetSettings, requestsPerTarget: number | undefined): { cpu: AutoscalingPolicy; requests?: AutoscalingPolicy } {
    const { AutoscalingPolicy } = fleetModules();
    const cpu = new AutoscalingPolicy(this, 'CpuTracking', {
      name: `${this.spec.name}-cpu`,
      autoscalingGroupName: this.resource.name,
      policyType: 'TargetTrackingScaling',
      estimatedInstanceWarmup: settings.gracePeriodSeconds,
      targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' }, targetValue: settings.cpuTargetPercent },
    });
    if (requestsPerTarget === undefined || !this.loadBalancer) return { cpu };
    const requests = new AutoscalingPolicy(this, 'RequestTracking', {
      name: `${this.spec.name}-requests`,
      autoscalingGroupName: this.resource.name,
      policyType: 'TargetTrackingScaling',
      estimatedInstanceWarmup: settings.gracePeriodSeconds,
      targetTrackingConfiguration: {
        predefinedMetricSpecification: {
          predefinedMetricType: 'ALBRequestCountPerTarget',
          resourceLabel: `${this.loadBalancer.resource.arnSuffix}/${this.loadBalancer.targetGroup.arnSuffix}`,
        },
        targetValue: requestsPerTarget,
      },
    });
    return { cpu, requests };
  }
}

/** Validates the props of a fleet (the container is validated by its spec). */
function validateFleet(scope: Construct, props: HostFleetProps, spec: ContainerSpec): FleetSettings {
  const path = scope.node.path;
  const size = FleetRules.size(path, props.minCapacity ?? 2, props.maxCapacity ?? 4, props.desiredCapacity);
  const type = InstanceTypeLookup.resolve(scope, props.instanceType ?? InstanceSettings.DEFAULT_INSTANCE_TYPE, props.instanceTypeSize,
    props.machineImage?.architecture);
  const instanceType = type.info.name;
  const rootSizeGiB = Check.integerInRange(path, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? InstanceSettings.DEFAULT_ROOT_VOLUME_GIB, 8, 16384);
  const minHealthyPercentage = Check.integerInRange(path, 'minHealthyPercentage', props.minHealthyPercentage ?? 90, 0, 100);
  const gracePeriodSeconds = Check.integerInRange(path, 'healthCheckGracePeriodSeconds', props.healthCheckGracePeriodSeconds ?? 300, 0, 7200,
    'Allow for boot, the Docker install and the first image pull (300 s by default).');
  const cpuTargetPercent = Check.numberInRange(path, 'scaling.cpuUtilizationPercent', props.scaling?.cpuUtilizationPercent ?? 60, 1, 100);
  if (props.scaling?.requestsPerTarget !== undefined) {
    Check.integerInRange(path, 'scaling.requestsPerTarget', props.scaling.requestsPerTarget, 1, 1_000_000);
    if (!props.loadBalancer) {
      throw new IsolationError(path, 'scaling.requestsPerTarget', 'needs a load balancer (request counts come from it)', props.scaling.requestsPerTarget,
        'Add loadBalancer, or scale on CPU only.');
    }
  }
  let targetHealthCheck: HttpTargetHealthCheck | undefined;
  const lb = props.loadBalancer;
  if (lb) {
    Check.known(path, 'loadBalancer.containerPort', lb.containerPort, 'it picks the published port the load balancer routes to');
    targetHealthCheck = FleetRules.targetHealthCheck(path, spec, lb.containerPort, lb.healthCheckPath);
    const cidrs = Check.known(path, 'loadBalancer.allowedCidrs', lb.allowedCidrs, 'each network gets a rule of its own; its elements may be Terraform references');
    for (const [i, cidr] of (cidrs ?? ['0.0.0.0/0']).entries()) Check.cidr(path, `loadBalancer.allowedCidrs[${i}]`, cidr);
    Check.bool(path, 'loadBalancer.internal', lb.internal, false, 'it decides whether the load balancer faces the internet');
    if (lb.certificateArn !== undefined) {
      Check.matches(path, 'loadBalancer.certificateArn', lb.certificateArn, /^arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:\d{12}:(certificate|server-certificate)\/.+$/,
        'an ACM (or IAM) certificate ARN', "Copy the ARN from ACM, e.g. 'arn:aws:acm:eu-west-1:123456789012:certificate/<id>'.");
    }
  }
  const subnetIds = props.subnetIds;
  if (subnetIds !== undefined && !Tokens.isListToken(subnetIds)) {
    // A whole list known at apply (a data source's ids) is checked by Terraform (zonesPrecondition); so are its zones.
    if (!Array.isArray(subnetIds) || subnetIds.length < 2) {
      throw new IsolationError(path, 'subnetIds', 'must list subnets in at least two availability zones', subnetIds,
        'Give two or more subnets in different zones (a fleet in one zone goes down with it).');
    }
    subnetIds.forEach((s, i) => NetworkLookup.subnetId(path, `subnetIds[${i}]`, s));
    const known = subnetIds.filter((s) => !Tokens.isUnresolved(s));
    if (new Set(known).size !== known.length) {
      throw new IsolationError(path, 'subnetIds', 'must not list a subnet twice', subnetIds, 'Give two or more different subnets in different zones.');
    }
  }
  if (props.vpcId !== undefined) NetworkLookup.vpcId(path, 'vpcId', props.vpcId);
  return {
    size,
    instanceType,
    type,
    architecture: type.info.architecture,
    rootSizeGiB,
    minHealthyPercentage,
    gracePeriodSeconds,
    cpuTargetPercent,
    targetHealthCheck,
  };
}

/** True for a HostNetwork the library builds (its host subnets are in distinct zones by construction). */
function isBuiltNetwork(network: IHostNetwork): boolean {
  return network instanceof HostNetwork;
}

/** Where a fleet's load balancer goes in a network. */
class FleetNetwork {
  /** Internet-facing: the network's public subnets (an error without them); internal: its host subnets. */
  public static loadBalancerSubnets(path: string, network: IHostNetwork, lb: FleetLoadBalancerOptions | undefined): string[] {
    if (!lb || lb.internal === true) return network.hostSubnetIds;
    if (network.publicSubnetIds === undefined) {
      throw new IsolationError(path, 'loadBalancer.internal', 'must be true in a network without public subnets (an internet-facing load balancer lives in public subnets)', lb.internal,
        'Give the network public subnets (HostNetwork publicSubnets: true, or publicSubnetIds with HostNetwork.fromExisting), or make the load balancer internal.');
    }
    return network.publicSubnetIds;
  }
}
