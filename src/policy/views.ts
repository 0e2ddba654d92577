// Views of Terraform JSON (and of the library's container specs) as the
// rules of ./rules read them. Pure JSON in, views out, except
// `listenerView` and `vpcView`, which look at siblings in the tree.
import { gunzipSync } from 'node:zlib';
import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { ContainerView, DefaultSecurityGroupView, HostView, IngressView, ListenerView, VpcView } from './rules';
import { Unknown } from './rules/rule';
import { ContainerSpec } from '../core/container-spec';
import { LibraryTags } from '../core/tags';
import { Tokens } from '../private/tokens';
import '../terraform/tokens';

/** The Terraform JSON of one resource (or data source), tokens resolved as at synthesis. */
export function resolved(node: TerraformResource): any {
  const type = node.terraformResourceType;
  const tf = Tokenization.resolve(node.toTerraform(), { scope: node, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
  return Object.values<any>(tf.resource?.[type] ?? tf.data?.[type] ?? {})[0] ?? {};
}

/** True when a string of the resolved configuration holds a Terraform interpolation or directive (not an escaped `$${` or `%%{`). */
function isExpression(value: string): boolean {
  return /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
}

/**
 * A value a rule judges by its content: an Unknown when Terraform computes
 * it at apply (a string that holds a `${...}`), so the rule reports it as
 * not checked instead of judging the expression's text. Values a rule only
 * needs to be present (an instance profile, a certificate ARN) stay as
 * they are: a reference is present.
 */
export function u(value: any): any {
  if (typeof value === 'string') return isExpression(value) ? new Unknown(value) : value;
  if (Array.isArray(value)) return value.map(u);
  return value;
}

/** `v === true`, or the Unknown itself. */
function isTrue(raw: unknown): any {
  const v = u(raw);
  return Unknown.is(v) ? v : v === true || v === 'true';
}

/** `v === expected`, or the Unknown itself. */
function is(raw: unknown, expected: string): any {
  const v = u(raw);
  return Unknown.is(v) ? v : v === expected;
}

/** A string field as a string (or the Unknown itself). */
function text(raw: unknown): any {
  const v = u(raw);
  return Unknown.is(v) ? v : String(v ?? '');
}

/**
 * A field that may hold an Unknown in a view typed by what a rule reads:
 * rules see views through `tracked` (rule.ts), which reports an Unknown
 * they read as not checked, so their code never gets it.
 */
function orUnknown<T>(v: T | Unknown): T {
  return v as T;
}

/** A spec value: an Unknown when it is a token. */
function known<T>(v: T): T {
  return (Tokens.isUnresolved(v) ? new Unknown('a Terraform reference') : v) as T;
}

export function list(v: unknown): any[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function decodeUserData(c: any): string | undefined {
  if (Unknown.is(u(c.user_data))) return u(c.user_data);
  if (Unknown.is(u(c.user_data_base64))) return u(c.user_data_base64);
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

export function instanceView(c: any): HostView {
  const md = list(c.metadata_options)[0] ?? {};
  const volumes = [
    ...list(c.root_block_device).map((v: any) => ({ name: 'root_block_device', encrypted: isTrue(v.encrypted) })),
    ...list(c.ebs_block_device).map((v: any) => ({ name: `ebs_block_device ${v.device_name ?? ''}`.trim(), encrypted: isTrue(v.encrypted) })),
  ];
  if (list(c.root_block_device).length === 0) volumes.push({ name: 'root_block_device (default, unencrypted unless the account encrypts by default)', encrypted: false });
  return {
    kind: 'aws_instance',
    httpTokens: u(md.http_tokens),
    hopLimit: u(md.http_put_response_hop_limit),
    roleForContainers: is(c.tags?.[LibraryTags.ROLE_FOR_CONTAINERS], 'true'),
    volumes,
    publicIp: u(c.associate_public_ip_address),
    instanceProfile: c.iam_instance_profile,
    userData: decodeUserData(c),
    keyName: u(c.key_name),
    windows: isWindowsHost(c.tags, decodeUserData(c)),
  };
}

/** The library's OS tag says Windows, or the user data is what EC2Launch runs. */
function isWindowsHost(tags: any, userData: string | undefined): boolean {
  return tags?.[LibraryTags.OS] === 'windows' || (typeof userData === 'string' && /^\s*<(powershell|script)>/i.test(userData));
}

export function launchTemplateView(c: any): HostView {
  const md = list(c.metadata_options)[0] ?? {};
  const nics = list(c.network_interfaces);
  const profile = list(c.iam_instance_profile)[0];
  return {
    kind: 'aws_launch_template',
    httpTokens: u(md.http_tokens),
    hopLimit: u(md.http_put_response_hop_limit),
    roleForContainers: list(c.tag_specifications).some((t: any) => t.tags?.[LibraryTags.ROLE_FOR_CONTAINERS] === 'true') || c.tags?.[LibraryTags.ROLE_FOR_CONTAINERS] === 'true',
    volumes: list(c.block_device_mappings).map((b: any) => ({ name: `block_device_mappings ${b.device_name ?? ''}`.trim(), encrypted: isTrue(list(b.ebs)[0]?.encrypted) })),
    publicIp: orUnknown(nics.map((n: any) => u(n.associate_public_ip_address)).find((v: unknown) => Unknown.is(v)) ??
      (nics.some((n: any) => n.associate_public_ip_address === true || n.associate_public_ip_address === 'true') ? true : undefined)),
    instanceProfile: profile?.name ?? profile?.arn,
    userData: c.user_data === undefined ? undefined : decodeUserData({ user_data_base64: c.user_data }),
    keyName: u(c.key_name),
    windows: isWindowsHost(c.tags, c.user_data === undefined ? undefined : decodeUserData({ user_data_base64: c.user_data })),
  };
}

export function classicIngress(i: any): IngressView {
  return {
    cidrs: u([...list(i.cidr_blocks), ...list(i.ipv6_cidr_blocks)]),
    fromPort: u(i.from_port),
    toPort: u(i.to_port),
    protocol: text(i.protocol),
  };
}

export function listenerView(node: TerraformResource, c: any): ListenerView {
  const actions = list(c.default_action);
  const redirectsToHttps = actions.length > 0 && actions.every((a: any) => a.type === 'redirect' && list(a.redirect)[0]?.protocol === 'HTTPS');
  const others = siblings(node, ['aws_lb_listener', 'aws_alb_listener']).map((s) => s.config).filter((s) => s.load_balancer_arn === c.load_balancer_arn);
  return {
    protocol: Unknown.is(u(c.protocol)) ? u(c.protocol) : String(c.protocol ?? (c.certificate_arn ? 'HTTPS' : 'HTTP')).toUpperCase(),
    sslPolicy: u(c.ssl_policy),
    certificateArn: c.certificate_arn,
    redirectsToHttps,
    loadBalancerHasHttps: others.some((s) => String(s.protocol).toUpperCase() === 'HTTPS'),
  };
}

/** The resources of some types in the stack of `node`, other than `node`, as Terraform JSON. */
function siblings(node: TerraformResource, types: string[]): Array<{ type: string; config: any }> {
  return TerraformStack.of(node).node.findAll()
    .filter((n): n is TerraformResource => n instanceof TerraformResource && n !== node && types.includes(n.terraformResourceType))
    .map((n) => ({ type: n.terraformResourceType, config: resolved(n) }));
}

/** A VPC, with the flow logs and default security group of it that its stack holds (they name it by reference). */
export function vpcView(node: TerraformResource): VpcView {
  const reference = `\${aws_vpc.${node.friendlyUniqueId}.id}`;
  const ofVpc = siblings(node, ['aws_flow_log', 'aws_default_security_group']).filter((s) => s.config.vpc_id === reference);
  return {
    hasFlowLog: ofVpc.some((s) => s.type === 'aws_flow_log'),
    managesDefaultSecurityGroup: ofVpc.some((s) => s.type === 'aws_default_security_group'),
  };
}

export function defaultSecurityGroupView(c: any): DefaultSecurityGroupView {
  return { ingressRules: list(c.ingress).length, egressRules: list(c.egress).length };
}

/** The container rules' view of a library container spec (a token is an Unknown). */
export function specView(s: ContainerSpec): ContainerView {
  const securityOpts: string[] = [];
  if (s.noNewPrivileges) securityOpts.push('no-new-privileges=true');
  if (s.seccompUnconfined) securityOpts.push('seccomp=unconfined');
  return {
    memoryMiB: known(s.memoryMiB),
    cpus: known(s.cpus),
    cpuShares: known(s.cpuShares),
    user: known(s.user),
    pidsLimit: known(s.pidsLimit),
    pidsLimitSupported: true,
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
    maxRestarts: known(s.maxRestarts),
    portHostIps: s.ports.map((p) => known(p.hostIp)),
    // The spec as its VmHost runs it: a data volume is a host path by now.
    rootVolumeNamedVolumes: s.volumes.filter((v) => !v.hostPath).map((v) => v.source),
  };
}

export function dockerContainerView(c: any): ContainerView {
  const caps = list(c.capabilities)[0] ?? {};
  return {
    memoryMiB: u(c.memory),
    cpus: c.cpus === undefined || Unknown.is(u(c.cpus)) ? u(c.cpus) : Number(c.cpus),
    cpuShares: u(c.cpu_shares),
    user: Unknown.is(u(c.user)) ? u(c.user) : typeof c.user === 'string' && c.user !== '' ? c.user : undefined,
    pidsLimit: undefined,
    pidsLimitSupported: false, // the docker provider has no pids limit
    privileged: isTrue(c.privileged),
    capDrop: u(list(caps.drop)),
    capAdd: u(list(caps.add)),
    securityOpts: u(list(c.security_opts)),
    readOnlyRootFilesystem: isTrue(c.read_only),
    hostNetwork: is(c.network_mode, 'host'),
    hostPid: is(c.pid_mode, 'host'),
    hostIpc: is(c.ipc_mode, 'host'),
    hostUts: false,
    hostPaths: [
      ...list(c.volumes).map((v: any) => u(v.host_path)).filter((p: unknown) => typeof p === 'string' || Unknown.is(p)),
      ...list(c.mounts).filter((m: any) => Unknown.is(u(m.type)) || m.type === 'bind').map((m: any) => u(m.source)),
    ],
    healthCheck: list(c.healthcheck).length > 0,
    restart: u(c.restart ?? 'no'),
    maxRestarts: u(c.max_retry_count),
    portHostIps: list(c.ports).map((p: any) => u(p.ip ?? '')),
    // A docker_container runs on an engine Terraform does not replace (LocalDockerHost: a development machine).
    rootVolumeNamedVolumes: [],
  };
}
