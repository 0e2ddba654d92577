import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { TerraformVariable } from 'cdktf';
import { runChecks } from './checks';
import { ContainerImage, ContainerOnVm, IsolationChecks, VmHost } from '../../src';
import { awsStack } from '../helpers/synth';

const image = ContainerImage.fromRegistry('nginx:1.27');
const healthy = { memoryMiB: 64, healthCheck: { command: ['true'] } };

describe('CTR-VOLUME-ON-ROOT', () => {
  test('a named volume on a VmHost without a data volume of that name is a warning that says the data is lost with the host', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h', { subnetId: 'subnet-0123456789abcdef0', dataVolumes: [{ name: 'pgdata', sizeGiB: 8 }] });
    new ContainerOnVm(stack, 'db', { host, name: 'db', image, ...healthy, volumes: [{ source: 'pgdata', target: '/data' }] });
    new ContainerOnVm(stack, 'cache', { host, name: 'cache', image, ...healthy, volumes: [{ source: 'scratch', target: '/scratch' }, { source: '/srv/x', target: '/x' }] });
    expect(runChecks(stack)).toEqual([{
      path: 'test/cache',
      level: 'warning',
      ruleId: 'CTR-VOLUME-ON-ROOT',
      message: 'test/cache: [CTR-VOLUME-ON-ROOT] a named volume lives on the host\'s root volume: named volume scratch. Data here is lost when the host is replaced ' +
        '(a new machine image, a daemon setting): EC2 deletes the root volume with the instance. Use a data volume (VmHost dataVolumes, mounted by the same name), ' +
        'or acknowledge the finding when the data is a cache that may be lost.',
    }]);
  });

  test('an acknowledgement accepts it', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h');
    const c = new ContainerOnVm(stack, 'cache', { host, name: 'cache', image, ...healthy, volumes: [{ source: 'scratch', target: '/scratch' }] });
    IsolationChecks.acknowledge(c, 'CTR-VOLUME-ON-ROOT', 'a cache rebuilt at every start');
    expect(runChecks(stack)).toEqual([]);
  });
});

describe('HOST-VOLUME-ENCRYPTED', () => {
  test('a raw aws_ebs_volume without encryption is an error (CKV_AWS_3, AVD-AWS-0026); an encrypted one and the library\'s data volumes are not', () => {
    const { stack } = awsStack();
    new EbsVolume(stack, 'plain', { availabilityZone: 'eu-west-1a', size: 8 });
    new EbsVolume(stack, 'off', { availabilityZone: 'eu-west-1a', size: 8, encrypted: false });
    new EbsVolume(stack, 'on', { availabilityZone: 'eu-west-1a', size: 8, encrypted: true });
    new VmHost(stack, 'h', { subnetId: 'subnet-0123456789abcdef0', dataVolumes: [{ name: 'pgdata', sizeGiB: 8 }] });
    const found = runChecks(stack);
    expect(found.map((f) => [f.path, f.level, f.ruleId])).toEqual([['test/plain', 'error', 'HOST-VOLUME-ENCRYPTED'], ['test/off', 'error', 'HOST-VOLUME-ENCRYPTED']]);
    expect(found[0].message).toBe('test/plain: [HOST-VOLUME-ENCRYPTED] an EBS volume is not encrypted: encrypted is not set. An unencrypted volume, and every ' +
      'snapshot of it, exposes its data to anyone who can read the volume or the snapshot. Set encrypted = true (VmHost data volumes always are).');
    expect(found[1].message).toContain(': encrypted is false.');
  });

  test('encryption known only at apply is not judged (reported as not checked)', () => {
    const { stack } = awsStack();
    const v = new TerraformVariable(stack, 'enc', { type: 'bool' });
    new EbsVolume(stack, 'var', { availabilityZone: 'eu-west-1a', size: 8, encrypted: v.booleanValue });
    expect(runChecks(stack)).toEqual([]);
    expect(IsolationChecks.findingsOf(stack.node.findChild('var')).map((f) => [f.ruleId, f.level])).toEqual([['HOST-VOLUME-ENCRYPTED', 'not-checked']]);
  });
});
