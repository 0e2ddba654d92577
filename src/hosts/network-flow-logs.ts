import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { RegionLookup } from './region-lookup';

/**
 * The flow log modules are loaded on first use, not with the library: most
 * stacks never build a network (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function flowLogModules() {
  return {
    CloudwatchLogGroup: require('@cdktf/provider-aws/lib/cloudwatch-log-group').CloudwatchLogGroup as typeof CloudwatchLogGroup,
    DataAwsCallerIdentity: require('@cdktf/provider-aws/lib/data-aws-caller-identity').DataAwsCallerIdentity as typeof DataAwsCallerIdentity,
    FlowLog: require('@cdktf/provider-aws/lib/flow-log').FlowLog as typeof FlowLog,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** What a network's flow logs are built from. */
export interface NetworkFlowLogsProps {
  /** The VPC. */
  readonly vpcId: string;
  /** Days CloudWatch Logs keeps the flow logs (validated). */
  readonly retentionDays: number;
  /** The log group's KMS key (validated). */
  readonly kmsKeyArn?: string;
  /** The network's region and partition. */
  readonly region: RegionLookup;
  /** The tags of a part of the network (its Name after the part). */
  readonly tags: (part?: string) => { [key: string]: string };
}

/** A network's flow log and what it writes with. */
export interface NetworkFlowLogParts {
  readonly flowLog: FlowLog;
  readonly group: CloudwatchLogGroup;
  readonly role: IamRole;
}

/**
 * The VPC flow logs of a HostNetwork (all traffic), created under the
 * network: a CloudWatch Logs log group, the role the flow log service
 * writes to it with (only for flow logs of this account), and the flow log.
 */
export class NetworkFlowLogs {
  public static build(scope: Construct, props: NetworkFlowLogsProps): NetworkFlowLogParts {
    const m = flowLogModules();
    const { region, tags } = props;
    const account = new m.DataAwsCallerIdentity(scope, 'Account', {});
    const group = new m.CloudwatchLogGroup(scope, 'FlowLogGroup', {
      namePrefix: '/cdktf-isolation/vpc-flow-logs/',
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags: tags('flow-logs'),
    });
    const role = new IamRole(scope, 'FlowLogRole', {
      description: `cdktf-isolation VPC flow logs of ${scope.node.path}`.slice(0, 1000),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // Only flow logs of this account may use the role (the confused deputy).
          Condition: {
            StringEquals: { 'aws:SourceAccount': account.accountId },
            ArnLike: { 'aws:SourceArn': `arn:${region.partition().partition}:ec2:${region.region().region}:${account.accountId}:vpc-flow-log/*` },
          },
        }],
      }),
      tags: tags('flow-logs'),
    });
    new IamRolePolicy(scope, 'FlowLogPolicy', {
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
          Resource: [group.arn, `${group.arn}:*`],
        }],
      }),
    });
    const flowLog = new m.FlowLog(scope, 'FlowLog', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: group.arn,
      iamRoleArn: role.arn,
      tags: tags('flow-log'),
    });
    return { flowLog, group, role };
  }

  private constructor() {}
}
