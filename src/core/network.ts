/** IP protocols of port mappings and security group rules. */
export enum Protocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
}

/** The source of a security group rule, split by family as the VPC rule resources take it. */
export interface CidrSource {
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
}
