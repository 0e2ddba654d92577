import { Annotations, IAspect, TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';
import { FindingLevel, PolicyFinding, PolicyRuleInfo, PolicyRules } from './rules';
import { Unknown } from './rules/rule';
import {
  classicIngress, defaultSecurityGroupView, dockerContainerView, instanceView, launchTemplateView, list, listenerView, resolved, specView, u, vpcView,
} from './views';
import { IsolationReport } from '../apps/isolation-report';
import { ContainerOnVm } from '../containers/container-on-vm';
import { IsolationError } from '../private/errors';
import { Preconditions } from '../terraform/preconditions';

const acknowledgements = new WeakMap<IConstruct, Map<string, string>>();

/**
 * A cdktf Aspect that checks hosts, security groups and containers before
 * synthesis, the library's constructs and raw provider resources alike
 * (`aws_instance`, `aws_launch_template`, `aws_security_group`,
 * `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`, `aws_ebs_volume`,
 * `docker_container`, load balancers, listeners, Auto Scaling groups, VPCs
 * and their default security groups).
 * Findings are annotations: errors stop synthesis.
 *
 *   Aspects.of(stack).add(new IsolationChecks());
 */
export class IsolationChecks implements IAspect {
  /** Every rule (RULES.md lists them). */
  public static rules(): PolicyRuleInfo[] {
    return PolicyRules.all();
  }

  /**
   * Accepts one rule on one construct and its children, with a mandatory
   * reason; the acknowledgement is recorded in the stack's isolation report.
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (scope === null || typeof scope !== 'object' || !scope.node) {
      throw new IsolationError('IsolationChecks.acknowledge', 'scope', 'must be a construct', scope, 'Pass the construct whose finding you accept, e.g. a VmHost.');
    }
    const path = scope.node.path;
    if (!PolicyRules.all().some((r) => r.id === ruleId)) {
      throw new IsolationError(path, 'ruleId', 'must be the id of an IsolationChecks rule', ruleId,
        `Use one of ${PolicyRules.all().map((r) => r.id).join(', ')}.`);
    }
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      throw new IsolationError(path, 'reason', 'must say why the finding is accepted (at least 10 characters)', reason,
        'Write the reason a reviewer should read.');
    }
    let map = acknowledgements.get(scope);
    if (!map) acknowledgements.set(scope, (map = new Map()));
    map.set(ruleId, reason);
    IsolationReport.of(scope).addAcknowledgement({ ruleId, path, reason });
  }

  /** The findings of one construct, before acknowledgements (for tests and tools). */
  public static findingsOf(node: IConstruct): PolicyFinding[] {
    if (node instanceof ContainerOnVm) return PolicyRules.checkContainer(specView(node.spec));
    if (!(node instanceof TerraformResource)) return [];
    const config = () => resolved(node);
    switch (node.terraformResourceType) {
      case 'aws_instance':
        return PolicyRules.checkHost(instanceView(config()));
      case 'aws_launch_template':
        return PolicyRules.checkHost(launchTemplateView(config()));
      case 'aws_security_group':
        return list(config().ingress).flatMap((i: any) => PolicyRules.checkIngress(classicIngress(i)));
      case 'aws_security_group_rule': {
        const c = config();
        return c.type === 'ingress' ? PolicyRules.checkIngress(classicIngress(c)) : [];
      }
      case 'aws_vpc_security_group_ingress_rule': {
        const c = config();
        return PolicyRules.checkIngress({
          cidrs: u([c.cidr_ipv4, c.cidr_ipv6].filter((x) => typeof x === 'string')),
          fromPort: u(c.from_port),
          toPort: u(c.to_port),
          protocol: Unknown.is(u(c.ip_protocol)) ? u(c.ip_protocol) : String(c.ip_protocol ?? ''),
        });
      }
      case 'aws_ebs_volume': {
        const encrypted = u(config().encrypted);
        return PolicyRules.checkEbsVolume({ encrypted: Unknown.is(encrypted) || encrypted === undefined ? encrypted : encrypted === true || encrypted === 'true' });
      }
      case 'docker_container':
        return PolicyRules.checkContainer(dockerContainerView(config()));
      case 'aws_lb':
      case 'aws_alb': {
        const c = config();
        return PolicyRules.checkLoadBalancer({
          type: u(c.load_balancer_type ?? 'application'),
          dropInvalidHeaderFields: Unknown.is(u(c.drop_invalid_header_fields))
            ? u(c.drop_invalid_header_fields) : c.drop_invalid_header_fields === true,
        });
      }
      case 'aws_lb_listener':
      case 'aws_alb_listener':
        return PolicyRules.checkListener(listenerView(node, config()));
      case 'aws_vpc':
        return PolicyRules.checkVpc(vpcView(node));
      case 'aws_default_security_group':
        return PolicyRules.checkDefaultSecurityGroup(defaultSecurityGroupView(config()));
      case 'aws_autoscaling_group': {
        const lt = list(config().launch_template)[0];
        return PolicyRules.checkGroup({ launchTemplateVersion: lt?.version });
      }
      default:
        return [];
    }
  }

  /** Checks one construct (cdktf calls this for every node). */
  public visit(node: IConstruct): void {
    for (const finding of IsolationChecks.findingsOf(node)) {
      if (acknowledged(node, finding.ruleId)) continue;
      const message = `${node.node.path}: ${finding.message}`;
      if (finding.level === FindingLevel.ERROR) {Annotations.of(node).addError(message);} else if (finding.level === FindingLevel.NOT_CHECKED) {
        Annotations.of(node).addInfo(message);
        Preconditions.reportRule(node, finding.ruleId, message.slice(message.indexOf(']') + 2), 'the value is known only at apply');
      } else {Annotations.of(node).addWarning(message);}
    }
  }
}

function acknowledged(node: IConstruct, ruleId: string): boolean {
  for (const scope of node.node.scopes) {
    if (acknowledgements.get(scope)?.has(ruleId)) return true;
  }
  return false;
}
