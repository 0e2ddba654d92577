import type { IConstruct, IValidation } from 'constructs';
import { capacityChecksOf, CapacitySubject, checkFits, PlacedSpec } from './capacity-checks';
import { ContainerSpec } from '../core/container-spec';
import { InstanceTypeInfo } from '../core/instance-types';
import { OsFamilies, OsFamily } from '../core/os-family';
import type { CloudConfig } from '../core/render/cloud-config';
import { DeferredCheck } from '../private/deferred';
import { describeValue, IsolationError } from '../private/errors';
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

/** The capacity subject of a host. */
export function hostSubject(facts: HostFacts): CapacitySubject {
  return {
    path: facts.hostPath,
    name: `host ${facts.hostPath}`,
    shortName: 'the host',
    instanceType: facts.instanceType,
    type: facts.type,
    memoryFix: 'Choose an instance type with more memory, lower the limits, or put the container on another host.',
    deferredMemoryFix: 'Choose an instance type with more memory, lower the limits, or put a container on another host.',
  };
}

/** The containers of a host as placed specs. */
function placedOn(facts: HostFacts): PlacedSpec[] {
  return facts.containers.map((c) => ({ spec: c.spec, path: c.owner.node.path }));
}

/** A container that does not fit beside the others is an error where it is declared. */
export function checkCapacity(facts: HostFacts, spec: ContainerSpec, path: string): void {
  checkFits(hostSubject(facts), placedOn(facts), { spec, path });
}

/**
 * The capacity checks Terraform runs when a number is known only at apply:
 * the containers' memory limits and the reserve fit the type's memory,
 * and no container asks for more CPUs than the type has.
 */
export function capacityChecks(facts: HostFacts): DeferredCheck[] {
  return capacityChecksOf(hostSubject(facts), placedOn(facts));
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
