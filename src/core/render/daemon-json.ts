import { Check } from '../../private/validate';

/** Settings of the Docker daemon on a host (`/etc/docker/daemon.json`). */
export interface DockerDaemonOptions {
  /**
   * Keep containers running while the daemon restarts or upgrades.
   * Turning it off means a Docker package upgrade restarts every container.
   * @default true
   */
  readonly liveRestore?: boolean;
  /**
   * Set `no-new-privileges` on every container by default, so a setuid
   * binary inside a container cannot gain privileges. Turning it off gives
   * that protection up for containers that do not ask for it themselves.
   * @default true
   */
  readonly noNewPrivileges?: boolean;
  /**
   * Largest size of one container log file before it is rotated, as Docker
   * writes it (`10m`, `100k`, `1g`).
   * @default '10m'
   */
  readonly logMaxSize?: string;
  /**
   * How many rotated log files to keep per container.
   * @default 3
   */
  readonly logMaxFiles?: number;
}

/** The daemon.json this library writes. */
export class DockerDaemonConfig {
  /** The logging driver; `json-file` keeps `docker logs` working and rotates with the options below. */
  public static readonly LOG_DRIVER = 'json-file';

  /** Validates options and returns the daemon.json object. */
  public static toObject(options?: DockerDaemonOptions, path = 'DockerDaemon'): Record<string, unknown> {
    const o = Check.optionalObject(path, 'dockerDaemon', options, "{ logMaxSize: '10m', logMaxFiles: 3 }") ?? {};
    const maxSize = o.logMaxSize ?? '10m';
    Check.matches(path, 'dockerDaemon.logMaxSize', maxSize, /^[1-9]\d{0,5}[kmg]$/, "a size such as '10m', '512k' or '1g'",
      'Write a whole number followed by k, m or g.');
    const maxFiles = Check.integerInRange(path, 'dockerDaemon.logMaxFiles', o.logMaxFiles ?? 3, 1, 100);
    // JSON booleans in the file dockerd reads at boot: a string or a Terraform reference there would stop the daemon.
    const inFile = 'it is written into the host\'s daemon.json at synth, where dockerd reads a JSON boolean';
    const liveRestore = Check.bool(path, 'dockerDaemon.liveRestore', o.liveRestore, true, inFile);
    const noNewPrivileges = Check.bool(path, 'dockerDaemon.noNewPrivileges', o.noNewPrivileges, true, inFile);
    // Keys in a fixed (alphabetical) order, so the file is byte-for-byte stable.
    return {
      'live-restore': liveRestore,
      'log-driver': DockerDaemonConfig.LOG_DRIVER,
      'log-opts': { 'max-file': String(maxFiles), 'max-size': maxSize },
      'no-new-privileges': noNewPrivileges,
    };
  }

  /** Renders daemon.json (two-space indent, trailing newline). */
  public static render(options: DockerDaemonOptions = {}, path = 'DockerDaemon'): string {
    return `${JSON.stringify(DockerDaemonConfig.toObject(options, path), null, 2)}\n`;
  }

  private constructor() {}
}
