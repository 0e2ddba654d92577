import { parse } from 'yaml';
import { MachineImage, VmHost } from '../../src';
import { cloudInitSchema, cloudInitSchemaKeys, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { awsStack, onlyResource, synthJson, userDataOf } from '../helpers/synth';
import { requireTools } from '../helpers/tools';

const enabled = requireTools('cloud-init schema and shellcheck checks', ['cloud-init', 'shellcheck']);

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
});
