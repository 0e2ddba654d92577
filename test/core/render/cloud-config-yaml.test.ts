import * as fc from 'fast-check';
import { Document, stringify } from 'yaml';
import { ContainerImage, ContainerSpec, DockerRun } from '../../../src';
import { CloudConfig } from '../../../src/core/render/cloud-config';
import { stringifyCloudConfig, stringifyWithYamlPackage, writeCloudConfigYaml, YAML_1_1_NON_STRING_SCALARS, YAML_OPTIONS } from '../../../src/core/render/cloud-config-yaml';
import { ContainerSetup } from '../../../src/core/render/container-setup';
import { DockerHostSetup } from '../../../src/core/render/docker-host';
import { OsFamily } from '../../../src/core/os-family';
import { documentArb } from '../../helpers/yaml-documents';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2147483647;
const RUNS = Number(process.env.FC_RUNS ?? 3000);

/** What the yaml package writes for a document (with YAML_OPTIONS): the reference the writer must match byte for byte. */
const reference = stringifyWithYamlPackage;

describe(`cloud-config YAML writer (seed ${SEED})`, () => {
  test('its YAML 1.1 non-string resolvers are the yaml package\'s, as the package applies them to strings', () => {
    const schema = new Document(null, YAML_OPTIONS).schema;
    // stringifyString.js quotes a plain string when a default tag other than str has a matching test.
    const packageResolvers = schema.tags
      .filter((t: any) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)
      .map((t: any) => (t.test as RegExp).source);
    expect(YAML_1_1_NON_STRING_SCALARS.map((r) => r.source)).toEqual(packageResolvers);
    expect(packageResolvers.length).toBe(15);
    // The writer's cheap first test lets every string these resolvers match through.
    const firstChars = new Set<string>();
    for (let c = 0x20; c < 0x7f; c++) {
      const ch = String.fromCharCode(c);
      // A resolver can match a string starting with ch if it matches ch followed by something, or ch alone.
      if (YAML_1_1_NON_STRING_SCALARS.some((r) => ['', '0', '00', '0:0', '.', 'e0', 'ull', 'es', 'rue', 'alse', 'n', 'ff', 'o', '<', '0b1', '0x1', 'inf', 'nan', '000-1-1', 'ES', 'RUE', 'N', 'FF', 'ULL'].some((rest) => r.test(ch + rest)))) firstChars.add(ch);
    }
    expect([...firstChars].sort().join('')).toBe('+-.0123456789<=EFNOTYefnoty~');
    expect(YAML_1_1_NON_STRING_SCALARS.some((r) => r.test(''))).toBe(true);
  });

  test('on random documents it writes exactly what the yaml package writes, or declines', () => {
    let written = 0;
    let declined = 0;
    try {
      fc.assert(fc.property(documentArb, (doc) => {
        const out = writeCloudConfigYaml(doc);
        if (out === undefined) {
          declined++;
          return;
        }
        written++;
        expect(out).toBe(reference(doc));
      }), { numRuns: RUNS, seed: SEED });
    } catch (e) {
      // eslint-disable-next-line no-console
      console.error(`reproduce with FC_SEED=${SEED} FC_RUNS=${RUNS} npx jest test/core/cloud-config-yaml.test.ts`);
      throw e;
    }
    // Not vacuous: most documents take the writer's own path, and some take the fallback.
    expect(written).toBeGreaterThan(RUNS * 0.2);
    expect(declined).toBeGreaterThan(0);
  });

  test.each([
    ['non-ASCII text', 'café'], ['a control character', 'bell\x07'], ['a whitespace-only last line', 'a\n  '],
    ['kept trailing newlines', 'a\n\n'], ['only newlines', '\n\n'],
  ])('it declines %s, and stringifyCloudConfig gives the yaml package\'s text', (_what, value) => {
    const doc = { runcmd: [['echo', value]], final_message: value };
    expect(writeCloudConfigYaml(doc)).toBeUndefined();
    expect(stringifyCloudConfig(doc)).toBe(reference(doc));
  });

  test('it writes the documents the library builds: Docker setup, containers with secrets, ECR and health checks', () => {
    for (const osFamily of [OsFamily.AMAZON_LINUX_2023, OsFamily.UBUNTU_2404, OsFamily.DEBIAN_12]) {
      const config = new CloudConfig();
      DockerHostSetup.apply(config, { osFamily });
      for (const [i, image] of [ContainerImage.fromRegistry('nginx:1.27'), ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', 'v1')].entries()) {
        ContainerSetup.apply(config, ContainerSpec.of({
          name: `app${i}`,
          image,
          memoryMiB: 128,
          environment: { MODE: 'on', EMPTY: '', QUOTE: 'say "hi"' },
          secretEnvironment: { TOKEN: '/prod/token' },
          ports: [{ containerPort: 80, hostPort: 8080 + i }],
          healthCheck: { command: ['wget', '-q', '-O-', 'http://127.0.0.1/health'] },
        }, 'test'), osFamily);
      }
      const doc = config.toObject();
      const out = writeCloudConfigYaml(doc);
      expect(out).toBeDefined();
      expect(out).toBe(reference(doc));
      expect(config.render()).toBe(`#cloud-config\n${out}`);
      expect(out).toContain(`path: ${DockerRun.SSM_SCRIPT}`);
    }
  });

  test('a bare << or = is quoted on both paths (PyYAML reads them only as merge and value keys)', () => {
    expect(writeCloudConfigYaml({ runcmd: [['cat', '<<', '=']] })).toBe('runcmd:\n  - - cat\n    - "<<"\n    - "="\n');
    expect(stringifyCloudConfig({ runcmd: [['café', '=']] })).toBe('runcmd:\n  - - café\n    - "="\n');
    // The é sends this document to the yaml package, which quotes it too with YAML_OPTIONS.
    expect(stringifyCloudConfig({ runcmd: [['café', '<<']] })).toBe('runcmd:\n  - - café\n    - "<<"\n');
    // Without YAML_OPTIONS' merge tag, the yaml package writes it bare.
    expect(stringify({ runcmd: [['<<']] }, { version: '1.1' })).toBe('runcmd:\n  - - <<\n');
  });

  test('a one-line string with a tab is double-quoted on both paths (PyYAML refuses a tab in a plain scalar)', () => {
    expect(writeCloudConfigYaml({ runcmd: [['printf', 'a\tb']] })).toBe('runcmd:\n  - - printf\n    - "a\\tb"\n');
    expect(stringifyCloudConfig({ runcmd: [['café', 'a\tb']] })).toBe('runcmd:\n  - - café\n    - "a\\tb"\n');
    // The yaml package on its own writes the tab bare.
    expect(stringify({ runcmd: [['a\tb']] }, YAML_OPTIONS)).toBe('runcmd:\n  - - a\tb\n');
  });

  test('whitespace-only text and Unicode line separators are double-quoted on one line by the fallback', () => {
    expect(writeCloudConfigYaml({ runcmd: [[' \n']] })).toBeUndefined();
    expect(stringifyCloudConfig({ runcmd: [[' \n', 'a\u2028b', 'x\n'.repeat(30) + ' ']] }))
      .toBe(`runcmd:\n  - - "\\ \\n"\n    - "a\\Lb"\n    - "${'x\\n'.repeat(30)} "\n`);
  });

  test('an empty document goes to the yaml package', () => {
    expect(writeCloudConfigYaml({})).toBeUndefined();
    expect(stringifyCloudConfig({})).toBe('{}\n');
  });
});
