import { Capacity, Workload } from '../core/capacity';
import { InstanceTypes } from '../core/instance-types';
import { OsFamily } from '../core/os-family';
import { IsolationError } from '../private/errors';

/** Where an app's default instance type is looked for, and the least it may be. */
export interface AppInstanceTypeOptions {
  /** The OS the instance runs (a Windows guest takes far more memory). @default - Linux */
  readonly osFamily?: OsFamily;
  /** The smallest type to give, even when a smaller one holds the load. @default - none */
  readonly atLeast?: string;
}

/**
 * The instance type an IsolatedApp gives its own VM or its fleet when the
 * app names none: the smallest t3 type (by memory, then vCPUs; no smaller
 * than `atLeast`) that holds `load` by the capacity model. No t3 type
 * holding it is the library's error on `prop`, the prop that names a type.
 * The app's sizes are known at synth (AppDecision.requireKnown).
 */
export function defaultT3Type(path: string, prop: string, load: Workload, options: AppInstanceTypeOptions = {}): string {
  const fit = Capacity.smallestFitting('t3', [load], options.osFamily);
  if (!fit) {
    throw new IsolationError(path, prop, `must be given: no t3 type holds ${load.memoryMiB} MiB and ${load.cpus} vCPU plus the OS`,
      { memoryMiB: load.memoryMiB, cpus: load.cpus }, "Choose a larger type, e.g. 'm6i.4xlarge' or 'r6i.2xlarge'.");
  }
  const floor = options.atLeast === undefined ? undefined : InstanceTypes.lookup(options.atLeast);
  return floor !== undefined && fit.memoryMiB < floor.memoryMiB ? floor.name : fit.name;
}
