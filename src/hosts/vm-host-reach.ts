import type { Construct } from 'constructs';
import type { IHostNetwork } from './host-network';
import { DEFAULT_VPC_REACH, NetworkUse, OWN_VPC_REACH } from './network-use';
import type { HostFacts } from './vm-host-checks';
import { ContainerSpec } from '../core/container-spec';
import { HostEgress, HostNeed, HostReach, NetworkEgress } from '../core/egress';
import { OsFamilies } from '../core/os-family';
import type { CloudConfig } from '../core/render/cloud-config';

/** What HostNetworkNeeds reads of its host. */
export interface HostNetworkNeedsProps {
  readonly network?: IHostNetwork;
  /** How the host gets out of its network (none for a VPC of the user's own). */
  readonly egress?: NetworkEgress;
  readonly inDefaultVpc: boolean;
  /** The host's OS, Docker and live container list. */
  readonly facts: HostFacts;
  /** The host's cloud-config (packages a native setup adds). */
  readonly cloudConfig: CloudConfig;
}

/**
 * What a VmHost needs from outside its network (OS packages, its
 * containers' images, Systems Manager) and how its network reaches each
 * (HostEgress): a need the network cannot reach is an error where it is
 * declared (a warning in a network without a way out).
 */
export class HostNetworkNeeds {
  constructor(private readonly host: Construct, private readonly props: HostNetworkNeedsProps) {}

  /**
   * Checks what the host itself needs (its packages, Systems Manager) now,
   * and packages added later (a native setup) when the tree is complete;
   * its containers' images are checked as they join (`checkImage`).
   */
  public checkHost(path: string): void {
    this.check(path, this.reach().filter((r) => r.need !== HostNeed.IMAGE));
    const installsAtFirst = this.installsPackages();
    this.host.node.addValidation({
      validate: () => {
        if (installsAtFirst || !this.installsPackages()) return [];
        try {
          this.check(path, this.reach().filter((r) => r.need === HostNeed.PACKAGES));
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });
  }

  /** Checks that the network reaches a joining container's image (`path`: the container's). */
  public checkImage(path: string, spec: ContainerSpec): void {
    if (this.props.egress === undefined) return;
    const reach = HostEgress.reach(this.props.egress, { osFamily: this.props.facts.osFamily, images: [spec.imageSource], installsPackages: false });
    this.check(path, reach.filter((r) => r.need === HostNeed.IMAGE));
  }

  /** One line for the report (VmHost.networkReach). */
  public describe(): string {
    if (this.props.egress === undefined) return this.props.inDefaultVpc ? DEFAULT_VPC_REACH : OWN_VPC_REACH;
    return HostEgress.describe(this.props.egress, this.egressOptions());
  }

  /** What the host and its containers need from outside the network, and how the network reaches each. */
  public reach(): HostReach[] {
    if (this.props.egress === undefined) return [];
    return HostEgress.reach(this.props.egress, this.egressOptions());
  }

  private egressOptions() {
    const { osFamily, containers } = this.props.facts;
    return { osFamily, images: containers.map((c) => c.spec.imageSource), installsPackages: this.installsPackages() };
  }

  /** Whether first boot installs OS packages (Docker, or those of the cloud-config: a native setup's). */
  private installsPackages(): boolean {
    // Windows Server features come from the image's component store.
    if (OsFamilies.isWindows(this.props.facts.osFamily)) return false;
    return this.props.facts.dockerInstalled || this.props.cloudConfig.listPackages().length > 0;
  }

  private check(path: string, reach: HostReach[]): void {
    const network = this.props.network;
    if (network) NetworkUse.requireReach(this.host, path, network, reach, OsFamilies.traits(this.props.facts.osFamily).displayName);
  }
}
