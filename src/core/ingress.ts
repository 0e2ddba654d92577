import { Cidr, isWholeInternet } from './cidr';
import { CidrSource, Protocol } from './network';
import { deferCheck } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
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

/** Remote administration ports that must never be open to the whole internet, with the protocols they speak. */
export const ADMIN_PORTS: ReadonlyArray<{ readonly port: number; readonly name: string; readonly protocols: readonly Protocol[] }> = [
  { port: 22, name: 'SSH', protocols: [Protocol.TCP] },
  // RDP listens on TCP 3389 and, for its UDP transport, on UDP 3389.
  { port: 3389, name: 'RDP', protocols: [Protocol.TCP, Protocol.UDP] },
];

/** Validation and rendering of inbound rules, for every construct that opens a security group. */
export class Ingress {
  /** The fix of an admin port opened to the whole internet. */
  public static readonly ADMIN_FIX = 'Reach the host with SSM Session Manager (aws ssm start-session --target <instance id>; the host role already allows it), ' +
    'or allow only your own network\'s CIDR.';

  /** Validates an inbound rule; SSH or RDP from the whole internet is refused. */
  public static validate(path: string, rule: IngressRule, prop = 'ingress'): void {
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
      throw new IsolationError(path, prop, 'must be an object like { port: 443, cidr: \'10.0.0.0/16\' }', rule,
        'Give each inbound rule as an object with a port and one source (cidr or sourceSecurityGroupId).');
    }
    Check.port(path, `${prop}.port`, rule.port);
    if (rule.toPort !== undefined) {
      Check.port(path, `${prop}.toPort`, rule.toPort);
      if (Tokens.isUnresolved(rule.toPort) || Tokens.isUnresolved(rule.port)) {
        Check.integerInRange(path, `${prop}.toPort`, rule.toPort, rule.port, 65535, 'Give the range as port (first) and toPort (last).');
      } else if (rule.toPort < rule.port) {
        throw new IsolationError(path, `${prop}.toPort`, `must not be below port ${rule.port}`, rule.toPort, 'Give the range as port (first) and toPort (last).');
      }
    }
    if (rule.protocol !== undefined) {
      Check.known(path, `${prop}.protocol`, rule.protocol, 'it decides which rules apply, e.g. to SSH and RDP');
      Check.oneOf(path, `${prop}.protocol`, rule.protocol, Object.values(Protocol));
    }
    if ((rule.cidr === undefined) === (rule.sourceSecurityGroupId === undefined)) {
      throw new IsolationError(path, prop, 'must name exactly one source (cidr or sourceSecurityGroupId)',
        { cidr: rule.cidr, sourceSecurityGroupId: rule.sourceSecurityGroupId },
        "Set 'cidr' to a CIDR block or 'sourceSecurityGroupId' to a security group id, not both.");
    }
    if (rule.cidr !== undefined) {
      const portsKnown = !Tokens.isUnresolved(rule.port) && !Tokens.isUnresolved(rule.toPort);
      const admin = portsKnown ? Ingress.adminPortsOf(rule)[0] : undefined;
      const cidr = Check.cidr(path, `${prop}.cidr`, rule.cidr, admin && {
        problem: `must not open ${admin.name} (port ${admin.port}) to the whole internet`, fix: Ingress.ADMIN_FIX,
      });
      if (admin && cidr && isWholeInternet(cidr)) {
        throw new IsolationError(path, `${prop}.cidr`, `must not open ${admin.name} (port ${admin.port}) to the whole internet`, rule.cidr, Ingress.ADMIN_FIX);
      }
      if (!portsKnown) {
        // Which admin ports the range opens is known at apply: each is checked there.
        const protocol = rule.protocol ?? Protocol.TCP;
        for (const a of ADMIN_PORTS.filter((x) => x.protocols.includes(protocol))) {
          deferCheck({
            path,
            prop: `${prop}.cidr`,
            value: rule.cidr,
            problem: `must not open ${a.name} (port ${a.port}) to the whole internet`,
            fix: Ingress.ADMIN_FIX,
            condition: { kind: 'admin-source', adminPort: a.port, fromPort: rule.port, toPort: rule.toPort ?? rule.port },
          });
        }
      }
    }
  }

  /** The admin ports (SSH, RDP) a rule's port range and protocol open. */
  public static adminPortsOf(rule: IngressRule): Array<{ port: number; name: string }> {
    const protocol = rule.protocol ?? Protocol.TCP;
    const toPort = rule.toPort ?? rule.port;
    return ADMIN_PORTS.filter((a) => a.protocols.includes(protocol) && rule.port <= a.port && a.port <= toPort)
      .map(({ port, name }) => ({ port, name }));
  }

  /** The parsed source of a rule with a CIDR source. */
  public static sourceCidr(path: string, rule: IngressRule, prop = 'ingress'): Cidr | undefined {
    return rule.cidr === undefined ? undefined : Check.cidr(path, `${prop}.cidr`, rule.cidr);
  }

  /** A CIDR block as the VPC security group rule resources take it. */
  public static cidrSource(cidr: string): CidrSource {
    return cidrFamily(cidr) === 'ipv6' ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
  }

  /** The console description of a rule. */
  public static describe(rule: IngressRule): string {
    const toPort = rule.toPort ?? rule.port;
    const n = Tokens.numberText;
    return rule.description ?? `${rule.protocol ?? Protocol.TCP} ${rule.port === toPort ? n(rule.port) : `${n(rule.port)}-${n(toPort)}`} from ${rule.cidr ?? rule.sourceSecurityGroupId}`;
  }

  private constructor() {}
}
