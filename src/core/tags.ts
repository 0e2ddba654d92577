/** Tags the library sets on resources, and that IsolationChecks reads. */
export class LibraryTags {
  /**
   * Marks an instance (and its role) as meant to hand its role to
   * containers: VmHost sets it when `metadataHopLimit` is above 1, and the
   * HOST-HOP-LIMIT rule then accepts the hop limit.
   */
  public static readonly ROLE_FOR_CONTAINERS = 'cdktf-isolation:instance-role-for-containers';
  /** The OS family of a host's machine image, on its instance (`windows` tells IsolationChecks a host runs Windows). */
  public static readonly OS = 'cdktf-isolation:os';
  /** The app an IsolatedApp's host or fleet belongs to. */
  public static readonly APP = 'cdktf-isolation:app';

  private constructor() {}
}
