import { Construct } from 'constructs';
import { capacityChecksOf, CapacitySubject, checkFits } from './capacity-checks';
import type { HostFleetProps } from './host-fleet';
import { InstanceSettings } from './instance-settings';
import { InstanceTypeLookup, ResolvedInstanceType } from './instance-type-lookup';
import { NetworkLookup } from './network-lookup';
import { ContainerSpec } from '../core/container-spec';
import { FleetRules, FleetSize, HttpTargetHealthCheck } from '../core/fleet';
import { Architecture } from '../core/os-family';
import { deferCheck } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';

/** The validated settings of a fleet. */
export interface FleetSettings {
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

/** Validates the props of a fleet (the container is validated by its spec). */
export function validateFleet(scope: Construct, props: HostFleetProps, spec: ContainerSpec): FleetSettings {
  const path = scope.node.path;
  const size = FleetRules.size(path, props.minCapacity ?? 2, props.maxCapacity ?? 4, props.desiredCapacity);
  const type = InstanceTypeLookup.resolve(scope, props.instanceType ?? InstanceSettings.DEFAULT_INSTANCE_TYPE, props.instanceTypeSize,
    props.machineImage?.architecture);
  const instanceType = type.info.name;
  // Every instance runs the container: it must fit the instance type by the capacity model (Terraform checks a size known only at apply).
  const subject: CapacitySubject = {
    path,
    name: `the instances of fleet ${path}`,
    shortName: 'the instances',
    instanceType,
    type: type.info,
    memoryFix: 'Choose an instance type with more memory (instanceType), or lower the limit.',
    deferredMemoryFix: 'Choose an instance type with more memory (instanceType), or lower the limit.',
  };
  const container = { spec, path: `${path}/container` };
  checkFits(subject, [], container);
  for (const check of capacityChecksOf(subject, [container])) deferCheck(check);
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
