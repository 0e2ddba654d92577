import { FindingLevel, Rule } from './rule';

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
export const LOAD_BALANCER_RULES: ReadonlyArray<Rule<LoadBalancerView>> = [
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
export const LISTENER_RULES: ReadonlyArray<Rule<ListenerView>> = [
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
export const GROUP_RULES: ReadonlyArray<Rule<AutoScalingGroupView>> = [
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

