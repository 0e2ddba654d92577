import { NativeService, NativeSetup } from '../native';
import { CloudConfig } from './cloud-config';
import { systemdQuoted, systemdWord } from './systemd';
import { WindowsServiceAccount, WindowsUserData } from './windows-user-data';

/** Renders the setup of an app that runs natively on its own VM. */
export class NativeRender {
  /** The systemd unit of a native service. */
  public static unit(s: NativeService): string {
    const lines = [
      '[Unit]',
      `Description=${(s.description ?? s.name).replace(/\n/g, ' ')}`,
      'Wants=network-online.target',
      'After=network-online.target',
      '',
      '[Service]',
      `ExecStart=${s.command.map(systemdWord).join(' ')}`,
      'Restart=on-failure',
      'RestartSec=5',
    ];
    if (s.user) lines.push(`User=${s.user}`);
    for (const [k, v] of Object.entries(s.environment ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(`Environment=${systemdQuoted(`${k}=${v}`)}`);
    }
    lines.push('', '[Install]', 'WantedBy=multi-user.target', '');
    return lines.join('\n');
  }

  /** Adds the setup to a host's cloud-config: packages, files, first-boot commands, and the service. */
  public static apply(config: CloudConfig, native: NativeSetup): void {
    for (const p of native.packages ?? []) config.addPackage(p);
    for (const f of native.files ?? []) config.addFile(f);
    for (const c of native.commands ?? []) config.addRunCommand(c);
    if (native.service) {
      const unit = `${native.service.name}.service`;
      config.addFile({ path: `/etc/systemd/system/${unit}`, content: NativeRender.unit(native.service), permissions: '0644' });
      config.addRunCommand(['systemctl', 'daemon-reload']);
      config.addRunCommand(['systemctl', 'enable', '--now', unit]);
    }
  }

  /**
   * Adds the setup to a Windows Server host's user data: `packages` are
   * Windows Server features, then the files, the first-boot commands and
   * the service (with its secrets fetched at every boot).
   */
  public static applyWindows(userData: WindowsUserData, native: NativeSetup): void {
    for (const p of native.packages ?? []) userData.addFeature(p);
    for (const f of native.files ?? []) userData.addFile({ path: f.path, content: f.content });
    for (const c of native.commands ?? []) userData.addCommand(c);
    const s = native.service;
    if (s) {
      const byName = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : 1);
      userData.useService({
        name: s.name,
        command: s.command,
        description: (s.description ?? s.name).replace(/[\r\n]+/g, ' '),
        account: s.user === 'LocalService' ? WindowsServiceAccount.LOCAL_SERVICE
          : s.user === 'NetworkService' ? WindowsServiceAccount.NETWORK_SERVICE : WindowsServiceAccount.LOCAL_SYSTEM,
        environment: Object.entries(s.environment ?? {}).sort(byName).map(([name, value]) => ({ name, value })),
        secretEnvironment: Object.entries(s.secretEnvironment ?? {}).sort(byName).map(([name, parameter]) => ({ name, parameter })),
      });
    }
  }

  private constructor() {}
}
