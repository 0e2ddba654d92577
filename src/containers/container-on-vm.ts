import { Construct } from 'constructs';
import { ContainerSetup } from '../core/render/container-setup';
import { ContainerOptions, ContainerSpec } from '../core/container-spec';
import { DockerRun } from '../core/render/docker-run';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';
import { VmHost } from '../hosts/vm-host';

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
 * container, with no Docker connection at plan time.
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
    if (!(props.host instanceof VmHost)) {
      throw new IsolationError(path, 'host', 'must be a VmHost', props.host === undefined ? undefined : String(props.host),
        'Create a VmHost and pass it as host.');
    }
    this.host = props.host;
    this.spec = ContainerSpec.of(props, path);
    this.unitName = DockerRun.unitName(this.spec);
    const ingress = (props.ingress ?? []).map((rule, i) => this.validateIngress(rule, i));
    this.host._registerContainer(this.spec, path);

    for (const statement of ContainerSetup.apply(this.host.cloudConfig, this.spec, this.host.osFamily)) {
      this.host.addToRolePolicy(statement);
    }

    for (const rule of ingress) {
      this.host.addIngress({
        port: rule.port.hostPort,
        protocol: rule.port.protocol,
        cidr: rule.cidr,
        sourceSecurityGroupId: rule.sourceSecurityGroupId,
        description: `container ${this.spec.name} ${rule.port.protocol}/${rule.port.hostPort}`,
      });
    }
  }

  /**
   * The `docker run` command line the host runs (rendered when read:
   * synthesis never needs it).
   */
  public get dockerRunCommand(): string {
    return DockerRun.commandLine(this.spec);
  }

  private validateIngress(rule: ContainerIngress, i: number) {
    const path = this.node.path;
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
    return { port, cidr: rule.cidr, sourceSecurityGroupId: rule.sourceSecurityGroupId };
  }
}
