import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { CloudConfig } from '../core/render/cloud-config';
import { DockerDaemonOptions } from '../core/render/daemon-json';
import { DockerHostSetup } from '../core/render/docker-host';
import { IsolationError } from '../private/errors';
import { RolePolicyStatement } from '../core/iam';
import { Protocol } from '../core/network';
import { OsFamily } from '../core/os-family';
import { Check, cidrFamily } from '../private/validate';

/** One inbound rule of a host's security group. Give exactly one source. */
export interface IngressRule {
  /** The port (or first port of a range). */
  readonly port: number;
  /**
   * Last port of a range.
   * @default - same as `port`
   */
  readonly toPort?: number;
  /**
   * Protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * Source IPv4 or IPv6 CIDR block.
   * @default - none; give this or `sourceSecurityGroupId`
   */
  readonly cidr?: string;
  /**
   * Source security group.
   * @default - none; give this or `cidr`
   */
  readonly sourceSecurityGroupId?: string;
  /**
   * Description shown in the console.
   * @default - generated from port and source
   */
  readonly description?: string;
}

const ADMIN_PORTS: Array<[number, string]> = [[22, 'SSH'], [3389, 'RDP']];

/**
 * The parts every Docker host has, whether a single instance (VmHost) or a
 * fleet (HostFleet): security group, IAM role and instance profile, inline
 * policy, cloud-config. Resources keep the ids VmHost always had.
 */
export class HostParts {
  /** The host's security group: no ingress; egress HTTP and HTTPS only unless `allowAllOutbound`. */
  public static securityGroup(scope: Construct, vpcId: string, tags: { [k: string]: string }, allowAllOutbound: boolean): SecurityGroup {
    const sg = new SecurityGroup(scope, 'SecurityGroup', {
      description: `cdktf-isolation host ${scope.node.path}`.slice(0, 255),
      vpcId,
      tags,
    });
    if (allowAllOutbound) {
      new VpcSecurityGroupEgressRule(scope, 'EgressAll', { securityGroupId: sg.id, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', description: 'all outbound' });
    } else {
      for (const port of [80, 443]) {
        new VpcSecurityGroupEgressRule(scope, `Egress${port}`, {
          securityGroupId: sg.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: '0.0.0.0/0',
          description: port === 443 ? 'HTTPS: SSM, image registries, package mirrors' : 'HTTP: package mirrors',
        });
      }
    }
    return sg;
  }

  /** The host role (EC2 may assume it; SSM managed-instance access) and its instance profile. */
  public static role(scope: Construct, tags: { [k: string]: string }): { role: IamRole; profile: IamInstanceProfile } {
    const role = new IamRole(scope, 'Role', {
      description: `cdktf-isolation host ${scope.node.path}`.slice(0, 1000),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags,
    });
    new IamRolePolicyAttachment(scope, 'SsmManagedInstanceCore', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    const profile = new IamInstanceProfile(scope, 'InstanceProfile', { role: role.name, tags });
    return { role, profile };
  }

  /** The cloud-config of a host: Docker installed and configured, or a plain host. */
  public static cloudConfig(osFamily: OsFamily, installDocker: boolean, daemon: DockerDaemonOptions | undefined, path: string): CloudConfig {
    const config = new CloudConfig();
    if (installDocker) {
      DockerHostSetup.apply(config, { osFamily, daemon, path });
    } else {
      config.enablePackageUpdate(true);
      config.useFinalMessage('cdktf-isolation: host ready after $UPTIME seconds');
    }
    return config;
  }

  /** Validates an inbound rule; SSH/RDP from the whole internet is refused. */
  public static validateIngress(path: string, rule: IngressRule): void {
    Check.port(path, 'ingress.port', rule.port);
    if (rule.toPort !== undefined) {
      Check.port(path, 'ingress.toPort', rule.toPort);
      if (rule.toPort < rule.port) {
        throw new IsolationError(path, 'ingress.toPort', `must not be below port ${rule.port}`, rule.toPort, 'Give the range as port (first) and toPort (last).');
      }
    }
    if (rule.protocol !== undefined) Check.oneOf(path, 'ingress.protocol', rule.protocol, Object.values(Protocol));
    if ((rule.cidr === undefined) === (rule.sourceSecurityGroupId === undefined)) {
      throw new IsolationError(path, 'ingress', 'must name exactly one source (cidr or sourceSecurityGroupId)',
        { cidr: rule.cidr, sourceSecurityGroupId: rule.sourceSecurityGroupId },
        "Set 'cidr' to a CIDR block or 'sourceSecurityGroupId' to a security group id, not both.");
    }
    if (rule.cidr !== undefined) {
      Check.cidr(path, 'ingress.cidr', rule.cidr);
      const toPort = rule.toPort ?? rule.port;
      const world = rule.cidr === '0.0.0.0/0' || rule.cidr === '::/0';
      for (const [adminPort, name] of ADMIN_PORTS) {
        if (world && rule.port <= adminPort && adminPort <= toPort && (rule.protocol ?? Protocol.TCP) === Protocol.TCP) {
          throw new IsolationError(path, 'ingress.cidr', `must not open ${name} (port ${adminPort}) to the whole internet`, rule.cidr,
            'Reach the host with SSM Session Manager (aws ssm start-session --target <instance id>; the host role already allows it), or allow only your own network\'s CIDR.');
        }
      }
    }
  }

  /** Adds a validated inbound rule to a security group. */
  public static addIngress(scope: Construct, id: string, securityGroupId: string, rule: IngressRule): VpcSecurityGroupIngressRule {
    const protocol = rule.protocol ?? Protocol.TCP;
    const toPort = rule.toPort ?? rule.port;
    const source = rule.cidr ?? rule.sourceSecurityGroupId!;
    const family = rule.cidr ? cidrFamily(rule.cidr) : undefined;
    return new VpcSecurityGroupIngressRule(scope, id, {
      securityGroupId,
      ipProtocol: protocol,
      fromPort: rule.port,
      toPort,
      cidrIpv4: family === 'ipv4' ? rule.cidr : undefined,
      cidrIpv6: family === 'ipv6' ? rule.cidr : undefined,
      referencedSecurityGroupId: rule.sourceSecurityGroupId,
      description: rule.description ?? `${protocol} ${rule.port === toPort ? rule.port : `${rule.port}-${toPort}`} from ${source}`,
    });
  }

  /**
   * Terraform reads `${...}` and `%{...}` in strings as templates; user data
   * is literal text, so both are escaped (`$${`, `%%{`). cdktf's own token
   * placeholders (`${TfToken[...]}`) are left alone: they become Terraform
   * references on purpose.
   */
  public static escapeTerraformTemplate(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
  }

  private constructor() {}
}

/** The inline policy of a host role: statements collected, rendered at synthesis. */
export class HostRolePolicy {
  private readonly statements: RolePolicyStatement[] = [];
  private resource?: IamRolePolicy;

  constructor(private readonly scope: Construct, private readonly role: IamRole) {}

  /** Adds a statement (an identical one is ignored). */
  public add(statement: RolePolicyStatement): void {
    const path = this.scope.node.path;
    if (!Array.isArray(statement.actions) || statement.actions.length === 0 ||
      statement.actions.some((a) => typeof a !== 'string' || !/^([a-z0-9-]+:[A-Za-z0-9*]+|\*)$/.test(a))) {
      throw new IsolationError(path, 'statement.actions', 'must be a non-empty list of IAM actions like \'service:Action\'', statement.actions,
        "Write actions such as 'ecr:BatchGetImage' or 's3:GetObject'.");
    }
    if (!Array.isArray(statement.resources) || statement.resources.length === 0 || statement.resources.some((r) => typeof r !== 'string' || r === '')) {
      throw new IsolationError(path, 'statement.resources', 'must be a non-empty list of ARNs (or \'*\')', statement.resources,
        'Name the resources the actions apply to, as ARNs.');
    }
    const key = JSON.stringify([statement.sid, statement.actions, statement.resources]);
    if (this.statements.some((s) => JSON.stringify([s.sid, s.actions, s.resources]) === key)) return;
    this.statements.push({ actions: [...statement.actions], resources: [...statement.resources], sid: statement.sid });
    this.resource ??= new IamRolePolicy(this.scope, 'Policy', { role: this.role.id, policy: Lazy.stringValue({ produce: () => this.render() }) });
  }

  private render(): string {
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: this.statements.map((s) => ({
        ...(s.sid ? { Sid: s.sid } : {}),
        Effect: 'Allow',
        Action: s.actions.length === 1 ? s.actions[0] : s.actions,
        Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      })),
    });
  }
}
