/** How serious a finding is. */
export enum FindingLevel {
  /** Stops synthesis. */
  ERROR = 'error',
  /** Reported; synthesis goes on. */
  WARNING = 'warning',
}

/** Public rule ids a rule corresponds to. */
export interface RuleReferences {
  /**
   * CIS Docker Benchmark 1.6.0 item.
   * @default - none
   */
  readonly cisDocker?: string;
  /**
   * checkov check ids.
   * @default - none
   */
  readonly checkov?: string[];
  /**
   * trivy (tfsec) check ids.
   * @default - none
   */
  readonly trivy?: string[];
}

/** What a rule is, for RULES.md and for findings. */
export interface PolicyRuleInfo {
  /** Stable id. */
  readonly id: string;
  /** The short finding. */
  readonly finding: string;
  /** Why it matters and how to fix it. */
  readonly explanation: string;
  /** Level. */
  readonly level: FindingLevel;
  /** Public ids. */
  readonly references: RuleReferences;
  /** What it inspects. */
  readonly subject: string;
}

/** An EC2 instance or launch template, as the host rules see it. */
export interface HostView {
  /** `aws_instance` or `aws_launch_template`. */
  readonly kind: string;
  /** metadata_options.http_tokens. */
  readonly httpTokens?: string;
  /** metadata_options.http_put_response_hop_limit. */
  readonly hopLimit?: number;
  /** Whether the host's role is meant for containers (tag `cdktf-isolation:instance-role-for-containers`). */
  readonly roleForContainers: boolean;
  /** Block devices and whether each is encrypted. */
  readonly volumes: Array<{ name: string; encrypted: boolean }>;
  /** associate_public_ip_address. */
  readonly publicIp?: boolean;
  /** The instance profile, if any. */
  readonly instanceProfile?: string;
  /** User data as the instance gets it (decoded). */
  readonly userData?: string;
}

/** One inbound rule, from whichever resource declares it. */
export interface IngressView {
  /** Source CIDR blocks. */
  readonly cidrs: string[];
  /** First port (-1 or 0 with protocol -1 means every port). */
  readonly fromPort?: number;
  /** Last port. */
  readonly toPort?: number;
  /** Protocol (`tcp`, `udp`, `-1`, `all`, ...). */
  readonly protocol: string;
}

/** A container, from a library spec or a docker_container resource. */
export interface ContainerView {
  readonly memoryMiB?: number;
  readonly pidsLimit?: number;
  readonly privileged: boolean;
  readonly capDrop: string[];
  readonly capAdd: string[];
  readonly securityOpts: string[];
  readonly readOnlyRootFilesystem: boolean;
  readonly hostNetwork: boolean;
  readonly hostPid: boolean;
  readonly hostIpc: boolean;
  readonly hostUts: boolean;
  readonly hostPaths: string[];
  readonly healthCheck: boolean;
  readonly restart: string;
  readonly maxRestarts?: number;
  readonly portHostIps: string[];
}

type Check<T> = (subject: T) => string | undefined;

interface Rule<T> extends PolicyRuleInfo {
  readonly check: Check<T>;
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);
const SENSITIVE = ['/', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/bin', '/sbin', '/root'];
const DOCKER = ['/var/run/docker.sock', '/run/docker.sock', '/var/lib/docker', '/run/containerd', '/var/run/containerd'];

function secretIn(text: string): string | undefined {
  if (/\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(text)) return 'an AWS access key id';
  if (/-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/.test(text)) return 'a private key block';
  const m = /(password|passwd|pwd|secret|api[_-]?key|token)\s*[=:]\s*(["']?)([^\s"'$]{4,})\2/i.exec(text);
  if (m) return `a '${m[1]}=' assignment`;
  return undefined;
}

/** Host rules. */
export const HOST_RULES: Array<Rule<HostView>> = [
  {
    id: 'HOST-IMDSV2',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.ERROR,
    finding: 'IMDSv2 is not required',
    explanation: 'With IMDSv1 any process that can make an HTTP request (for example through an SSRF bug) can read the instance role\'s credentials. Set metadata_options.http_tokens = "required" (VmHost does).',
    references: { checkov: ['CKV_AWS_79'], trivy: ['AVD-AWS-0028'] },
    check: (h) => (h.httpTokens === 'required' ? undefined : `http_tokens is ${JSON.stringify(h.httpTokens ?? 'optional (default)')}`),
  },
  {
    id: 'HOST-HOP-LIMIT',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.ERROR,
    finding: 'the metadata hop limit lets containers reach the instance role',
    explanation: 'A hop limit above 1 lets IMDSv2 responses cross the Docker bridge, so every container can take the instance role\'s credentials. Keep 1, or mark the role as meant for containers (VmHost does when metadataHopLimit > 1).',
    references: { checkov: ['CKV_AWS_341'] },
    check: (h) => ((h.hopLimit ?? 1) > 1 && !h.roleForContainers ? `http_put_response_hop_limit is ${h.hopLimit}` : undefined),
  },
  {
    id: 'HOST-EBS-ENCRYPTED',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.ERROR,
    finding: 'a volume is not encrypted',
    explanation: 'Unencrypted EBS volumes and their snapshots expose the host\'s data to anyone who can read them. Set encrypted = true on every block device (VmHost always does).',
    references: { checkov: ['CKV_AWS_8'], trivy: ['AVD-AWS-0131'] },
    check: (h) => {
      const plain = h.volumes.filter((v) => !v.encrypted).map((v) => v.name);
      return plain.length ? `not encrypted: ${plain.join(', ')}` : undefined;
    },
  },
  {
    id: 'HOST-NO-PUBLIC-IP',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.ERROR,
    finding: 'the host has a public IP address',
    explanation: 'A public address makes the host reachable from the internet wherever its security groups allow. Reach hosts through SSM Session Manager or a load balancer instead.',
    references: { checkov: ['CKV_AWS_88'], trivy: ['AVD-AWS-0009'] },
    check: (h) => (h.publicIp === true ? 'associate_public_ip_address is true' : undefined),
  },
  {
    id: 'HOST-INSTANCE-PROFILE',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.ERROR,
    finding: 'the host has no instance profile',
    explanation: 'Without an IAM role the host cannot use SSM (the way in without SSH) and software on it tends to get static keys instead. Attach an instance profile (VmHost does).',
    references: { checkov: ['CKV2_AWS_41'] },
    check: (h) => (h.instanceProfile ? undefined : 'iam_instance_profile is not set'),
  },
  {
    id: 'HOST-USERDATA-SECRETS',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.ERROR,
    finding: 'the user data holds a secret',
    explanation: 'User data is readable by anyone with ec2:DescribeInstanceAttribute and from inside the host. Fetch secrets at boot (ContainerOnVm secretEnvironment reads SSM Parameter Store).',
    references: { checkov: ['CKV_AWS_46'], trivy: ['AVD-AWS-0029'] },
    check: (h) => {
      const found = h.userData ? secretIn(h.userData) : undefined;
      return found ? `user data contains ${found}` : undefined;
    },
  },
];

/** Ingress rules. */
export const INGRESS_RULES: Array<Rule<IngressView>> = [
  {
    id: 'HOST-ADMIN-INGRESS',
    subject: 'aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule',
    level: FindingLevel.ERROR,
    finding: 'SSH, RDP or every port is open to the whole internet',
    explanation: 'Ingress from 0.0.0.0/0 or ::/0 to 22, 3389 or all ports invites brute force and exploits. Use SSM Session Manager, or allow only your own network.',
    references: { checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_277'], trivy: ['AVD-AWS-0107'] },
    check: (r) => {
      const world = r.cidrs.filter((c) => WORLD.has(c));
      if (world.length === 0) return undefined;
      const all = r.protocol === '-1' || r.protocol === 'all';
      const from = r.fromPort ?? 0;
      const to = r.toPort ?? 65535;
      if (all || (from <= 0 && to >= 65535)) return `every port is open to ${world.join(', ')}`;
      if (!['tcp', '6'].includes(r.protocol)) return undefined;
      const admin = [22, 3389].filter((p) => from <= p && p <= to);
      return admin.length ? `port ${admin.join(' and ')} is open to ${world.join(', ')}` : undefined;
    },
  },
];

const cis = (item: string) => ({ cisDocker: item });

/** A load balancer listener, with what the rules need of its siblings. */
export interface ListenerView {
  /** HTTP, HTTPS, TCP, ... */
  readonly protocol: string;
  /** The SSL policy (HTTPS). */
  readonly sslPolicy?: string;
  /** The certificate ARN, if any. */
  readonly certificateArn?: string;
  /** Whether the default action redirects to HTTPS. */
  readonly redirectsToHttps: boolean;
  /** Whether another listener of the same load balancer is HTTPS. */
  readonly loadBalancerHasHttps: boolean;
}

/** A load balancer. */
export interface LoadBalancerView {
  /** application, network, gateway. */
  readonly type: string;
  /** drop_invalid_header_fields. */
  readonly dropInvalidHeaderFields: boolean;
}

/** An Auto Scaling group. */
export interface AutoScalingGroupView {
  /** The launch template version it uses. */
  readonly launchTemplateVersion?: string;
}

const TLS12_POLICIES = /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2|FS-1-2)/;

/** Load balancer and Auto Scaling rules. */
export const LOAD_BALANCER_RULES: Array<Rule<LoadBalancerView>> = [
  {
    id: 'LB-DROP-INVALID-HEADERS',
    subject: 'aws_lb',
    level: FindingLevel.ERROR,
    finding: 'invalid HTTP header fields are passed to targets',
    explanation: 'Without drop_invalid_header_fields an Application Load Balancer forwards malformed headers, a way to smuggle requests past it.',
    references: { checkov: ['CKV_AWS_131'], trivy: ['AVD-AWS-0052'] },
    check: (lb) => (lb.type === 'application' && !lb.dropInvalidHeaderFields ? 'drop_invalid_header_fields is not true' : undefined),
  },
];

/** Listener rules. */
export const LISTENER_RULES: Array<Rule<ListenerView>> = [
  {
    id: 'LB-TLS-POLICY',
    subject: 'aws_lb_listener',
    level: FindingLevel.ERROR,
    finding: 'an HTTPS listener allows TLS older than 1.2',
    explanation: 'Use a TLS 1.2+ security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06 (HostFleet does).',
    references: { checkov: ['CKV_AWS_103'], trivy: ['AVD-AWS-0047'] },
    check: (l) => (l.protocol === 'HTTPS' && !TLS12_POLICIES.test(l.sslPolicy ?? '') ? `ssl_policy is ${JSON.stringify(l.sslPolicy ?? 'the default')}` : undefined),
  },
  {
    id: 'LB-HTTPS-WITH-CERTIFICATE',
    subject: 'aws_lb_listener',
    level: FindingLevel.ERROR,
    finding: 'a certificate is given but the listener speaks plain HTTP',
    explanation: 'A listener with a certificate must be HTTPS, or the certificate protects nothing.',
    references: { checkov: ['CKV_AWS_2'] },
    check: (l) => (l.certificateArn && l.protocol === 'HTTP' ? 'protocol is HTTP with certificate_arn set' : undefined),
  },
  {
    id: 'LB-HTTP-REDIRECT',
    subject: 'aws_lb_listener',
    level: FindingLevel.ERROR,
    finding: 'a plain-HTTP listener serves traffic next to an HTTPS one',
    explanation: 'When the load balancer has HTTPS, its HTTP listener should only redirect to HTTPS, or clients keep sending data in clear text.',
    references: { checkov: ['CKV2_AWS_20'], trivy: ['AVD-AWS-0054'] },
    check: (l) => (l.protocol === 'HTTP' && l.loadBalancerHasHttps && !l.redirectsToHttps ? 'the HTTP listener forwards instead of redirecting' : undefined),
  },
];

/** Auto Scaling group rules. */
export const GROUP_RULES: Array<Rule<AutoScalingGroupView>> = [
  {
    id: 'ASG-PINNED-LAUNCH-TEMPLATE',
    subject: 'aws_autoscaling_group',
    level: FindingLevel.WARNING,
    finding: 'the group follows a moving launch template version',
    explanation: 'With $Latest or $Default new instances silently pick up template changes and no instance refresh rolls them out; pin the version the apply creates (HostFleet uses latest_version).',
    references: {},
    check: (g) => (g.launchTemplateVersion === '$Latest' || g.launchTemplateVersion === '$Default' ? `version is ${g.launchTemplateVersion}` : undefined),
  },
];

/** Container rules. */
export const CONTAINER_RULES: Array<Rule<ContainerView>> = [
  {
    id: 'CTR-MEMORY',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.10'),
    finding: 'no memory limit',
    explanation: 'Without a limit one container can exhaust the host\'s memory and take every other container down with it.',
    check: (c) => (c.memoryMiB && c.memoryMiB > 0 ? undefined : 'memory is not limited'),
  },
  {
    id: 'CTR-PIDS',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.28'),
    finding: 'no pids limit',
    explanation: 'Without a pids limit a fork bomb in one container exhausts the host\'s process table.',
    check: (c) => (c.pidsLimit && c.pidsLimit > 0 ? undefined : 'the pids cgroup is not limited'),
  },
  {
    id: 'CTR-PRIVILEGED',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.4'),
    finding: 'privileged container',
    explanation: 'A privileged container has every capability and every device: it is root on the host. Give the app a VM of its own instead.',
    check: (c) => (c.privileged ? 'privileged is true' : undefined),
  },
  {
    id: 'CTR-CAPABILITIES',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.3'),
    finding: 'capabilities are not dropped',
    explanation: 'Docker\'s default set keeps 14 capabilities (NET_RAW, SETUID, ...). Drop ALL and add back only what the app needs.',
    check: (c) => (c.capDrop.map((x) => x.toUpperCase()).includes('ALL') && !c.capAdd.map((x) => x.toUpperCase()).includes('ALL') ? undefined
      : `cap_drop is ${JSON.stringify(c.capDrop)}, cap_add ${JSON.stringify(c.capAdd)}`),
  },
  {
    id: 'CTR-NO-NEW-PRIVILEGES',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.25'),
    finding: 'no-new-privileges is not set',
    explanation: 'Without it a setuid binary in the image can raise a process\'s privileges.',
    check: (c) => (c.securityOpts.some((o) => /^no-new-privileges(=true|:true)?$/.test(o)) ? undefined : 'security_opts lacks no-new-privileges'),
  },
  {
    id: 'CTR-SECCOMP',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.21'),
    finding: 'seccomp is disabled',
    explanation: 'seccomp=unconfined lets the container make every system call, including the ones behind most kernel escapes.',
    check: (c) => (c.securityOpts.some((o) => /^seccomp[=:]unconfined$/.test(o)) ? 'seccomp=unconfined' : undefined),
  },
  {
    id: 'CTR-READONLY-ROOTFS',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.12'),
    finding: 'the root filesystem is writable',
    explanation: 'A writable root lets a compromised process change the container\'s binaries; write to tmpfs or volumes instead.',
    check: (c) => (c.readOnlyRootFilesystem ? undefined : 'read_only is false'),
  },
  {
    id: 'CTR-HOST-NAMESPACES',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.9, 5.15, 5.16, 5.20'),
    finding: 'a host namespace is shared',
    explanation: 'Sharing the host\'s network, PID, IPC or UTS namespace removes the isolation namespaces give.',
    check: (c) => {
      const shared = [['network', c.hostNetwork], ['pid', c.hostPid], ['ipc', c.hostIpc], ['uts', c.hostUts]].filter(([, on]) => on).map(([n]) => n);
      return shared.length ? `shares the host's ${shared.join(', ')} namespace` : undefined;
    },
  },
  {
    id: 'CTR-SENSITIVE-MOUNTS',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.5, 5.31'),
    finding: 'a sensitive host path or the Docker socket is mounted',
    explanation: 'System directories and the Docker socket give the container control of the host.',
    check: (c) => {
      const bad = c.hostPaths.filter((p) => SENSITIVE.some((s) => p === s || (s !== '/' && p.startsWith(`${s}/`))) ||
        DOCKER.some((d) => p === d || p.startsWith(`${d}/`) || d.startsWith(`${p === '/' ? '' : p}/`)));
      return bad.length ? `mounts ${bad.join(', ')}` : undefined;
    },
  },
  {
    id: 'CTR-HEALTHCHECK',
    subject: 'containers',
    level: FindingLevel.WARNING,
    references: cis('4.6'),
    finding: 'no health check',
    explanation: 'Without a health check a hung process looks healthy to Docker and to whoever watches it.',
    check: (c) => (c.healthCheck ? undefined : 'no health check'),
  },
  {
    id: 'CTR-RESTART-BOUNDED',
    subject: 'containers',
    level: FindingLevel.WARNING,
    references: cis('5.14'),
    finding: 'restarts are not bounded',
    explanation: 'A container that fails at every start and is restarted forever hides the failure and burns the host; use on-failure with a bound (5).',
    check: (c) => {
      if (c.restart === 'no' || c.restart === '') return undefined;
      if (c.restart === 'on-failure' && c.maxRestarts !== undefined && c.maxRestarts > 0 && c.maxRestarts <= 5) return undefined;
      return c.restart === 'on-failure' ? `on-failure with ${c.maxRestarts ?? 'no'} bound` : `restart is ${c.restart}`;
    },
  },
  {
    id: 'CTR-PORT-HOST-IP',
    subject: 'containers',
    level: FindingLevel.ERROR,
    references: cis('5.13'),
    finding: 'a published port is not bound to an explicit host address',
    explanation: 'Without a host IP Docker binds every interface; name the address (127.0.0.1, the host\'s private IP, or 0.0.0.0 explicitly).',
    check: (c) => (c.portHostIps.some((ip) => !ip) ? 'a port has no host IP' : undefined),
  },
];

/** The rules, and pure evaluation. */
export class PolicyRules {
  /** Every rule, for documentation. */
  public static all(): PolicyRuleInfo[] {
    return [...HOST_RULES, ...INGRESS_RULES, ...LOAD_BALANCER_RULES, ...LISTENER_RULES, ...GROUP_RULES, ...CONTAINER_RULES]
      .map(({ check: _c, ...info }) => info);
  }

  /** The rules of RULES.md, as Markdown. */
  public static markdown(): string {
    const refs = (r: RuleReferences) => [
      r.cisDocker ? `CIS Docker Benchmark 1.6.0 ${r.cisDocker}` : undefined,
      r.checkov?.length ? `checkov ${r.checkov.join(', ')}` : undefined,
      r.trivy?.length ? `trivy ${r.trivy.join(', ')}` : undefined,
    ].filter(Boolean).join('; ') || 'none (library rule)';
    const lines = [
      '# IsolationChecks rules',
      '',
      '<!-- Generated by `npx projen rules` from src/policy/rules/; a test keeps this file in step. -->',
      '',
      '`Aspects.of(stack).add(new IsolationChecks())` applies these rules to the library\'s constructs and to raw provider resources.',
      'Errors stop synthesis; warnings are reported. `IsolationChecks.acknowledge(construct, ruleId, reason)` accepts one rule on one',
      'construct and its children; the acknowledgement is recorded in the isolation report.',
      '',
      '| id | level | applies to | finding | public ids |',
      '| --- | --- | --- | --- | --- |',
      ...PolicyRules.all().map((r) => `| ${r.id} | ${r.level} | ${r.subject} | ${r.finding} | ${refs(r.references)} |`),
      '',
    ];
    for (const r of PolicyRules.all()) lines.push(`## ${r.id}`, '', `${r.finding}. ${r.explanation}`, '');
    return lines.join('\n');
  }

  /** Findings of the host rules. */
  public static checkHost(view: HostView): PolicyFinding[] {
    return evaluate(HOST_RULES, view);
  }

  /** Findings of the ingress rules. */
  public static checkIngress(view: IngressView): PolicyFinding[] {
    return evaluate(INGRESS_RULES, view);
  }

  /** Findings of the load balancer rules. */
  public static checkLoadBalancer(view: LoadBalancerView): PolicyFinding[] {
    return evaluate(LOAD_BALANCER_RULES, view);
  }

  /** Findings of the listener rules. */
  public static checkListener(view: ListenerView): PolicyFinding[] {
    return evaluate(LISTENER_RULES, view);
  }

  /** Findings of the Auto Scaling group rules. */
  public static checkGroup(view: AutoScalingGroupView): PolicyFinding[] {
    return evaluate(GROUP_RULES, view);
  }

  /** Findings of the container rules. */
  public static checkContainer(view: ContainerView): PolicyFinding[] {
    return evaluate(CONTAINER_RULES, view);
  }

  private constructor() {}
}

/** One finding. */
export interface PolicyFinding {
  /** The rule. */
  readonly ruleId: string;
  /** Level. */
  readonly level: FindingLevel;
  /** `[ID] finding: detail. explanation` */
  readonly message: string;
}

function evaluate<T>(rules: Array<Rule<T>>, subject: T): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const rule of rules) {
    const detail = rule.check(subject);
    if (detail !== undefined) out.push({ ruleId: rule.id, level: rule.level, message: `[${rule.id}] ${rule.finding}: ${detail}. ${rule.explanation}` });
  }
  return out;
}
