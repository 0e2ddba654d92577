import { stringifyCloudConfig } from './yaml';
import { serializeWithTokens } from '../../private/tokens';

/** A file that cloud-init writes (`write_files`). */
export interface CloudConfigFile {
  /** Absolute path on the host. */
  readonly path: string;
  /** File contents (text). */
  readonly content: string;
  /**
   * Octal permissions.
   * @default '0644'
   */
  readonly permissions?: string;
  /**
   * Owner as `user:group`.
   * @default 'root:root'
   */
  readonly owner?: string;
  /**
   * Write the file in cloud-init's final stage, after packages and users
   * exist (needed when the owner is created by a package).
   * @default false
   */
  readonly defer?: boolean;
}

/** Options of `CloudConfig.render`. */
export interface CloudConfigRenderOptions {
  /**
   * Text of the first comment line after `#cloud-config`.
   * @default - none
   */
  readonly comment?: string;
}

/**
 * A cloud-config document (cloud-init's `#cloud-config` user data).
 *
 * Public because it is an escape hatch: `VmHost.cloudConfig` and
 * `HostFleet.cloudConfig` are one, to which a user adds files, packages
 * or commands of their own before synthesis, and `NativeSetup.files` are
 * its files.
 *
 * Commands are argv lists, so cloud-init runs them without a shell unless a
 * command is explicitly `['sh', '-c', script]`. Rendering is deterministic:
 * the same calls in the same order give the same bytes.
 */
export class CloudConfig {
  private readonly packages: string[] = [];
  private readonly files = new Map<string, CloudConfigFile>();
  private readonly bootcmd: string[][] = [];
  private readonly runcmd: string[][] = [];
  private packageUpdate = false;
  private _revision = 0;
  private packageUpgrade = false;
  private finalMessage?: string;

  /**
   * A number that changes with every change to the document, so a caller
   * can keep what it derived from `render()` until the document changes
   * (a host encodes its user data once per revision).
   */
  public get revision(): number {
    return this._revision;
  }

  /** A copy of the document, to which more can be added without changing this one. */
  public clone(): CloudConfig {
    const copy = new CloudConfig();
    copy.packages.push(...this.packages);
    for (const [path, file] of this.files) copy.files.set(path, file);
    copy.bootcmd.push(...this.bootcmd.map((c) => [...c]));
    copy.runcmd.push(...this.runcmd.map((c) => [...c]));
    copy.packageUpdate = this.packageUpdate;
    copy.packageUpgrade = this.packageUpgrade;
    copy.finalMessage = this.finalMessage;
    return copy;
  }

  /** Adds a package to install (duplicates are ignored). */
  public addPackage(name: string): void {
    this._revision++;
    if (!name || /\s/.test(name)) throw new Error(`CloudConfig: invalid package name ${JSON.stringify(name)}`);
    if (!this.packages.includes(name)) this.packages.push(name);
  }

  /** Refresh the package index before installing (`package_update`). */
  public enablePackageUpdate(update: boolean = true): void {
    this._revision++;
    this.packageUpdate = update;
  }

  /** Upgrade installed packages at first boot (`package_upgrade`). */
  public enablePackageUpgrade(upgrade: boolean = true): void {
    this._revision++;
    this.packageUpgrade = upgrade;
  }

  /** Adds a file; a second file at the same path is an error. */
  public addFile(file: CloudConfigFile): void {
    this._revision++;
    if (!file.path.startsWith('/')) throw new Error(`CloudConfig: file path must be absolute, got ${JSON.stringify(file.path)}`);
    if (this.files.has(file.path)) throw new Error(`CloudConfig: two files at ${file.path}`);
    if (file.permissions !== undefined && !/^0[0-7]{3}$/.test(file.permissions)) {
      throw new Error(`CloudConfig: permissions of ${file.path} must be octal like '0644', got ${JSON.stringify(file.permissions)}`);
    }
    this.files.set(file.path, file);
  }

  /** Adds a file, or replaces the file at the same path. */
  public putFile(file: CloudConfigFile): void {
    this.files.delete(file.path);
    this.addFile(file);
  }

  /** True when a file at `path` was added. */
  public hasFile(path: string): boolean {
    return this.files.has(path);
  }

  /** Adds a command run early at every boot (`bootcmd`), as an argv list. */
  public addBootCommand(argv: string[]): void {
    this._revision++;
    this.bootcmd.push(checkArgv(argv));
  }

  /** Adds a command run once at first boot (`runcmd`), as an argv list. */
  public addRunCommand(argv: string[]): void {
    this._revision++;
    this.runcmd.push(checkArgv(argv));
  }

  /** True when the exact argv was added to `runcmd`. */
  public hasRunCommand(argv: string[]): boolean {
    return this.runcmd.some((c) => c.length === argv.length && c.every((w, i) => w === argv[i]));
  }

  /** Sets the message cloud-init logs when it has finished. */
  public useFinalMessage(message: string): void {
    this._revision++;
    this.finalMessage = message;
  }

  /** The files added so far, in order. */
  public listFiles(): CloudConfigFile[] {
    return [...this.files.values()];
  }

  /** The runcmd argv lists added so far, in order. */
  public listRunCommands(): string[][] {
    return this.runcmd.map((c) => [...c]);
  }

  /** The packages added so far, in order. */
  public listPackages(): string[] {
    return [...this.packages];
  }

  /** The document as a plain object with cloud-config's keys. */
  public toObject(): Record<string, unknown> {
    const doc: Record<string, unknown> = {};
    if (this.packageUpdate) doc.package_update = true;
    if (this.packageUpgrade) doc.package_upgrade = true;
    if (this.packages.length) doc.packages = [...this.packages];
    if (this.files.size) {
      doc.write_files = [...this.files.values()].map((f) => {
        const entry: Record<string, unknown> = {
          path: f.path,
          content: f.content,
          owner: f.owner ?? 'root:root',
          permissions: f.permissions ?? '0644',
        };
        if (f.defer) entry.defer = true;
        return entry;
      });
    }
    if (this.bootcmd.length) doc.bootcmd = this.bootcmd.map((c) => [...c]);
    if (this.runcmd.length) doc.runcmd = this.runcmd.map((c) => [...c]);
    if (this.finalMessage !== undefined) doc.final_message = this.finalMessage;
    return doc;
  }

  /** Renders the document as YAML, starting with `#cloud-config`. */
  public render(options: CloudConfigRenderOptions = {}): string {
    const header = ['#cloud-config'];
    if (options.comment) header.push(...options.comment.split('\n').map((l) => `# ${l}`));
    // Strings with tokens (values known at apply) become double-quoted
    // scalars whose tokens Terraform escapes (jsonencode): no resolved value
    // can end the scalar or add a key.
    const body = serializeWithTokens(this.toObject(), (doc) => stringifyCloudConfig(doc as Record<string, unknown>));
    return `${header.join('\n')}\n${body}`;
  }
}

function checkArgv(argv: string[]): string[] {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
    throw new Error(`CloudConfig: a command must be a non-empty list of strings, got ${JSON.stringify(argv)}`);
  }
  return [...argv];
}
