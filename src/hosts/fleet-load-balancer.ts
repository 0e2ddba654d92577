import type { Lb } from '@cdktf/provider-aws/lib/lb';
import type { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { HostSecurityGroup } from './host-security-group';
import { escapeTerraformTemplates } from '../private/terraform-string';
import { Check } from '../private/validate';
import { cidrSource } from '../terraform/expressions';

/** The load balancer in front of a fleet. */
export interface FleetLoadBalancerOptions {
  /**
   * ACM certificate: adds an HTTPS listener on 443 (TLS 1.2 or newer) and
   * turns the HTTP listener into a redirect to HTTPS.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * The published host port the load balancer routes to.
   * @default - the container's first published TCP port
   */
  readonly containerPort?: number;
  /**
   * Path of the target health check.
   * @default - the path of the container's own HTTP health check (wget or curl of a loopback URL), else '/'
   */
  readonly healthCheckPath?: string;
  /**
   * Internal (VPC only) instead of internet-facing.
   * @default false
   */
  readonly internal?: boolean;
  /**
   * Clients allowed to reach the listeners.
   * @default ['0.0.0.0/0']
   */
  readonly allowedCidrs?: string[];
}

/** Props of `FleetLoadBalancer`. */
export interface FleetLoadBalancerProps {
  /** The VPC. */
  readonly vpcId: string;
  /** The subnets of the load balancer (two zones at least). */
  readonly subnetIds: string[];
  /** The hosts' security group: it admits the routed port from the load balancer only. */
  readonly hostSecurityGroup: HostSecurityGroup;
  /** The name of the container, for descriptions. */
  readonly containerName: string;
  /** The host port the load balancer routes to. */
  readonly hostPort: number;
  /** Request path of the target health check. */
  readonly healthCheckPath: string;
  /** Seconds between target health checks. */
  readonly healthCheckIntervalSeconds: number;
  /** Seconds before a target health check fails. */
  readonly healthCheckTimeoutSeconds: number;
  /** Failed checks before a target is unhealthy. */
  readonly unhealthyThreshold: number;
  /**
   * ACM certificate (adds HTTPS on 443, HTTP redirects to it).
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * Internal (VPC only).
   * @default false
   */
  readonly internal?: boolean;
  /**
   * Clients allowed to reach the listeners (validated CIDR blocks).
   * @default ['0.0.0.0/0']
   */
  readonly allowedCidrs?: string[];
  /**
   * Tags.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * The load balancer modules are loaded on first use, not with the library:
 * most stacks never build a fleet (bench/RESULTS.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function modules() {
  return {
    Lb: require('@cdktf/provider-aws/lib/lb').Lb as typeof Lb,
    LbListener: require('@cdktf/provider-aws/lib/lb-listener').LbListener as typeof LbListener,
    LbTargetGroup: require('@cdktf/provider-aws/lib/lb-target-group').LbTargetGroup as typeof LbTargetGroup,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The recommended ALB policy for TLS 1.2 and 1.3. */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * The Application Load Balancer of a HostFleet, with its parts: its own
 * security group (clients on 80/443 in, the routed port of the hosts out),
 * the hosts' rule that admits it, the target group with the container's
 * HTTP health check, and the listeners (HTTPS with TLS 1.2+ and an HTTP
 * redirect when a certificate is given, else HTTP).
 */
export class FleetLoadBalancer extends Construct {
  /** The load balancer (construct id `Default`: the Terraform address it had before it was a part of its own). */
  public readonly resource: Lb;
  /** The load balancer's security group. */
  public readonly securityGroup: SecurityGroup;
  /** The target group of the fleet's instances. */
  public readonly targetGroup: LbTargetGroup;
  /** The HTTP listener (a redirect to HTTPS when there is a certificate). */
  public readonly httpListener: LbListener;
  /**
   * The HTTPS listener.
   * @default - none without a certificate
   */
  public readonly httpsListener?: LbListener;

  constructor(scope: Construct, id: string, props: FleetLoadBalancerProps) {
    super(scope, id);
    props = Check.props(this.node.path, props, '{ vpcId, subnetIds, hostSecurityGroup, ... }', false);
    const { Lb, LbListener, LbTargetGroup } = modules();
    const path = scope.node.path;
    const tags = props.tags === undefined ? undefined : escapeTerraformTemplates(props.tags);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', { description: `cdktf-isolation load balancer ${path}`.slice(0, 255), vpcId: props.vpcId, tags });
    const listenerPorts = props.certificateArn ? [80, 443] : [80];
    for (const [i, cidr] of (props.allowedCidrs ?? ['0.0.0.0/0']).entries()) {
      for (const port of listenerPorts) {
        // A network known at apply cannot name the rule: its place in the list does.
        new VpcSecurityGroupIngressRule(this, `Ingress${port}-${Token.isUnresolved(cidr) ? `allowedCidrs${i}` : cidr}`, {
          securityGroupId: this.securityGroup.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          ...cidrSource(cidr),
          description: `clients on ${port}`,
        });
      }
    }
    new VpcSecurityGroupEgressRule(this, 'ToHosts', {
      securityGroupId: this.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: props.hostPort,
      toPort: props.hostPort,
      referencedSecurityGroupId: props.hostSecurityGroup.securityGroupId,
      description: `to the container port ${props.hostPort} of the hosts`,
    });
    props.hostSecurityGroup.addIngress({
      port: props.hostPort, sourceSecurityGroupId: this.securityGroup.id, description: `container ${props.containerName} from the load balancer`,
    }, this, 'HostsFromLoadBalancer');
    this.resource = new Lb(this, 'Default', {
      loadBalancerType: 'application',
      internal: props.internal ?? false,
      securityGroups: [this.securityGroup.id],
      subnets: props.subnetIds,
      dropInvalidHeaderFields: true,
      tags,
    });
    this.targetGroup = new LbTargetGroup(this, 'TargetGroup', {
      port: props.hostPort,
      protocol: 'HTTP',
      targetType: 'instance',
      vpcId: props.vpcId,
      deregistrationDelay: '30',
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath,
        port: 'traffic-port',
        protocol: 'HTTP',
        matcher: '200-399',
        interval: props.healthCheckIntervalSeconds,
        timeout: props.healthCheckTimeoutSeconds,
        healthyThreshold: 2,
        unhealthyThreshold: props.unhealthyThreshold,
      },
      tags,
    });
    const forward = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    if (props.certificateArn) {
      this.httpsListener = new LbListener(this, 'HttpsListener', {
        loadBalancerArn: this.resource.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: forward,
        tags,
      });
    }
    this.httpListener = new LbListener(this, 'HttpListener', {
      loadBalancerArn: this.resource.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: props.certificateArn ? [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }] : forward,
      tags,
    });
  }
}
