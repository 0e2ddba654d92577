/**
 * Settings every Docker host gets, whether an instance (VmHost) or a launch
 * template (HostFleet): one place for the hardening both share.
 */
export class InstanceSettings {
  /** The default instance type of a host. */
  public static readonly DEFAULT_INSTANCE_TYPE = 't3.small';
  /** The default root volume size in GiB. */
  public static readonly DEFAULT_ROOT_VOLUME_GIB = 20;
  /**
   * The smallest root volume of a Windows Server host in GiB: the root
   * snapshot of Amazon's Windows Server AMIs (EC2 refuses a smaller volume
   * than the snapshot). Microsoft's minimum for Windows Server 2022 and
   * 2025 is 32 GB, which is 29.8 GiB ("Hardware requirements for Windows
   * Server", learn.microsoft.com/windows-server/get-started/hardware-requirements).
   */
  public static readonly MIN_WINDOWS_ROOT_VOLUME_GIB = 30;
  /**
   * The default root volume of a Windows Server host in GiB: the image's
   * 30 GiB leave little room once monthly cumulative updates (and the
   * component store's copies of what they replace) land; 50 leaves room
   * for them, the page file and the app.
   */
  public static readonly DEFAULT_WINDOWS_ROOT_VOLUME_GIB = 50;

  /**
   * IMDSv2 only (`http_tokens = required`), the endpoint on, instance tags
   * not in the metadata, and the hop limit given (1 keeps the instance role
   * away from containers on bridge networks).
   */
  public static metadataOptions(hopLimit: number) {
    return { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit, instanceMetadataTags: 'disabled' };
  }

  private constructor() {}
}
