import { parse } from 'yaml';
import { Architecture, OsFamilies, OsFamily, PackageManager } from '../../../src/core/os-family';
import { CloudConfig } from '../../../src/core/render/cloud-config';
import { DockerDaemonConfig } from '../../../src/core/render/daemon-json';
import { DockerHostSetup } from '../../../src/core/render/docker-host';
import { HostLayout } from '../../../src/core/render/host-layout';

const { READY_MESSAGE } = DockerHostSetup;
const { WAIT_FOR_DOCKER } = HostLayout;

describe('CloudConfig', () => {
  test('renders exactly the cloud-config keys, in a fixed order, after #cloud-config', () => {
    const c = new CloudConfig();
    c.enablePackageUpdate();
    c.addPackage('docker.io');
    c.addPackage('docker.io');
    c.addFile({ path: '/etc/a', content: 'x\ny\n', permissions: '0600', owner: 'root:adm' });
    c.addBootCommand(['sysctl', '-w', 'vm.max_map_count=262144']);
    c.addRunCommand(['systemctl', 'enable', '--now', 'docker.service']);
    c.useFinalMessage('done after $UPTIME seconds');
    expect(c.render({ comment: 'host a' })).toBe([
      '#cloud-config',
      '# host a',
      'package_update: true',
      'packages:',
      '  - docker.io',
      'write_files:',
      '  - path: /etc/a',
      '    content: |',
      '      x',
      '      y',
      '    owner: root:adm',
      '    permissions: "0600"',
      'bootcmd:',
      '  - - sysctl',
      '    - -w',
      '    - vm.max_map_count=262144',
      'runcmd:',
      '  - - systemctl',
      '    - enable',
      '    - --now',
      '    - docker.service',
      'final_message: done after $UPTIME seconds',
      '',
    ].join('\n'));
  });

  test('quotes strings a YAML 1.1 reader would take for booleans or numbers', () => {
    const c = new CloudConfig();
    c.addRunCommand(['echo', 'yes', 'on', 'off', '0644', '1e3', 'a: b', '#x', '- y', "it's", 'null']);
    const text = c.render();
    expect(text).toContain('    - "yes"\n    - "on"\n    - "off"\n    - "0644"\n    - "1e3"\n    - "a: b"\n    - "#x"\n    - "- y"\n    - it\'s\n    - "null"\n');
    // Read back as YAML 1.1, every value is the string it was.
    expect(parse(text, { version: '1.1' }).runcmd[0]).toEqual(['echo', 'yes', 'on', 'off', '0644', '1e3', 'a: b', '#x', '- y', "it's", 'null']);
  });

  test('file contents round-trip byte for byte, whatever they hold', () => {
    const nasty = 'tab\there\n  leading spaces\ntrailing \nquote " \' $HOME ${X} %s \\ ünïcode ✓\n\nlast line without newline';
    const c = new CloudConfig();
    c.addFile({ path: '/etc/nasty', content: nasty });
    expect(parse(c.render(), { version: '1.1' }).write_files[0].content).toBe(nasty);
  });

  test('rendering keeps the order of the calls, byte for byte', () => {
    const c = new CloudConfig();
    c.addPackage('b');
    c.addPackage('a');
    c.addFile({ path: '/x', content: 'x' });
    c.addRunCommand(['true']);
    expect(c.render()).toBe('#cloud-config\npackages:\n  - b\n  - a\nwrite_files:\n  - path: /x\n    content: x\n    owner: root:root\n    permissions: "0644"\nruncmd:\n  - - "true"\n');
  });

  test('every change bumps the revision (what VmHost and HostFleet cache their encoded user data by)', () => {
    const c = new CloudConfig();
    const seen = [c.revision];
    const bumps = (change: () => void) => {
      change();
      expect(seen).not.toContain(c.revision);
      seen.push(c.revision);
    };
    bumps(() => c.addPackage('a'));
    bumps(() => c.enablePackageUpdate());
    bumps(() => c.enablePackageUpgrade());
    bumps(() => c.addFile({ path: '/later', content: 'x' }));
    bumps(() => c.putFile({ path: '/later', content: 'changed' }));
    bumps(() => c.addBootCommand(['true']));
    bumps(() => c.addRunCommand(['true']));
    bumps(() => c.useFinalMessage('done'));
    const r = c.revision;
    c.render();
    c.listFiles();
    expect(c.revision).toBe(r);
    expect(c.render()).toContain('content: changed');
    expect(c.render({ comment: 'other' }).startsWith('#cloud-config\n# other\n')).toBe(true);
  });

  test('an empty document is just the header and an empty map', () => {
    expect(new CloudConfig().render()).toBe('#cloud-config\n{}\n');
  });

  test('rejects a second file at one path, relative paths, bad permissions and empty commands', () => {
    const c = new CloudConfig();
    c.addFile({ path: '/a', content: '' });
    expect(() => c.addFile({ path: '/a', content: '' })).toThrow('CloudConfig: two files at /a');
    expect(() => c.addFile({ path: 'rel', content: '' })).toThrow('file path must be absolute, got "rel"');
    expect(() => c.addFile({ path: '/b', content: '', permissions: '644' })).toThrow("permissions of /b must be octal like '0644', got \"644\"");
    expect(() => c.addRunCommand([])).toThrow('a command must be a non-empty list of strings');
    expect(() => c.addPackage('two words')).toThrow('invalid package name "two words"');
  });
});

describe('OS families', () => {
  test.each([
    [OsFamily.AMAZON_LINUX_2023, PackageManager.DNF, 'docker', 'ec2-user'],
    [OsFamily.UBUNTU_2404, PackageManager.APT, 'docker.io', 'ubuntu'],
    [OsFamily.DEBIAN_12, PackageManager.APT, 'docker.io', 'admin'],
  ])('%s: %s installs %s, login user %s', (family, pm, pkg, user) => {
    const t = OsFamilies.traits(family);
    expect([t.packageManager, t.dockerPackage, t.defaultUser]).toEqual([pm, pkg, user]);
    expect(t.architectures).toEqual([Architecture.X86_64, Architecture.ARM64]);
  });

  test('an unknown family is an error that lists the known ones', () => {
    expect(() => OsFamilies.traits('freebsd-14' as OsFamily)).toThrow('unknown OS family "freebsd-14"; expected one of amazon-linux-2023, ubuntu-24.04, debian-12, windows');
  });
});

describe('DockerHostSetup', () => {
  test.each([
    [OsFamily.AMAZON_LINUX_2023, 'docker'],
    [OsFamily.UBUNTU_2404, 'docker.io'],
    [OsFamily.DEBIAN_12, 'docker.io'],
  ])('%s: installs %s, writes daemon.json, starts and waits for the engine, then says ready', (family, pkg) => {
    const c = new CloudConfig();
    DockerHostSetup.apply(c, { osFamily: family });
    const doc = c.toObject();
    expect(doc.package_update).toBe(true);
    expect(doc.packages).toEqual([pkg]);
    expect((doc.write_files as any[]).map((f) => [f.path, f.permissions])).toEqual([
      ['/etc/docker/daemon.json', '0644'],
      [WAIT_FOR_DOCKER, '0755'],
    ]);
    expect(JSON.parse((doc.write_files as any[])[0].content)).toEqual({
      'live-restore': true,
      'log-driver': 'json-file',
      'log-opts': { 'max-file': '3', 'max-size': '10m' },
      'no-new-privileges': true,
    });
    expect(doc.runcmd).toEqual([['systemctl', 'enable', '--now', 'docker.service'], [WAIT_FOR_DOCKER]]);
    expect(doc.final_message).toBe(READY_MESSAGE);
  });
});

describe('DockerDaemonConfig', () => {
  test('renders sorted keys with options applied', () => {
    expect(DockerDaemonConfig.render({ liveRestore: false, noNewPrivileges: false, logMaxSize: '50m', logMaxFiles: 5 })).toBe(
      '{\n  "live-restore": false,\n  "log-driver": "json-file",\n  "log-opts": {\n    "max-file": "5",\n    "max-size": "50m"\n  },\n  "no-new-privileges": false\n}\n');
  });

  test.each([
    [{ logMaxSize: '10' }, "web: 'dockerDaemon.logMaxSize' must be a size such as '10m', '512k' or '1g', got \"10\". Write a whole number followed by k, m or g."],
    [{ logMaxFiles: 0 }, "web: 'dockerDaemon.logMaxFiles' must be an integer from 1 to 100, got 0. Use a whole number between 1 and 100."],
  ])('rejects %j', (options, message) => {
    expect(() => DockerDaemonConfig.render(options, 'web')).toThrow(message);
  });
});
