import { Architecture, MachineImage, OsFamily, VmHost } from '../../src';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson } from '../helpers/synth';

describe('MachineImage', () => {
  test.each([
    ['amazonLinux2023 x86_64', () => MachineImage.amazonLinux2023(), 't3.small', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'],
    ['amazonLinux2023 arm64', () => MachineImage.amazonLinux2023({ architecture: Architecture.ARM64 }), 't4g.small', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'],
    ['ubuntu2404 x86_64', () => MachineImage.ubuntu2404(), 'm6i.large', '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id'],
    ['ubuntu2404 arm64', () => MachineImage.ubuntu2404(), 'm7g.large', '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id'],
  ])('%s reads the public SSM parameter', (_name, image, instanceType, parameter) => {
    const { stack } = awsStack();
    new VmHost(stack, 'host', { machineImage: image(), instanceType });
    const json = synthJson(stack);
    const ssm = resourcesOf(json, 'aws_ssm_parameter', 'data');
    expect(Object.values(ssm)).toEqual([{ name: parameter }]);
    const id = Object.keys(ssm)[0];
    expect(onlyResource(json, 'aws_instance').ami).toBe(`\${data.aws_ssm_parameter.${id}.insecure_value}`);
  });

  test.each([
    ['t3.small', 'amd64', 'x86_64'],
    ['c7g.large', 'arm64', 'arm64'],
  ])('debian12 on %s looks up the newest official %s AMI', (instanceType, nameArch, arch) => {
    const { stack } = awsStack();
    new VmHost(stack, 'host', { machineImage: MachineImage.debian12(), instanceType });
    const json = synthJson(stack);
    const amis = resourcesOf(json, 'aws_ami', 'data');
    expect(Object.values(amis)).toEqual([{
      owners: ['136693071363'],
      most_recent: true,
      filter: [
        { name: 'name', values: [`debian-12-${nameArch}-*`] },
        { name: 'architecture', values: [arch] },
        { name: 'virtualization-type', values: ['hvm'] },
      ],
    }]);
    expect(onlyResource(json, 'aws_instance').ami).toBe(`\${data.aws_ami.${Object.keys(amis)[0]}.id}`);
  });

  test('fromAmiId uses the id as it is, with no lookup, and its OS family decides the Docker package', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.fromAmiId('ami-0123456789abcdef0', OsFamily.UBUNTU_2404, Architecture.X86_64) });
    const json = synthJson(stack);
    expect(json.data.aws_ssm_parameter).toBeUndefined();
    expect(json.data.aws_ami).toBeUndefined();
    expect(onlyResource(json, 'aws_instance').ami).toBe('ami-0123456789abcdef0');
    expect(host.osFamily).toBe(OsFamily.UBUNTU_2404);
    expect(host.cloudConfig.listPackages()).toEqual(['docker.io']);
  });

  test('an arm64 image on an x86_64 instance type is an error naming both', () => {
    const { stack } = awsStack();
    const e = errorOf(() => new VmHost(stack, 'host', { machineImage: MachineImage.amazonLinux2023({ architecture: Architecture.ARM64 }), instanceType: 'c6i.large' }));
    expect(e.message).toBe("test/host: 'machineImage' has architecture arm64, which instance type 'c6i.large' (x86_64) cannot boot, got \"Amazon Linux 2023 arm64\". Use an x86_64 image (architecture: Architecture.X86_64) or an arm64 instance type.");
  });

  test('an x86_64 AMI on a Graviton instance type is an error naming both', () => {
    const { stack } = awsStack();
    const e = errorOf(() => new VmHost(stack, 'host', { machineImage: MachineImage.fromAmiId('ami-12345678', OsFamily.DEBIAN_12, Architecture.X86_64), instanceType: 't4g.micro' }));
    expect(e.message).toBe("test/host: 'machineImage' has architecture x86_64, which instance type 't4g.micro' (arm64) cannot boot, got \"Debian 12 (bookworm) x86_64\". Use an arm64 image (architecture: Architecture.ARM64) or an x86_64 instance type.");
  });

  test.each(['ami-123', 'ami-0123456789ABCDEF0', 'i-0123456789abcdef0', ''])('fromAmiId rejects malformed id %j', (id) => {
    expect(() => MachineImage.fromAmiId(id, OsFamily.DEBIAN_12, Architecture.X86_64)).toThrow(
      `MachineImage.fromAmiId: 'amiId' must be an AMI id ('ami-' and 8 or 17 hex digits), got ${JSON.stringify(id)}. Copy the id`);
  });

  test('fromAmiId rejects an unknown OS family and architecture', () => {
    expect(() => MachineImage.fromAmiId('ami-12345678', 'freebsd-14' as OsFamily, Architecture.X86_64)).toThrow(
      "MachineImage.fromAmiId: 'osFamily' must be one of amazon-linux-2023, ubuntu-24.04, debian-12, windows, got \"freebsd-14\". Use a value of the OsFamily enum.");
    expect(() => MachineImage.fromAmiId('ami-12345678', OsFamily.DEBIAN_12, 'i386' as Architecture)).toThrow(
      "MachineImage.fromAmiId: 'architecture' must be 'x86_64' or 'arm64', got \"i386\".");
  });
});
