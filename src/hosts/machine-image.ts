import type { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Architecture, OsFamilies, OsFamily } from '../core/os-family';
import { IsolationError } from '../private/errors';
import { Check } from '../private/validate';

/** Options of the `MachineImage` factories that look an image up. */
export interface MachineImageOptions {
  /**
   * CPU architecture of the image. It must match the host's instance type.
   * @default - the architecture of the host's instance type
   */
  readonly architecture?: Architecture;
}

/** Options of `IMachineImage.bind`. */
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

/**
 * The operating system image a host boots. Implement it to boot an image
 * of your own (a golden AMI looked up your way): `bind` creates whatever
 * lookup it needs under `scope` and says which OS family and architecture
 * the image has, since they decide how Docker is installed and which
 * instance types can boot it. The host checks that the architecture
 * matches its instance type.
 */
export interface IMachineImage {
  /** The image's OS family. */
  readonly osFamily: OsFamily;
  /**
   * The architecture of the image, when it is fixed.
   * @default - follows the instance type
   */
  readonly architecture?: Architecture;
  /** Creates the image's lookups under `scope` and returns the image for an instance of the given architecture. */
  bind(scope: Construct, options: MachineImageBindOptions): MachineImageConfig;
}

/** Canonical and Amazon publish their current AMI ids as public SSM parameters. */
const SSM_PARAMETER: Partial<Record<OsFamily, (arch: Architecture) => string>> = {
  [OsFamily.AMAZON_LINUX_2023]: (arch) => `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
  [OsFamily.UBUNTU_2404]: (arch) =>
    `/aws/service/canonical/ubuntu/server/24.04/stable/current/${arch === Architecture.ARM64 ? 'arm64' : 'amd64'}/hvm/ebs-gp3/ami-id`,
};

/**
 * Amazon's public SSM parameters of the current Windows Server AMIs
 * (English, Full Base: the Desktop Experience), under
 * `/aws/service/ami-windows-latest/` (the names aws-cdk-lib's
 * `WindowsVersion` uses). They exist for x86_64 only.
 */
const WINDOWS_PARAMETER = {
  2022: '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base',
  2025: '/aws/service/ami-windows-latest/Windows_Server-2025-English-Full-Base',
} as const;

/** The Debian project's AWS account, which publishes the official Debian AMIs. */
const DEBIAN_AMI_OWNER = '136693071363';

/** The image's architecture: its own, or the instance type's. */
function architectureOf(image: IMachineImage, options: MachineImageBindOptions): Architecture {
  return image.architecture ?? options.instanceArchitecture;
}

/** An image whose id Amazon or Canonical publish as a public SSM parameter. */
class SsmParameterImage implements IMachineImage {
  constructor(public readonly osFamily: OsFamily, public readonly architecture?: Architecture) {}

  public bind(scope: Construct, options: MachineImageBindOptions): MachineImageConfig {
    const architecture = architectureOf(this, options);
    const imageId = new DataAwsSsmParameter(scope, 'MachineImage', { name: SSM_PARAMETER[this.osFamily]!(architecture) }).insecureValue;
    return { imageId, osFamily: this.osFamily, architecture };
  }
}

/** The current Windows Server AMI of a release (x86_64 only). */
class WindowsServerImage implements IMachineImage {
  public readonly osFamily = OsFamily.WINDOWS;
  public readonly architecture = Architecture.X86_64;
  constructor(private readonly release: keyof typeof WINDOWS_PARAMETER) {}

  public bind(scope: Construct): MachineImageConfig {
    const imageId = new DataAwsSsmParameter(scope, 'MachineImage', { name: WINDOWS_PARAMETER[this.release] }).insecureValue;
    return { imageId, osFamily: this.osFamily, architecture: this.architecture };
  }

  /** For messages: the release. */
  public toString(): string {
    return `Windows Server ${this.release}`;
  }
}

/** The newest official Debian 12 AMI. */
class DebianImage implements IMachineImage {
  public readonly osFamily = OsFamily.DEBIAN_12;
  constructor(public readonly architecture?: Architecture) {}

  public bind(scope: Construct, options: MachineImageBindOptions): MachineImageConfig {
    const architecture = architectureOf(this, options);
    // Loaded on first use: only Debian hosts look an AMI up (saves ~2 ms and 0.4 MiB at require()).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const imageId = new (require('@cdktf/provider-aws/lib/data-aws-ami').DataAwsAmi as typeof DataAwsAmi)(scope, 'MachineImage', {
      owners: [DEBIAN_AMI_OWNER],
      mostRecent: true,
      filter: [
        { name: 'name', values: [`debian-12-${architecture === Architecture.ARM64 ? 'arm64' : 'amd64'}-*`] },
        { name: 'architecture', values: [architecture] },
        { name: 'virtualization-type', values: ['hvm'] },
      ],
    }).id;
    return { imageId, osFamily: this.osFamily, architecture };
  }
}

const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const AMI_WHAT = "an AMI id ('ami-' and 8 or 17 hex digits)";
const AMI_FIX = "Copy the id from the EC2 console or 'aws ec2 describe-images', e.g. 'ami-0123456789abcdef0'.";

/** A fixed AMI. */
class FixedImage implements IMachineImage {
  constructor(private readonly amiId: string, public readonly osFamily: OsFamily, public readonly architecture: Architecture) {}

  public bind(): MachineImageConfig {
    // An id known at apply (an SSM parameter of your own, a variable) is matched by Terraform, for the host that binds it.
    if (Token.isUnresolved(this.amiId)) Check.matches('MachineImage.fromAmiId', 'amiId', this.amiId, AMI_ID, AMI_WHAT, AMI_FIX);
    return { imageId: this.amiId, osFamily: this.osFamily, architecture: this.architecture };
  }
}

function checkArchitecture(where: string, architecture: Architecture | undefined): void {
  if (architecture !== undefined && !Object.values(Architecture).includes(architecture)) {
    throw new IsolationError(where, 'architecture', "must be 'x86_64' or 'arm64'", architecture, 'Use a value of the Architecture enum.');
  }
}

/** The machine images this library knows how to prepare for Docker. */
export class MachineImage {
  /** Amazon Linux 2023, the current AMI from Amazon's public SSM parameter. */
  public static amazonLinux2023(options?: MachineImageOptions): IMachineImage {
    options = Check.props('MachineImage.amazonLinux2023', options, '{ architecture: Architecture.ARM64 }', true);
    checkArchitecture('MachineImage.amazonLinux2023', options.architecture);
    return new SsmParameterImage(OsFamily.AMAZON_LINUX_2023, options.architecture);
  }

  /** Ubuntu Server 24.04 LTS, the current AMI from Canonical's public SSM parameter. */
  public static ubuntu2404(options?: MachineImageOptions): IMachineImage {
    options = Check.props('MachineImage.ubuntu2404', options, '{ architecture: Architecture.ARM64 }', true);
    checkArchitecture('MachineImage.ubuntu2404', options.architecture);
    return new SsmParameterImage(OsFamily.UBUNTU_2404, options.architecture);
  }

  /** Debian 12, the newest official AMI (owner `136693071363`, name `debian-12-<arch>-*`). */
  public static debian12(options?: MachineImageOptions): IMachineImage {
    options = Check.props('MachineImage.debian12', options, '{ architecture: Architecture.ARM64 }', true);
    checkArchitecture('MachineImage.debian12', options.architecture);
    return new DebianImage(options.architecture);
  }

  /**
   * Windows Server 2022 (English, Full Base), the current AMI from Amazon's
   * public SSM parameter `/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base`.
   * x86_64 only: an arm64 (Graviton) instance type is an error. A host on
   * it runs its app natively (no Docker: the library's containers are Linux
   * containers).
   */
  public static windowsServer2022(): IMachineImage {
    return new WindowsServerImage(2022);
  }

  /**
   * Windows Server 2025 (English, Full Base), the current AMI from Amazon's
   * public SSM parameter `/aws/service/ami-windows-latest/Windows_Server-2025-English-Full-Base`.
   * x86_64 only, like windowsServer2022().
   */
  public static windowsServer2025(): IMachineImage {
    return new WindowsServerImage(2025);
  }

  /**
   * A fixed AMI. You state its OS family and architecture, since they decide
   * how Docker is installed and which instance types can boot it.
   */
  public static fromAmiId(amiId: string, osFamily: OsFamily, architecture: Architecture): IMachineImage {
    if (typeof amiId !== 'string' || (!Token.isUnresolved(amiId) && !AMI_ID.test(amiId))) {
      throw new IsolationError('MachineImage.fromAmiId', 'amiId', `must be ${AMI_WHAT}`, amiId, AMI_FIX);
    }
    if (!OsFamilies.all().includes(osFamily)) {
      throw new IsolationError('MachineImage.fromAmiId', 'osFamily', `must be one of ${OsFamilies.all().join(', ')}`, osFamily,
        'Use a value of the OsFamily enum.');
    }
    if (!Object.values(Architecture).includes(architecture)) {
      throw new IsolationError('MachineImage.fromAmiId', 'architecture', "must be 'x86_64' or 'arm64'", architecture,
        'Use a value of the Architecture enum.');
    }
    if (!OsFamilies.traits(osFamily).architectures.includes(architecture)) {
      throw new IsolationError('MachineImage.fromAmiId', 'architecture',
        `must be one that ${OsFamilies.traits(osFamily).displayName} exists for (${OsFamilies.traits(osFamily).architectures.join(', ')})`, architecture,
        'Use Architecture.X86_64: Amazon publishes Windows Server AMIs for x86_64 only.');
    }
    return new FixedImage(amiId, osFamily, architecture);
  }

  /**
   * Binds `image` for a host at `scope`: checks that its architecture is the
   * instance type's and that its OS family is one the library knows.
   * @internal
   */
  public static _bind(image: IMachineImage, scope: Construct, options: MachineImageBindOptions): MachineImageConfig {
    const path = scope.node.path;
    if (image === null || typeof image !== 'object' || typeof image.bind !== 'function') {
      throw new IsolationError(path, 'machineImage', 'must be a machine image (IMachineImage)', image,
        'Use MachineImage.amazonLinux2023(), ubuntu2404(), debian12(), windowsServer2022(), windowsServer2025() or fromAmiId(...), or an object that implements IMachineImage.');
    }
    const wanted = image.architecture ?? options.instanceArchitecture;
    if (wanted !== options.instanceArchitecture) {
      throw new IsolationError(path, 'machineImage',
        `has architecture ${wanted}, which instance type '${options.instanceType}' (${options.instanceArchitecture}) cannot boot`,
        `${OsFamilies.traits(image.osFamily).displayName} ${wanted}`,
        OsFamilies.traits(image.osFamily).architectures.includes(options.instanceArchitecture)
          ? `Use an ${options.instanceArchitecture} image (architecture: Architecture.${options.instanceArchitecture === Architecture.ARM64 ? 'ARM64' : 'X86_64'}) or an ${wanted} instance type.`
          : `${OsFamilies.traits(image.osFamily).displayName} exists for ${OsFamilies.traits(image.osFamily).architectures.join(', ')} only: choose an ${wanted} instance type, e.g. 'm6i.large'.`);
    }
    const config = image.bind(scope, options);
    if (!OsFamilies.all().includes(config.osFamily)) {
      throw new IsolationError(path, 'machineImage.osFamily', `must be one of ${OsFamilies.all().join(', ')}`, config.osFamily, 'Return a value of the OsFamily enum from bind().');
    }
    if (config.architecture !== options.instanceArchitecture) {
      throw new IsolationError(path, 'machineImage', `was bound with architecture ${config.architecture}, which instance type '${options.instanceType}' (${options.instanceArchitecture}) cannot boot`,
        config.architecture, `Return the architecture of the instance type (${options.instanceArchitecture}) from bind(), or choose another instance type.`);
    }
    return config;
  }

  private constructor() {}
}
