import { cidrContains, cidrsOverlap, cidrSubnet, parseCidr } from '../../src/core/cidr';
import { VpcLayouts } from '../../src/core/vpc-layout';
import { IsolationError } from '../../src/private/errors';
import { errorOf } from '../helpers/synth';

const cidr = (text: string) => parseCidr(text)!;

describe('cidrSubnet: Terraform\'s cidrsubnet() in pure code', () => {
  test.each([
    ['10.0.0.0/16', 3, 0, '10.0.0.0/19'],
    ['10.0.0.0/16', 3, 1, '10.0.32.0/19'],
    ['10.0.0.0/16', 3, 5, '10.0.160.0/19'],
    ['10.0.0.0/16', 6, 56, '10.0.224.0/22'],
    ['10.0.0.0/16', 6, 61, '10.0.244.0/22'],
    ['192.168.4.0/22', 3, 2, '192.168.5.0/25'],
    ['192.168.4.0/22', 6, 57, '192.168.7.144/28'],
    ['10.0.0.0/16', 0, 0, '10.0.0.0/16'],
    ['2001:db8::/56', 8, 255, '2001:db8:0:ff::/64'],
  ])('cidrsubnet(%s, %i, %i) = %s', (parent, newBits, netNum, expected) => {
    expect(cidrSubnet(cidr(parent), newBits, netNum)?.canonical).toBe(expected);
  });

  test.each([
    ['a number that does not fit in the new bits', '10.0.0.0/16', 3, 8],
    ['a prefix beyond 32', '10.0.0.0/30', 3, 0],
    ['negative new bits', '10.0.0.0/16', -1, 0],
    ['a fractional number', '10.0.0.0/16', 3, 1.5],
  ])('none for %s', (_name, parent, newBits, netNum) => {
    expect(cidrSubnet(cidr(parent), newBits, netNum)).toBeUndefined();
  });

  test('containment and overlap, by addresses and within one family', () => {
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.32.0/19'))).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.1.0.0/24'))).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(cidrContains(cidr('0.0.0.0/0'), cidr('::/0'))).toBe(false);
    expect(cidrsOverlap(cidr('10.0.0.0/19'), cidr('10.0.31.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('10.0.0.0/19'), cidr('10.0.32.0/24'))).toBe(false);
    expect(cidrsOverlap(cidr('172.16.0.0/12'), cidr('172.17.0.0/16'))).toBe(true);
    expect(cidrsOverlap(cidr('0.0.0.0/0'), cidr('::/0'))).toBe(false);
  });
});

describe('VpcLayouts.plan: subnet blocks carved deterministically', () => {
  test('10.0.0.0/16 in two zones: private /19s from the start, public /22s in the last eighth', () => {
    expect(VpcLayouts.plan('net', { cidr: '10.0.0.0/16', zones: 2, publicSubnets: true })).toEqual({
      cidr: '10.0.0.0/16',
      privateSubnetCidrs: ['10.0.0.0/19', '10.0.32.0/19'],
      publicSubnetCidrs: ['10.0.224.0/22', '10.0.228.0/22'],
    });
  });

  test('a third zone adds subnets and moves none', () => {
    expect(VpcLayouts.plan('net', { cidr: '10.0.0.0/16', zones: 3, publicSubnets: true })).toEqual({
      cidr: '10.0.0.0/16',
      privateSubnetCidrs: ['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19'],
      publicSubnetCidrs: ['10.0.224.0/22', '10.0.228.0/22', '10.0.232.0/22'],
    });
  });

  test('six zones, the most, still leave the seventh eighth free', () => {
    const layout = VpcLayouts.plan('net', { cidr: '10.20.0.0/16', zones: 6, publicSubnets: true });
    expect(layout.privateSubnetCidrs).toEqual(['10.20.0.0/19', '10.20.32.0/19', '10.20.64.0/19', '10.20.96.0/19', '10.20.128.0/19', '10.20.160.0/19']);
    expect(layout.publicSubnetCidrs).toEqual(['10.20.224.0/22', '10.20.228.0/22', '10.20.232.0/22', '10.20.236.0/22', '10.20.240.0/22', '10.20.244.0/22']);
    expect([...layout.privateSubnetCidrs, ...layout.publicSubnetCidrs].some((c) => cidrsOverlap(cidr(c), cidr('10.20.192.0/19')))).toBe(false);
  });

  test('without public subnets, only the private ones', () => {
    expect(VpcLayouts.plan('net', { cidr: '10.0.0.0/16', zones: 2, publicSubnets: false })).toEqual({
      cidr: '10.0.0.0/16', privateSubnetCidrs: ['10.0.0.0/19', '10.0.32.0/19'], publicSubnetCidrs: [],
    });
  });

  test('the smallest VPC the plan carves, a /22: /25 private and /28 public subnets', () => {
    expect(VpcLayouts.plan('net', { cidr: '192.168.4.0/22', zones: 2, publicSubnets: true })).toEqual({
      cidr: '192.168.4.0/22',
      privateSubnetCidrs: ['192.168.4.0/25', '192.168.4.128/25'],
      publicSubnetCidrs: ['192.168.7.128/28', '192.168.7.144/28'],
    });
  });

  test('subnet blocks of your own, checked and kept in zone order; the VPC may then be as small as a /28', () => {
    expect(VpcLayouts.plan('net', {
      cidr: '10.1.0.0/24', zones: 2, publicSubnets: true, privateSubnetCidrs: ['10.1.0.0/26', '10.1.0.64/26'], publicSubnetCidrs: ['10.1.0.128/28', '10.1.0.144/28'],
    })).toEqual({ cidr: '10.1.0.0/24', privateSubnetCidrs: ['10.1.0.0/26', '10.1.0.64/26'], publicSubnetCidrs: ['10.1.0.128/28', '10.1.0.144/28'] });
    expect(VpcLayouts.plan('net', { cidr: '10.1.0.0/16', zones: 2, publicSubnets: true, privateSubnetCidrs: ['10.1.0.0/20', '10.1.16.0/20'] }).publicSubnetCidrs)
      .toEqual(['10.1.224.0/22', '10.1.228.0/22']);
  });
});

describe('VpcLayouts.plan: bad blocks are the library\'s error', () => {
  const fails = (options: Parameters<typeof VpcLayouts.plan>[1]) => {
    const e = errorOf(() => VpcLayouts.plan('s/net', options));
    expect(e).toBeInstanceOf(IsolationError);
    return e.message;
  };
  const base = { zones: 2, publicSubnets: true };
  test.each([
    ['a block too small for the subnets', { ...base, cidr: '10.0.0.0/24' },
      "s/net: 'cidr' is too small for the subnets: a /24 gives /27 private and /30 public subnets, and AWS's smallest subnet is a /28, got \"10.0.0.0/24\". " +
      "Use a /16 to /22 block, e.g. '10.0.0.0/22', or give the subnet blocks yourself (privateSubnetCidrs, publicSubnetCidrs)."],
    ['a block larger than AWS allows', { ...base, cidr: '10.0.0.0/8' },
      "s/net: 'cidr' must be a /16 or smaller block (AWS's largest VPC is a /16), got \"10.0.0.0/8\". Use a /16 inside it, e.g. '10.0.0.0/16'."],
    ['a malformed block', { ...base, cidr: '10.0.0/16' },
      "s/net: 'cidr' must be an IPv4 or IPv6 CIDR block, got \"10.0.0/16\". Write an address and prefix length, e.g. '10.0.0.0/16', '203.0.113.7/32' or '2001:db8::/32'."],
    ['host bits set', { ...base, cidr: '10.0.1.0/16' },
      "s/net: 'cidr' must be a network address, but bits below the /16 prefix are set (it names the network 10.0.0.0/16), got \"10.0.1.0/16\". Write '10.0.0.0/16' for the network, or a /32 for the one address."],
    ['an IPv6 block', { ...base, cidr: '2001:db8::/56' },
      "s/net: 'cidr' must be an IPv4 CIDR block (a VPC's primary block is IPv4), got \"2001:db8::/56\". Use a private IPv4 block, e.g. '10.0.0.0/16'."],
    ['Docker\'s bridge network', { ...base, cidr: '172.17.0.0/16' },
      "s/net: 'cidr' must not overlap 172.17.0.0/16, Docker's bridge network on every host (the hosts would send traffic for those VPC addresses to their containers), got \"172.17.0.0/16\". " +
      "Choose another private block, e.g. '10.0.0.0/16' or '172.20.0.0/16'."],
    ['one zone', { ...base, cidr: '10.0.0.0/16', zones: 1 },
      "s/net: 'availabilityZoneCount' must be at least 2: a network in one availability zone goes down with the zone, got 1. Use 2 (the default) or more zones, up to 6."],
    ['seven zones', { ...base, cidr: '10.0.0.0/16', zones: 7 },
      "s/net: 'availabilityZoneCount' must be an integer from 2 to 6, got 7. Use 2 (the default) to 6 zones (no region has more than 6)."],
    ['overlapping subnets of your own', { ...base, cidr: '10.0.0.0/16', privateSubnetCidrs: ['10.0.0.0/19', '10.0.16.0/20'] },
      "s/net: 'privateSubnetCidrs[1]' must not overlap privateSubnetCidrs[0] (10.0.0.0/19), got \"10.0.16.0/20\". " +
      'Give each subnet a block of its own inside the VPC, or leave the subnet blocks out (the network carves them).'],
    ['a public subnet of your own over a computed private one', { ...base, cidr: '10.0.0.0/16', publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24'] },
      "s/net: 'publicSubnetCidrs[0]' must not overlap privateSubnetCidrs[0] (10.0.0.0/19), got \"10.0.0.0/24\". " +
      'Give each subnet a block of its own inside the VPC, or leave the subnet blocks out (the network carves them).'],
    ['a subnet outside the VPC', { ...base, cidr: '10.0.0.0/16', privateSubnetCidrs: ['10.0.0.0/19', '10.1.0.0/19'] },
      "s/net: 'privateSubnetCidrs[1]' must lie inside the VPC's block 10.0.0.0/16, got \"10.1.0.0/19\". Give a block inside 10.0.0.0/16."],
    ['a subnet smaller than a /28', { ...base, cidr: '10.0.0.0/16', privateSubnetCidrs: ['10.0.0.0/29', '10.0.1.0/24'] },
      "s/net: 'privateSubnetCidrs[0]' must be a /28 or larger block (AWS's smallest subnet), got \"10.0.0.0/29\". Give a block of /28 or larger."],
    ['one subnet for two zones', { ...base, cidr: '10.0.0.0/16', privateSubnetCidrs: ['10.0.0.0/19'] },
      "s/net: 'privateSubnetCidrs' must list one block per availability zone (2), got [\"10.0.0.0/19\"]. Give 2 blocks inside 10.0.0.0/16, in zone order, or leave privateSubnetCidrs out."],
    ['public subnets for a network without them', { ...base, publicSubnets: false, cidr: '10.0.0.0/16', publicSubnetCidrs: ['10.0.224.0/22', '10.0.228.0/22'] },
      "s/net: 'publicSubnetCidrs' is only for a network with public subnets (NAT gateways, or publicSubnets: true), got [\"10.0.224.0/22\",\"10.0.228.0/22\"]. " +
      'Leave publicSubnetCidrs out, or give the network public subnets.'],
    ['a VPC of your own subnets smaller than a /28', { ...base, cidr: '10.0.0.0/29', privateSubnetCidrs: ['10.0.0.0/29', '10.0.0.8/29'] },
      "s/net: 'cidr' is too small for the subnets: AWS's smallest subnet is a /28, got \"10.0.0.0/29\". Use a /16 to /28 block, e.g. '10.0.0.0/28'."],
  ])('%s', (_name, options, message) => {
    expect(fails(options)).toBe(message);
  });
});
