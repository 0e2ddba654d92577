import * as fc from 'fast-check';
import { parse } from 'yaml';
import { IMachineImage, MachineImage, VmHost } from '../../src';
import { stringifyCloudConfig } from '../../src/core/render/yaml';
import { cloudInitSchema, cloudInitSchemaKeys, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { awsStack, onlyResource, synthJson, userDataOf } from '../helpers/synth';
import { requireTools, run } from '../helpers/tools';
import { documentArb } from '../helpers/yaml-documents';

const enabled = requireTools('cloud-init schema and shellcheck checks', ['cloud-init', 'shellcheck', 'python3']);

(enabled ? describe : describe.skip)('user data checked by cloud-init and shellcheck', () => {
  const images: Array<[string, () => IMachineImage, string]> = [
    ['Amazon Linux 2023', () => MachineImage.amazonLinux2023(), 't3.small'],
    ['Ubuntu 24.04', () => MachineImage.ubuntu2404(), 'm7g.medium'],
    ['Debian 12', () => MachineImage.debian12(), 't3.micro'],
  ];

  test.each(images)('%s: the synthesized user data passes cloud-init schema, uses only known keys, and its scripts pass shellcheck', (name, image, instanceType) => {
    const { stack } = awsStack();
    new VmHost(stack, 'host', { machineImage: image(), instanceType });
    const userData = userDataOf(onlyResource(synthJson(stack), 'aws_instance'));

    const schema = cloudInitSchema(userData);
    expect({ status: schema.status, stderr: schema.stderr }).toEqual({ status: 0, stderr: '' });
    expect(schema.stdout).toContain('Valid cloud-config');

    const known = cloudInitSchemaKeys();
    expect(Object.keys(parse(userData, { version: '1.1' })).filter((k) => !known.has(k))).toEqual([]);

    const scripts = shellScriptsOf(userData);
    // Debian's AMIs lack the SSM agent: the library installs it (a unit that retries, never a cloud-init error).
    expect(scripts.map((s) => s.where)).toEqual(['/usr/local/lib/cdktf-isolation/wait-for-docker.sh',
      ...(name === 'Debian 12' ? ['/usr/local/lib/cdktf-isolation/install-ssm-agent.sh'] : [])]);
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

  test('PyYAML (cloud-init\'s reader) reads the YAML back to the document, tricky strings included', () => {
    const tricky = ['<<', '=', 'on', 'No', '0644', '1:20', '.inf', '2001-12-14', 'x: y', 'a #b', '- z', '', ' lead', 'trail ', 'say "hi"', "it's",
      '  indented\nblock\n', 'two\n\nparagraphs', '#!/bin/sh\necho hi\n', '---\ndocument marker', 'a\tb', 'café', ' \n', 'a\u2028b', 'bell\x07'];
    const doc = {
      packages: ['docker', ...tricky],
      write_files: tricky.map((t, i) => ({ path: `/tmp/f${i}`, content: t, owner: 'root:root', permissions: '0644' })),
      runcmd: [tricky, ['echo', 'done']],
      final_message: 'ready: yes',
    };
    const pyyaml = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
    const r = run('python3', ['-c', pyyaml], { input: stringifyCloudConfig(doc) });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual(doc);
  });

  test('PyYAML reads 2,000 random documents back exactly', () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2147483647;
    const all = fc.sample(documentArb, { numRuns: 2000, seed });
    const texts = all.map((d) => stringifyCloudConfig(d));
    const pyyaml = 'import json, sys, yaml; print(json.dumps([yaml.safe_load(t) for t in json.load(sys.stdin)]))';
    const r = run('python3', ['-c', pyyaml], { input: JSON.stringify(texts) });
    expect({ status: r.status, stderr: r.stderr.slice(-2000), seed }).toEqual({ status: 0, stderr: '', seed });
    const read = JSON.parse(r.stdout) as unknown[];
    expect(read.length).toBe(2000);
    const wrong = all.map((d, i) => ({ i, doc: d, text: texts[i], read: read[i] })).filter((x) => JSON.stringify(x.read) !== JSON.stringify(x.doc));
    expect({ seed, wrong: wrong.slice(0, 3) }).toEqual({ seed, wrong: [] });
  });
});
