import { powershellArray, powershellQuote, windowsCommandLine } from '../../private/powershell';

/** A file the Windows user data writes (UTF-8, no byte-order mark, the content's bytes as given). */
export interface WindowsFile {
  /** Absolute Windows path, e.g. `C:\ProgramData\reports\config.json`. */
  readonly path: string;
  /** The file's text. */
  readonly content: string;
}

/** The account a Windows service runs as (`WindowsUserData.useService`, on `VmHost.windowsUserData`). */
export enum WindowsServiceAccount {
  /** `LocalSystem`: full control of the machine (what a Linux service running as root has). */
  LOCAL_SYSTEM = 'LocalSystem',
  /** `NT AUTHORITY\LocalService`: a least-privilege account, anonymous on the network. */
  LOCAL_SERVICE = 'NT AUTHORITY\\LocalService',
  /** `NT AUTHORITY\NetworkService`: a least-privilege account that uses the machine's identity on the network. */
  NETWORK_SERVICE = 'NT AUTHORITY\\NetworkService',
}

/** An environment variable of a Windows service. */
export interface WindowsServiceVariable {
  /** Name. */
  readonly name: string;
  /** Value. */
  readonly value: string;
}

/** An environment variable of a Windows service whose value is an SSM parameter, fetched at every boot. */
export interface WindowsServiceSecret {
  /** Name. */
  readonly name: string;
  /** The SSM parameter's name or ARN. */
  readonly parameter: string;
}

/** A Windows service the user data installs (the Service Control Manager starts it at boot and restarts it on failure). */
export interface WindowsService {
  /** Service name (letters, digits, `_ . -`). */
  readonly name: string;
  /** The command as an argv list; the first word is an absolute Windows path to the executable. */
  readonly command: string[];
  /** Description shown by the Services console. */
  readonly description: string;
  /** The account the service runs as. */
  readonly account: WindowsServiceAccount;
  /** Environment of the service only (name, value), in order. */
  readonly environment: WindowsServiceVariable[];
  /** Environment of the service from SSM Parameter Store (name, parameter name or ARN), fetched at every boot. */
  readonly secretEnvironment: WindowsServiceSecret[];
}

/** Options of `WindowsUserData.render`. */
export interface WindowsUserDataRenderOptions {
  /**
   * Text of the comment after the `<powershell>` tag.
   * @default - none
   */
  readonly comment?: string;
}

/** Where the user data keeps its marker and its log, on the host. */
export const WINDOWS_STATE_DIR = 'C:\\ProgramData\\cdktf-isolation';

/**
 * The user data of a Windows host, as a model: Windows Server features,
 * files, machine-level environment variables, first-boot commands and one
 * service, rendered as one PowerShell script (`<powershell>...</powershell>`)
 * that EC2Launch v2 runs. The Linux hosts' counterpart is CloudConfig.
 *
 * Public because it is an escape hatch: `VmHost.windowsUserData` is one,
 * to which a user adds features, files, environment or the service of a
 * Windows host before synthesis.
 *
 * EC2Launch v2 (the launch agent of Amazon's Windows Server 2022 and 2025
 * AMIs) runs the `<powershell>` block of the user data in its `executeScript`
 * task, once, at the first boot, as LocalSystem, with Windows PowerShell 5.1,
 * and logs it in `C:\ProgramData\Amazon\EC2Launch\log\agent.log`. With
 * `<persist>true</persist>` it runs the block at every boot instead. The
 * script needs that only for one thing: secrets (SSM parameters) are
 * fetched at every boot, so a rotated value reaches the service at its next
 * start; everything else happens once, behind a marker file, and the
 * Service Control Manager starts the service at every boot by itself. So
 * `<persist>` is written when, and only when, the service has secrets.
 *
 * Every value reaches the script through `powershellQuote` (see its rule).
 * Rendering is deterministic: the same calls in the same order give the
 * same bytes.
 */
export class WindowsUserData {
  private readonly features: string[] = [];
  private readonly files = new Map<string, WindowsFile>();
  private readonly environment = new Map<string, string>();
  private readonly commands: string[][] = [];
  private service?: WindowsService;
  private _revision = 0;

  /** A number that changes with every change to the model. */
  public get revision(): number {
    return this._revision;
  }

  /** A copy, to which more can be added without changing this one. */
  public clone(): WindowsUserData {
    const copy = new WindowsUserData();
    copy.features.push(...this.features);
    for (const [k, v] of this.files) copy.files.set(k, v);
    for (const [k, v] of this.environment) copy.environment.set(k, v);
    copy.commands.push(...this.commands.map((c) => [...c]));
    copy.service = this.service;
    return copy;
  }

  /** Adds a Windows Server feature (an `Install-WindowsFeature` name, e.g. `Web-Server`); duplicates are ignored. */
  public addFeature(name: string): void {
    this._revision++;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`WindowsUserData: invalid feature name ${JSON.stringify(name)}`);
    if (!this.features.includes(name)) this.features.push(name);
  }

  /** Adds a file; a second file at the same path (case-insensitive, as on NTFS) is an error. */
  public addFile(file: WindowsFile): void {
    this._revision++;
    if (!isWindowsAbsolutePath(file.path)) throw new Error(`WindowsUserData: file path must be absolute (e.g. C:\\app\\config.txt), got ${JSON.stringify(file.path)}`);
    const key = file.path.toLowerCase();
    if (this.files.has(key)) throw new Error(`WindowsUserData: two files at ${file.path}`);
    this.files.set(key, { path: file.path, content: file.content });
  }

  /** Sets a machine-level environment variable (every process started after it sees it). */
  public addEnvironment(name: string, value: string): void {
    this._revision++;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`WindowsUserData: invalid environment variable name ${JSON.stringify(name)}`);
    this.environment.set(name, value);
  }

  /** Adds a command run once at first boot, after the features and files, as an argv list (the first word an executable). */
  public addCommand(argv: string[]): void {
    this._revision++;
    if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
      throw new Error(`WindowsUserData: a command must be a non-empty list of strings, got ${JSON.stringify(argv)}`);
    }
    this.commands.push([...argv]);
  }

  /** Sets the service (one per host). */
  public useService(service: WindowsService): void {
    this._revision++;
    if (this.service) throw new Error(`WindowsUserData: a second service (${service.name}); the host has ${this.service.name}`);
    this.service = service;
  }

  /** The features added so far. */
  public listFeatures(): string[] {
    return [...this.features];
  }

  /** True when the script must run at every boot (`<persist>true</persist>`): the service has secrets to fetch. */
  public get persist(): boolean {
    return (this.service?.secretEnvironment.length ?? 0) > 0;
  }

  /** The model as a plain object (what the host is: its digest). */
  public toObject(): Record<string, unknown> {
    return {
      features: [...this.features],
      files: [...this.files.values()],
      environment: Object.fromEntries(this.environment),
      commands: this.commands.map((c) => [...c]),
      service: this.service,
    };
  }

  /** The user data: the PowerShell script in `<powershell>` tags, and `<persist>true</persist>` when it must run at every boot. */
  public render(options: WindowsUserDataRenderOptions = {}): string {
    const out: string[] = ['<powershell>'];
    if (options.comment) out.push(...options.comment.split(/\r?\n/).map((l) => `# ${l.replace(/[^\x20-\x7e]|</g, '?')}`));
    out.push(
      '# Rendered by cdktf-isolation. EC2Launch v2 runs this script as LocalSystem with Windows PowerShell 5.1:',
      this.persist
        ? '# at every boot (<persist>): the first-boot part once, behind a marker file; the secrets at every boot.'
        : '# once, at the first boot.',
      "$ErrorActionPreference = 'Stop'",
      "$ProgressPreference = 'SilentlyContinue'",
      'Set-StrictMode -Version 3.0',
      `$state = ${powershellQuote(WINDOWS_STATE_DIR)}`,
      "$marker = Join-Path $state 'first-boot.done'",
      'New-Item -ItemType Directory -Force -Path $state | Out-Null',
      "Start-Transcript -Append -Path (Join-Path $state 'user-data.log') | Out-Null",
      'if (-not (Test-Path -LiteralPath $marker)) {',
    );
    out.push(...this.firstBoot().map((l) => `  ${l}`));
    out.push('  New-Item -ItemType File -Force -Path $marker | Out-Null', '}');
    out.push(...this.everyBoot());
    out.push('Stop-Transcript | Out-Null', '</powershell>');
    if (this.persist) out.push('<persist>true</persist>');
    return `${out.join('\n')}\n`;
  }

  private firstBoot(): string[] {
    const lines: string[] = [];
    if (this.features.length) {
      lines.push(
        '# Windows Server features, from the image\'s component store.',
        `$result = Install-WindowsFeature -Name ${powershellArray(this.features)}`,
        "if (-not $result.Success) { throw 'Install-WindowsFeature failed' }",
      );
    }
    for (const f of this.files.values()) {
      lines.push(
        `$path = ${powershellQuote(f.path)}`,
        'New-Item -ItemType Directory -Force -Path ([System.IO.Path]::GetDirectoryName($path)) | Out-Null',
        `[System.IO.File]::WriteAllText($path, ${powershellQuote(f.content)}, (New-Object System.Text.UTF8Encoding($false)))`,
      );
    }
    for (const [name, value] of [...this.environment].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(`[System.Environment]::SetEnvironmentVariable(${powershellQuote(name)}, ${powershellQuote(value)}, 'Machine')`);
    }
    for (const argv of this.commands) {
      lines.push(
        `& ${powershellQuote(argv[0])}${argv.slice(1).map((a) => ` ${powershellQuote(a)}`).join('')}`,
        `if ($LASTEXITCODE -ne 0) { throw (${powershellQuote(`command failed: ${argv[0]}`)} + ' exited with ' + $LASTEXITCODE) }`,
      );
    }
    const s = this.service;
    if (s) {
      lines.push(
        '# The service: started at every boot by the Service Control Manager, restarted 5 s after a failure.',
        `$service = ${powershellQuote(s.name)}`,
        `New-Service -Name $service -BinaryPathName ${powershellQuote(windowsCommandLine(s.command))} -DisplayName $service ` +
          `-Description ${powershellQuote(s.description)} -StartupType Automatic | Out-Null`,
      );
      if (s.account !== WindowsServiceAccount.LOCAL_SYSTEM) {
        // Win32_Service.Change: a built-in account has no password (StartPassword '').
        lines.push(
          "$cim = Get-CimInstance -ClassName Win32_Service -Filter (\"Name='\" + $service + \"'\")",
          `$changed = Invoke-CimMethod -InputObject $cim -MethodName Change -Arguments @{ StartName = ${powershellQuote(s.account)}; StartPassword = '' }`,
          "if ($changed.ReturnValue -ne 0) { throw ('Win32_Service.Change failed: ' + $changed.ReturnValue) }",
        );
      }
      lines.push(
        '& sc.exe failure $service reset= 86400 actions= restart/5000/restart/5000/restart/5000 | Out-Null',
        "if ($LASTEXITCODE -ne 0) { throw 'sc.exe failure failed' }",
        // Also when the service stops itself with an error exit code, not only when it crashes.
        '& sc.exe failureflag $service 1 | Out-Null',
        "if ($LASTEXITCODE -ne 0) { throw 'sc.exe failureflag failed' }",
      );
      if (s.environment.length) {
        lines.push('Set-ItemProperty -LiteralPath (\'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\\' + $service) -Name \'Environment\' -Type MultiString ' +
          `-Value ${powershellArray(s.environment.map((e) => `${e.name}=${e.value}`))}`);
      }
      if (!this.persist) lines.push('Start-Service -Name $service');
    }
    return lines;
  }

  /** What runs at every boot: only the secrets, fetched with the AWS Tools for PowerShell that the AMI ships, and the service restarted with them. */
  private everyBoot(): string[] {
    const s = this.service;
    if (!s || !this.persist) return [];
    const lines = [
      '# Secrets from SSM Parameter Store, at every boot (never in this user data), with the instance role.',
      "$imdsSession = Invoke-RestMethod -Method Put -Uri 'http://169.254.169.254/latest/api/token' -Headers @{ 'X-aws-ec2-metadata-token-ttl-seconds' = '300' }",
      "$region = Invoke-RestMethod -Uri 'http://169.254.169.254/latest/meta-data/placement/region' -Headers @{ 'X-aws-ec2-metadata-token' = $imdsSession }",
      'Import-Module AWSPowerShell',
      `$environment = ${powershellArray(s.environment.map((e) => `${e.name}=${e.value}`))}`,
    ];
    for (const { name, parameter } of s.secretEnvironment) {
      lines.push(`$environment += ${powershellQuote(`${name}=`)} + (Get-SSMParameter -Name ${powershellQuote(parameter)} -WithDecryption $true -Region $region).Value`);
    }
    lines.push(
      `$service = ${powershellQuote(s.name)}`,
      // The service's own key: only its process gets the values (not the machine's environment).
      "Set-ItemProperty -LiteralPath ('HKLM:\\SYSTEM\\CurrentControlSet\\Services\\' + $service) -Name 'Environment' -Type MultiString -Value $environment",
      'Restart-Service -Name $service -Force',
    );
    return lines;
  }
}

/** True for an absolute Windows path with a drive letter (`C:\...`). */
export function isWindowsAbsolutePath(path: string): boolean {
  return typeof path === 'string' && /^[A-Za-z]:\\[^\0\n\r<>:"|?*]*$/.test(path) && !/\\$/.test(path);
}
