import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { Construct } from 'constructs';
import { Architecture, IMachineImage, MachineImage, MachineImageBindOptions, MachineImageConfig, OsFamily, VmHost } from '../../src';
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

  describe('an image of your own (IMachineImage)', () => {
    /** A golden image of a team's: the newest AMI of its own account, for the instance's architecture. */
    class GoldenImage implements IMachineImage {
      public readonly osFamily = OsFamily.UBUNTU_2404;
      public readonly bound: MachineImageBindOptions[] = [];
      constructor(private readonly owner: string) {}
      public bind(scope: Construct, options: MachineImageBindOptions): MachineImageConfig {
        this.bound.push(options);
        const ami = new DataAwsAmi(scope, 'Golden', {
          owners: [this.owner],
          mostRecent: true,
          filter: [{ name: 'name', values: ['golden-ubuntu-*'] }, { name: 'architecture', values: [options.instanceArchitecture] }],
        });
        return { imageId: ami.id, osFamily: this.osFamily, architecture: options.instanceArchitecture };
      }
    }

    test('a host boots it: its lookup goes under the host, its OS family decides the Docker package, bind() learns the instance type', () => {
      const { stack } = awsStack();
      const image = new GoldenImage('123456789012');
      const host = new VmHost(stack, 'host', { machineImage: image, instanceType: 'm7g.large' });
      const json = synthJson(stack);
      const amis = resourcesOf(json, 'aws_ami', 'data');
      expect(Object.values(amis)).toEqual([{
        owners: ['123456789012'],
        most_recent: true,
        filter: [{ name: 'name', values: ['golden-ubuntu-*'] }, { name: 'architecture', values: ['arm64'] }],
      }]);
      expect(onlyResource(json, 'aws_instance').ami).toBe(`\${data.aws_ami.${Object.keys(amis)[0]}.id}`);
      expect(image.bound).toEqual([{ instanceArchitecture: Architecture.ARM64, instanceType: 'm7g.large' }]);
      expect(host.osFamily).toBe(OsFamily.UBUNTU_2404);
      expect(host.architecture).toBe(Architecture.ARM64);
      expect(host.renderUserData()).toContain('- docker.io');
    });

    test('an image whose bind() returns an OS family the library does not know, or another architecture, is an error naming the host', () => {
      const returning = (config: Partial<MachineImageConfig>): IMachineImage => ({
        osFamily: OsFamily.DEBIAN_12,
        bind: () => ({ imageId: 'ami-0123456789abcdef0', osFamily: OsFamily.DEBIAN_12, architecture: Architecture.X86_64, ...config }),
      });
      const { stack } = awsStack();
      expect(errorOf(() => new VmHost(stack, 'a', { machineImage: returning({ osFamily: 'freebsd-14' as OsFamily }) })).message).toBe(
        "test/a: 'machineImage.osFamily' must be one of amazon-linux-2023, ubuntu-24.04, debian-12, windows, got \"freebsd-14\". Return a value of the OsFamily enum from bind().");
      expect(errorOf(() => new VmHost(stack, 'b', { machineImage: returning({ architecture: Architecture.ARM64 }) })).message).toBe(
        "test/b: 'machineImage' was bound with architecture arm64, which instance type 't3.small' (x86_64) cannot boot, got \"arm64\". " +
        'Return the architecture of the instance type (x86_64) from bind(), or choose another instance type.');
    });

    test('something that is not an image is an error, not a TypeError (null counts as left out, as for every prop)', () => {
      const { stack } = awsStack();
      expect(new VmHost(stack, 'z', { machineImage: null as unknown as IMachineImage }).osFamily).toBe(OsFamily.AMAZON_LINUX_2023);
      for (const [id, value] of [['a', 'ami-0123456789abcdef0'], ['b', {}], ['c', { osFamily: OsFamily.DEBIAN_12, bind: 'ami-0123456789abcdef0' }]] as const) {
        expect(errorOf(() => new VmHost(stack, id, { machineImage: value as unknown as IMachineImage })).message).toMatch(
          new RegExp(`^test/${id}: 'machineImage' must be a machine image \\(IMachineImage\\), got .*\\. Use MachineImage\\.amazonLinux2023\\(\\)`));
      }
    });
  });
});
