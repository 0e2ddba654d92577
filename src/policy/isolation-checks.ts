import { gunzipSync } from 'node:zlib';
import { DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization, Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { ContainerOnVm } from '../containers/container-on-vm';
import { IsolationError } from '../private/errors';
import { ContainerView, FindingLevel, HostView, IngressView, ListenerView, PolicyFinding, PolicyRuleInfo, PolicyRules } from './rules/index';
import { IsolationReport } from '../apps/isolation-report';

const acknowledgements = new WeakMap<IConstruct, Map<string, string>>();

/** The tag that marks an instance role as meant for containers (metadata hop limit above 1). */
export const ROLE_FOR_CONTAINERS_TAG = 'cdktf-isolation:instance-role-for-containers';

/**
 * A cdktf Aspect that checks hosts, security groups and containers before
 * synthesis, the library's constructs and raw provider resources alike
 * (`aws_instance`, `aws_launch_template`, `aws_security_group`,
 * `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`,
 * `docker_container`). Findings are annotations: errors stop synthesis.
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
    if (node instanceof ContainerOnVm) return PolicyRules.checkContainer(specView(node));
    if (!(node instanceof TerraformResource)) return [];
    const type = node.terraformResourceType;
    const config = (): any => {
      const tf = Tokenization.resolve(node.toTerraform(), { scope: node, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
      return Object.values<any>(tf.resource?.[type] ?? tf.data?.[type] ?? {})[0] ?? {};
    };
    switch (type) {
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
          cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter((x) => typeof x === 'string'),
          fromPort: c.from_port,
          toPort: c.to_port,
          protocol: String(c.ip_protocol ?? ''),
        });
      }
      case 'docker_container':
        return PolicyRules.checkContainer(dockerContainerView(config()));
      case 'aws_lb':
      case 'aws_alb': {
        const c = config();
        return PolicyRules.checkLoadBalancer({ type: c.load_balancer_type ?? 'application', dropInvalidHeaderFields: c.drop_invalid_header_fields === true });
      }
      case 'aws_lb_listener':
      case 'aws_alb_listener':
        return PolicyRules.checkListener(listenerView(node, config()));
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
      if (finding.level === FindingLevel.ERROR) Annotations.of(node).addError(message);
      else Annotations.of(node).addWarning(message);
    }
  }
}

function acknowledged(node: IConstruct, ruleId: string): boolean {
  for (const scope of node.node.scopes) {
    if (acknowledgements.get(scope)?.has(ruleId)) return true;
  }
  return false;
}

function list(v: unknown): any[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function decodeUserData(c: any): string | undefined {
  if (typeof c.user_data === 'string') return c.user_data;
  if (typeof c.user_data_base64 === 'string' && !c.user_data_base64.includes('${')) {
    const bytes = Buffer.from(c.user_data_base64, 'base64');
    try {
      return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    } catch {
      return bytes.toString('utf8');
    }
  }
  return typeof c.user_data_base64 === 'string' ? c.user_data_base64 : undefined;
}

function instanceView(c: any): HostView {
  const md = list(c.metadata_options)[0] ?? {};
  const volumes = [
    ...list(c.root_block_device).map((v: any) => ({ name: 'root_block_device', encrypted: v.encrypted === true })),
    ...list(c.ebs_block_device).map((v: any) => ({ name: `ebs_block_device ${v.device_name ?? ''}`.trim(), encrypted: v.encrypted === true })),
  ];
  if (list(c.root_block_device).length === 0) volumes.push({ name: 'root_block_device (default, unencrypted unless the account encrypts by default)', encrypted: false });
  return {
    kind: 'aws_instance',
    httpTokens: md.http_tokens,
    hopLimit: md.http_put_response_hop_limit,
    roleForContainers: c.tags?.[ROLE_FOR_CONTAINERS_TAG] === 'true',
    volumes,
    publicIp: c.associate_public_ip_address,
    instanceProfile: c.iam_instance_profile,
    userData: decodeUserData(c),
  };
}

function launchTemplateView(c: any): HostView {
  const md = list(c.metadata_options)[0] ?? {};
  const nics = list(c.network_interfaces);
  const profile = list(c.iam_instance_profile)[0];
  return {
    kind: 'aws_launch_template',
    httpTokens: md.http_tokens,
    hopLimit: md.http_put_response_hop_limit,
    roleForContainers: list(c.tag_specifications).some((t: any) => t.tags?.[ROLE_FOR_CONTAINERS_TAG] === 'true') || c.tags?.[ROLE_FOR_CONTAINERS_TAG] === 'true',
    volumes: list(c.block_device_mappings).map((b: any) => ({ name: `block_device_mappings ${b.device_name ?? ''}`.trim(), encrypted: list(b.ebs)[0]?.encrypted === true || list(b.ebs)[0]?.encrypted === 'true' })),
    publicIp: nics.some((n: any) => n.associate_public_ip_address === true || n.associate_public_ip_address === 'true') ? true : undefined,
    instanceProfile: profile?.name ?? profile?.arn,
    userData: typeof c.user_data === 'string' ? decodeUserData({ user_data_base64: c.user_data }) : undefined,
  };
}

function classicIngress(i: any): IngressView {
  return {
    cidrs: [...list(i.cidr_blocks), ...list(i.ipv6_cidr_blocks)],
    fromPort: i.from_port,
    toPort: i.to_port,
    protocol: String(i.protocol ?? ''),
  };
}

function resolved(node: TerraformResource): any {
  const tf = Tokenization.resolve(node.toTerraform(), { scope: node, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
  return Object.values<any>(tf.resource?.[node.terraformResourceType] ?? {})[0] ?? {};
}

function listenerView(node: TerraformResource, c: any): ListenerView {
  const actions = list(c.default_action);
  const redirectsToHttps = actions.length > 0 && actions.every((a: any) => a.type === 'redirect' && list(a.redirect)[0]?.protocol === 'HTTPS');
  const siblings = TerraformStack.of(node).node.findAll()
    .filter((n): n is TerraformResource => n instanceof TerraformResource && n !== node && ['aws_lb_listener', 'aws_alb_listener'].includes(n.terraformResourceType))
    .map(resolved)
    .filter((s) => s.load_balancer_arn === c.load_balancer_arn);
  return {
    protocol: String(c.protocol ?? (c.certificate_arn ? 'HTTPS' : 'HTTP')).toUpperCase(),
    sslPolicy: c.ssl_policy,
    certificateArn: c.certificate_arn,
    redirectsToHttps,
    loadBalancerHasHttps: siblings.some((s) => String(s.protocol).toUpperCase() === 'HTTPS'),
  };
}

function specView(c: ContainerOnVm): ContainerView {
  const s = c.spec;
  const securityOpts: string[] = [];
  if (s.noNewPrivileges) securityOpts.push('no-new-privileges=true');
  if (s.seccompUnconfined) securityOpts.push('seccomp=unconfined');
  return {
    memoryMiB: s.memoryMiB,
    pidsLimit: s.pidsLimit,
    privileged: s.privileged,
    capDrop: s.capDrop,
    capAdd: s.capAdd,
    securityOpts,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem,
    hostNetwork: s.hostNetwork,
    hostPid: s.hostPid,
    hostIpc: s.hostIpc,
    hostUts: s.hostUts,
    hostPaths: s.volumes.filter((v) => v.hostPath).map((v) => v.source),
    healthCheck: s.healthCheck !== undefined,
    restart: s.restartPolicy,
    maxRestarts: s.maxRestarts,
    portHostIps: s.ports.map((p) => p.hostIp),
  };
}

function dockerContainerView(c: any): ContainerView {
  const caps = list(c.capabilities)[0] ?? {};
  return {
    memoryMiB: c.memory,
    pidsLimit: undefined, // the docker provider cannot set one
    privileged: c.privileged === true,
    capDrop: list(caps.drop),
    capAdd: list(caps.add),
    securityOpts: list(c.security_opts),
    readOnlyRootFilesystem: c.read_only === true,
    hostNetwork: c.network_mode === 'host',
    hostPid: c.pid_mode === 'host',
    hostIpc: c.ipc_mode === 'host',
    hostUts: false,
    hostPaths: [
      ...list(c.volumes).map((v: any) => v.host_path).filter((p: unknown) => typeof p === 'string'),
      ...list(c.mounts).filter((m: any) => m.type === 'bind').map((m: any) => m.source),
    ],
    healthCheck: list(c.healthcheck).length > 0,
    restart: c.restart ?? 'no',
    maxRestarts: c.max_retry_count,
    portHostIps: list(c.ports).map((p: any) => p.ip ?? ''),
  };
}
