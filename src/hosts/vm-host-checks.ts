import type { IConstruct, IValidation } from 'constructs';
import { Capacity } from '../core/capacity';
import { ContainerSpec } from '../core/container-spec';
import { InstanceTypeInfo } from '../core/instance-types';
import { OsFamilies, OsFamily } from '../core/os-family';
import type { CloudConfig } from '../core/render/cloud-config';
import { DeferredCheck } from '../private/deferred';
import { describeValue, IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { isTokenValue } from '../terraform/tokens';

/*
 * What a VmHost checks when a container joins or leaves it: that the host
 * runs Linux containers, unique names, capacity (known now, or as sums
 * Terraform adds up at apply), published ports, and that a container with
 * a data volume stays. Functions of what the host is (HostFacts), so
 * vm-host.ts keeps the construct.
 */

/** A container registered on a host: its validated spec and the construct it belongs to. */
export interface HostedContainer {
  readonly spec: ContainerSpec;
  readonly owner: IConstruct;
}

/** What the checks of a host's containers read of it (VmHost keeps one, with its live container list). */
export interface HostFacts {
  /** The host's construct path. */
  readonly hostPath: string;
  readonly osFamily: OsFamily;
  readonly instanceType: string;
  readonly type: InstanceTypeInfo;
  /** Whether the host runs Docker. */
  readonly dockerInstalled: boolean;
  /** True when the host's subnet is given (network or subnetId), not looked up. */
  readonly subnetFixed: boolean;
  /** The containers on the host, in the order they joined it. */
  readonly containers: readonly HostedContainer[];
}

/** Only a Linux host with Docker runs the library's containers; a name is unique on its host. */
export function checkJoin(facts: HostFacts, path: string): void {
  const host = facts.hostPath;
  if (OsFamilies.isWindows(facts.osFamily)) {
    throw new IsolationError(path, 'host', `must be a Linux host, but host ${host} runs ${OsFamilies.traits(facts.osFamily).displayName}: ` +
      'the library\'s containers are Linux containers, which share the host\'s Linux kernel (namespaces, cgroups, seccomp)', host,
    'Place the container on a Linux host (MachineImage.amazonLinux2023(), the default), or run the Windows app natively on its host ' +
      '(IsolatedApp with requirements.operatingSystem WINDOWS and a native setup, or host.windowsUserData).');
  }
  if (!facts.dockerInstalled) {
    throw new IsolationError(path, 'host', `must run Docker, but host ${host} was created with installDocker: false`, host,
      'Place the container on a host with Docker (the default).');
  }
}

/** A Windows host's cloud-config stays empty (checked when the tree is complete). */
export function emptyCloudConfig(path: string, config: CloudConfig): IValidation {
  return {
    validate: () => (config.revision === 0 ? [] : [new IsolationError(path, 'cloudConfig', 'must stay empty on a Windows Server host: EC2Launch v2 runs PowerShell, not cloud-config',
      describeValue(config.toObject()), 'Add features, files, environment or the service to host.windowsUserData instead.').message]),
  };
}

/** A container's name is unique on its host (checked once its spec is final). */
export function checkName(facts: HostFacts, spec: ContainerSpec, path: string): void {
  const other = facts.containers.find((c) => c.spec.name === spec.name);
  if (other) {
    throw new IsolationError(path, 'name', `must be unique on host ${facts.hostPath} (container ${other.owner.node.path} already has it)`, spec.name,
      'Give each container on a host its own name.');
  }
}

/** A container that mounts a data volume cannot leave its host (a pool moving it). */
export function checkLeave(facts: HostFacts, container: HostedContainer): void {
  const data = container.spec.volumes.find((v) => v.dataVolume !== undefined);
  if (!data) return;
  // A data volume is in one zone, attached to one host: the container cannot leave it.
  throw new IsolationError(container.owner.node.path, 'volumes', `must stay on host ${facts.hostPath}, whose data volume '${data.dataVolume}' it mounts ` +
    '(the volume cannot follow it to another host or zone without a snapshot)', data.dataVolume,
  'Keep the app where it is (the pool\'s placement lock does), or move its data yourself: snapshot the volume and restore it beside the new host.');
}

/** A container that does not fit beside the others is an error where it is declared. */
export function checkCapacity(facts: HostFacts, spec: ContainerSpec, path: string): void {
  const host = facts.hostPath;
  const type = facts.type;
  // With a number known only at apply, Terraform checks the sums (capacityChecks).
  if (capacityUnknown(facts.type, [...facts.containers.map((c) => c.spec), spec])) return;
  const loads = [...facts.containers.map((c) => c.spec), spec].map((s) => ({ memoryMiB: s.memoryMiB, cpus: s.cpus ?? 0, container: true }));
  for (const problem of Capacity.problems(type, loads)) {
    if (problem.kind === 'cpu-limit') {
      throw new IsolationError(path, 'cpus', `must not exceed the ${type.vcpus} vCPUs of host ${host} (${facts.instanceType})`, spec.cpus,
        'Lower the limit or choose a larger instance type.');
    }
    if (problem.kind === 'memory') {
      const all = [...facts.containers, { spec, owner: undefined }];
      const limits = all.reduce((sum, c) => sum + c.spec.memoryMiB, 0);
      const reserve = Capacity.reserveMiB(all.length);
      const list = all.map((c) => `${c.owner ? c.owner.node.path : path} ${c.spec.memoryMiB} MiB`).join(', ');
      throw new IsolationError(path, 'memoryMiB',
        `must fit host ${host} (${facts.instanceType}, ${type.memoryMiB} MiB): its containers' memory limits (${list}: ${limits} MiB) plus the reserve ` +
        `for the OS and Docker (${reserve} MiB) need ${limits + reserve} MiB`, spec.memoryMiB,
        'Choose an instance type with more memory, lower the limits, or put the container on another host.');
    }
  }
}

/** True when the host's size or a container's limits are known only at apply. */
export function capacityUnknown(type: InstanceTypeInfo, specs: readonly ContainerSpec[]): boolean {
  if (isTokenValue(type.memoryMiB) || isTokenValue(type.vcpus)) return true;
  for (const s of specs) if (isTokenValue(s.memoryMiB) || isTokenValue(s.cpus ?? 0)) return true;
  return false;
}

/**
 * The capacity checks Terraform runs when a number is known only at apply:
 * the containers' memory limits and the reserve fit the type's memory,
 * and no container asks for more CPUs than the type has.
 */
export function capacityChecks(facts: HostFacts): DeferredCheck[] {
  const specs = facts.containers.map((c) => c.spec);
  if (specs.length === 0 || !capacityUnknown(facts.type, specs)) return [];
  const host = facts.hostPath;
  const reserve = Capacity.reserveMiB(specs.length);
  const n = Tokens.numberText;
  const checks: DeferredCheck[] = [{
    path: host,
    prop: 'containers',
    value: specs.map((s) => s.memoryMiB),
    problem: `must fit the host (${facts.instanceType}, ${n(facts.type.memoryMiB)} MiB): the memory limits of its containers ` +
      `(${facts.containers.map((c) => c.owner.node.path).join(', ')}) plus the reserve for the OS and Docker (${reserve} MiB) must not exceed its memory`,
    fix: 'Choose an instance type with more memory, lower the limits, or put a container on another host.',
    condition: { kind: 'sum-at-most', values: specs.map((s) => s.memoryMiB), plus: reserve, limit: facts.type.memoryMiB },
  }];
  for (const { spec, owner } of facts.containers) {
    if (spec.cpus === undefined) continue;
    checks.push({
      path: owner.node.path,
      prop: 'cpus',
      value: spec.cpus,
      problem: `must not exceed the ${n(facts.type.vcpus)} vCPUs of host ${host} (${facts.instanceType})`,
      fix: 'Lower the limit or choose a larger instance type.',
      condition: { kind: 'number-range', min: 0, max: facts.type.vcpus },
    });
  }
  return checks;
}

/** A port published twice on overlapping addresses of one host is an error where the second is declared. */
export function checkPorts(host: HostFacts, spec: ContainerSpec, path: string): void {
  spec.ports.forEach((p, i) => {
    for (const { spec: other, owner } of host.containers) {
      // A port known only at apply is checked by Terraform, per container (ContainerSpec); across containers, not.
      if (isTokenValue(p.hostPort) || isTokenValue(p.hostIp)) continue;
      const known = other.ports.filter((b) => !isTokenValue(b.hostPort) && !isTokenValue(b.hostIp));
      const clash = known.find((b) => b.hostPort === p.hostPort && b.protocol === p.protocol &&
        (b.hostIp === p.hostIp || isWildcard(b.hostIp) || isWildcard(p.hostIp)));
      if (clash) {
        throw new IsolationError(path, `ports[${i}].hostPort`,
          `must not reuse ${p.protocol} port ${p.hostPort} on host ${host.hostPath}, which container ${owner.node.path} already publishes (${clash.hostIp}:${clash.hostPort})`,
          `${p.hostIp}:${p.hostPort}`, 'Choose another host port for one of them.');
      }
    }
  });
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
