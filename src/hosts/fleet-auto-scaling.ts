import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import type { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { FleetLoadBalancer } from './fleet-load-balancer';
import type { FleetSettings } from './fleet-settings';
import { escapeTerraformTemplates } from '../private/terraform-string';

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

/**
 * The Auto Scaling modules are loaded on first use, not with the library:
 * most stacks never build a fleet, and these modules cost tens of ms and
 * several MiB to load (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function autoScalingModules() {
  return {
    AutoscalingGroup: require('@cdktf/provider-aws/lib/autoscaling-group').AutoscalingGroup as typeof AutoscalingGroup,
    AutoscalingPolicy: require('@cdktf/provider-aws/lib/autoscaling-policy').AutoscalingPolicy as typeof AutoscalingPolicy,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** What a fleet's Auto Scaling group is made of. */
export interface FleetGroupProps {
  /** The instances' subnets. */
  readonly subnetIds: string[];
  /** The validated settings: sizes, grace period, refresh. */
  readonly settings: FleetSettings;
  readonly launchTemplate: LaunchTemplate;
  /** @default - none: EC2 health checks */
  readonly loadBalancer?: FleetLoadBalancer;
  /** Tags, raw (escaped here). */
  readonly tags: { [key: string]: string };
}

/** What a fleet's scaling policies track. */
export interface FleetPoliciesProps {
  /** The group the policies scale. */
  readonly group: AutoscalingGroup;
  /** The container's name: the policies are named after it. */
  readonly containerName: string;
  readonly settings: FleetSettings;
  /** @default - no request-count policy */
  readonly requestsPerTarget?: number;
  /** @default - none: no request-count policy */
  readonly loadBalancer?: FleetLoadBalancer;
}

/**
 * The Auto Scaling group of a HostFleet (construct `Resource` under the
 * fleet), pinned to the launch template version an apply creates, with a
 * rolling instance refresh; and its target-tracking policies (`CpuTracking`,
 * `RequestTracking`).
 */
export class FleetAutoScaling {
  public static group(scope: Construct, props: FleetGroupProps): AutoscalingGroup {
    const { AutoscalingGroup } = autoScalingModules();
    const { settings, launchTemplate, loadBalancer } = props;
    const tags = escapeTerraformTemplates(props.tags);
    return new AutoscalingGroup(scope, 'Resource', {
      minSize: settings.size.min,
      maxSize: settings.size.max,
      desiredCapacity: settings.size.desired,
      vpcZoneIdentifier: props.subnetIds,
      // Pinned to the version this apply creates, never $Latest: a change of
      // user data or image makes a new version, and that starts a refresh.
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      healthCheckType: loadBalancer ? 'ELB' : 'EC2',
      healthCheckGracePeriod: settings.gracePeriodSeconds,
      targetGroupArns: loadBalancer ? [loadBalancer.targetGroup.arn] : undefined,
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: settings.minHealthyPercentage, autoRollback: true, instanceWarmup: String(settings.gracePeriodSeconds) },
      },
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });
  }

  public static policies(scope: Construct, props: FleetPoliciesProps): { cpu: AutoscalingPolicy; requests?: AutoscalingPolicy } {
    const { AutoscalingPolicy } = autoScalingModules();
    const { settings, group, loadBalancer, requestsPerTarget } = props;
    const cpu = new AutoscalingPolicy(scope, 'CpuTracking', {
      name: `${props.containerName}-cpu`,
      autoscalingGroupName: group.name,
      policyType: 'TargetTrackingScaling',
      estimatedInstanceWarmup: settings.gracePeriodSeconds,
      targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' }, targetValue: settings.cpuTargetPercent },
    });
    if (requestsPerTarget === undefined || !loadBalancer) return { cpu };
    const requests = new AutoscalingPolicy(scope, 'RequestTracking', {
      name: `${props.containerName}-requests`,
      autoscalingGroupName: group.name,
      policyType: 'TargetTrackingScaling',
      estimatedInstanceWarmup: settings.gracePeriodSeconds,
      targetTrackingConfiguration: {
        predefinedMetricSpecification: {
          predefinedMetricType: 'ALBRequestCountPerTarget',
          resourceLabel: `${loadBalancer.resource.arnSuffix}/${loadBalancer.targetGroup.arnSuffix}`,
        },
        targetValue: requestsPerTarget,
      },
    });
    return { cpu, requests };
  }

  private constructor() {}
}
