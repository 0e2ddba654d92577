// The yaml package is loaded on first render, not with the library: it is
// the largest part of the library's load time (bench/RESULTS.md).
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof import('yaml');
  return yamlModule;
}

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
  /** Bumped by every change, so render() can reuse its last text. */
  private revision = 0;
  private rendered?: { revision: number; comment?: string; text: string };
  private packageUpgrade = false;
  private finalMessage?: string;

  /** Adds a package to install (duplicates are ignored). */
  public addPackage(name: string): void {
    this.revision++;
    if (!name || /\s/.test(name)) throw new Error(`CloudConfig: invalid package name ${JSON.stringify(name)}`);
    if (!this.packages.includes(name)) this.packages.push(name);
  }

  /** Refresh the package index before installing (`package_update`). */
  public enablePackageUpdate(update: boolean = true): void {
    this.revision++;
    this.packageUpdate = update;
  }

  /** Upgrade installed packages at first boot (`package_upgrade`). */
  public enablePackageUpgrade(upgrade: boolean = true): void {
    this.revision++;
    this.packageUpgrade = upgrade;
  }

  /** Adds a file; a second file at the same path is an error. */
  public addFile(file: CloudConfigFile): void {
    this.revision++;
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
    this.revision++;
    this.bootcmd.push(checkArgv(argv));
  }

  /** Adds a command run once at first boot (`runcmd`), as an argv list. */
  public addRunCommand(argv: string[]): void {
    this.revision++;
    this.runcmd.push(checkArgv(argv));
  }

  /** True when the exact argv was added to `runcmd`. */
  public hasRunCommand(argv: string[]): boolean {
    return this.runcmd.some((c) => c.length === argv.length && c.every((w, i) => w === argv[i]));
  }

  /** Sets the message cloud-init logs when it has finished. */
  public useFinalMessage(message: string): void {
    this.revision++;
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
    if (this.rendered && this.rendered.revision === this.revision && this.rendered.comment === options.comment) return this.rendered.text;
    const header = ['#cloud-config'];
    if (options.comment) header.push(...options.comment.split('\n').map((l) => `# ${l}`));
    const body = yaml().stringify(this.toObject(), {
      lineWidth: 0,
      minContentWidth: 0,
      // Quote strings that YAML 1.1 readers (cloud-init uses PyYAML) would
      // take for booleans or numbers, e.g. `on`, `yes`, `0644`.
      defaultStringType: 'PLAIN',
      version: '1.1',
    });
    const text = `${header.join('\n')}\n${body}`;
    this.rendered = { revision: this.revision, comment: options.comment, text };
    return text;
  }
}

function checkArgv(argv: string[]): string[] {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
    throw new Error(`CloudConfig: a command must be a non-empty list of strings, got ${JSON.stringify(argv)}`);
  }
  return [...argv];
}
