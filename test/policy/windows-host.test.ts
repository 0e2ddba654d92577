import { Instance } from '@cdktf/provider-aws/lib/instance';
import { runChecks } from './checks';
import { IsolationChecks, MachineImage, VmHost } from '../../src';
import { awsStack } from '../helpers/synth';

describe('IsolationChecks on Windows hosts', () => {
  const win = (stack: any, props = {}) => new VmHost(stack, 'win', { machineImage: MachineImage.windowsServer2022(), instanceType: 't3.medium', vpcId: 'vpc-0abc1234', subnetId: 'subnet-0abc1234', ...props });

  test('a Windows VmHost with the defaults has no finding', () => {
    const { stack } = awsStack();
    win(stack);
    expect(runChecks(stack)).toEqual([]);
  });

  test('a key pair on a Windows host is a warning, which an acknowledgement with a reason accepts', () => {
    const { stack } = awsStack();
    win(stack, { keyName: 'ops' });
    expect(runChecks(stack).map((f) => [f.path, f.level, f.ruleId, f.message])).toEqual([
      ['test/win/Resource', 'warning', 'HOST-WINDOWS-KEY-PAIR', expect.stringMatching(/^test\/win\/Resource: \[HOST-WINDOWS-KEY-PAIR\] a Windows host has a key pair: key_name is "ops"/)],
    ]);
    const { stack: other } = awsStack('other');
    IsolationChecks.acknowledge(win(other, { keyName: 'ops' }), 'HOST-WINDOWS-KEY-PAIR', 'break-glass access while Fleet Manager is being rolled out');
    expect(runChecks(other)).toEqual([]);
  });

  test('a key pair on a Linux host is no finding; the host rules apply to Windows hosts (a public IP)', () => {
    const { stack } = awsStack();
    new VmHost(stack, 'linux', { keyName: 'ops', vpcId: 'vpc-0abc1234', subnetId: 'subnet-0abc1234' });
    expect(runChecks(stack)).toEqual([]);
    const { stack: other } = awsStack('other');
    win(other, { associatePublicIpAddress: true });
    expect(runChecks(other).map((f) => [f.level, f.ruleId])).toEqual([['error', 'HOST-NO-PUBLIC-IP']]);
  });

  test('a raw instance with PowerShell user data and a key pair is recognised as Windows', () => {
    const { stack } = awsStack();
    new Instance(stack, 'raw', {
      ami: 'ami-12345678',
      instanceType: 't3.medium',
      keyName: 'ops',
      iamInstanceProfile: 'p',
      associatePublicIpAddress: false,
      metadataOptions: { httpTokens: 'required' },
      rootBlockDevice: { encrypted: true },
      userData: '<powershell>\nWrite-Output hi\n</powershell>\n',
    });
    expect(runChecks(stack).map((f) => [f.level, f.ruleId])).toEqual([['warning', 'HOST-WINDOWS-KEY-PAIR']]);
  });
});
