import * as fc from 'fast-check';
import { parse } from 'yaml';
import { MachineImage, VmHost } from '../../src';
import { stringifyCloudConfig, writeCloudConfigYaml } from '../../src/core/render/cloud-config-yaml';
import { cloudInitSchema, cloudInitSchemaKeys, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { awsStack, onlyResource, synthJson, userDataOf } from '../helpers/synth';
import { requireTools, run } from '../helpers/tools';
import { documentArb, LEFT_TO_THE_PACKAGE } from '../helpers/yaml-documents';

const enabled = requireTools('cloud-init schema and shellcheck checks', ['cloud-init', 'shellcheck', 'python3']);

(enabled ? describe : describe.skip)('user data checked by cloud-init and shellcheck', () => {
  const images: Array<[string, () => MachineImage, string]> = [
    ['Amazon Linux 2023', () => MachineImage.amazonLinux2023(), 't3.small'],
    ['Ubuntu 24.04', () => MachineImage.ubuntu2404(), 'm7g.medium'],
    ['Debian 12', () => MachineImage.debian12(), 't3.micro'],
  ];

  test.each(images)('%s: the synthesized user data passes cloud-init schema, uses only known keys, and its scripts pass shellcheck', (_name, image, instanceType) => {
    const { stack } = awsStack();
    new VmHost(stack, 'host', { machineImage: image(), instanceType });
    const userData = userDataOf(onlyResource(synthJson(stack), 'aws_instance'));

    const schema = cloudInitSchema(userData);
    expect({ status: schema.status, stderr: schema.stderr }).toEqual({ status: 0, stderr: '' });
    expect(schema.stdout).toContain('Valid cloud-config');

    const known = cloudInitSchemaKeys();
    expect(Object.keys(parse(userData, { version: '1.1' })).filter((k) => !known.has(k))).toEqual([]);

    const scripts = shellScriptsOf(userData);
    expect(scripts.map((s) => s.where)).toEqual(['/usr/local/lib/cdktf-isolation/wait-for-docker.sh']);
    for (const script of scripts) {
      const result = shellcheck(script.text);
      expect({ where: script.where, status: result.status, out: result.stdout }).toEqual({ where: script.where, status: 0, out: '' });
    }
  });

  test('the checks can fail: cloud-init rejects a wrong type, shellcheck flags an unquoted variable', () => {
    expect(cloudInitSchema('#cloud-config\npackages: 5\n').status).not.toBe(0);
    expect(cloudInitSchemaKeys().has('write_files')).toBe(true);
    expect(cloudInitSchemaKeys().has('packagez')).toBe(false);
    const bad = shellcheck('#!/bin/sh\nrm -rf $DIR/x\n');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('SC2086');
  });

  test('PyYAML (cloud-init\'s reader) reads both YAML paths back to the document, tricky strings included', () => {
    const tricky = ['<<', 'on', 'No', '0644', '1:20', '.inf', '2001-12-14', 'x: y', 'a #b', '- z', '', ' lead', 'trail ', 'say "hi"', "it's",
      '  indented\nblock\n', 'two\n\nparagraphs', '#!/bin/sh\necho hi\n', '---\ndocument marker'];
    const doc = {
      packages: ['docker', ...tricky],
      write_files: tricky.map((t, i) => ({ path: `/tmp/f${i}`, content: t, owner: 'root:root', permissions: '0644' })),
      runcmd: [tricky, ['echo', 'done']],
      final_message: 'ready: yes',
    };
    const withTab = { ...doc, runcmd: [...doc.runcmd, ['printf', 'a\tb', 'café']] };
    const fast = writeCloudConfigYaml(doc);
    expect(fast).toBeDefined();
    expect(writeCloudConfigYaml(withTab)).toBeUndefined();
    const pyyaml = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
    for (const [text, expected] of [[fast!, doc], [stringifyCloudConfig(withTab), withTab]] as const) {
      const r = run('python3', ['-c', pyyaml], { input: text });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(JSON.parse(r.stdout)).toEqual(expected);
    }
  });

  test('PyYAML reads 2,000 random documents back exactly, from the writer and from the yaml package fallback', () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2147483647;
    const docs = fc.sample(documentArb, { numRuns: 1000, seed });
    // The same documents again with a non-ASCII word, which sends each to the yaml package.
    const all = [...docs, ...docs.map((d) => ({ ...d, packages: [...((d.packages as string[]) ?? []), LEFT_TO_THE_PACKAGE[0]] }))];
    const texts = all.map((d) => stringifyCloudConfig(d));
    expect(docs.filter((d) => writeCloudConfigYaml(d) !== undefined).length).toBeGreaterThan(500);
    const pyyaml = 'import json, sys, yaml; print(json.dumps([yaml.safe_load(t) for t in json.load(sys.stdin)]))';
    const r = run('python3', ['-c', pyyaml], { input: JSON.stringify(texts) });
    expect({ status: r.status, stderr: r.stderr.slice(-2000), seed }).toEqual({ status: 0, stderr: '', seed });
    const read = JSON.parse(r.stdout) as unknown[];
    const wrong = all.map((d, i) => ({ i, doc: d, text: texts[i], read: read[i] })).filter((x) => JSON.stringify(x.read) !== JSON.stringify(x.doc));
    expect({ seed, wrong: wrong.slice(0, 3) }).toEqual({ seed, wrong: [] });
  });
});
