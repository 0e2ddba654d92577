import { IContainerImage } from './image';
import { OsFamilies, OsFamily } from './os-family';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/**
 * How hosts in a network reach what they need outside it: OS packages,
 * container images and AWS Systems Manager.
 */
export enum NetworkEgress {
  /**
   * A NAT gateway in a public subnet: hosts reach the whole internet
   * (outbound only), AWS services included. Each NAT gateway is billed per
   * hour and per GB it processes.
   */
  NAT_GATEWAY = 'nat-gateway',
  /**
   * No internet at all: interface endpoints for Systems Manager and ECR, and
   * the S3 gateway endpoint (ECR's image layers, Amazon Linux 2023's package
   * repositories). Only Amazon Linux 2023 hosts with ECR images work here.
   * Each interface endpoint is billed per hour in each zone and per GB.
   */
  VPC_ENDPOINTS_ONLY = 'vpc-endpoints-only',
  /**
   * Both: AWS traffic through the endpoints (private, and off the NAT
   * gateway's per-GB charge), everything else through the NAT gateway.
   */
  NAT_GATEWAY_AND_ENDPOINTS = 'nat-gateway-and-endpoints',
  /**
   * No way out that the library built or was told of: the account's default
   * VPC (its hosts get no public IP), or a VPC of your own without one.
   * Hosts reach nothing outside the VPC.
   */
  NONE = 'none',
}

/** What a host needs from outside its network. */
export enum HostNeed {
  /** The OS's package repositories (Docker and the host's other packages come from them). */
  PACKAGES = 'packages',
  /** One container image's registry. */
  IMAGE = 'image',
  /** AWS Systems Manager: the SSM agent (Session Manager, Run Command) and SSM parameters. */
  SYSTEMS_MANAGER = 'systems-manager',
}

/** A host, as its network needs see it. */
export interface HostEgressOptions {
  /** The host's OS family. */
  readonly osFamily: OsFamily;
  /**
   * The images of the host's containers.
   * @default - none
   */
  readonly images?: IContainerImage[];
  /**
   * Whether the host installs packages at boot (every Docker host does: Docker is an OS package).
   * @default true
   */
  readonly installsPackages?: boolean;
  /**
   * The network's region. With it, an ECR image of another region needs the
   * internet (the network's endpoints serve its own region only).
   * @default - ECR images are taken to be in the network's region
   */
  readonly region?: string;
}

/** One thing a host needs, and how its network reaches it. */
export interface HostReach {
  /** The kind of need. */
  readonly need: HostNeed;
  /** What it is, e.g. `Amazon Linux 2023 packages` or `image nginx:1.27`. */
  readonly what: string;
  /** Where it lives, e.g. `Docker Hub is on the internet`. */
  readonly where: string;
  /**
   * How the network reaches it, e.g. `S3 gateway endpoint` or `NAT gateway`.
   * @default - it cannot: see `problem`
   */
  readonly via?: string;
  /**
   * Why the host cannot reach it and what to do: `<need>; <fix>`, e.g.
   * `needs the internet for image nginx:1.27 (Docker Hub is on the internet); give the network a NAT gateway ...`.
   * @default - none: it is reachable
   */
  readonly problem?: string;
  /**
   * The first part of `problem`, what is missing, e.g.
   * `needs the internet for image nginx:1.27 (Docker Hub is on the internet)`
   * (the problem of an IsolationError).
   * @default - none: it is reachable
   */
  readonly reason?: string;
  /**
   * The second part of `problem`, what to do, e.g.
   * `give the network a NAT gateway (NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS) or use ...`
   * (the fix of an IsolationError).
   * @default - none: it is reachable
   */
  readonly fix?: string;
}

/** The interface endpoints of the SSM agent: `ssmmessages` (Session Manager, and since agent 3.3.40.0 its commands) and `ec2messages` (commands of older agents). */
export const SSM_ENDPOINT_SERVICES: readonly string[] = ['ssm', 'ssmmessages', 'ec2messages'];
/** The interface endpoints of an ECR pull: the API (authorization tokens) and the Docker registry API; the layers come from S3. */
export const ECR_ENDPOINT_SERVICES: readonly string[] = ['ecr.api', 'ecr.dkr'];

const NAT = 'NAT gateway';
const S3 = 'S3 gateway endpoint';
const ECR = `interface endpoints (${ECR_ENDPOINT_SERVICES.join(', ')}) and ${S3}`;
const SSM = `interface endpoints (${SSM_ENDPOINT_SERVICES.join(', ')})`;
const NAT_FIX = 'give the network a NAT gateway (NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS)';
const AL2023 = 'MachineImage.amazonLinux2023(), whose repositories are on S3';
const EGRESS = [NetworkEgress.NAT_GATEWAY, NetworkEgress.VPC_ENDPOINTS_ONLY, NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS, NetworkEgress.NONE];

/** Where one need lives, and the alternative that avoids the internet. */
interface Need {
  readonly need: HostNeed;
  readonly what: string;
  readonly where: string;
  /** How the endpoints reach it, or undefined when only the internet does. */
  readonly endpoint?: string;
  /** What to use instead, when only the internet reaches it. */
  readonly alternative?: string;
}

/**
 * What a host needs from outside its network to work, and whether a way out
 * provides it. Pure: hosts (their isolation report line, their checks) and
 * users ask it before deploying.
 *
 * - Packages: Amazon Linux 2023's repositories are on S3 (the S3 gateway
 *   endpoint reaches them); Debian's and Ubuntu's mirrors are on the internet.
 * - Images: ECR images come through the ecr.api and ecr.dkr endpoints, their
 *   layers from S3; every other registry (Docker Hub, ghcr.io, ECR Public,
 *   ...) is taken to be on the internet.
 * - Systems Manager: the ssm, ssmmessages and ec2messages endpoints.
 */
export class HostEgress {
  /** Each need of the host, and how the network reaches it (or why it cannot). */
  public static reach(egress: NetworkEgress, options: HostEgressOptions): HostReach[] {
    const mode = Check.oneOf('HostEgress', 'egress', egress, EGRESS);
    return needsOf(options).map((n) => reachOf(mode, n));
  }

  /**
   * What the host cannot reach, one message each:
   * `needs the internet for <what> (<why>); give the network a NAT gateway (NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS) or use <alternative>`.
   * Empty when the network provides everything.
   */
  public static unreachable(egress: NetworkEgress, options: HostEgressOptions): string[] {
    return HostEgress.reach(egress, options).filter((r) => r.problem !== undefined).map((r) => r.problem!);
  }

  /**
   * One line: how the host reaches its packages, images and Systems Manager,
   * e.g. `Amazon Linux 2023 packages: S3 gateway endpoint; Systems Manager: interface endpoints (ssm, ssmmessages, ec2messages)`.
   */
  public static describe(egress: NetworkEgress, options: HostEgressOptions): string {
    return HostEgress.reach(egress, options).map((r) => `${r.what}: ${r.via ?? 'unreachable'}`).join('; ');
  }

  private constructor() {}
}

function needsOf(options: HostEgressOptions): Need[] {
  if (options === null || typeof options !== 'object') {
    throw new IsolationError('HostEgress', 'options', 'must be an object', options, 'Pass { osFamily, images }, e.g. { osFamily: OsFamily.AMAZON_LINUX_2023 }.');
  }
  const family = Check.oneOf('HostEgress', 'osFamily', options.osFamily, OsFamilies.all());
  const installs = Check.bool('HostEgress', 'installsPackages', options.installsPackages, true);
  if (options.images !== undefined && !Array.isArray(options.images)) {
    throw new IsolationError('HostEgress', 'images', 'must be a list of images', options.images, 'Pass the images of the host\'s containers, e.g. [ContainerImage.fromRegistry(\'nginx:1.27\')].');
  }
  const needs: Need[] = [];
  // Windows Server features install from the image's component store: no repository to reach.
  if (installs && !OsFamilies.isWindows(family)) needs.push(packagesOf(family, options.region));
  for (const image of options.images ?? []) needs.push(imageNeed(image, options.region));
  needs.push({ need: HostNeed.SYSTEMS_MANAGER, what: 'Systems Manager', where: 'Systems Manager is an AWS service', endpoint: SSM });
  return needs;
}

function packagesOf(family: OsFamily, region: string | undefined): Need {
  const what = `${OsFamilies.traits(family).displayName} packages`;
  switch (family) {
    case OsFamily.AMAZON_LINUX_2023:
      return { need: HostNeed.PACKAGES, what, where: 'Amazon Linux 2023\'s repositories are on S3', endpoint: S3 };
    case OsFamily.UBUNTU_2404:
      return { need: HostNeed.PACKAGES, what, where: `Ubuntu's mirrors, ${region ?? '<region>'}.ec2.archive.ubuntu.com, are on the internet`, alternative: AL2023 };
    default:
      return { need: HostNeed.PACKAGES, what, where: 'Debian\'s mirrors are on the internet', alternative: AL2023 };
  }
}

function imageNeed(image: IContainerImage, region: string | undefined): Need {
  if (image === null || typeof image !== 'object' || typeof image.reference !== 'string') {
    throw new IsolationError('HostEgress', 'images', 'must list images (IContainerImage)', image, 'Use ContainerImage.fromRegistry() or ContainerImage.fromEcr().');
  }
  const what = `image ${image.reference}`;
  const ecr = image.ecr;
  if (ecr && (region === undefined || ecr.region === region)) {
    return { need: HostNeed.IMAGE, what, where: 'ECR is an AWS service', endpoint: ECR };
  }
  if (ecr) {
    return {
      need: HostNeed.IMAGE,
      what,
      where: `its ECR registry is in ${ecr.region}, and the network's endpoints serve ${region} only`,
      alternative: `a replica of the repository in ${region} (ECR replication; ContainerImage.fromEcr)`,
    };
  }
  const registry = registryOf(image.reference);
  const name = registry === 'docker.io' ? 'Docker Hub' : registry === 'public.ecr.aws' ? 'ECR Public' : `the registry ${registry}`;
  return { need: HostNeed.IMAGE, what, where: `${name} is on the internet`, alternative: 'an ECR repository in the network\'s region (push the image there; ContainerImage.fromEcr)' };
}

/** The registry host of an image reference (Docker's rule: a first component with a dot, a colon or `localhost` is a registry). */
function registryOf(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = reference.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

function reachOf(egress: NetworkEgress, n: Need): HostReach {
  const base = { need: n.need, what: n.what, where: n.where };
  const endpoints = egress === NetworkEgress.VPC_ENDPOINTS_ONLY || egress === NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS;
  if (endpoints && n.endpoint) return { ...base, via: n.endpoint };
  if (egress === NetworkEgress.NAT_GATEWAY || egress === NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS) return { ...base, via: NAT };
  const [reason, fix] = egress === NetworkEgress.NONE
    ? [`needs a way out for ${n.what} (the network has neither a NAT gateway nor VPC endpoints)`,
      'give the host a HostNetwork (NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS) or a VPC of your own with a way out (HostNetwork.fromExisting)']
    : [`needs the internet for ${n.what} (${n.where})`, `${NAT_FIX} or use ${n.alternative}`];
  return { ...base, problem: `${reason}; ${fix}`, reason, fix };
}
