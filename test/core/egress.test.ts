import { ContainerImage, HostEgress, HostNeed, NetworkEgress, OsFamily } from '../../src';
import { IsolationError } from '../../src/private/errors';
import { errorOf } from '../helpers/synth';

const ecr = ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api', '2.4.1');
const hub = ContainerImage.fromRegistry('nginx:1.27');
const library = ContainerImage.fromRegistry('library/redis:7.4');
const ghcr = ContainerImage.fromRegistry('ghcr.io/acme/api:2.1.0');
const ecrPublic = ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const own = ContainerImage.fromRegistry('registry.example.com:5000/team/tools:1');
const ECR_VIA = 'interface endpoints (ecr.api, ecr.dkr) and S3 gateway endpoint';
const SSM_VIA = 'interface endpoints (ssm, ssmmessages, ec2messages)';
const NAT_FIX = 'give the network a NAT gateway (NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS)';
const TO_ECR = 'an ECR repository in the network\'s region (push the image there; ContainerImage.fromEcr)';

describe('HostEgress.reach: what a host needs and how each way out reaches it', () => {
  test('Amazon Linux 2023 with an ECR image works endpoints-only: packages through the S3 gateway, the image through ECR and S3, SSM through its endpoints', () => {
    expect(HostEgress.reach(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.AMAZON_LINUX_2023, images: [ecr] })).toEqual([
      { need: HostNeed.PACKAGES, what: 'Amazon Linux 2023 packages', where: 'Amazon Linux 2023\'s repositories are on S3', via: 'S3 gateway endpoint' },
      { need: HostNeed.IMAGE, what: 'image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.4.1', where: 'ECR is an AWS service', via: ECR_VIA },
      { need: HostNeed.SYSTEMS_MANAGER, what: 'Systems Manager', where: 'Systems Manager is an AWS service', via: SSM_VIA },
    ]);
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.AMAZON_LINUX_2023, images: [ecr] })).toEqual([]);
  });

  test('what cannot be reached says why (reason) and what to do (fix), the two parts of its problem', () => {
    const [packages] = HostEgress.reach(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.DEBIAN_12 });
    expect(packages).toEqual({
      need: HostNeed.PACKAGES,
      what: 'Debian 12 (bookworm) packages',
      where: 'Debian\'s mirrors are on the internet',
      reason: 'needs the internet for Debian 12 (bookworm) packages (Debian\'s mirrors are on the internet)',
      fix: `${NAT_FIX} or use MachineImage.amazonLinux2023(), whose repositories are on S3`,
      problem: `needs the internet for Debian 12 (bookworm) packages (Debian's mirrors are on the internet); ${NAT_FIX} or use MachineImage.amazonLinux2023(), whose repositories are on S3`,
    });
  });

  test('through a NAT gateway everything goes through it', () => {
    const reach = HostEgress.reach(NetworkEgress.NAT_GATEWAY, { osFamily: OsFamily.DEBIAN_12, images: [hub] });
    expect(reach.map((r) => [r.what, r.via, r.problem])).toEqual([
      ['Debian 12 (bookworm) packages', 'NAT gateway', undefined],
      ['image nginx:1.27', 'NAT gateway', undefined],
      ['Systems Manager', 'NAT gateway', undefined],
    ]);
  });

  test('with both, AWS traffic takes the endpoints and the rest the NAT gateway', () => {
    const reach = HostEgress.reach(NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, { osFamily: OsFamily.UBUNTU_2404, images: [ecr, ghcr] });
    expect(reach.map((r) => [r.what, r.via])).toEqual([
      ['Ubuntu 24.04 LTS packages', 'NAT gateway'],
      ['image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.4.1', ECR_VIA],
      ['image ghcr.io/acme/api:2.1.0', 'NAT gateway'],
      ['Systems Manager', SSM_VIA],
    ]);
    expect(HostEgress.reach(NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, { osFamily: OsFamily.AMAZON_LINUX_2023 })[0].via).toBe('S3 gateway endpoint');
  });

  test('a host that installs nothing needs no packages', () => {
    const reach = HostEgress.reach(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.DEBIAN_12, installsPackages: false });
    expect(reach.map((r) => r.need)).toEqual([HostNeed.SYSTEMS_MANAGER]);
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.DEBIAN_12, installsPackages: false })).toEqual([]);
  });
});

describe('HostEgress.unreachable: what endpoints-only cannot give, and what to do', () => {
  test('Debian and Ubuntu mirrors need the internet', () => {
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.DEBIAN_12 })).toEqual([
      `needs the internet for Debian 12 (bookworm) packages (Debian's mirrors are on the internet); ${NAT_FIX} or use MachineImage.amazonLinux2023(), whose repositories are on S3`,
    ]);
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.UBUNTU_2404 })).toEqual([
      `needs the internet for Ubuntu 24.04 LTS packages (Ubuntu's mirrors, <region>.ec2.archive.ubuntu.com, are on the internet); ${NAT_FIX} or use MachineImage.amazonLinux2023(), whose repositories are on S3`,
    ]);
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.UBUNTU_2404, region: 'eu-west-1' })[0])
      .toContain("(Ubuntu's mirrors, eu-west-1.ec2.archive.ubuntu.com, are on the internet)");
  });

  test('images from Docker Hub (named with or without library/), ghcr.io, ECR Public and any other registry need the internet', () => {
    const images = [hub, library, ghcr, ecrPublic, own, ecr];
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.AMAZON_LINUX_2023, images })).toEqual([
      `needs the internet for image nginx:1.27 (Docker Hub is on the internet); ${NAT_FIX} or use ${TO_ECR}`,
      `needs the internet for image library/redis:7.4 (Docker Hub is on the internet); ${NAT_FIX} or use ${TO_ECR}`,
      `needs the internet for image ghcr.io/acme/api:2.1.0 (the registry ghcr.io is on the internet); ${NAT_FIX} or use ${TO_ECR}`,
      `needs the internet for image public.ecr.aws/nginx/nginx:1.27 (ECR Public is on the internet); ${NAT_FIX} or use ${TO_ECR}`,
      `needs the internet for image registry.example.com:5000/team/tools:1 (the registry registry.example.com:5000 is on the internet); ${NAT_FIX} or use ${TO_ECR}`,
    ]);
  });

  test('an ECR image of another region than the network\'s needs the internet (the endpoints serve their own region); the NAT gateway reaches it', () => {
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.AMAZON_LINUX_2023, images: [ecr], region: 'us-east-1' })).toEqual([
      'needs the internet for image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.4.1 (its ECR registry is in eu-west-1, and the network\'s endpoints serve us-east-1 only); ' +
      `${NAT_FIX} or use a replica of the repository in us-east-1 (ECR replication; ContainerImage.fromEcr)`,
    ]);
    expect(HostEgress.unreachable(NetworkEgress.VPC_ENDPOINTS_ONLY, { osFamily: OsFamily.AMAZON_LINUX_2023, images: [ecr], region: 'eu-west-1' })).toEqual([]);
    expect(HostEgress.reach(NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, { osFamily: OsFamily.AMAZON_LINUX_2023, images: [ecr], region: 'us-east-1' })[1].via).toBe('NAT gateway');
  });

  test('the NAT modes leave nothing out, whatever the OS and images', () => {
    for (const egress of [NetworkEgress.NAT_GATEWAY, NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS]) {
      for (const osFamily of [OsFamily.AMAZON_LINUX_2023, OsFamily.UBUNTU_2404, OsFamily.DEBIAN_12]) {
        expect([egress, osFamily, HostEgress.unreachable(egress, { osFamily, images: [ecr, hub, ghcr], region: 'us-east-1' })]).toEqual([egress, osFamily, []]);
      }
    }
  });

  test('a network without a way out (the default VPC) reaches nothing, Systems Manager included', () => {
    const fix = 'give the host a HostNetwork (NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS) or a VPC of your own with a way out (HostNetwork.fromExisting)';
    expect(HostEgress.unreachable(NetworkEgress.NONE, { osFamily: OsFamily.AMAZON_LINUX_2023, images: [ecr] })).toEqual([
      `needs a way out for Amazon Linux 2023 packages (the network has neither a NAT gateway nor VPC endpoints); ${fix}`,
      `needs a way out for image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.4.1 (the network has neither a NAT gateway nor VPC endpoints); ${fix}`,
      `needs a way out for Systems Manager (the network has neither a NAT gateway nor VPC endpoints); ${fix}`,
    ]);
  });
});

describe('HostEgress.describe: one line per host for the isolation report', () => {
  test.each([
    [NetworkEgress.VPC_ENDPOINTS_ONLY, OsFamily.AMAZON_LINUX_2023, [ecr],
      `Amazon Linux 2023 packages: S3 gateway endpoint; image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.4.1: ${ECR_VIA}; Systems Manager: ${SSM_VIA}`],
    [NetworkEgress.VPC_ENDPOINTS_ONLY, OsFamily.DEBIAN_12, [hub],
      `Debian 12 (bookworm) packages: unreachable; image nginx:1.27: unreachable; Systems Manager: ${SSM_VIA}`],
    [NetworkEgress.NAT_GATEWAY, OsFamily.UBUNTU_2404, [],
      'Ubuntu 24.04 LTS packages: NAT gateway; Systems Manager: NAT gateway'],
    [NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, OsFamily.DEBIAN_12, [ecr, hub],
      `Debian 12 (bookworm) packages: NAT gateway; image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.4.1: ${ECR_VIA}; image nginx:1.27: NAT gateway; Systems Manager: ${SSM_VIA}`],
    [NetworkEgress.NONE, OsFamily.AMAZON_LINUX_2023, [],
      'Amazon Linux 2023 packages: unreachable; Systems Manager: unreachable'],
  ])('%s, %s', (egress, osFamily, images, line) => {
    expect(HostEgress.describe(egress, { osFamily, images })).toBe(line);
  });
});

describe('HostEgress: bad input is the library\'s error', () => {
  test.each([
    ['an unknown way out', () => HostEgress.reach('internet' as NetworkEgress, { osFamily: OsFamily.DEBIAN_12 }),
      "HostEgress: 'egress' must be one of 'nat-gateway', 'vpc-endpoints-only', 'nat-gateway-and-endpoints', 'none', got \"internet\". Pick one of the listed values (the enum of this library has them all)."],
    ['an unknown OS family', () => HostEgress.reach(NetworkEgress.NAT_GATEWAY, { osFamily: 'freebsd-14' as OsFamily }),
      "HostEgress: 'osFamily' must be one of 'amazon-linux-2023', 'ubuntu-24.04', 'debian-12', 'windows', got \"freebsd-14\". Pick one of the listed values (the enum of this library has them all)."],
    ['images that are not a list', () => HostEgress.reach(NetworkEgress.NAT_GATEWAY, { osFamily: OsFamily.DEBIAN_12, images: 'nginx:1.27' as any }),
      "HostEgress: 'images' must be a list of images, got \"nginx:1.27\". Pass the images of the host's containers, e.g. [ContainerImage.fromRegistry('nginx:1.27')]."],
    ['an image that is a string', () => HostEgress.reach(NetworkEgress.NAT_GATEWAY, { osFamily: OsFamily.DEBIAN_12, images: ['nginx:1.27' as any] }),
      "HostEgress: 'images' must list images (IContainerImage), got \"nginx:1.27\". Use ContainerImage.fromRegistry() or ContainerImage.fromEcr()."],
    ['no options', () => HostEgress.reach(NetworkEgress.NAT_GATEWAY, undefined as any),
      "HostEgress: 'options' must be an object, got undefined. Pass { osFamily, images }, e.g. { osFamily: OsFamily.AMAZON_LINUX_2023 }."],
  ])('%s', (_name, fn, message) => {
    const e = errorOf(fn);
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message).toBe(message);
  });
});
