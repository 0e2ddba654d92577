import { CloudConfigFile } from './render/cloud-config';
import { isWindowsAbsolutePath } from './render/windows-user-data';
import { IsolationError } from '../private/errors';
import { Tokens } from '../private/tokens';

/**
 * A service for an app that runs natively on its VM: a systemd unit on
 * Linux, a Windows service (Service Control Manager) on Windows Server.
 * Both start at every boot and are restarted on failure.
 */
export interface NativeService {
  /** Service name (the unit is `<name>.service` on Linux; the service name on Windows). */
  readonly name: string;
  /**
   * The command as an argv list; the first word is an absolute path
   * (`/usr/sbin/legacyd` on Linux, `C:\Program Files\Apppp.exe` on Windows).
   */
  readonly command: string[];
  /**
   * User the service runs as (created by a package or by you). On Windows
   * Server one of `LocalSystem`, `LocalService` or `NetworkService` (the
   * least-privilege built-in accounts: prefer them).
   * @default - root; LocalSystem on Windows Server
   */
  readonly user?: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Environment variables from SSM Parameter Store (name to parameter name
   * or ARN), fetched at every boot with the instance role and never written
   * into the user data. Windows Server only for now: on Linux it is an error.
   * @default - none
   */
  readonly secretEnvironment?: { [name: string]: string };
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

/** The names of `NativeService.user` on Windows Server. */
export const WINDOWS_SERVICE_USERS = ['LocalSystem', 'LocalService', 'NetworkService'];

const SSM_PARAMETER = /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]{1,2048}|\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)$/;

/** Validates native setups (render/native.ts renders them). */
export class NativeSetups {
  /** Validates a native setup, for a Linux host or (`windows`) a Windows Server host. */
  public static validate(setup: NativeSetup, path: string, windows = false): void {
    if (windows) return NativeSetups.validateWindows(setup, path);
    if (setup.service?.secretEnvironment !== undefined) {
      throw new IsolationError(path, 'native.service.secretEnvironment', 'is supported on Windows Server hosts only for now', setup.service.secretEnvironment,
        'On Linux, run the app as a container (ContainerOptions.secretEnvironment), or fetch the parameter in the service\'s own start command.');
    }
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

  private static validateWindows(setup: NativeSetup, path: string): void {
    for (const p of setup.packages ?? []) {
      if (typeof p !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(p)) {
        throw new IsolationError(path, 'native.packages', 'must list Windows Server feature names (Install-WindowsFeature) on Windows', p,
          "Write names such as 'Web-Server' or 'NET-Framework-45-Core' (Get-WindowsFeature lists them).");
      }
    }
    (setup.files ?? []).forEach((f, i) => {
      if (f === null || typeof f !== 'object' || !isWindowsAbsolutePath(f.path)) {
        throw new IsolationError(path, `native.files[${i}].path`, 'must be an absolute Windows path with a drive letter on Windows Server', f?.path,
          "Write e.g. 'C:\\ProgramData\\reports\\config.json'.");
      }
      if (typeof f.content !== 'string') {
        throw new IsolationError(path, `native.files[${i}].content`, 'must be a string', f.content, 'Give the file\'s text.');
      }
      for (const posix of ['permissions', 'owner', 'defer'] as const) {
        if (f[posix] !== undefined) {
          throw new IsolationError(path, `native.files[${i}].${posix}`, 'is a Linux (cloud-init) setting, and must be left out on Windows Server', f[posix],
            'Leave it out: the file inherits the ACL of its folder; set another ACL with a command (icacls.exe).');
        }
      }
    });
    (setup.commands ?? []).forEach((c, i) => {
      if (!Array.isArray(c) || c.length === 0 || c.some((w) => typeof w !== 'string' || w.includes('\0'))) {
        throw new IsolationError(path, `native.commands[${i}]`, 'must be an argv list of strings', c, "Write e.g. ['C:\\Windows\\System32\\icacls.exe', 'C:\\data', '/grant', 'NetworkService:M'].");
      }
    });
    const s = setup.service;
    if (!s) return;
    if (typeof s.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/.test(s.name)) {
      throw new IsolationError(path, 'native.service.name', 'must be a Windows service name (letters, digits, _ . -; at most 80)', s.name, "Use e.g. 'reports'.");
    }
    if (!Array.isArray(s.command) || s.command.length === 0 || typeof s.command[0] !== 'string' || !isWindowsAbsolutePath(s.command[0]) ||
      s.command.some((w) => typeof w !== 'string' || /[\0\r\n]/.test(w))) {
      throw new IsolationError(path, 'native.service.command', 'must be an argv list whose first word is an absolute Windows path, on one line', s.command,
        "Write e.g. ['C:\\Program Files\\Reports\\reports.exe', '--port', '8080'].");
    }
    // The image path is quoted for CommandLineToArgvW at synth; a value known only at apply could not be.
    if (s.command.some((w) => Tokens.isUnresolved(w))) {
      throw new IsolationError(path, 'native.service.command', 'must be known at synth on Windows Server, not a Terraform reference (the service\'s command line is quoted at synth)',
        s.command, 'Give the words in the code; pass a value known at apply through the service\'s environment instead.');
    }
    if (s.user !== undefined && !WINDOWS_SERVICE_USERS.includes(s.user)) {
      throw new IsolationError(path, 'native.service.user', `must be one of ${WINDOWS_SERVICE_USERS.join(', ')} on Windows Server`, s.user,
        "Use 'LocalService' or 'NetworkService' (least privilege), or leave it out (LocalSystem).");
    }
    const names = new Set<string>();
    for (const [prop, map] of [['environment', s.environment], ['secretEnvironment', s.secretEnvironment]] as const) {
      for (const [k, v] of Object.entries(map ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || typeof v !== 'string' || v.includes('\0')) {
          throw new IsolationError(path, `native.service.${prop}.${k}`, 'must be a valid name with a string value (no NUL)', v, 'Fix the name or the value.');
        }
        if (prop === 'secretEnvironment' && !SSM_PARAMETER.test(v)) {
          throw new IsolationError(path, `native.service.secretEnvironment.${k}`, 'must be an SSM parameter name or ARN', v, "Write e.g. '/reports/db-password'.");
        }
        if (names.has(k.toUpperCase())) {
          throw new IsolationError(path, `native.service.${prop}.${k}`, 'must not also be in environment (Windows names ignore case)', k, 'Keep one of the two.');
        }
        names.add(k.toUpperCase());
      }
    }
  }

  private constructor() {}
}
