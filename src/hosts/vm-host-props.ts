import type { ContainerUpdateOptions } from './container-rollout';
import type { IHostNetwork } from './host-network';
import type { IMachineImage } from './machine-image';
import type { DataVolumeOptions } from '../core/data-volume';
import type { IngressRule } from '../core/ingress';
import type { InstanceTypeSize } from '../core/instance-types';
import type { DockerDaemonOptions } from '../core/render/daemon-json';

/* The props of VmHost (vm-host.ts). */

/** Props of `VmHost`. */
export interface VmHostProps {
  /**
   * The image to boot.
   * @default - MachineImage.amazonLinux2023() in the instance type's architecture
   */
  readonly machineImage?: IMachineImage;
  /**
   * EC2 instance type: one of the library's catalog (t2, t3, t3a, t4g, m5,
   * m5a, m6i, m6a, m6g, m7i, m7a, m7g, m8g, c5, c6i, c6a, c6g, c7i, c7g, r5,
   * r6i, r6a, r6g, r7i, r7g), or another with `instanceTypeSize`. A name
   * the catalog does not know is an error that names the nearest ones.
   * @default 't3.small'
   */
  readonly instanceType?: string;
  /**
   * The size of an instance type the catalog does not list yet: the name is
   * then used as given (EC2 checks it at apply) and the host's capacity is
   * checked against this size.
   * @default - the type must be in the catalog
   */
  readonly instanceTypeSize?: InstanceTypeSize;
  /**
   * The network of the host: a `HostNetwork` (private subnets with a way
   * out), `HostNetwork.fromExisting()` (a VPC of yours) or
   * `HostNetwork.defaultVpc()` (to try synthesis: no way out). The host goes
   * into its first host subnet (or `subnetId`), its security group's
   * outbound rules fit the network's way out, the network's endpoints admit
   * it, and a host whose packages, images or Systems Manager the network
   * cannot reach is an error.
   * @default - `vpcId`/`subnetId`; without them the account's default VPC, with a warning
   */
  readonly network?: IHostNetwork;
  /**
   * VPC of the host, for a VPC of your own without a `network` (which gives
   * its VPC: leave `vpcId` out with it).
   * @default - the network's VPC, the subnet's VPC, or the account's default VPC
   */
  readonly vpcId?: string;
  /**
   * Subnet of the host; with a `network`, one of its host subnets.
   * @default - the network's first host subnet, or the first subnet (by id) of the VPC
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
   * package installs, image pulls and SSM need (in a network reached through
   * VPC endpoints only: HTTPS to the endpoints and to S3).
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
   * Size of the root volume (gp3, always encrypted) in GiB, 8 to 16384
   * (30 to 16384 on Windows Server, whose AMIs have a 30 GiB root snapshot).
   * @default - 20; 50 on Windows Server
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * KMS key for the root volume.
   * @default - the account's default EBS key (aws/ebs)
   */
  readonly rootVolumeKmsKeyId?: string;
  /**
   * EC2 key pair for SSH. Prefer SSM Session Manager, which needs no key and no open port.
   * On Windows Server the key pair decrypts the Administrator password
   * (IsolationChecks warns); Session Manager and Fleet Manager's RDP need neither.
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
   * How container changes reach the running host. A change of a container
   * (its image, environment, any option; a container added or removed)
   * never replaces the instance: an SSM association runs the library's
   * reconcile on it, which updates only the containers that changed,
   * health-gated, and puts the previous version back when the new one
   * fails (`cdktf deploy` waits for it and fails with it). What the host
   * is (its machine image, daemon.json, the library's host setup, OS
   * packages, a native setup, the cloud-config escape hatch) still
   * replaces it.
   * @default - settle 10 s, health timeout 300 s
   */
  readonly containerUpdates?: ContainerUpdateOptions;
  /**
   * Install and start Docker. Turn it off for a host that runs its app
   * natively (no containers can then be placed on it). A Windows Server
   * host never runs Docker (the library's containers are Linux containers).
   * @default - true; false on Windows Server
   */
  readonly installDocker?: boolean;
  /**
   * Data volumes: EBS volumes that outlive the host (a replaced host gets
   * the same volumes, with their data). Each is an encrypted gp3 volume in
   * the zone of the host's subnet, attached to the instance, found on the
   * host by its volume id, formatted only when it holds nothing, and
   * mounted before the containers that use it start; a container mounts
   * one by naming it in `volumes` (`{ source: 'pgdata', target: '/var/lib/postgresql/data' }`).
   * Terraform refuses to destroy one unless its `removalPolicy` is DESTROY.
   * A volume added or removed replaces the instance (it is part of what
   * the host is); the other volumes stay.
   * @default - none: named Docker volumes live on the root volume, which is lost with the host
   */
  readonly dataVolumes?: DataVolumeOptions[];
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

