import { Construct } from 'constructs';
import { ContainerOptions } from '../core/container-options';
import { ContainerSpec } from '../core/container-spec';
import { Ingress, IngressRule } from '../core/ingress';
import { DockerRun } from '../core/render/docker-run';
import { HostLayout } from '../core/render/host-layout';
import { VmHost } from '../hosts/vm-host';
import { collectDeferred } from '../private/deferred';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';
import { Check } from '../private/validate';
import { Preconditions } from '../terraform/preconditions';

/** Opens the host's security group for one published port of a container. Give exactly one source. */
export interface ContainerIngress {
  /** The published host port. */
  readonly hostPort: number;
  /**
   * Source CIDR block.
   * @default - none; give this or `sourceSecurityGroupId`
   */
  readonly cidr?: string;
  /**
   * Source security group (e.g. a load balancer's).
   * @default - none; give this or `cidr`
   */
  readonly sourceSecurityGroupId?: string;
}

/** Props of `ContainerOnVm`. */
export interface ContainerOnVmProps extends ContainerOptions {
  /** The host the container runs on. */
  readonly host: VmHost;
  /**
   * Sources allowed to reach published ports through the host's security
   * group. A port is reachable from outside only when it is published on a
   * non-loopback `hostIp` and listed here.
   * @default - no port is opened
   */
  readonly ingress?: ContainerIngress[];
}

/**
 * One hardened Docker container on a `VmHost`, delivered through the host's
 * cloud-init as a systemd unit: one `terraform apply` brings up host and
 * container, with no Docker connection at plan time. The security group
 * rules that open its ports are children of this construct.
 */
export class ContainerOnVm extends Construct {
  /** The validated spec, with every default applied. */
  public readonly spec: ContainerSpec;
  /** The host. */
  public readonly host: VmHost;
  /** The systemd unit that starts the container at every boot. */
  public readonly unitName: string;

  constructor(scope: Construct, id: string, props: ContainerOnVmProps) {
    super(scope, id);
    const path = this.node.path;
    if (props === null || typeof props !== 'object') {
      throw new IsolationError(path, 'props', 'must be an object with at least host, name, image and memoryMiB', props,
        "Describe the container, e.g. { host, name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 256 }.");
    }
    if (!(props.host instanceof VmHost)) {
      throw new IsolationError(path, 'host', 'must be a VmHost', props.host === undefined ? undefined : String(props.host),
        'Create a VmHost and pass it as host.');
    }
    this.host = props.host;
    this.spec = ContainerSpec.of(props, path);
    this.unitName = HostLayout.unitName(this.spec.name);
    // Validated here for errors at the container; the host's security group checks each rule again as it adds it (and hands token values to Terraform).
    const rules = Check.objectList(path, 'ingress', props.ingress, "{ hostPort: 8080, cidr: '10.0.0.0/16' }");
    const ingress = collectDeferred(() => rules.map((rule, i) => this.validateIngress(rule, i))).result;
    // Checks of values known at apply become preconditions of the host's instance (VmHost); those nothing can run are reported here.
    Preconditions.report(this, this.spec._deferred);
    // The spec as the host runs it (its data volumes bound).
    this.spec = this.host._registerContainer(this.spec, this);

    for (const rule of ingress) this.host.securityGroup.addIngress(rule, this);
  }

  /**
   * The `docker run` command line the host runs (rendered when read:
   * synthesis never needs it).
   */
  public get dockerRunCommand(): string {
    return DockerRun.commandLine(this.spec);
  }

  private validateIngress(rule: ContainerIngress, i: number): IngressRule {
    const path = this.node.path;
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
      throw new IsolationError(path, `ingress[${i}]`, 'must be an object like { hostPort: 8080, cidr: \'10.0.0.0/16\' }', rule,
        'Name the published host port and one source (cidr or sourceSecurityGroupId).');
    }
    const hostPort = Check.port(path, `ingress[${i}].hostPort`, rule.hostPort);
    const port = this.spec.ports.find((p) => p.hostPort === hostPort);
    if (!port) {
      throw new IsolationError(path, `ingress[${i}].hostPort`, 'must be a host port the container publishes', hostPort,
        `Publish it in ports first (published: ${this.spec.ports.map((p) => p.hostPort).join(', ') || 'none'}).`);
    }
    if (port.hostIp.startsWith('127.') || port.hostIp === '::1') {
      throw new IsolationError(path, 'ports.hostIp', `must not be loopback when ingress opens port ${hostPort} (nothing outside the host could reach it)`,
        port.hostIp, "Publish the port on '0.0.0.0' (or the host's private address) to open it.");
    }
    const opened: IngressRule = {
      port: port.hostPort,
      protocol: port.protocol,
      cidr: rule.cidr,
      sourceSecurityGroupId: rule.sourceSecurityGroupId,
      description: `container ${this.spec.name} ${port.protocol}/${Tokens.numberText(port.hostPort)}`,
    };
    Ingress.validate(path, opened, `ingress[${i}]`);
    return opened;
  }
}
