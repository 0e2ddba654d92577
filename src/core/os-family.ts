/** The operating systems a host can run. */
export enum OsFamily {
  /** Amazon Linux 2023. */
  AMAZON_LINUX_2023 = 'amazon-linux-2023',
  /** Ubuntu Server 24.04 LTS (Noble Numbat). */
  UBUNTU_2404 = 'ubuntu-24.04',
  /** Debian 12 (bookworm). */
  DEBIAN_12 = 'debian-12',
  /**
   * Windows Server (2022 or 2025, English, Full Base). A Windows host runs
   * its app natively: Docker, and so the library's Linux containers, need
   * a Linux kernel.
   */
  WINDOWS = 'windows',
}

/** The kernel an OS family runs, which decides whether it can run the library's (Linux) containers. */
export enum OsKernel {
  /** Linux: Docker, cloud-init, systemd. */
  LINUX = 'linux',
  /** Windows NT: no Linux containers; EC2Launch v2 runs a PowerShell user data script. */
  WINDOWS = 'windows',
}

/** CPU architectures of EC2 instances and machine images. */
export enum Architecture {
  /** 64-bit x86 (Intel and AMD). */
  X86_64 = 'x86_64',
  /** 64-bit Arm (AWS Graviton). */
  ARM64 = 'arm64',
}

/** Package managers of the supported OS families. */
export enum PackageManager {
  /** dnf (Amazon Linux 2023). */
  DNF = 'dnf',
  /** apt (Debian, Ubuntu). */
  APT = 'apt',
  /** Windows Server roles and features (`Install-WindowsFeature`), installed from the image's component store. */
  WINDOWS_FEATURES = 'windows-features',
}

/** What this library knows about an OS family. */
export interface OsFamilyTraits {
  /** The family. */
  readonly family: OsFamily;
  /** Human-readable name. */
  readonly displayName: string;
  /** The kernel: Linux families run Docker and cloud-init, Windows runs neither. */
  readonly kernel: OsKernel;
  /** The package manager the host's first boot drives (cloud-init's on Linux, `Install-WindowsFeature` on Windows). */
  readonly packageManager: PackageManager;
  /**
   * The name of the distribution's Docker engine package.
   * @default - none: the family cannot run the library's Linux containers
   */
  readonly dockerPackage?: string;
  /** The default login user of the family's cloud images. */
  readonly defaultUser: string;
  /** CPU architectures the family's cloud images exist for. */
  readonly architectures: Architecture[];
  /** Packages that let the host read SSM parameters (the AWS CLI, or Python's boto3) and reach IMDS (curl). */
  readonly ssmClientPackages: string[];
  /**
   * The package of the ECR Docker credential helper (`docker-credential-ecr-login`).
   * @default - none: the family runs no Docker
   */
  readonly ecrCredentialHelperPackage?: string;
  /** The root device name of the family's AMIs (launch templates map the root volume to it). */
  readonly rootDeviceName: string;
  /**
   * Whether the family's AMIs ship the AWS SSM agent (Session Manager, and
   * the association that delivers container updates); without it the
   * library installs AWS's package at first boot.
   */
  readonly shipsSsmAgent: boolean;
}

const TRAITS: Record<OsFamily, OsFamilyTraits> = {
  [OsFamily.AMAZON_LINUX_2023]: {
    family: OsFamily.AMAZON_LINUX_2023,
    kernel: OsKernel.LINUX,
    displayName: 'Amazon Linux 2023',
    packageManager: PackageManager.DNF,
    dockerPackage: 'docker',
    defaultUser: 'ec2-user',
    architectures: [Architecture.X86_64, Architecture.ARM64],
    ssmClientPackages: ['awscli-2', 'curl'],
    ecrCredentialHelperPackage: 'amazon-ecr-credential-helper',
    rootDeviceName: '/dev/xvda',
    shipsSsmAgent: true,
  },
  [OsFamily.UBUNTU_2404]: {
    family: OsFamily.UBUNTU_2404,
    kernel: OsKernel.LINUX,
    displayName: 'Ubuntu 24.04 LTS',
    packageManager: PackageManager.APT,
    dockerPackage: 'docker.io',
    defaultUser: 'ubuntu',
    architectures: [Architecture.X86_64, Architecture.ARM64],
    ssmClientPackages: ['python3-boto3', 'curl'],
    ecrCredentialHelperPackage: 'amazon-ecr-credential-helper',
    rootDeviceName: '/dev/sda1',
    // As a snap (amazon-ssm-agent), in Canonical's AMIs for EC2.
    shipsSsmAgent: true,
  },
  [OsFamily.DEBIAN_12]: {
    family: OsFamily.DEBIAN_12,
    kernel: OsKernel.LINUX,
    displayName: 'Debian 12 (bookworm)',
    packageManager: PackageManager.APT,
    dockerPackage: 'docker.io',
    defaultUser: 'admin',
    architectures: [Architecture.X86_64, Architecture.ARM64],
    ssmClientPackages: ['python3-boto3', 'curl'],
    ecrCredentialHelperPackage: 'amazon-ecr-credential-helper',
    rootDeviceName: '/dev/xvda',
    // Debian's official AMIs have no SSM agent.
    shipsSsmAgent: false,
  },
  [OsFamily.WINDOWS]: {
    family: OsFamily.WINDOWS,
    displayName: 'Windows Server',
    kernel: OsKernel.WINDOWS,
    packageManager: PackageManager.WINDOWS_FEATURES,
    defaultUser: 'Administrator',
    // Amazon publishes its Windows Server AMIs for x86_64 only.
    architectures: [Architecture.X86_64],
    // The AWS Tools for PowerShell (Get-SSMParameter) ship in Amazon's Windows AMIs; PowerShell reaches IMDS itself.
    ssmClientPackages: [],
    rootDeviceName: '/dev/sda1',
    // Amazon's Windows AMIs ship the SSM agent (Session Manager, Fleet Manager's RDP).
    shipsSsmAgent: true,
  },
};

/** Knowledge about the supported OS families. */
export class OsFamilies {
  /** The traits of one family. */
  public static traits(family: OsFamily): OsFamilyTraits {
    const traits = TRAITS[family];
    if (!traits) {
      throw new Error(`unknown OS family ${JSON.stringify(family)}; expected one of ${OsFamilies.all().join(', ')}`);
    }
    return traits;
  }

  /** Every supported family, in a fixed order. */
  public static all(): OsFamily[] {
    return [OsFamily.AMAZON_LINUX_2023, OsFamily.UBUNTU_2404, OsFamily.DEBIAN_12, OsFamily.WINDOWS];
  }

  /** The Linux families (those that run Docker and cloud-init), in a fixed order. */
  public static linux(): OsFamily[] {
    return OsFamilies.all().filter((f) => TRAITS[f].kernel === OsKernel.LINUX);
  }

  /**
   * The traits of a Linux family, for what only Linux hosts do (Docker,
   * cloud-init); a Windows family is an error that names `what`.
   */
  public static linuxTraits(family: OsFamily, what: string): Required<OsFamilyTraits> {
    const traits = OsFamilies.traits(family);
    if (traits.kernel !== OsKernel.LINUX || traits.dockerPackage === undefined || traits.ecrCredentialHelperPackage === undefined) {
      throw new Error(`${what} needs a Linux host (Docker and the library's containers need a Linux kernel), got ${traits.displayName}`);
    }
    return traits as Required<OsFamilyTraits>;
  }

  /** True for a Windows family. */
  public static isWindows(family: OsFamily): boolean {
    return TRAITS[family]?.kernel === OsKernel.WINDOWS;
  }

  private constructor() {}
}
