import { CloudConfigFile } from './render/cloud-config';
import { IsolationError } from '../private/errors';

/** A systemd service for an app that runs natively on its VM. */
export interface NativeService {
  /** Service name (the unit is `<name>.service`). */
  readonly name: string;
  /** The command as an argv list; the first word is an absolute path. */
  readonly command: string[];
  /**
   * User the service runs as (created by a package or by you).
   * @default - root
   */
  readonly user?: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Description of the unit.
   * @default - the name
   */
  readonly description?: string;
}

/** How an app that cannot run in Docker is set up on its own VM. */
export interface NativeSetup {
  /**
   * OS packages to install.
   * @default - none
   */
  readonly packages?: string[];
  /**
   * Files to write.
   * @default - none
   */
  readonly files?: CloudConfigFile[];
  /**
   * Commands run once at first boot, after the packages (argv lists).
   * @default - none
   */
  readonly commands?: string[][];
  /**
   * A systemd service started at every boot.
   * @default - none
   */
  readonly service?: NativeService;
}

/** Validates native setups (render/native.ts renders them). */
export class NativeSetups {
  /** Validates a native setup. */
  public static validate(setup: NativeSetup, path: string): void {
    for (const p of setup.packages ?? []) {
      if (typeof p !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9+.:_-]*$/.test(p)) {
        throw new IsolationError(path, 'native.packages', 'must list package names', p, "Write names such as 'cron' or 'postgresql-15'.");
      }
    }
    const s = setup.service;
    if (s) {
      if (typeof s.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,200}$/.test(s.name)) {
        throw new IsolationError(path, 'native.service.name', 'must be a unit name (letters, digits, _ . @ -)', s.name, "Use e.g. 'legacy-erp'.");
      }
      if (!Array.isArray(s.command) || s.command.length === 0 || typeof s.command[0] !== 'string' || !s.command[0].startsWith('/') ||
        s.command.some((w) => typeof w !== 'string' || /[\0\n]/.test(w))) {
        throw new IsolationError(path, 'native.service.command', 'must be an argv list whose first word is an absolute path', s.command,
          "Write e.g. ['/usr/sbin/legacyd', '--foreground'].");
      }
      if (s.user !== undefined && !/^[a-z_][a-z0-9_-]*$/.test(s.user)) {
        throw new IsolationError(path, 'native.service.user', 'must be a user name', s.user, "Use e.g. 'legacy'.");
      }
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || typeof v !== 'string' || /[\0\n]/.test(v)) {
          throw new IsolationError(path, `native.service.environment.${k}`, 'must be a valid name with a one-line string value', v, 'Fix the name or the value.');
        }
      }
    }
  }

  private constructor() {}
}
