import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import { EndpointAccess } from './endpoint-access';
import type { RegionLookup } from './region-lookup';

/** What a network's VPC endpoints are built from. */
export interface NetworkEndpointsProps {
  /** The VPC. */
  readonly vpcId: string;
  /** The private subnets, where the interface endpoints go. */
  readonly privateSubnets: Subnet[];
  /** The private route tables, which the S3 gateway endpoint is added to. */
  readonly privateRouteTableIds: string[];
  /** The interface endpoints' services (what follows `com.amazonaws.<region>.`). */
  readonly interfaceServices: string[];
  /** The network's region and partition. */
  readonly region: RegionLookup;
  /** The tags of a part of the network (its Name after the part). */
  readonly tags: (part?: string) => { [key: string]: string };
}

/** A network's VPC endpoints and the hosts they admit. */
export interface NetworkEndpointParts {
  readonly securityGroup: SecurityGroup;
  readonly access: EndpointAccess;
  readonly interfaceEndpoints: VpcEndpoint[];
  readonly s3Endpoint: VpcEndpoint;
}

/**
 * The VPC endpoints of a HostNetwork, created under the network: an
 * interface endpoint per service (private DNS, in the private subnets)
 * behind a security group that admits HTTPS from admitted hosts only, and
 * the S3 gateway endpoint on the private route tables.
 */
export class NetworkEndpoints {
  public static build(scope: Construct, props: NetworkEndpointsProps): NetworkEndpointParts {
    // Loaded on first use, like the network's other modules: only a network with endpoints needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const VpcEndpointClass = require('@cdktf/provider-aws/lib/vpc-endpoint').VpcEndpoint as typeof VpcEndpoint;
    const { vpcId, region, tags } = props;
    const service = (s: string) => `${region.partition().reverseDnsPrefix}.${region.region().region}.${s}`;
    const sg = new SecurityGroup(scope, 'EndpointSecurityGroup', {
      description: `cdktf-isolation VPC endpoints of ${scope.node.path}: HTTPS from admitted hosts only`.slice(0, 255),
      vpcId,
      tags: tags('endpoints'),
    });
    const access = new EndpointAccess(scope, sg.id);
    const interfaceEndpoints: VpcEndpoint[] = [];
    for (const s of props.interfaceServices) {
      interfaceEndpoints.push(new VpcEndpointClass(scope, `${endpointId(s)}Endpoint`, {
        vpcId,
        serviceName: service(s),
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: props.privateSubnets.map((subnet) => subnet.id),
        securityGroupIds: [sg.id],
        tags: tags(`${s}-endpoint`),
      }));
    }
    const s3Endpoint = new VpcEndpointClass(scope, 'S3Endpoint', {
      vpcId,
      serviceName: service('s3'),
      vpcEndpointType: 'Gateway',
      routeTableIds: props.privateRouteTableIds,
      tags: tags('s3-endpoint'),
    });
    return { securityGroup: sg, access, interfaceEndpoints, s3Endpoint };
  }

  private constructor() {}
}

/** `ecr.api` -> `EcrApi`. */
function endpointId(service: string): string {
  return service.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
