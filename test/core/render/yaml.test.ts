import { stringify } from 'yaml';
import { needsDoubleQuotes, stringifyCloudConfig, YAML_OPTIONS } from '../../../src/core/render/yaml';

// The PyYAML round trip of these rules runs in test/integration/cloud-init.test.ts.
describe('cloud-config YAML (the yaml package with PyYAML-safe options)', () => {
  test('a document of every key the library writes', () => {
    expect(stringifyCloudConfig({
      package_update: true,
      packages: ['docker', 'on'],
      write_files: [{ path: '/etc/a', content: '#!/bin/sh\necho hi\n', owner: 'root:root', permissions: '0755', defer: true }],
      bootcmd: [['mkdir', '-p', '/run/x']],
      runcmd: [['systemctl', 'enable', '--now', 'docker.service']],
      final_message: 'ready after $UPTIME seconds',
    })).toBe([
      'package_update: true',
      'packages:',
      '  - docker',
      '  - "on"',
      'write_files:',
      '  - path: /etc/a',
      '    content: |',
      '      #!/bin/sh',
      '      echo hi',
      '    owner: root:root',
      '    permissions: "0755"',
      '    defer: true',
      'bootcmd:',
      '  - - mkdir',
      '    - -p',
      '    - /run/x',
      'runcmd:',
      '  - - systemctl',
      '    - enable',
      '    - --now',
      '    - docker.service',
      'final_message: ready after $UPTIME seconds',
      '',
    ].join('\n'));
  });

  test.each([
    // YAML 1.1 booleans, numbers, timestamps and null are quoted: PyYAML would read them as non-strings.
    ['yes', '"yes"'], ['No', '"No"'], ['off', '"off"'], ['0644', '"0644"'], ['1:20', '"1:20"'], ['0x1f', '"0x1f"'], ['.inf', '".inf"'],
    ['1e3', '"1e3"'], ['2001-12-14', '"2001-12-14"'], ['~', '"~"'], ['', '""'], ['null', '"null"'],
    // PyYAML's merge and value types.
    ['<<', '"<<"'], ['=', '"="'],
    // Indicators and separators.
    ['x: y', '"x: y"'], ['a #b', '"a #b"'], ['- z', '"- z"'], ['say "hi"', 'say "hi"'], ['"hi" she said', '\'"hi" she said\''], ['trail ', '"trail "'],
    // A tab on one line, and Unicode line separators, are escaped in double quotes.
    ['a\tb', '"a\\tb"'], ['a\u2028b', '"a\\Lb"'], ['a\x85b', '"a\\Nb"'], ['a\u2029b', '"a\\Pb"'],
    // Plain where PyYAML reads them back as they are.
    ['docker.io', 'docker.io'], ['café', 'café'], ['$HOME/x', '$HOME/x'],
  ])('%j is written as %s', (value, yaml) => {
    expect(stringifyCloudConfig({ final_message: value })).toBe(`final_message: ${yaml}\n`);
  });

  test('whitespace-only text is double-quoted on one line, not written as a block PyYAML would read as indentation', () => {
    expect(stringifyCloudConfig({ runcmd: [[' \n', '\n\n']] })).toBe('runcmd:\n  - - "\\ \\n"\n    - "\\n\\n"\n');
    expect(needsDoubleQuotes(' \n')).toBe(true);
    expect(needsDoubleQuotes('a\n')).toBe(false);
  });

  test('without these options the yaml package writes what PyYAML misreads (so the options matter)', () => {
    expect(stringify({ runcmd: [['<<']] }, { version: '1.1' })).toBe('runcmd:\n  - - <<\n');
    expect(stringify({ runcmd: [['a\tb']] }, YAML_OPTIONS)).toBe('runcmd:\n  - - a\tb\n');
    expect(stringify({ final_message: 'yes' }, { version: '1.2' })).toBe('final_message: yes\n');
  });
});
