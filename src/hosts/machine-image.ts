import type { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { Construct } from 'constructs';
import { IsolationError } from '../private/errors';
import { Architecture, OsFamilies, OsFamily } from '../core/os-family';

/** Options of the `MachineImage` factories that look an image up. */
export interface MachineImageOptions {
  /**
   * CPU architecture of the image. It must match the host's instance type.
   * @default - the architecture of the host's instance type
   */
  readonly architecture?: Architecture;
}

/** Options of `MachineImage.bind`. */
export interface MachineImageBindOptions {
  /** The architecture of the instance type the image will run on. */
  readonly instanceArchitecture: Architecture;
  /** The instance type, for error messages. */
  readonly instanceType: string;
}

/** What a bound machine image gives its host. */
export interface MachineImageConfig {
  /** The AMI id (a Terraform reference when looked up). */
  readonly imageId: string;
  /** The image's OS family. */
  readonly osFamily: OsFamily;
  /** The image's CPU architecture. */
  readonly architecture: Architecture;
}

enum Lookup { SSM = 'ssm', DEBIAN_AMI = 'debian-ami', FIXED = 'fixed' }

/** Canonical and Amazon publish their current AMI ids as public SSM parameters. */
const SSM_PARAMETER: Partial<Record<OsFamily, (arch: Architecture) => string>> = {
  [OsFamily.AMAZON_LINUX_2023]: (arch) => `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
  [OsFamily.UBUNTU_2404]: (arch) =>
    `/aws/service/canonical/ubuntu/server/24.04/stable/current/${arch === Architecture.ARM64 ? 'arm64' : 'amd64'}/hvm/ebs-gp3/ami-id`,
};

/** The Debian project's AWS account, which publishes the official Debian AMIs. */
export const DEBIAN_AMI_OWNER = '136693071363';

/**
 * The operating system image a host boots. The OS family decides how Docker
 * is installed; the architecture must match the instance type.
 */
export class MachineImage {
  /** Amazon Linux 2023, the current AMI from Amazon's public SSM parameter. */
  public static amazonLinux2023(options: MachineImageOptions = {}): MachineImage {
    return new MachineImage(OsFamily.AMAZON_LINUX_2023, Lookup.SSM, options.architecture);
  }

  /** Ubuntu Server 24.04 LTS, the current AMI from Canonical's public SSM parameter. */
  public static ubuntu2404(options: MachineImageOptions = {}): MachineImage {
    return new MachineImage(OsFamily.UBUNTU_2404, Lookup.SSM, options.architecture);
  }

  /** Debian 12, the newest official AMI (owner `136693071363`, name `debian-12-<arch>-*`). */
  public static debian12(options: MachineImageOptions = {}): MachineImage {
    return new MachineImage(OsFamily.DEBIAN_12, Lookup.DEBIAN_AMI, options.architecture);
  }

  /**
   * A fixed AMI. You state its OS family and architecture, since they decide
   * how Docker is installed and which instance types can boot it.
   */
  public static fromAmiId(amiId: string, osFamily: OsFamily, architecture: Architecture): MachineImage {
    if (typeof amiId !== 'string' || !/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(amiId)) {
      throw new IsolationError('MachineImage.fromAmiId', 'amiId', "must be an AMI id ('ami-' and 8 or 17 hex digits)", amiId,
        "Copy the id from the EC2 console or 'aws ec2 describe-images', e.g. 'ami-0123456789abcdef0'.");
    }
    if (!OsFamilies.all().includes(osFamily)) {
      throw new IsolationError('MachineImage.fromAmiId', 'osFamily', `must be one of ${OsFamilies.all().join(', ')}`, osFamily,
        'Use a value of the OsFamily enum.');
    }
    if (!Object.values(Architecture).includes(architecture)) {
      throw new IsolationError('MachineImage.fromAmiId', 'architecture', "must be 'x86_64' or 'arm64'", architecture,
        'Use a value of the Architecture enum.');
    }
    return new MachineImage(osFamily, Lookup.FIXED, architecture, amiId);
  }

  /** The image's OS family. */
  public readonly osFamily: OsFamily;
  /**
   * The architecture chosen for the image.
   * @default - follows the instance type
   */
  public readonly architecture?: Architecture;

  private constructor(osFamily: OsFamily, private readonly lookup: Lookup, architecture?: Architecture, private readonly amiId?: string) {
    if (architecture !== undefined && !Object.values(Architecture).includes(architecture)) {
      throw new IsolationError('MachineImage', 'architecture', "must be 'x86_64' or 'arm64'", architecture,
        'Use a value of the Architecture enum.');
    }
    this.osFamily = osFamily;
    this.architecture = architecture;
  }

  /**
   * Creates the lookup (a data source under `scope` with id `MachineImage`)
   * and returns the image for an instance of the given architecture.
   */
  public bind(scope: Construct, options: MachineImageBindOptions): MachineImageConfig {
    const architecture = this.architecture ?? options.instanceArchitecture;
    if (architecture !== options.instanceArchitecture) {
      throw new IsolationError(scope.node.path, 'machineImage',
        `has architecture ${architecture}, which instance type '${options.instanceType}' (${options.instanceArchitecture}) cannot boot`,
        `${OsFamilies.traits(this.osFamily).displayName} ${architecture}`,
        `Use an ${options.instanceArchitecture} image (architecture: Architecture.${options.instanceArchitecture === Architecture.ARM64 ? 'ARM64' : 'X86_64'}) or an ${architecture} instance type.`);
    }
    let imageId: string;
    switch (this.lookup) {
      case Lookup.SSM:
        imageId = new DataAwsSsmParameter(scope, 'MachineImage', { name: SSM_PARAMETER[this.osFamily]!(architecture) }).insecureValue;
        break;
      case Lookup.DEBIAN_AMI:
        // Loaded on first use: only Debian hosts look an AMI up (saves ~2 ms and 0.4 MiB at require()).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        imageId = new (require('@cdktf/provider-aws/lib/data-aws-ami').DataAwsAmi as typeof DataAwsAmi)(scope, 'MachineImage', {
          owners: [DEBIAN_AMI_OWNER],
          mostRecent: true,
          filter: [
            { name: 'name', values: [`debian-12-${architecture === Architecture.ARM64 ? 'arm64' : 'amd64'}-*`] },
            { name: 'architecture', values: [architecture] },
            { name: 'virtualization-type', values: ['hvm'] },
          ],
        }).id;
        break;
      default:
        imageId = this.amiId!;
    }
    return { imageId, osFamily: this.osFamily, architecture };
  }
}
