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
  /** How many of the host's containers hold a token, have checks for Terraform, or a size known only at apply (kept as they join and leave). */
  private readonly counts = { tokens: 0, deferred: 0, capacityUnknown: 0 };

  constructor(private readonly props: HostPreconditionsProps) {}

  /** Counts a container that joined the host (before `refresh`). */
  public joined(spec: ContainerSpec): void {
    this.count(spec, 1);
  }

  /** Counts a container that left the host (before `refresh`). */
  public left(spec: ContainerSpec): void {
    this.count(spec, -1);
  }

  public refresh(): void {
    const { host, resource, facts, userData, config, typeLookup, deferred, rollout } = this.props;
    const tokensInSpecs = this.counts.tokens > 0;
    // A Windows host's script can gain references after this (windowsUserData is filled later): its size precondition
    // is always there, and true for a script without references.
    const tokensInText = tokensInSpecs || config.holdsToken() || OsFamilies.isWindows(facts.osFamily);
    if (tokensInText) userData.useLocal(host);
    rollout?.refreshPreconditions(tokensInSpecs);
    // Nothing for Terraform to check now, nor after the last refresh (the usual host: every value known at synth):
    // the list would be empty again, so there is nothing to set (a join costs no list of checks).
    if (!this.has && !tokensInText && !typeLookup.lookedUp && deferred.length === 0 && this.counts.deferred === 0 &&
      this.counts.capacityUnknown === 0 && !capacityUnknown(facts.type, [])) return;
    const checks = [...deferred, ...facts.containers.flatMap((c) => c.spec._deferred), ...capacityChecks(facts)];
    const preconditions = [
      ...Preconditions.of(checks),
      ...typeLookup.preconditions(OsFamilies.traits(facts.osFamily).displayName),
      ...(tokensInText ? [userData.sizePrecondition()] : []),
    ];
    Preconditions.set(resource, preconditions);
    this.has = preconditions.length > 0;
  }

  private count(spec: ContainerSpec, by: 1 | -1): void {
    if (specHoldsToken(spec)) this.counts.tokens += by;
    if (spec._deferred.length > 0) this.counts.deferred += by;
    if (capacityUnknown(this.props.facts.type, [spec])) this.counts.capacityUnknown += by;
  }
}

/** Whether each spec holds a token (a spec does not change once made; a host asks whenever a container joins or leaves). */
const specHoldsToken = oncePerObject((spec: ContainerSpec) => holdsToken(spec));
