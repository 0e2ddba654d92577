import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { capacityUnknown } from './capacity-checks';
import type { ContainerRollout } from './container-rollout';
import type { ResolvedInstanceType } from './instance-type-lookup';
import type { HostUserData } from './user-data';
import { capacityChecks, HostFacts } from './vm-host-checks';
import type { HostCloudConfig } from './vm-host-config';
import { ContainerSpec } from '../core/container-spec';
import { OsFamilies } from '../core/os-family';
import { DeferredCheck } from '../private/deferred';
import { oncePerObject } from '../private/memo';
import { holdsToken } from '../private/tokens';
import { Preconditions } from '../terraform/preconditions';

/** What HostPreconditions reads of its host. */
export interface HostPreconditionsProps {
  /** The host (where the user data's local goes). */
  readonly host: Construct;
  /** The instance that carries the preconditions. */
  readonly resource: TerraformResource;
  readonly facts: HostFacts;
  readonly userData: HostUserData;
  readonly config: HostCloudConfig;
  readonly typeLookup: ResolvedInstanceType;
  /** The checks of the host's own token props. */
  readonly deferred: readonly DeferredCheck[];
  readonly rollout?: ContainerRollout;
}

/**
 * A VmHost instance's preconditions: the checks of the host's and its
 * containers' values known at apply, the capacity sums Terraform must add
 * up, the looked-up instance type's architecture, and the size of user
 * data that holds such values. `refresh()` sets them again whenever a
 * container joins or leaves.
 */
export class HostPreconditions {
  /** True when the last refresh gave the instance preconditions of the library's. */
  private has = false;

  constructor(private readonly props: HostPreconditionsProps) {}

  public refresh(): void {
    const { host, resource, facts, userData, config, typeLookup, deferred, rollout } = this.props;
    const tokensInSpecs = facts.containers.some((c) => specHoldsToken(c.spec));
    // A Windows host's script can gain references after this (windowsUserData is filled later): its size precondition
    // is always there, and true for a script without references.
    const tokensInText = tokensInSpecs || config.holdsToken() || OsFamilies.isWindows(facts.osFamily);
    if (tokensInText) userData.useLocal(host);
    rollout?.refreshPreconditions(tokensInSpecs);
    // Nothing for Terraform to check now, nor after the last refresh (the usual host: every value known at synth):
    // the list would be empty again, so there is nothing to set (a join costs no list of checks).
    if (!this.has && !tokensInText && !typeLookup.lookedUp && deferred.length === 0 &&
      facts.containers.every((c) => c.spec._deferred.length === 0) && !capacityUnknown(facts.type, facts.containers.map((c) => c.spec))) return;
    const checks = [...deferred, ...facts.containers.flatMap((c) => c.spec._deferred), ...capacityChecks(facts)];
    const preconditions = [
      ...Preconditions.of(checks),
      ...typeLookup.preconditions(OsFamilies.traits(facts.osFamily).displayName),
      ...(tokensInText ? [userData.sizePrecondition()] : []),
    ];
    Preconditions.set(resource, preconditions);
    this.has = preconditions.length > 0;
  }
}

/** Whether each spec holds a token (a spec does not change once made; a host asks whenever a container joins or leaves). */
const specHoldsToken = oncePerObject((spec: ContainerSpec) => holdsToken(spec));
