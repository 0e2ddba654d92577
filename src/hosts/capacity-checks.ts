import { Capacity } from '../core/capacity';
import { ContainerSpec } from '../core/container-spec';
import { InstanceTypeInfo } from '../core/instance-types';
import { DeferredCheck } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { isTokenValue } from '../terraform/tokens';

/*
 * The capacity checks of what runs containers (a VmHost and its
 * containers, a HostFleet's instance type and its container), by the one
 * capacity model of core/capacity.ts: at synth when every number is known,
 * else as checks Terraform runs at apply.
 */

/**
 * What the capacity checks read of what runs containers: a host, or the
 * instance type of a fleet (whose every instance runs the fleet's one
 * container). The one capacity model (core/capacity.ts) decides.
 */
export interface CapacitySubject {
  /** Its construct path. */
  readonly path: string;
  /** How an error names it, e.g. `host app/host` or `the instances of fleet app/web`. */
  readonly name: string;
  /** How a Terraform precondition's message names it, e.g. `the host`. */
  readonly shortName: string;
  readonly instanceType: string;
  readonly type: InstanceTypeInfo;
  /** The fix of a memory error at synth. */
  readonly memoryFix: string;
  /** The fix in the message of the memory precondition Terraform checks. */
  readonly deferredMemoryFix: string;
}

/** A container on a subject: its spec and construct path. */
export interface PlacedSpec {
  readonly spec: ContainerSpec;
  readonly path: string;
}

/**
 * `joining` beside `others` on `subject`, by the capacity model: a memory
 * limit or a CPU limit beyond what the instance type holds is the
 * library's error, naming the joining container. With a number known only
 * at apply, Terraform checks the sums instead (capacityChecksOf).
 */
export function checkFits(subject: CapacitySubject, others: readonly PlacedSpec[], joining: PlacedSpec): void {
  const { type, instanceType } = subject;
  const all = [...others, joining];
  if (capacityUnknown(type, all.map((c) => c.spec))) return;
  const { spec, path } = joining;
  const loads = all.map((c) => ({ memoryMiB: c.spec.memoryMiB, cpus: c.spec.cpus ?? 0, container: true }));
  for (const problem of Capacity.problems(type, loads)) {
    if (problem.kind === 'cpu-limit') {
      throw new IsolationError(path, 'cpus', `must not exceed the ${type.vcpus} vCPUs of ${subject.name} (${instanceType})`, spec.cpus,
        'Lower the limit or choose a larger instance type.');
    }
    if (problem.kind === 'memory') {
      const limits = all.reduce((sum, c) => sum + c.spec.memoryMiB, 0);
      const reserve = Capacity.reserveMiB(all.length);
      const list = all.map((c) => `${c.path} ${c.spec.memoryMiB} MiB`).join(', ');
      throw new IsolationError(path, 'memoryMiB',
        `must fit ${subject.name} (${instanceType}, ${type.memoryMiB} MiB): its containers' memory limits (${list}: ${limits} MiB) plus the reserve ` +
        `for the OS and Docker (${reserve} MiB) need ${limits + reserve} MiB`, spec.memoryMiB,
        subject.memoryFix);
    }
  }
}

/** True when the host's size or a container's limits are known only at apply. */
export function capacityUnknown(type: InstanceTypeInfo, specs: readonly ContainerSpec[]): boolean {
  if (isTokenValue(type.memoryMiB) || isTokenValue(type.vcpus)) return true;
  for (const s of specs) if (isTokenValue(s.memoryMiB) || isTokenValue(s.cpus ?? 0)) return true;
  return false;
}

/** capacityChecks of any subject (a host, a fleet's instance type). */
export function capacityChecksOf(subject: CapacitySubject, containers: readonly PlacedSpec[]): DeferredCheck[] {
  const specs = containers.map((c) => c.spec);
  if (specs.length === 0 || !capacityUnknown(subject.type, specs)) return [];
  const reserve = Capacity.reserveMiB(specs.length);
  const n = Tokens.numberText;
  const checks: DeferredCheck[] = [{
    path: subject.path,
    prop: 'containers',
    value: specs.map((s) => s.memoryMiB),
    problem: `must fit ${subject.shortName} (${subject.instanceType}, ${n(subject.type.memoryMiB)} MiB): the memory limits of its containers ` +
      `(${containers.map((c) => c.path).join(', ')}) plus the reserve for the OS and Docker (${reserve} MiB) must not exceed its memory`,
    fix: subject.deferredMemoryFix,
    condition: { kind: 'sum-at-most', values: specs.map((s) => s.memoryMiB), plus: reserve, limit: subject.type.memoryMiB },
  }];
  for (const { spec, path } of containers) {
    if (spec.cpus === undefined) continue;
    checks.push({
      path,
      prop: 'cpus',
      value: spec.cpus,
      problem: `must not exceed the ${n(subject.type.vcpus)} vCPUs of ${subject.name} (${subject.instanceType})`,
      fix: 'Lower the limit or choose a larger instance type.',
      condition: { kind: 'number-range', min: 0, max: subject.type.vcpus },
    });
  }
  return checks;
}
