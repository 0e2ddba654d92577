// Views of Terraform JSON (and of the library's container specs) as the
// rules of ./rules read them. Pure JSON in, views out, except
// `listenerView`, which looks at the listener's siblings in the tree.
import { gunzipSync } from 'node:zlib';
import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { ContainerView, HostView, IngressView, ListenerView } from './rules';
import { ContainerSpec } from '../core/container-spec';
import { LibraryTags } from '../core/tags';

/** The Terraform JSON of one resource (or data source), tokens resolved as at synthesis. */
export function resolved(node: TerraformResource): any {
  const type = node.terraformResourceType;
  const tf = Tokenization.resolve(node.toTerraform(), { scope: node, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
  return Object.values<any>(tf.resource?.[type] ?? tf.data?.[type] ?? {})[0] ?? {};
}

export function list(v: unknown): any[] {
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

export function instanceView(c: any): HostView {
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
    roleForContainers: c.tags?.[LibraryTags.ROLE_FOR_CONTAINERS] === 'true',
    volumes,
    publicIp: c.associate_public_ip_address,
    instanceProfile: c.iam_instance_profile,
    userData: decodeUserData(c),
  };
}

export function launchTemplateView(c: any): HostView {
  const md = list(c.metadata_options)[0] ?? {};
  const nics = list(c.network_interfaces);
  const profile = list(c.iam_instance_profile)[0];
  return {
    kind: 'aws_launch_template',
    httpTokens: md.http_tokens,
    hopLimit: md.http_put_response_hop_limit,
    roleForContainers: list(c.tag_specifications).some((t: any) => t.tags?.[LibraryTags.ROLE_FOR_CONTAINERS] === 'true') || c.tags?.[LibraryTags.ROLE_FOR_CONTAINERS] === 'true',
    volumes: list(c.block_device_mappings).map((b: any) => ({ name: `block_device_mappings ${b.device_name ?? ''}`.trim(), encrypted: list(b.ebs)[0]?.encrypted === true || list(b.ebs)[0]?.encrypted === 'true' })),
    publicIp: nics.some((n: any) => n.associate_public_ip_address === true || n.associate_public_ip_address === 'true') ? true : undefined,
    instanceProfile: profile?.name ?? profile?.arn,
    userData: typeof c.user_data === 'string' ? decodeUserData({ user_data_base64: c.user_data }) : undefined,
  };
}

export function classicIngress(i: any): IngressView {
  return {
    cidrs: [...list(i.cidr_blocks), ...list(i.ipv6_cidr_blocks)],
    fromPort: i.from_port,
    toPort: i.to_port,
    protocol: String(i.protocol ?? ''),
  };
}

export function listenerView(node: TerraformResource, c: any): ListenerView {
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

/** The container rules' view of a library container spec. */
export function specView(s: ContainerSpec): ContainerView {
  const securityOpts: string[] = [];
  if (s.noNewPrivileges) securityOpts.push('no-new-privileges=true');
  if (s.seccompUnconfined) securityOpts.push('seccomp=unconfined');
  return {
    memoryMiB: s.memoryMiB,
    cpus: s.cpus,
    cpuShares: s.cpuShares,
    user: s.user,
    pidsLimit: s.pidsLimit,
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
    maxRestarts: s.maxRestarts,
    portHostIps: s.ports.map((p) => p.hostIp),
  };
}

export function dockerContainerView(c: any): ContainerView {
  const caps = list(c.capabilities)[0] ?? {};
  return {
    memoryMiB: c.memory,
    cpus: c.cpus === undefined ? undefined : Number(c.cpus),
    cpuShares: c.cpu_shares,
    user: typeof c.user === 'string' && c.user !== '' ? c.user : undefined,
    pidsLimit: undefined,
    pidsLimitSupported: false, // the docker provider has no pids limit
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
