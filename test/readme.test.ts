import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

describe('README: Using CDK Terrain', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using CDK Terrain'), readme.indexOf('## Performance'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);

  test('shows the package.json that .ci/cdktn.sh installs (.ci/cdktn-package.json), with the library', () => {
    expect(block).not.toBeNull();
    const shown = JSON.parse(block![1]);
    const installed = JSON.parse(readFileSync(join(root, '.ci', 'cdktn-package.json'), 'utf8'));
    expect(shown).toEqual({
      dependencies: { 'cdktf-isolation': 'latest', ...installed.dependencies },
      devDependencies: installed.devDependencies,
      overrides: installed.overrides,
    });
  });

  test('names the suites .ci/cdktn.sh leaves to the cdktf install', () => {
    const script = readFileSync(join(root, '.ci', 'cdktn.sh'), 'utf8');
    const cdktfOnly = /^CDKTF_ONLY=\(([^)]*)\)$/m.exec(script)![1].split(' ');
    expect(cdktfOnly).toEqual(['test/vm/', 'test/integration/engine.test.ts', 'test/integration/containers.test.ts']);
    expect(section).toContain('`test/vm` (the QEMU VM boot) and\n`test/integration/engine` and `containers` (the private Docker engine)');
  });
});
