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
   * IMDSv2 only (`http_tokens = required`), the endpoint on, instance tags
   * not in the metadata, and the hop limit given (1 keeps the instance role
   * away from containers on bridge networks).
   */
  public static metadataOptions(hopLimit: number) {
    return { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit, instanceMetadataTags: 'disabled' };
  }

  private constructor() {}
}
