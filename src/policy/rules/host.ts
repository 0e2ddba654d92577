import { FindingLevel, Rule } from './rule';

/** An EC2 instance or launch template, as the host rules see it. */
export interface HostView {
  /** `aws_instance` or `aws_launch_template`. */
  readonly kind: string;
  /** metadata_options.http_tokens. */
  readonly httpTokens?: string;
  /** metadata_options.http_put_response_hop_limit. */
  readonly hopLimit?: number;
  /** Whether the host's role is meant for containers (the LibraryTags.ROLE_FOR_CONTAINERS tag). */
  readonly roleForContainers: boolean;
  /** Block devices and whether each is encrypted. */
  readonly volumes: Array<{ name: string; encrypted: boolean }>;
  /** associate_public_ip_address. */
  readonly publicIp?: boolean;
  /** The instance profile, if any. */
  readonly instanceProfile?: string;
  /** User data as the instance gets it (decoded). */
  readonly userData?: string;
  /** key_name: the EC2 key pair, if any. */
  readonly keyName?: string;
  /** True for a Windows host (the library's OS tag, or user data that EC2Launch runs: `<powershell>` or `<script>`). */
  readonly windows: boolean;
}

/** The kind of secret `text` holds, if any. */
function secretIn(text: string): string | undefined {
  if (/\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(text)) return 'an AWS access key id';
  if (/-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/.test(text)) return 'a private key block';
  const m = /(password|passwd|pwd|secret|api[_-]?key|token)\s*[=:]\s*(["']?)([^\s"'$]{4,})\2/i.exec(text);
  if (m) return `a '${m[1]}=' assignment`;
  return undefined;
}

/** Host rules. */
export const HOST_RULES: ReadonlyArray<Rule<HostView>> = [
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
  {
    id: 'HOST-WINDOWS-KEY-PAIR',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.WARNING,
    finding: 'a Windows host has a key pair',
    explanation: 'On Windows the key pair decrypts the Administrator password (GetPasswordData): whoever holds the private key can log in as Administrator, ' +
      'and the password stays valid until someone changes it. Leave keyName out and use SSM Session Manager or Fleet Manager\'s RDP, which need no password and no open port; ' +
      'or acknowledge the rule with the reason (IsolationChecks.acknowledge).',
    references: {},
    check: (h) => (h.windows && h.keyName !== undefined ? `key_name is ${JSON.stringify(String(h.keyName))}` : undefined),
  },
  {
    id: 'HOST-PROXY-HARDENED',
    subject: 'aws_instance, aws_launch_template',
    level: FindingLevel.ERROR,
    finding: 'the host\'s reverse proxy is not hardened',
    explanation: 'The reverse proxy of zeroDowntime containers (nginx, /etc/cdktf-isolation/proxy) faces the network: its workers must run as an unprivileged user, ' +
      'it must not tell its version (server_tokens off), it must bound request bodies and slow clients (client_max_body_size, client_header_timeout, ' +
      'client_body_timeout, send_timeout), and each server must listen on an explicit address. VmHost renders it so; the rule catches a configuration changed through the escape hatch.',
    references: { cisNginx: '2.2.1, 2.4.1, 2.5.1, 5.2.1, 5.2.2' },
    check: (h) => (typeof h.userData === 'string' && h.userData.includes(PROXY_CONFIG) ? proxyGaps(h.userData) : undefined),
  },
];

const PROXY_CONFIG = '/etc/cdktf-isolation/proxy/nginx.conf';

/** What the proxy's configuration in `userData` lacks, if anything. */
function proxyGaps(userData: string): string | undefined {
  const gaps: string[] = [];
  const user = /^\s*user\s+([^\s;]+)/m.exec(userData);
  if (!user) gaps.push('no user directive (the workers run as nobody or as the build default)');
  else if (/^(root|0)$/.test(user[1])) gaps.push(`its workers run as ${user[1]}`);
  if (!/^\s*server_tokens\s+off;/m.test(userData)) gaps.push('server_tokens is not off');
  for (const d of ['client_max_body_size', 'client_header_timeout', 'client_body_timeout', 'send_timeout']) {
    if (!new RegExp(`^\\s*${d}\\s+\\S+;`, 'm').test(userData)) gaps.push(`${d} is not set`);
  }
  const bare = /^\s*listen\s+(\d+)[\s;]/m.exec(userData);
  if (bare) gaps.push(`a server listens on port ${bare[1]} of every address`);
  return gaps.length ? gaps.join('; ') : undefined;
}

