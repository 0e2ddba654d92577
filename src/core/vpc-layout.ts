import { Cidr, cidrContains, cidrsOverlap, cidrSubnet, parseCidr } from './cidr';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/** What a network's subnets are carved from. */
export interface VpcLayoutOptions {
  /** The VPC's IPv4 CIDR block. */
  readonly cidr: string;
  /** The number of availability zones (one private subnet in each, and one public subnet when `publicSubnets`). */
  readonly zones: number;
  /** Whether the network has public subnets (for NAT gateways or an internet-facing load balancer). */
  readonly publicSubnets: boolean;
  /**
   * The private subnets' blocks, one per zone, instead of the computed ones.
   * @default - carved from the VPC's block (VpcLayouts.plan)
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * The public subnets' blocks, one per zone, instead of the computed ones.
   * @default - carved from the VPC's block (VpcLayouts.plan)
   */
  readonly publicSubnetCidrs?: string[];
}

/** The blocks of a network: the VPC's and its subnets', in zone order. */
export interface VpcLayout {
  /** The VPC's block, canonical. */
  readonly cidr: string;
  /** The private subnets' blocks, one per zone. */
  readonly privateSubnetCidrs: string[];
  /** The public subnets' blocks, one per zone (empty without public subnets). */
  readonly publicSubnetCidrs: string[];
}

/** Docker's default bridge network, which every host's containers use. */
export const DOCKER_BRIDGE_CIDR = '172.17.0.0/16';

const DOCKER_BRIDGE = parseCidr(DOCKER_BRIDGE_CIDR)!;
/** AWS's largest VPC block and its smallest subnet. */
const LARGEST_VPC_PREFIX = 16;
const SMALLEST_SUBNET_PREFIX = 28;
/** Private subnet i is the i-th eighth of the VPC (zones 0 to 5; the seventh eighth is left for later tiers). */
const PRIVATE_NEW_BITS = 3;
/** Public subnet i is the i-th eighth of the VPC's last eighth. */
const PUBLIC_NEW_BITS = 6;
const PUBLIC_FIRST_NET = 56;

/**
 * The subnet plan of a HostNetwork, decided in pure code so that it is
 * deterministic and tested exactly. Each zone's subnets keep their blocks
 * when zones are added (a subnet whose block changes is replaced, with
 * everything in it):
 *
 * - private subnet of zone i: `cidrsubnet(vpc, 3, i)`, an eighth of the VPC
 *   (a /19 of a /16);
 * - public subnet of zone i: `cidrsubnet(vpc, 6, 56 + i)`, an eighth of the
 *   VPC's last eighth (a /22 of a /16), enough for NAT gateways and load
 *   balancer nodes;
 * - the seventh eighth (`cidrsubnet(vpc, 3, 6)`) is left free.
 *
 * For 10.0.0.0/16 in two zones: private 10.0.0.0/19 and 10.0.32.0/19,
 * public 10.0.224.0/22 and 10.0.228.0/22.
 */
export class VpcLayouts {
  /** The most availability zones a network spans (no region has more than six). */
  public static readonly MAX_ZONES = 6;

  /**
   * The blocks of a network; an error names the prop, the value and the fix.
   * @param path the construct path for errors
   */
  public static plan(path: string, options: VpcLayoutOptions): VpcLayout {
    const custom = options.privateSubnetCidrs !== undefined || options.publicSubnetCidrs !== undefined;
    const vpc = VpcLayouts.vpcCidr(path, options.cidr, custom);
    const zones = VpcLayouts.zoneCount(path, options.zones);
    if (!options.publicSubnets && options.publicSubnetCidrs !== undefined) {
      throw new IsolationError(path, 'publicSubnetCidrs', 'is only for a network with public subnets (NAT gateways, or publicSubnets: true)', options.publicSubnetCidrs,
        'Leave publicSubnetCidrs out, or give the network public subnets.');
    }
    const privates = options.privateSubnetCidrs === undefined
      ? Array.from({ length: zones }, (_, i) => cidrSubnet(vpc, PRIVATE_NEW_BITS, i)!)
      : given(path, 'privateSubnetCidrs', options.privateSubnetCidrs, zones, vpc);
    const publics = !options.publicSubnets ? [] : options.publicSubnetCidrs === undefined
      ? Array.from({ length: zones }, (_, i) => cidrSubnet(vpc, PUBLIC_NEW_BITS, PUBLIC_FIRST_NET + i)!)
      : given(path, 'publicSubnetCidrs', options.publicSubnetCidrs, zones, vpc);
    const all = [
      ...privates.map((c, i) => ({ cidr: c, prop: `privateSubnetCidrs[${i}]` })),
      ...publics.map((c, i) => ({ cidr: c, prop: `publicSubnetCidrs[${i}]` })),
    ];
    all.forEach((b, j) => {
      const other = all.slice(0, j).find((a) => cidrsOverlap(a.cidr, b.cidr));
      if (other) {
        throw new IsolationError(path, b.prop, `must not overlap ${other.prop} (${other.cidr.canonical})`, b.cidr.canonical,
          'Give each subnet a block of its own inside the VPC, or leave the subnet blocks out (the network carves them).');
      }
    });
    return { cidr: vpc.canonical, privateSubnetCidrs: privates.map((c) => c.canonical), publicSubnetCidrs: publics.map((c) => c.canonical) };
  }

  /** A validated zone count: 2 to 6. */
  public static zoneCount(path: string, value: unknown): number {
    Check.known(path, 'availabilityZoneCount', value, 'one subnet per zone is planned at synth');
    if (typeof value === 'number' && Number.isInteger(value) && value < 2) {
      throw new IsolationError(path, 'availabilityZoneCount', 'must be at least 2: a network in one availability zone goes down with the zone', value,
        'Use 2 (the default) or more zones, up to 6.');
    }
    return Check.integerInRange(path, 'availabilityZoneCount', value, 2, VpcLayouts.MAX_ZONES,
      `Use 2 (the default) to ${VpcLayouts.MAX_ZONES} zones (no region has more than ${VpcLayouts.MAX_ZONES}).`);
  }

  /** The VPC's block: IPv4, /16 to /22 (or to /28 with subnet blocks of your own), clear of Docker's bridge network. */
  private static vpcCidr(path: string, value: unknown, customSubnets: boolean): Cidr {
    // The subnet plan is computed from it at synth.
    const cidr = Check.cidr(path, 'cidr', Check.known(path, 'cidr', value, 'the subnet plan is computed from it at synth'))!;
    if (cidr.family !== 'ipv4') {
      throw new IsolationError(path, 'cidr', 'must be an IPv4 CIDR block (a VPC\'s primary block is IPv4)', value, "Use a private IPv4 block, e.g. '10.0.0.0/16'.");
    }
    if (cidr.prefix < LARGEST_VPC_PREFIX) {
      throw new IsolationError(path, 'cidr', `must be a /${LARGEST_VPC_PREFIX} or smaller block (AWS's largest VPC is a /${LARGEST_VPC_PREFIX})`, value,
        `Use a /${LARGEST_VPC_PREFIX} inside it, e.g. '${cidrSubnet(cidr, LARGEST_VPC_PREFIX - cidr.prefix, 0)!.canonical}'.`);
    }
    const smallest = customSubnets ? SMALLEST_SUBNET_PREFIX : SMALLEST_SUBNET_PREFIX - PUBLIC_NEW_BITS;
    if (cidr.prefix > smallest) {
      const problem = customSubnets
        ? `is too small for the subnets: AWS's smallest subnet is a /${SMALLEST_SUBNET_PREFIX}`
        : `is too small for the subnets: a /${cidr.prefix} gives /${cidr.prefix + PRIVATE_NEW_BITS} private and /${cidr.prefix + PUBLIC_NEW_BITS} public subnets, ` +
          `and AWS's smallest subnet is a /${SMALLEST_SUBNET_PREFIX}`;
      const larger = parseCidr(`${String(value).split('/')[0]}/${smallest}`)!.canonical;
      throw new IsolationError(path, 'cidr', problem, value,
        `Use a /${LARGEST_VPC_PREFIX} to /${smallest} block, e.g. '${larger}'` +
        (customSubnets ? '.' : ', or give the subnet blocks yourself (privateSubnetCidrs, publicSubnetCidrs).'));
    }
    if (cidrsOverlap(cidr, DOCKER_BRIDGE)) {
      throw new IsolationError(path, 'cidr',
        `must not overlap ${DOCKER_BRIDGE_CIDR}, Docker's bridge network on every host (the hosts would send traffic for those VPC addresses to their containers)`, value,
        "Choose another private block, e.g. '10.0.0.0/16' or '172.20.0.0/16'.");
    }
    return cidr;
  }

  private constructor() {}
}

/** Subnet blocks given by the user: one per zone, IPv4, inside the VPC, /28 or larger. */
function given(path: string, prop: string, value: unknown, zones: number, vpc: Cidr): Cidr[] {
  if (!Array.isArray(value) || value.length !== zones) {
    throw new IsolationError(path, prop, `must list one block per availability zone (${zones})`, value,
      `Give ${zones} blocks inside ${vpc.canonical}, in zone order, or leave ${prop} out.`);
  }
  return value.map((v, i) => {
    const cidr = Check.cidr(path, `${prop}[${i}]`, Check.known(path, `${prop}[${i}]`, v, 'the subnets are checked against the VPC and each other at synth'))!;
    if (!cidrContains(vpc, cidr)) {
      throw new IsolationError(path, `${prop}[${i}]`, `must lie inside the VPC's block ${vpc.canonical}`, v, `Give a block inside ${vpc.canonical}.`);
    }
    if (cidr.prefix > SMALLEST_SUBNET_PREFIX) {
      throw new IsolationError(path, `${prop}[${i}]`, `must be a /${SMALLEST_SUBNET_PREFIX} or larger block (AWS's smallest subnet)`, v,
        `Give a block of /${SMALLEST_SUBNET_PREFIX} or larger.`);
    }
    return cidr;
  });
}
