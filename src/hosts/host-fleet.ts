import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { Lb } from '@cdktf/provider-aws/lib/lb';
import type { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, Lazy, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSetup } from '../core/render/container-setup';
import { ContainerOptions, ContainerSpec } from '../core/container-spec';
import { DockerDaemonOptions } from '../core/render/daemon-json';
import { IsolationError } from '../private/errors';
import { FleetRules, FleetSize, HttpTargetHealthCheck } from '../core/fleet';
import { RolePolicyStatement } from '../core/iam';
import { InstanceTypes } from '../core/instance-types';
import { OsFamilies, OsFamily } from '../core/os-family';
import { UserData } from '../core/render/user-data';
import { Check, cidrFamily } from '../private/validate';
import { HostParts, HostRolePolicy } from './host-parts';
import { MachineImage } from './machine-image';

/** The load balancer in front of a fleet. */
export interface FleetLoadBalancerOptions {
  /**
   * ACM certificate: adds an HTTPS listener on 443 (TLS 1.2 or newer) and
   * turns the HTTP listener into a redirect to HTTPS.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * The published host port the load balancer routes to.
   * @default - the container's first published TCP port
   */
  readonly containerPort?: number;
  /**
   * Path of the target health check.
   * @default - the path of the container's own HTTP health check (wget or curl of a loopback URL), else '/'
   */
  readonly healthCheckPath?: string;
  /**
   * Internal (VPC only) instead of internet-facing.
   * @default false
   */
  readonly internal?: boolean;
  /**
   * Clients allowed to reach the listeners.
   * @default ['0.0.0.0/0']
   */
  readonly allowedCidrs?: string[];
}

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
   * Image.
   * @default - Amazon Linux 2023 in the instance type's architecture
   */
  readonly machineImage?: MachineImage;
  /**
   * VPC.
   * @default - the default VPC
   */
  readonly vpcId?: string;
  /**
   * Subnets, in at least two availability zones.
   * @default - the default subnets (one per zone) of the VPC
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
 * The Auto Scaling and load balancer modules are loaded on first use, not
 * with the library: most stacks never build a fleet, and these modules
 * cost about 60 ms and 8 MiB to load (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function fleetModules() {
  return {
    AutoscalingGroup: require('@cdktf/provider-aws/lib/autoscaling-group').AutoscalingGroup as typeof AutoscalingGroup,
    AutoscalingPolicy: require('@cdktf/provider-aws/lib/autoscaling-policy').AutoscalingPolicy as typeof AutoscalingPolicy,
    LaunchTemplate: require('@cdktf/provider-aws/lib/launch-template').LaunchTemplate as typeof LaunchTemplate,
    Lb: require('@cdktf/provider-aws/lib/lb').Lb as typeof Lb,
    LbListener: require('@cdktf/provider-aws/lib/lb-listener').LbListener as typeof LbListener,
    LbTargetGroup: require('@cdktf/provider-aws/lib/lb-target-group').LbTargetGroup as typeof LbTargetGroup,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The recommended ALB policy for TLS 1.2 and 1.3. */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * Containers on EC2 Auto Scaling behind an optional Application Load
 * Balancer: AWS's own engine instead of a home-made scheduler, configured
 * from the same container spec and the same hardened host setup as VmHost.
 */
export class HostFleet extends Construct {
  /** The Auto Scaling group (escape hatch). */
  public readonly resource: AutoscalingGroup;
  /** The launch template. */
  public readonly launchTemplate: LaunchTemplate;
  /** The hosts' security group. */
  public readonly securityGroup: SecurityGroup;
  /** The hosts' role. */
  public readonly role: IamRole;
  /** The hosts' instance profile. */
  public readonly instanceProfile: IamInstanceProfile;
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
  /** The load balancer, when there is one. */
  public readonly loadBalancer?: Lb;
  /** The target group, when there is a load balancer. */
  public readonly targetGroup?: LbTargetGroup;
  /** The target health check, when there is a load balancer. */
  public readonly targetHealthCheck?: HttpTargetHealthCheck;

  private readonly rolePolicy: HostRolePolicy;
  private encoded?: { revision: number; value: string };

  constructor(scope: Construct, id: string, props: HostFleetProps) {
    super(scope, id);
    const { AutoscalingGroup, AutoscalingPolicy, LaunchTemplate, Lb, LbListener, LbTargetGroup } = fleetModules();
    const path = this.node.path;
    if (!props || typeof props !== 'object' || !props.container) {
      throw new IsolationError(path, 'container', 'must be given: the container every instance runs', undefined, 'Describe the container (name, image, memoryMiB, ports).');
    }
    this.spec = ContainerSpec.of(props.container, `${path}/container`);
    this.size = FleetRules.size(path, props.minCapacity ?? 2, props.maxCapacity ?? 4, props.desiredCapacity);
    this.instanceType = InstanceTypes.validate(path, 'instanceType', props.instanceType ?? 't3.small');
    const rootSize = Check.integerInRange(path, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? 20, 8, 16384);
    const minHealthy = Check.integerInRange(path, 'minHealthyPercentage', props.minHealthyPercentage ?? 90, 0, 100);
    const grace = Check.integerInRange(path, 'healthCheckGracePeriodSeconds', props.healthCheckGracePeriodSeconds ?? 300, 0, 7200,
      'Allow for boot, the Docker install and the first image pull (300 s by default).');
    const cpuTarget = Check.numberInRange(path, 'scaling.cpuUtilizationPercent', props.scaling?.cpuUtilizationPercent ?? 60, 1, 100);
    if (props.scaling?.requestsPerTarget !== undefined) {
      Check.integerInRange(path, 'scaling.requestsPerTarget', props.scaling.requestsPerTarget, 1, 1_000_000);
      if (!props.loadBalancer) {
        throw new IsolationError(path, 'scaling.requestsPerTarget', 'needs a load balancer (request counts come from it)', props.scaling.requestsPerTarget,
          'Add loadBalancer, or scale on CPU only.');
      }
    }
    const lbOptions = props.loadBalancer;
    if (lbOptions) {
      this.targetHealthCheck = FleetRules.targetHealthCheck(path, this.spec, lbOptions.containerPort, lbOptions.healthCheckPath);
      for (const [i, cidr] of (lbOptions.allowedCidrs ?? ['0.0.0.0/0']).entries()) Check.cidr(path, `loadBalancer.allowedCidrs[${i}]`, cidr);
      if (lbOptions.certificateArn !== undefined) {
        Check.matches(path, 'loadBalancer.certificateArn', lbOptions.certificateArn, /^(arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:\d{12}:(certificate|server-certificate)\/.+|\$\{.+\})$/,
          'an ACM (or IAM) certificate ARN', "Copy the ARN from ACM, e.g. 'arn:aws:acm:eu-west-1:123456789012:certificate/<id>'.");
      }
    }
    const subnetIds = props.subnetIds;
    if (subnetIds !== undefined) {
      if (!Array.isArray(subnetIds) || subnetIds.length < 2) {
        throw new IsolationError(path, 'subnetIds', 'must list subnets in at least two availability zones', subnetIds,
          'Give two or more subnets in different zones (a fleet in one zone goes down with it).');
      }
      subnetIds.forEach((s, i) => Check.matches(path, `subnetIds[${i}]`, s, /^(subnet-[0-9a-f]{8,17}|\$\{.+\})$/, "a subnet id ('subnet-' and hex digits)",
        'Copy the ids of existing subnets, or pass references such as subnet.id.'));
      if (new Set(subnetIds).size !== subnetIds.length) {
        throw new IsolationError(path, 'subnetIds', 'must not list a subnet twice', subnetIds, 'Give two or more different subnets in different zones.');
      }
    }

    const architecture = InstanceTypes.architectureOf(this.instanceType);
    const image = (props.machineImage ?? MachineImage.amazonLinux2023())
      .bind(this, { instanceArchitecture: architecture, instanceType: this.instanceType });
    this.osFamily = image.osFamily;

    const vpcId = props.vpcId ?? new DataAwsVpc(this, 'DefaultVpc', { default: true }).id;
    const subnets = subnetIds ?? new DataAwsSubnets(this, 'Subnets', {
      filter: [{ name: 'vpc-id', values: [vpcId] }, { name: 'default-for-az', values: ['true'] }],
    }).ids;
    const tags: { [key: string]: string } = { ...(props.tags ?? {}), Name: path };

    this.securityGroup = HostParts.securityGroup(this, vpcId, tags, false);
    const identity = HostParts.role(this, tags);
    this.role = identity.role;
    this.instanceProfile = identity.profile;
    this.rolePolicy = new HostRolePolicy(this, this.role);
    this.cloudConfig = HostParts.cloudConfig(this.osFamily, true, props.dockerDaemon, path);
    for (const statement of ContainerSetup.apply(this.cloudConfig, this.spec, this.osFamily)) this.rolePolicy.add(statement);

    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      description: `cdktf-isolation fleet ${path}`.slice(0, 255),
      imageId: image.imageId,
      instanceType: this.instanceType,
      updateDefaultVersion: true,
      ebsOptimized: 'true',
      iamInstanceProfile: { name: this.instanceProfile.name },
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [{
        deviceName: OsFamilies.traits(this.osFamily).rootDeviceName,
        ebs: { volumeType: 'gp3', volumeSize: rootSize, encrypted: 'true', deleteOnTermination: 'true' },
      }],
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'false', deleteOnTermination: 'true', securityGroups: [this.securityGroup.id] }],
      monitoring: { enabled: false },
      userData: Lazy.stringValue({ produce: () => this.userDataBase64() }),
      tagSpecifications: [{ resourceType: 'instance', tags }, { resourceType: 'volume', tags }],
      tags,
    });

    if (lbOptions) {
      const hc = this.targetHealthCheck!;
      const lbSg = new SecurityGroup(this, 'LoadBalancerSecurityGroup', { description: `cdktf-isolation load balancer ${path}`.slice(0, 255), vpcId, tags });
      const listenerPorts = lbOptions.certificateArn ? [80, 443] : [80];
      for (const cidr of lbOptions.allowedCidrs ?? ['0.0.0.0/0']) {
        const family = cidrFamily(cidr);
        for (const port of listenerPorts) {
          new VpcSecurityGroupIngressRule(this, `LoadBalancerIngress${port}-${cidr}`, {
            securityGroupId: lbSg.id,
            ipProtocol: 'tcp',
            fromPort: port,
            toPort: port,
            cidrIpv4: family === 'ipv4' ? cidr : undefined,
            cidrIpv6: family === 'ipv6' ? cidr : undefined,
            description: `clients on ${port}`,
          });
        }
      }
      new VpcSecurityGroupEgressRule(this, 'LoadBalancerToHosts', {
        securityGroupId: lbSg.id,
        ipProtocol: 'tcp',
        fromPort: hc.hostPort,
        toPort: hc.hostPort,
        referencedSecurityGroupId: this.securityGroup.id,
        description: `to the container port ${hc.hostPort} of the hosts`,
      });
      HostParts.addIngress(this, 'HostsFromLoadBalancer', this.securityGroup.id, {
        port: hc.hostPort, sourceSecurityGroupId: lbSg.id, description: `container ${this.spec.name} from the load balancer`,
      });
      this.loadBalancer = new Lb(this, 'LoadBalancer', {
        loadBalancerType: 'application',
        internal: lbOptions.internal ?? false,
        securityGroups: [lbSg.id],
        subnets,
        dropInvalidHeaderFields: true,
        tags,
      });
      this.targetGroup = new LbTargetGroup(this, 'TargetGroup', {
        port: hc.hostPort,
        protocol: 'HTTP',
        targetType: 'instance',
        vpcId,
        deregistrationDelay: '30',
        healthCheck: {
          enabled: true,
          path: hc.path,
          port: 'traffic-port',
          protocol: 'HTTP',
          matcher: '200-399',
          interval: hc.intervalSeconds,
          timeout: hc.timeoutSeconds,
          healthyThreshold: 2,
          unhealthyThreshold: hc.unhealthyThreshold,
        },
        tags,
      });
      if (lbOptions.certificateArn) {
        new LbListener(this, 'HttpsListener', {
          loadBalancerArn: this.loadBalancer.arn,
          port: 443,
          protocol: 'HTTPS',
          sslPolicy: TLS_POLICY,
          certificateArn: lbOptions.certificateArn,
          defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
          tags,
        });
        new LbListener(this, 'HttpListener', {
          loadBalancerArn: this.loadBalancer.arn,
          port: 80,
          protocol: 'HTTP',
          defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
          tags,
        });
      } else {
        new LbListener(this, 'HttpListener', {
          loadBalancerArn: this.loadBalancer.arn,
          port: 80,
          protocol: 'HTTP',
          defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
          tags,
        });
      }
    }

    this.resource = new AutoscalingGroup(this, 'Resource', {
      minSize: this.size.min,
      maxSize: this.size.max,
      desiredCapacity: this.size.desired,
      vpcZoneIdentifier: subnets,
      // Pinned to the version this apply creates, never $Latest: a change of
      // user data or image makes a new version, and that starts a refresh.
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      healthCheckType: lbOptions ? 'ELB' : 'EC2',
      healthCheckGracePeriod: grace,
      targetGroupArns: this.targetGroup ? [this.targetGroup.arn] : undefined,
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: minHealthy, autoRollback: true, instanceWarmup: String(grace) },
      },
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });

    new AutoscalingPolicy(this, 'CpuTracking', {
      name: `${this.spec.name}-cpu`,
      autoscalingGroupName: this.resource.name,
      policyType: 'TargetTrackingScaling',
      estimatedInstanceWarmup: grace,
      targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' }, targetValue: cpuTarget },
    });
    if (props.scaling?.requestsPerTarget !== undefined && this.loadBalancer && this.targetGroup) {
      new AutoscalingPolicy(this, 'RequestTracking', {
        name: `${this.spec.name}-requests`,
        autoscalingGroupName: this.resource.name,
        policyType: 'TargetTrackingScaling',
        estimatedInstanceWarmup: grace,
        targetTrackingConfiguration: {
          predefinedMetricSpecification: {
            predefinedMetricType: 'ALBRequestCountPerTarget',
            resourceLabel: `${this.loadBalancer.arnSuffix}/${this.targetGroup.arnSuffix}`,
          },
          targetValue: props.scaling.requestsPerTarget,
        },
      });
    }

    this.node.addValidation({
      validate: () => {
        try {
          this.userDataBase64();
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });
  }

  /** Adds a statement to the hosts' role policy. */
  public addToRolePolicy(statement: RolePolicyStatement): void {
    this.rolePolicy.add(statement);
  }

  /** The user data text (cloud-config). */
  public renderUserData(): string {
    return this.cloudConfig.render({ comment: `cdktf-isolation fleet ${this.node.path}` });
  }

  private userDataBase64(): string {
    // Rendered and encoded once per revision of the cloud-config (a Lazy asks more than once).
    const revision = this.cloudConfig.revision;
    if (this.encoded?.revision === revision) return this.encoded.value;
    const value = this.encodeText(this.renderUserData());
    this.encoded = { revision, value };
    return value;
  }

  private encodeText(text: string): string {
    const encoded = UserData.encode(text, this.node.path);
    if (Token.isUnresolved(text)) {
      if (encoded.compressed) {
        throw new IsolationError(this.node.path, 'userData', 'must not hold Terraform references when it needs compression', `${encoded.textBytes} bytes`,
          'Pass such values through SSM parameters.');
      }
      return Fn.base64encode(HostParts.escapeTerraformTemplate(text)!);
    }
    return encoded.compressed ? encoded.base64! : Buffer.from(text, 'utf8').toString('base64');
  }
}
