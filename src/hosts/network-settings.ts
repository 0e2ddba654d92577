import { Fn, Token } from 'cdktf';
import { ECR_ENDPOINT_SERVICES, NetworkEgress, SSM_ENDPOINT_SERVICES } from '../core/egress';
import { VpcLayouts } from '../core/vpc-layout';
import { deferCheck } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/** Props of `HostNetwork`. */
export interface HostNetworkProps {
  /**
   * How hosts get out: NetworkEgress.NAT_GATEWAY (the internet through NAT
   * gateways), VPC_ENDPOINTS_ONLY (AWS services only: Systems Manager, ECR,
   * S3; Amazon Linux 2023 hosts with ECR images work, Debian and Ubuntu
   * mirrors and Docker Hub do not) or NAT_GATEWAY_AND_ENDPOINTS (both). No
   * default: each costs money and decides what hosts can run.
   */
  readonly egress: NetworkEgress;
  /**
   * The VPC's IPv4 block, /16 to /22 (to /28 with subnet blocks of your
   * own); it must not overlap Docker's bridge network 172.17.0.0/16.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability zones the network spans (the region's first zones, by
   * name), 2 to 6. Every zone has a private subnet for hosts, and a public
   * subnet where the network has them.
   * @default 2
   */
  readonly availabilityZoneCount?: number;
  /**
   * One NAT gateway for every zone instead of one per zone: cheaper (each
   * NAT gateway is billed per hour, and per GB it processes), but hosts in
   * the other zones lose the internet when its zone fails, and their
   * traffic to it is billed as cross-zone transfer. Only with a NAT gateway.
   * @default false
   */
  readonly singleNatGateway?: boolean;
  /**
   * Public subnets and an internet gateway, e.g. for an internet-facing
   * load balancer in VPC_ENDPOINTS_ONLY (the hosts' route tables still lead
   * nowhere). The NAT modes need them.
   * @default - with a NAT gateway only
   */
  readonly publicSubnets?: boolean;
  /**
   * The private subnets' blocks, one per zone, inside the VPC's block.
   * @default - the i-th eighth of the VPC: cidrsubnet(cidr, 3, i)
   */
  readonly privateSubnetCidrs?: string[];
  /**
   * The public subnets' blocks, one per zone, inside the VPC's block.
   * @default - cidrsubnet(cidr, 6, 56 + i): the i-th eighth of the VPC's last eighth
   */
  readonly publicSubnetCidrs?: string[];
  /**
   * More interface endpoints, by service name (what follows
   * `com.amazonaws.<region>.`), e.g. 'logs' (the awslogs log driver, the
   * CloudWatch agent, Session Manager logs), 'sts' (SDKs that assume roles),
   * 'kms', 'secretsmanager'. Each is billed per hour in each zone. Only
   * with endpoints.
   * @default - none: the endpoints hosts need (ssm, ssmmessages, ec2messages, ecr.api, ecr.dkr, and the S3 gateway)
   */
  readonly additionalInterfaceEndpoints?: string[];
  /**
   * VPC flow logs (all traffic) to a CloudWatch Logs log group. Turning
   * them off gives up the record of what crossed the network (IsolationChecks
   * reports NET-VPC-FLOW-LOGS).
   * @default true
   */
  readonly flowLogs?: boolean;
  /**
   * Days CloudWatch Logs keeps the flow logs: 0 (forever) or one of 1, 3,
   * 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
   * 2192, 2557, 2922, 3288, 3653.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * KMS key ARN for the flow log group. Its key policy must let
   * `logs.<region>.amazonaws.com` use it.
   * @default - CloudWatch Logs' own encryption
   */
  readonly flowLogKmsKeyArn?: string;
  /**
   * The `Name` tag of the VPC; its parts are named after it.
   * @default - the construct path
   */
  readonly name?: string;
  /**
   * Tags for every resource of the network.
   * @default - Name only
   */
  readonly tags?: { [key: string]: string };
}

const FLOW_LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const BUILT_EGRESS = [NetworkEgress.NAT_GATEWAY, NetworkEgress.VPC_ENDPOINTS_ONLY, NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS];
const SERVICE_NAME = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/;

/** The validated settings of a network. */
export interface NetworkSettings {
  readonly egress: NetworkEgress;
  readonly zones: number;
  readonly nat: boolean;
  readonly endpoints: boolean;
  readonly publicSubnets: boolean;
  readonly singleNat: boolean;
  readonly interfaceServices: string[];
  readonly flowLogs: boolean;
  readonly retentionDays: number;
  readonly kmsKeyArn?: string;
}

/** Validates the props of a HostNetwork: the settings its parts are built from. */
export function validateNetwork(path: string, props: HostNetworkProps): NetworkSettings {
  if (props.egress === undefined) {
    throw new IsolationError(path, 'egress', 'must be chosen: how hosts get out of the network (each way costs money and decides what hosts can run)', undefined,
      'Choose NetworkEgress.NAT_GATEWAY (the internet), VPC_ENDPOINTS_ONLY (AWS services only: Amazon Linux 2023 with ECR images) or NAT_GATEWAY_AND_ENDPOINTS (both).');
  }
  if (props.egress === NetworkEgress.NONE) {
    throw new IsolationError(path, 'egress', 'must be a way out: a HostNetwork builds one (NONE is for networks of your own, HostNetwork.fromExisting)', props.egress,
      'Choose NetworkEgress.NAT_GATEWAY, VPC_ENDPOINTS_ONLY or NAT_GATEWAY_AND_ENDPOINTS.');
  }
  const egress = Check.oneOf(path, 'egress', Check.known(path, 'egress', props.egress, 'it decides at synth which resources the network has'), BUILT_EGRESS);
  const nat = egress !== NetworkEgress.VPC_ENDPOINTS_ONLY;
  const endpoints = egress !== NetworkEgress.NAT_GATEWAY;
  const zones = VpcLayouts.zoneCount(path, props.availabilityZoneCount ?? 2);
  const publicSubnets = Check.bool(path, 'publicSubnets', props.publicSubnets, nat, 'it decides at synth which subnets the network has');
  if (nat && !publicSubnets) {
    throw new IsolationError(path, 'publicSubnets', `must be true with NetworkEgress.${egress === NetworkEgress.NAT_GATEWAY ? 'NAT_GATEWAY' : 'NAT_GATEWAY_AND_ENDPOINTS'}: NAT gateways live in public subnets`, false,
      'Leave publicSubnets out, or choose NetworkEgress.VPC_ENDPOINTS_ONLY for a network without them.');
  }
  const singleNat = Check.bool(path, 'singleNatGateway', props.singleNatGateway, false, 'it decides at synth how many NAT gateways the network has');
  if (singleNat && !nat) {
    throw new IsolationError(path, 'singleNatGateway', 'only applies to a network with a NAT gateway, not NetworkEgress.VPC_ENDPOINTS_ONLY', true,
      'Leave singleNatGateway out, or choose NetworkEgress.NAT_GATEWAY or NAT_GATEWAY_AND_ENDPOINTS.');
  }
  const interfaceServices = endpoints ? [...SSM_ENDPOINT_SERVICES, ...ECR_ENDPOINT_SERVICES] : [];
  if (props.additionalInterfaceEndpoints !== undefined) {
    if (!endpoints) {
      throw new IsolationError(path, 'additionalInterfaceEndpoints', 'only applies to a network with VPC endpoints, not NetworkEgress.NAT_GATEWAY', props.additionalInterfaceEndpoints,
        'Choose NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS for endpoints next to the NAT gateway, or leave additionalInterfaceEndpoints out.');
    }
    Check.known(path, 'additionalInterfaceEndpoints', props.additionalInterfaceEndpoints, 'each service is an endpoint resource made at synth');
    if (!Array.isArray(props.additionalInterfaceEndpoints)) {
      throw new IsolationError(path, 'additionalInterfaceEndpoints', 'must be a list of service names', props.additionalInterfaceEndpoints, "Write e.g. ['logs', 'sts'].");
    }
    props.additionalInterfaceEndpoints.forEach((s, i) => {
      const prop = `additionalInterfaceEndpoints[${i}]`;
      Check.known(path, prop, s, 'each service is an endpoint resource made at synth');
      Check.matches(path, prop, s, SERVICE_NAME, 'a service name such as \'logs\' or \'ecr.api\' (what follows com.amazonaws.<region>.)', "Write the service's short name, e.g. 'logs', 'sts' or 'secretsmanager'.");
      if (s === 's3') {
        throw new IsolationError(path, prop, 'must not be s3: the network already has the S3 gateway endpoint (free, on the private route tables)', s, 'Leave s3 out.');
      }
      if (interfaceServices.includes(s)) {
        throw new IsolationError(path, prop, `must not repeat an endpoint the network already has (${interfaceServices.join(', ')})`, s, `Leave ${s} out.`);
      }
      interfaceServices.push(s);
    });
  }
  const flowLogs = Check.bool(path, 'flowLogs', props.flowLogs, true, 'it decides at synth whether the flow log resources exist');
  if (!flowLogs && (props.flowLogRetentionDays !== undefined || props.flowLogKmsKeyArn !== undefined)) {
    const prop = props.flowLogRetentionDays !== undefined ? 'flowLogRetentionDays' : 'flowLogKmsKeyArn';
    throw new IsolationError(path, prop, 'only applies with flow logs, but flowLogs is false', props[prop], `Leave ${prop} out, or turn flowLogs on.`);
  }
  const retentionDays = props.flowLogRetentionDays ?? 365;
  if (Token.isUnresolved(retentionDays)) {
    // Terraform's contains() does not convert: the value is compared as a string.
    deferCheck({
      path,
      prop: 'flowLogRetentionDays',
      value: Fn.tostring(retentionDays),
      problem: 'must be one of CloudWatch Logs\' retention periods (0 keeps the logs forever)',
      fix: `Use one of ${FLOW_LOG_RETENTION_DAYS.join(', ')} (365, the default, keeps a year).`,
      condition: { kind: 'one-of', values: FLOW_LOG_RETENTION_DAYS.map(String) },
    });
  } else if (!FLOW_LOG_RETENTION_DAYS.includes(retentionDays as number)) {
    throw new IsolationError(path, 'flowLogRetentionDays', 'must be one of CloudWatch Logs\' retention periods (0 keeps the logs forever)', props.flowLogRetentionDays,
      `Use one of ${FLOW_LOG_RETENTION_DAYS.join(', ')} (365, the default, keeps a year).`);
  }
  if (props.flowLogKmsKeyArn !== undefined) {
    Check.matches(path, 'flowLogKmsKeyArn', props.flowLogKmsKeyArn, KMS_KEY_ARN, 'a KMS key ARN',
      "Copy the key's ARN, e.g. 'arn:aws:kms:eu-west-1:123456789012:key/<id>'; its key policy must let logs.<region>.amazonaws.com use it.");
  }
  return { egress, zones, nat, endpoints, publicSubnets, singleNat, interfaceServices, flowLogs, retentionDays, kmsKeyArn: props.flowLogKmsKeyArn };
}
