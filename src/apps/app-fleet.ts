import { Construct } from 'constructs';
import { defaultT3Type } from './app-instance-type';
import type { IsolatedAppProps } from './isolated-app';
import { InstanceTypes, InstanceTypeSize } from '../core/instance-types';
import { LibraryTags } from '../core/tags';
import { FleetScalingOptions } from '../hosts/fleet-auto-scaling';
import { FleetLoadBalancerOptions } from '../hosts/fleet-load-balancer';
import { HostFleet } from '../hosts/host-fleet';
import { InstanceSettings } from '../hosts/instance-settings';
import { IMachineImage } from '../hosts/machine-image';
import { NetworkLookup } from '../hosts/network-lookup';
import { collectDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';

/** Options for a fleet, when a container app runs replicated. */
export interface AppFleetOptions {
  /**
   * Instance type of the fleet.
   * @default - 't3.small', or the smallest larger t3 type that holds the
   * container by the library's capacity model (its memory limit and CPUs
   * plus the reserve for the OS and Docker)
   */
  readonly instanceType?: string;
  /**
   * The size of an instance type the catalog does not list yet (see VmHostProps.instanceTypeSize).
   * @default - the type must be in the catalog
   */
  readonly instanceTypeSize?: InstanceTypeSize;
  /**
   * Machine image.
   * @default - Amazon Linux 2023
   */
  readonly machineImage?: IMachineImage;
  /**
   * Subnets (two zones at least).
   * @default - the default VPC's default subnets
   */
  readonly subnetIds?: string[];
  /**
   * VPC.
   * @default - the default VPC
   */
  readonly vpcId?: string;
  /**
   * A load balancer in front of the replicas.
   * @default - none
   */
  readonly loadBalancer?: FleetLoadBalancerOptions;
  /**
   * Scaling.
   * @default - CPU at 60 %
   */
  readonly scaling?: FleetScalingOptions;
}

/** A container app's replica counts. */
interface AppReplicas {
  /** True when any of replicas, minReplicas and maxReplicas was given. */
  readonly replicated: boolean;
  readonly replicas: number;
  readonly min: number;
  readonly max: number;
}

/** The fleet of a replicated container app: its replica counts and the HostFleet (construct `Fleet` under the app). */
export class AppFleet {
  /**
   * The HostFleet of a container app that runs replicated (more than one
   * replica, or up to more than one), else undefined: the app goes on its pool.
   * @param name the app's name (its tag on the fleet)
   * @param size the container's memory limit and CPUs (the default instance type holds them)
   */
  public static create(scope: Construct, props: IsolatedAppProps, name: string, size: { memoryMiB: number; cpus: number }): HostFleet | undefined {
    const path = scope.node.path;
    const { replicated, replicas, min, max } = AppFleet.replicas(path, props);
    if (!(replicated && (replicas > 1 || max > 1))) return undefined;
    const fleet = Check.props(path, props.fleet, "{ instanceType: 't3.small' }", true);
    // Checked here under the names the user wrote; the fleet checks them again and hands what is known only at apply to Terraform.
    collectDeferred(() => {
      if (fleet.instanceType !== undefined && !Tokens.isUnresolved(fleet.instanceType)) {
        InstanceTypes.resolve(path, 'fleet.instanceType', fleet.instanceType, fleet.instanceTypeSize, 'fleet.instanceTypeSize');
      }
      if (fleet.vpcId !== undefined) NetworkLookup.vpcId(path, 'fleet.vpcId', fleet.vpcId);
      if (!Tokens.isListToken(fleet.subnetIds)) (fleet.subnetIds ?? []).forEach((subnet, i) => NetworkLookup.subnetId(path, `fleet.subnetIds[${i}]`, subnet));
    });
    return new HostFleet(scope, 'Fleet', {
      container: props.container!,
      minCapacity: min,
      maxCapacity: max,
      desiredCapacity: props.replicas !== undefined ? replicas : undefined,
      instanceType: props.fleet?.instanceType ?? defaultT3Type(path, 'fleet.instanceType', { ...size, container: true }, { atLeast: InstanceSettings.DEFAULT_INSTANCE_TYPE }),
      instanceTypeSize: props.fleet?.instanceTypeSize,
      machineImage: props.fleet?.machineImage,
      network: props.network,
      subnetIds: props.fleet?.subnetIds,
      vpcId: props.fleet?.vpcId,
      loadBalancer: props.fleet?.loadBalancer,
      scaling: props.fleet?.scaling,
      tags: { [LibraryTags.APP]: name },
    });
  }

  /** The replica counts, checked here under the names the user wrote (HostFleet's would say minCapacity and maxCapacity). */
  private static replicas(path: string, props: IsolatedAppProps): AppReplicas {
    const replicated = props.replicas !== undefined || props.minReplicas !== undefined || props.maxReplicas !== undefined;
    const replicas = Check.integerInRange(path, 'replicas', props.replicas ?? 1, 1, 1000);
    const min = Check.integerInRange(path, 'minReplicas', props.minReplicas ?? props.replicas ?? 1, 0, 1000);
    const max = Check.integerInRange(path, 'maxReplicas', props.maxReplicas ?? Math.max(props.replicas ?? 1, min), 1, 1000);
    if (min > max) {
      throw new IsolationError(path, 'minReplicas', `must not exceed maxReplicas (${max})`, min, 'Lower minReplicas or raise maxReplicas.');
    }
    if (props.replicas !== undefined && (replicas < min || replicas > max)) {
      throw new IsolationError(path, 'replicas', `must lie between minReplicas (${min}) and maxReplicas (${max})`, replicas,
        'Choose a replica count inside the range, or leave replicas out (the fleet starts with minReplicas).');
    }
    return { replicated, replicas, min, max };
  }

  private constructor() {}
}
