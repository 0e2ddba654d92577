import type { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Fn, Lazy, Token } from 'cdktf';
import { Construct } from 'constructs';
import { HostReserve } from '../core/capacity';
import { CloudConfig } from '../core/render/cloud-config';
import { ContainerSpec } from '../core/container-spec';
import { DockerDaemonOptions } from '../core/render/daemon-json';
import { IsolationError } from '../private/errors';
import { RolePolicyStatement } from '../core/iam';
import { InstanceTypes } from '../core/instance-types';
import { Architecture, OsFamily } from '../core/os-family';
import { EncodedUserData, UserData } from '../core/render/user-data';
import { Check } from '../private/validate';
import { HostParts, HostRolePolicy, IngressRule } from './host-parts';
import { MachineImage } from './machine-image';

/** Props of `VmHost`. */
export interface VmHostProps {
  /**
   * The image to boot.
   * @default - MachineImage.amazonLinux2023() in the instance type's architecture
   */
  readonly machineImage?: MachineImage;
  /**
   * EC2 instance type.
   * @default 't3.small'
   */
  readonly instanceType?: string;
  /**
   * VPC of the host.
   * @default - the subnet's VPC, or the account's default VPC
   */
  readonly vpcId?: string;
  /**
   * Subnet of the host.
   * @default - the first subnet (by id) of the VPC
   */
  readonly subnetId?: string;
  /**
   * Give the host a public IPv4 address. Doing so makes it reachable from the
   * internet wherever its security group allows; reach it through SSM instead.
   * @default false
   */
  readonly associatePublicIpAddress?: boolean;
  /**
   * Inbound rules. SSH (22) and RDP (3389) from anywhere are refused.
   * @default - no inbound traffic
   */
  readonly ingress?: IngressRule[];
  /**
   * Allow every outbound connection. Doing so lets a compromised host or
   * container talk to anything; the default allows only HTTP and HTTPS, which
   * package installs, image pulls and SSM need.
   * @default false
   */
  readonly allowAllOutbound?: boolean;
  /**
   * Hop limit of instance metadata (IMDSv2) responses. 1 keeps the instance
   * role away from containers on bridge networks; 2 lets containers reach
   * it (and its credentials), which only a container meant to use the
   * host's role should.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Size of the root volume (gp3, always encrypted) in GiB, 8 to 16384.
   * @default 20
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * KMS key for the root volume.
   * @default - the account's default EBS key (aws/ebs)
   */
  readonly rootVolumeKmsKeyId?: string;
  /**
   * EC2 key pair for SSH. Prefer SSM Session Manager, which needs no key and no open port.
   * @default - no key pair
   */
  readonly keyName?: string;
  /**
   * Detailed (1-minute) CloudWatch monitoring, billed per instance.
   * @default false
   */
  readonly detailedMonitoring?: boolean;
  /**
   * Docker daemon settings.
   * @default - live restore, log rotation, no-new-privileges
   */
  readonly dockerDaemon?: DockerDaemonOptions;
  /**
   * Install and start Docker. Turn it off for a host that runs its app
   * natively (no containers can then be placed on it).
   * @default true
   */
  readonly installDocker?: boolean;
  /**
   * The `Name` tag.
   * @default - the construct path
   */
  readonly name?: string;
  /**
   * More tags for the instance, its volume and its security group.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * One EC2 instance prepared to run Docker, secure by default: IMDSv2 only,
 * encrypted gp3 root volume, no public IP, no inbound traffic, SSM access
 * instead of SSH, and cloud-init user data that installs and configures Docker.
 */
export class VmHost extends Construct {
  /** The EC2 instance (escape hatch). */
  public readonly resource: Instance;
  /** The host's security group. */
  public readonly securityGroup: SecurityGroup;
  /** The host's IAM role. */
  public readonly role: IamRole;
  /** The instance profile of the role. */
  public readonly instanceProfile: IamInstanceProfile;
  /** The cloud-config delivered as user data; add to it before synthesis. */
  public readonly cloudConfig: CloudConfig;
  /** The OS family of the machine image. */
  public readonly osFamily: OsFamily;
  /** The CPU architecture. */
  public readonly architecture: Architecture;
  /** The instance type. */
  public readonly instanceType: string;
  /** The instance id. */
  public get instanceId(): string {
    return this.resource.id;
  }

  /** The private IPv4 address. */
  public get privateIp(): string {
    return this.resource.privateIp;
  }

  /** The public IPv4 address (empty unless `associatePublicIpAddress`). */
  public get publicIp(): string {
    return this.resource.publicIp;
  }

  /** The security group id. */
  public get securityGroupId(): string {
    return this.securityGroup.id;
  }

  /** The IAM role name. */
  public get roleName(): string {
    return this.role.name;
  }

  /** The VPC id. */
  public readonly vpcId: string;
  /** Whether the host runs Docker. */
  public readonly dockerInstalled: boolean;

  private readonly containers: Array<{ spec: ContainerSpec; path: string }> = [];
  private readonly rolePolicy: HostRolePolicy;
  private encoded?: { revision: number; value: EncodedUserData };
  private ingressCount = 0;

  constructor(scope: Construct, id: string, props: VmHostProps = {}) {
    super(scope, id);
    const path = this.node.path;
    this.instanceType = InstanceTypes.validate(path, 'instanceType', props.instanceType ?? 't3.small');
    const hopLimit = Check.integerInRange(path, 'metadataHopLimit', props.metadataHopLimit ?? 1, 1, 64,
      'Use 1 (the default) unless containers must reach the instance role, then 2.');
    const rootSize = Check.integerInRange(path, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? 20, 8, 16384,
      'EBS gp3 root volumes hold 8 to 16384 GiB; 20 suits a Docker host with a few images.');
    for (const rule of props.ingress ?? []) HostParts.validateIngress(path, rule);

    this.architecture = InstanceTypes.architectureOf(this.instanceType);
    const image = (props.machineImage ?? MachineImage.amazonLinux2023()).bind(this, {
      instanceArchitecture: this.architecture,
      instanceType: this.instanceType,
    });
    this.osFamily = image.osFamily;

    const network = this.resolveNetwork(props);
    this.vpcId = network.vpcId;
    const name = props.name ?? path;
    const tags: { [key: string]: string } = { ...(props.tags ?? {}), Name: name };
    // A hop limit above 1 is the documented way to give containers the
    // instance role; the tag tells IsolationChecks it was meant.
    if (hopLimit > 1) tags['cdktf-isolation:instance-role-for-containers'] = 'true';

    this.securityGroup = HostParts.securityGroup(this, network.vpcId, tags, props.allowAllOutbound ?? false);
    for (const rule of props.ingress ?? []) this.addIngress(rule);

    const identity = HostParts.role(this, tags);
    this.role = identity.role;
    this.instanceProfile = identity.profile;
    this.rolePolicy = new HostRolePolicy(this, this.role);

    this.dockerInstalled = props.installDocker ?? true;
    this.cloudConfig = HostParts.cloudConfig(this.osFamily, this.dockerInstalled, props.dockerDaemon, path);

    this.resource = new Instance(this, 'Resource', {
      ami: image.imageId,
      instanceType: this.instanceType,
      subnetId: network.subnetId,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: this.instanceProfile.name,
      associatePublicIpAddress: props.associatePublicIpAddress ?? false,
      keyName: props.keyName,
      monitoring: props.detailedMonitoring ?? false,
      ebsOptimized: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: hopLimit,
        instanceMetadataTags: 'disabled',
      },
      rootBlockDevice: {
        volumeType: 'gp3',
        volumeSize: rootSize,
        encrypted: true,
        kmsKeyId: props.rootVolumeKmsKeyId,
        deleteOnTermination: true,
        tags,
      },
      userData: Lazy.anyValue({ produce: () => HostParts.escapeTerraformTemplate(this.encodeUserData().text) }) as any,
      userDataBase64: Lazy.anyValue({ produce: () => this.encodeUserData().base64 }) as any,
      userDataReplaceOnChange: true,
      tags,
    });

    this.node.addValidation({
      validate: () => {
        const errors = this.validateContainers();
        try {
          this.encodeUserData();
        } catch (e) {
          errors.push((e as Error).message);
        }
        return errors;
      },
    });
  }

  /** The containers placed on this host, in order. */
  public get containerSpecs(): ContainerSpec[] {
    return this.containers.map((c) => c.spec);
  }

  /**
   * Registers a container placed on this host (ContainerOnVm does this).
   * A second container of the same name is an error.
   * @internal
   */
  public _registerContainer(spec: ContainerSpec, path: string): void {
    if (!this.dockerInstalled) {
      throw new IsolationError(path, 'host', `must run Docker, but host ${this.node.path} was created with installDocker: false`, this.node.path,
        'Place the container on a host with Docker (the default).');
    }
    const other = this.containers.find((c) => c.spec.name === spec.name);
    if (other) {
      throw new IsolationError(path, 'name', `must be unique on host ${this.node.path} (container ${other.path} already has it)`, spec.name,
        'Give each container on a host its own name.');
    }
    this.containers.push({ spec, path });
  }

  private validateContainers(): string[] {
    const errors: string[] = [];
    const host = this.node.path;
    const type = InstanceTypes.lookup(this.instanceType);
    for (const { spec, path } of this.containers) {
      if (type && spec.cpus !== undefined && spec.cpus > type.vcpus) {
        errors.push(`${path}: 'cpus' must not exceed the ${type.vcpus} vCPUs of host ${host} (${this.instanceType}), got ${spec.cpus}. ` +
          'Lower the limit or choose a larger instance type.');
      }
    }
    // Port clashes: one protocol/port bound twice on overlapping addresses.
    const bound: Array<{ ip: string; port: number; protocol: string; path: string }> = [];
    for (const { spec, path } of this.containers) {
      for (const p of spec.ports) {
        const clash = bound.find((b) => b.port === p.hostPort && b.protocol === p.protocol &&
          (b.ip === p.hostIp || isWildcard(b.ip) || isWildcard(p.hostIp)));
        if (clash) {
          errors.push(`${path}: 'ports.hostPort' must not reuse ${p.protocol} port ${p.hostPort} on host ${host}, which container ${clash.path} ` +
            `already publishes (${clash.ip}:${clash.port}), got ${p.hostIp}:${p.hostPort}. Choose another host port for one of them.`);
        }
        bound.push({ ip: p.hostIp, port: p.hostPort, protocol: p.protocol, path });
      }
    }
    if (type && this.containers.length > 0) {
      const limits = this.containers.reduce((sum, c) => sum + c.spec.memoryMiB, 0);
      const reserve = HostReserve.memoryMiB(this.containers.length);
      if (limits + reserve > type.memoryMiB) {
        const list = this.containers.map((c) => `${c.path} ${c.spec.memoryMiB} MiB`).join(', ');
        errors.push(`${host}: 'instanceType' ${this.instanceType} has ${type.memoryMiB} MiB, which cannot hold its containers' memory limits ` +
          `(${list}: ${limits} MiB) plus the reserve for the OS and Docker (${reserve} MiB), got ${limits + reserve} MiB needed. ` +
          'Choose an instance type with more memory, lower the limits, or move containers to another host.');
      }
    }
    return errors;
  }

  /** Adds an inbound rule to the host's security group. */
  public addIngress(rule: IngressRule): void {
    HostParts.validateIngress(this.node.path, rule);
    HostParts.addIngress(this, `Ingress${this.ingressCount++}`, this.securityGroup.id, rule);
  }

  /** Adds a statement to the host role's inline policy. */
  public addToRolePolicy(statement: RolePolicyStatement): void {
    this.rolePolicy.add(statement);
  }

  /** The user data text (the cloud-config YAML) as it is now. */
  public renderUserData(): string {
    return this.cloudConfig.render({ comment: `cdktf-isolation host ${this.node.path}` });
  }

  /** How the user data goes into the instance (plain, or gzip + base64 above 16 KB). */
  public encodeUserData(): EncodedUserData {
    // Synthesis asks several times (two lazy attributes, validation): render
    // and encode once per revision of the cloud-config, and keep only the
    // result (for a compressed host, not the text).
    const revision = this.cloudConfig.revision;
    if (this.encoded?.revision === revision) return this.encoded.value;
    const text = this.renderUserData();
    const encoded = UserData.encode(text, this.node.path);
    if (encoded.compressed && Token.isUnresolved(text)) {
      throw new IsolationError(this.node.path, 'userData', 'must not hold Terraform references when it needs compression', `${encoded.textBytes} bytes`,
        'Terraform values cannot be resolved inside compressed user data: pass such values through SSM parameters, or put fewer containers on this host.');
    }
    this.encoded = { revision, value: encoded };
    return encoded;
  }

  private resolveNetwork(props: VmHostProps): { vpcId: string; subnetId: string } {
    if (props.subnetId !== undefined) {
      Check.matches(this.node.path, 'subnetId', props.subnetId, /^(subnet-[0-9a-f]{8,17}|\$\{.+\})$/, "a subnet id ('subnet-' and hex digits)",
        'Copy the id of an existing subnet, or pass a reference such as subnet.id.');
    }
    if (props.vpcId !== undefined) {
      Check.matches(this.node.path, 'vpcId', props.vpcId, /^(vpc-[0-9a-f]{8,17}|\$\{.+\})$/, "a VPC id ('vpc-' and hex digits)",
        'Copy the id of an existing VPC, or pass a reference such as vpc.id.');
    }
    if (props.subnetId) {
      // Loaded on first use: only a subnet without its VPC needs this lookup.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const vpcId = props.vpcId ?? new (require('@cdktf/provider-aws/lib/data-aws-subnet').DataAwsSubnet as typeof DataAwsSubnet)(this, 'Subnet', { id: props.subnetId }).vpcId;
      return { vpcId, subnetId: props.subnetId };
    }
    const vpcId = props.vpcId ?? new DataAwsVpc(this, 'DefaultVpc', { default: true }).id;
    const subnets = new DataAwsSubnets(this, 'Subnets', { filter: [{ name: 'vpc-id', values: [vpcId] }] });
    return { vpcId, subnetId: Fn.element(Fn.sort(subnets.ids), 0) };
  }
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
