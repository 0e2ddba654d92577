import { Annotations } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { IHostNetwork } from './host-network';
import { HostNeed, HostReach, NetworkEgress } from '../core/egress';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/** The reach line of a host in a VPC of the user's own, given by ids (no `network`). */
export const OWN_VPC_REACH = 'a VPC of your own (vpcId/subnetId): the library cannot see its routes';
/** The reach line of a host given no network at all (the account's default VPC). */
export const DEFAULT_VPC_REACH = "the account's default VPC (no network given): no NAT gateway and no VPC endpoints, so packages, images and Systems Manager are unreachable";

/** How hosts (VmHost, HostFleet) take a network: its shape, its security group rules, what it cannot reach. */
export class NetworkUse {
  /** A network as a host takes it: an IHostNetwork, whose way out is known at synth. */
  public static check(path: string, network: unknown): IHostNetwork {
    const n = network as IHostNetwork;
    if (n === null || typeof n !== 'object' || typeof n.hostSubnetId !== 'function' || typeof n.admitHost !== 'function' || n.vpcId === undefined) {
      throw new IsolationError(path, 'network', 'must be a network (IHostNetwork)', network,
        "Pass new HostNetwork(scope, 'network', { egress: NetworkEgress.NAT_GATEWAY }), HostNetwork.fromExisting(...) or HostNetwork.defaultVpc(...).");
    }
    Check.known(path, 'network.egress', n.egress, 'it decides at synth what the hosts can reach');
    return n;
  }

  /** A prop the network gives, which must then be left out (`vpcId`, `subnetIds`). */
  public static refuseBeside(path: string, prop: string, value: unknown, fix: string): void {
    if (value === undefined) return;
    throw new IsolationError(path, prop, `must be left out with a network (the network gives the ${prop === 'vpcId' ? 'VPC' : 'subnets'})`, value, fix);
  }

  /** The warning of hosts that land in the default VPC because nothing else was given. */
  public static warnDefaultVpc(scope: IConstruct, what: string): void {
    Annotations.of(scope).addWarning(`${scope.node.path}: no network was given, so ${what} into the account's default VPC, where it has no way out: it gets no public IP, ` +
      'and the default VPC has no NAT gateway and no VPC endpoints, so deployed it cannot install packages, pull images or reach Systems Manager. ' +
      "Give it a network: new HostNetwork(scope, 'network', { egress: NetworkEgress.NAT_GATEWAY }), HostNetwork.fromExisting(...), " +
      "or HostNetwork.defaultVpc(scope, 'network') to say that the default VPC is meant.");
  }

  /**
   * What the network cannot reach: an error where it is declared (`path`)
   * in a network with a way out that does not serve it; a warning on
   * `scope` in a network the user says has no way out (NetworkEgress.NONE).
   * @param osName the OS's display name (the value of a packages error)
   */
  public static requireReach(scope: IConstruct, path: string, network: IHostNetwork, reach: HostReach[], osName: string): void {
    for (const r of reach) {
      if (r.problem === undefined) continue;
      if (network.egress === NetworkEgress.NONE) {
        Annotations.of(scope).addWarning(`${path}: ${r.problem}.`);
        continue;
      }
      const [prop, value] = r.need === HostNeed.IMAGE ? ['image', r.what.replace(/^image /, '')]
        : r.need === HostNeed.PACKAGES ? ['machineImage', osName] : ['network', network.egress];
      throw new IsolationError(path, prop, `cannot work in network ${Construct.isConstruct(network) ? network.node.path : 'of the host'} ` +
        `(NetworkEgress.${egressName(network.egress)}): it ${r.reason}`, value, `${r.fix!.charAt(0).toUpperCase()}${r.fix!.slice(1)}.`);
    }
  }

  private constructor() {}
}

function egressName(egress: NetworkEgress): string {
  return Object.entries(NetworkEgress).find(([, v]) => v === egress)?.[0] ?? String(egress);
}
