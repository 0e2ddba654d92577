/**
 * Where the library keeps its files on a host: the one place that names
 * them, for the renderers that write them and the scripts that read them.
 */
export class HostLayout {
  /** The library's directory: helpers, start scripts, definitions. */
  public static readonly LIB_DIR = '/usr/local/lib/cdktf-isolation';
  /** Per-boot state (fetched secrets): tmpfs, gone at shutdown. */
  public static readonly RUN_DIR = '/run/cdktf-isolation';
  /** The image pull helper. */
  public static readonly PULL_SCRIPT = `${HostLayout.LIB_DIR}/pull-image.sh`;
  /** The SSM Parameter Store helper. */
  public static readonly SSM_SCRIPT = `${HostLayout.LIB_DIR}/ssm-env.sh`;
  /** The script that waits (bounded) until the Docker engine answers. */
  public static readonly WAIT_FOR_DOCKER = `${HostLayout.LIB_DIR}/wait-for-docker.sh`;
  /** The script that installs AWS's SSM agent on a family whose AMIs lack it (Debian). */
  public static readonly SSM_AGENT_SCRIPT = `${HostLayout.LIB_DIR}/install-ssm-agent.sh`;
  /** Its unit: retried until the agent is installed, never a cloud-init error (a host without a way out keeps booting). */
  public static readonly SSM_AGENT_UNIT = 'cdktf-isolation-ssm-agent.service';
  /**
   * The lock (`flock`) that the container units (at boot) and the reconcile
   * (an update through Systems Manager) share, so one runs at a time. In
   * /run: it exists from the start of every boot, and a lock left by a run
   * that a reboot cut short is gone with it.
   */
  public static readonly LOCK_FILE = '/run/cdktf-isolation.lock';
  /** Where the reconcile keeps the definitions (start script, unit) a container ran before its last update. */
  public static readonly PREVIOUS_DIR = `${HostLayout.LIB_DIR}/previous`;
  /** The reconcile's log (every line it prints, with the time). */
  public static readonly RECONCILE_LOG = '/var/log/cdktf-isolation/reconcile.log';
  /** The label that carries the digest of the start script a container was created from. */
  public static readonly SPEC_DIGEST_LABEL = 'cdktf-isolation.spec-digest';

  /** The reverse proxy's configuration (nginx.conf, sites/, upstreams/), for zero-downtime cutover. */
  public static readonly PROXY_DIR = '/etc/cdktf-isolation/proxy';
  /** The reverse proxy's unit (the OS's nginx, with the library's configuration; the package's own nginx.service is disabled). */
  public static readonly PROXY_UNIT = 'cdktf-isolation-proxy.service';
  /** The unprivileged user the proxy's workers run as. */
  public static readonly PROXY_USER = 'cdktf-proxy';
  /** The proxy's pid file (the reconcile reloads the proxy through it). */
  public static readonly PROXY_PID_FILE = '/run/cdktf-isolation-proxy.pid';
  /** The proxy's temp files (request bodies, buffered responses): its unit's StateDirectory. */
  public static readonly PROXY_STATE_DIR = '/var/lib/cdktf-isolation/proxy';
  /** The proxy's logs: its unit's LogsDirectory (shared with the reconcile's log). */
  public static readonly PROXY_LOG_DIR = '/var/log/cdktf-isolation';

  /** The systemd unit name of a container. */
  public static unitName(container: string): string {
    return `cdktf-container-${container}.service`;
  }

  /** Where a container's unit file lives. */
  public static unitPath(container: string): string {
    return `/etc/systemd/system/${HostLayout.unitName(container)}`;
  }

  /** A container's start script. */
  public static startScript(container: string): string {
    return `${HostLayout.LIB_DIR}/containers/${container}.sh`;
  }

  /** A container's secrets env file (root only, tmpfs). */
  public static secretsFile(container: string): string {
    return `${HostLayout.RUN_DIR}/${container}.env`;
  }

  private constructor() {}
}
