import { TerraformVariable } from 'cdktf';
import { Protocol, VmHost, VmHostProps } from '../../src';
import { IsolationError } from '../../src/private/errors';
import { awsStack, errorOf } from '../helpers/synth';

/** Each bad input, the exact message it must produce (path, prop, value, fix). */
const CASES: Array<[string, VmHostProps, string]> = [
  ['empty instance type', { instanceType: '' },
    "test/host: 'instanceType' must be an EC2 instance type of the form '<family>.<size>', got \"\". Use a name such as 't3.small', 'm7g.large' or 'c6i.xlarge'."],
  ['malformed instance type', { instanceType: 't3-small' },
    "test/host: 'instanceType' must be an EC2 instance type of the form '<family>.<size>', got \"t3-small\". Use a name such as 't3.small', 'm7g.large' or 'c6i.xlarge'."],
  ['ingress port 0', { ingress: [{ port: 0, cidr: '10.0.0.0/8' }] },
    "test/host: 'ingress.port' must be an integer from 1 to 65535, got 0. Ports are whole numbers from 1 to 65535."],
  ['ingress port 65536', { ingress: [{ port: 65536, cidr: '10.0.0.0/8' }] },
    "test/host: 'ingress.port' must be an integer from 1 to 65535, got 65536. Ports are whole numbers from 1 to 65535."],
  ['ingress toPort below port', { ingress: [{ port: 9000, toPort: 8000, cidr: '10.0.0.0/8' }] },
    "test/host: 'ingress.toPort' must not be below port 9000, got 8000. Give the range as port (first) and toPort (last)."],
  ['invalid CIDR', { ingress: [{ port: 443, cidr: '10.0.0.300/24' }] },
    "test/host: 'ingress.cidr' must be an IPv4 or IPv6 CIDR block, got \"10.0.0.300/24\". Write an address and prefix length, e.g. '10.0.0.0/16', '203.0.113.7/32' or '2001:db8::/32'."],
  ['CIDR without prefix', { ingress: [{ port: 443, cidr: '10.0.0.1' }] },
    "test/host: 'ingress.cidr' must be an IPv4 or IPv6 CIDR block, got \"10.0.0.1\"."],
  ['no source', { ingress: [{ port: 443 }] },
    "test/host: 'ingress' must name exactly one source (cidr or sourceSecurityGroupId), got {}. Set 'cidr' to a CIDR block or 'sourceSecurityGroupId' to a security group id, not both."],
  ['two sources', { ingress: [{ port: 443, cidr: '10.0.0.0/8', sourceSecurityGroupId: 'sg-1234abcd' }] },
    "test/host: 'ingress' must name exactly one source (cidr or sourceSecurityGroupId), got {\"cidr\":\"10.0.0.0/8\",\"sourceSecurityGroupId\":\"sg-1234abcd\"}."],
  ['SSH from 0.0.0.0/0', { ingress: [{ port: 22, cidr: '0.0.0.0/0' }] },
    "test/host: 'ingress.cidr' must not open SSH (port 22) to the whole internet, got \"0.0.0.0/0\". Reach the host with SSM Session Manager (aws ssm start-session --target <instance id>; the host role already allows it), or allow only your own network's CIDR."],
  ['SSH from ::/0', { ingress: [{ port: 22, cidr: '::/0' }] },
    "test/host: 'ingress.cidr' must not open SSH (port 22) to the whole internet, got \"::/0\". Reach the host with SSM Session Manager"],
  ['RDP from 0.0.0.0/0', { ingress: [{ port: 3389, cidr: '0.0.0.0/0' }] },
    "test/host: 'ingress.cidr' must not open RDP (port 3389) to the whole internet, got \"0.0.0.0/0\"."],
  ['a world-open range that covers SSH', { ingress: [{ port: 1, toPort: 65535, cidr: '0.0.0.0/0' }] },
    "test/host: 'ingress.cidr' must not open SSH (port 22) to the whole internet, got \"0.0.0.0/0\"."],
  ['protocol not tcp/udp', { ingress: [{ port: 80, protocol: 'icmp' as Protocol, cidr: '10.0.0.0/8' }] },
    "test/host: 'ingress.protocol' must be one of 'tcp', 'udp', got \"icmp\"."],
  ['root volume 7 GiB', { rootVolumeSizeGiB: 7 },
    "test/host: 'rootVolumeSizeGiB' must be an integer from 8 to 16384, got 7. EBS gp3 root volumes hold 8 to 16384 GiB; 20 suits a Docker host with a few images."],
  ['root volume 16385 GiB', { rootVolumeSizeGiB: 16385 },
    "test/host: 'rootVolumeSizeGiB' must be an integer from 8 to 16384, got 16385."],
  ['root volume KMS key not a string', { rootVolumeKmsKeyId: 42 as any },
    "test/host: 'rootVolumeKmsKeyId' must be a KMS key ARN, id or alias ARN, got 42. Give the key's ARN, or leave rootVolumeKmsKeyId out for aws/ebs."],
  ['root volume KMS key with a space', { rootVolumeKmsKeyId: 'my key' },
    "test/host: 'rootVolumeKmsKeyId' must be a KMS key ARN, id or alias ARN, got \"my key\"."],
  ['Docker daemon options not an object', { dockerDaemon: 'json-file' as any },
    "test/host: 'dockerDaemon' must be an object like { logMaxSize: '10m', logMaxFiles: 3 }, or left out, got \"json-file\". Give dockerDaemon as an object, or leave it out for the defaults."],
  ['a Docker daemon switch that is not a boolean', { dockerDaemon: { liveRestore: 'yes' as any } },
    "test/host: 'dockerDaemon.liveRestore' must be true or false, got \"yes\". Use true or false (default true)."],
  ['hop limit 0', { metadataHopLimit: 0 },
    "test/host: 'metadataHopLimit' must be an integer from 1 to 64, got 0. Use 1 (the default) unless containers must reach the instance role, then 2."],
  ['hop limit 65', { metadataHopLimit: 65 },
    "test/host: 'metadataHopLimit' must be an integer from 1 to 64, got 65."],
  ['malformed subnet id', { subnetId: 'my-subnet' },
    "test/host: 'subnetId' must be a subnet id ('subnet-' and hex digits), got \"my-subnet\". Copy the id of an existing subnet, or pass a reference such as subnet.id."],
  ['malformed VPC id', { vpcId: 'default' },
    "test/host: 'vpcId' must be a VPC id ('vpc-' and hex digits), got \"default\"."],
  ['bad daemon log size', { dockerDaemon: { logMaxSize: '10 MB' } },
    "test/host: 'dockerDaemon.logMaxSize' must be a size such as '10m', '512k' or '1g', got \"10 MB\"."],
];

describe('VmHost rejects bad input with a message naming path, prop, value and fix', () => {
  test.each(CASES)('%s', (_name, props, message) => {
    const { stack } = awsStack();
    const e = errorOf(() => new VmHost(stack, 'host', props));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message.slice(0, message.length)).toBe(message);
  });

  test('a Docker daemon switch from a Terraform variable is refused: daemon.json is written at synth', () => {
    const { stack } = awsStack();
    const flag = new TerraformVariable(stack, 'live', { type: 'bool' });
    expect(errorOf(() => new VmHost(stack, 'host', { dockerDaemon: { liveRestore: flag.booleanValue as unknown as boolean } })).message).toMatch(
      /^test\/host: 'dockerDaemon.liveRestore' must be known at synth, not a Terraform reference \(it is written into the host's daemon.json at synth, where dockerd reads a JSON boolean\)/);
  });

  test('world-open non-admin ports are allowed (a web port is a choice, SSH is not)', () => {
    const { stack } = awsStack();
    expect(() => new VmHost(stack, 'host', { ingress: [{ port: 443, cidr: '0.0.0.0/0' }, { port: 22, protocol: Protocol.UDP, cidr: '0.0.0.0/0' }] })).not.toThrow();
  });

  test.each([
    [{ actions: [], resources: ['*'] }, "test/host: 'statement.actions' must be a non-empty list of IAM actions like 'service:Action', got []."],
    [{ actions: ['GetObject'], resources: ['*'] }, "test/host: 'statement.actions' must be a non-empty list of IAM actions like 'service:Action', got [\"GetObject\"]."],
    [{ actions: ['s3:GetObject'], resources: [] }, "test/host: 'statement.resources' must be a non-empty list of ARNs (or '*'), got []."],
  ])('addToRolePolicy rejects %j', (statement, message) => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host');
    expect(() => host.addToRolePolicy(statement)).toThrow(message);
  });
});
