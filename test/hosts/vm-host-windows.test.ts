import { TerraformVariable } from 'cdktf';
import { Architecture, ContainerImage, ContainerOnVm, HostFleet, MachineImage, OsFamily, VmHost } from '../../src';
import { WindowsServiceAccount } from '../../src/core/render/windows-user-data';
import { powershellBlock, powershellErrors } from '../helpers/powershell';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson, userDataOf } from '../helpers/synth';
import { HOSTILE_VALUES } from '../invalid/corpus';

describe('MachineImage for Windows Server', () => {
  test.each([
    ['windowsServer2022', () => MachineImage.windowsServer2022(), '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base'],
    ['windowsServer2025', () => MachineImage.windowsServer2025(), '/aws/service/ami-windows-latest/Windows_Server-2025-English-Full-Base'],
  ])('%s reads Amazon\'s public SSM parameter, x86_64', (_name, image, parameter) => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { machineImage: image(), instanceType: 't3.medium' });
    const json = synthJson(stack);
    const ssm = resourcesOf(json, 'aws_ssm_parameter', 'data');
    expect(Object.values(ssm)).toEqual([{ name: parameter }]);
    expect(onlyResource(json, 'aws_instance').ami).toBe(`\${data.aws_ssm_parameter.${Object.keys(ssm)[0]}.insecure_value}`);
    expect(host.osFamily).toBe(OsFamily.WINDOWS);
    expect(host.architecture).toBe(Architecture.X86_64);
    expect(image().architecture).toBe(Architecture.X86_64);
  });

  test('an arm64 instance type is an error naming both', () => {
    const { stack } = awsStack();
    const e = errorOf(() => new VmHost(stack, 'host', { machineImage: MachineImage.windowsServer2022(), instanceType: 'm7g.large' }));
    expect(e.message).toBe("test/host: 'machineImage' has architecture x86_64, which instance type 'm7g.large' (arm64) cannot boot, got \"Windows Server x86_64\". " +
      "Windows Server exists for x86_64 only: choose an x86_64 instance type, e.g. 'm6i.large'.");
  });

  test('fromAmiId with OsFamily.WINDOWS: x86_64 only', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.fromAmiId('ami-0123456789abcdef0', OsFamily.WINDOWS, Architecture.X86_64), instanceType: 't3.large' });
    expect(host.osFamily).toBe(OsFamily.WINDOWS);
    expect(onlyResource(synthJson(stack), 'aws_instance').ami).toBe('ami-0123456789abcdef0');
    expect(errorOf(() => MachineImage.fromAmiId('ami-0123456789abcdef0', OsFamily.WINDOWS, Architecture.ARM64)).message)
      .toBe("MachineImage.fromAmiId: 'architecture' must be one that Windows Server exists for (x86_64), got \"arm64\". Use Architecture.X86_64: Amazon publishes Windows Server AMIs for x86_64 only.");
  });
});

describe('VmHost on Windows Server: the Linux hosts\' secure defaults', () => {
  const { stack } = awsStack();
  const host = new VmHost(stack, 'win', { machineImage: MachineImage.windowsServer2022(), instanceType: 't3.medium' });
  const json = synthJson(stack);
  const instance = onlyResource(json, 'aws_instance');

  test('IMDSv2 required, hop limit 1, no public IP, no key pair', () => {
    expect(instance.metadata_options).toEqual({
      http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled',
    });
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.key_name).toBeUndefined();
  });

  test('encrypted gp3 root volume of 50 GiB', () => {
    expect(instance.root_block_device).toEqual({
      volume_type: 'gp3', volume_size: 50, encrypted: true, delete_on_termination: true, tags: { Name: 'test/win' },
    });
  });

  test('no inbound traffic; the SSM role (Session Manager, Fleet Manager RDP)', () => {
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
  });

  test('PowerShell user data, plain (EC2Launch v2 reads no gzip), replaced on change; no Docker, no rollout, no HostInputs', () => {
    expect(host.dockerInstalled).toBe(false);
    expect(instance.user_data_base64).toBeUndefined();
    expect(instance.user_data_replace_on_change).toBe(true);
    // No ignore_changes, no replace_triggered_by; the size check of a script with references, true without them.
    expect(instance.lifecycle).toEqual({
      precondition: [{
        condition: '${(length(base64encode("")) <= 21848)}',
        error_message: "test/win: 'userData' must fit EC2's 16384-byte limit uncompressed (EC2Launch v2 reads no gzip-compressed user data), " +
        'got ${ceil(((length(base64encode("")) * 3) / 4))} bytes of PowerShell with the values of its Terraform references. ' +
        'Shorten large files (fetch them at boot, e.g. from S3 or SSM Parameter Store) or install them from a package.',
      }],
    });
    expect(resourcesOf(json, 'terraform_data')).toEqual({});
    expect(resourcesOf(json, 'aws_ssm_document')).toEqual({});
    expect(resourcesOf(json, 'aws_ssm_association')).toEqual({});
    expect(host.updateDocument).toBeUndefined();
    const text = userDataOf(instance);
    expect(text).toBe(host.renderUserData());
    expect(text.startsWith('<powershell>\n# cdktf-isolation host test/win\n')).toBe(true);
    expect(text).not.toContain('<persist>');
    expect(host.updatePath).toBe('replaced when its user data changes (a Windows host runs no containers: everything on it is host-level)');
  });

  test('RDP from the whole internet is refused, as on Linux', () => {
    expect(errorOf(() => host.addIngress({ port: 3389, cidr: '0.0.0.0/0' })).message)
      .toMatch(/^test\/win: 'ingress.cidr' must not open RDP \(port 3389\) to the whole internet, got "0.0.0.0\/0"\. /);
  });
});

describe('VmHost on Windows Server: what is refused', () => {
  const win = (props: Record<string, unknown> = {}) => {
    const { stack } = awsStack();
    return { stack, host: new VmHost(stack, 'win', { machineImage: MachineImage.windowsServer2025(), instanceType: 't3.medium', ...props }) };
  };

  test('a root volume under 30 GiB names the minimum', () => {
    expect(errorOf(() => win({ rootVolumeSizeGiB: 20 })).message).toBe("test/win: 'rootVolumeSizeGiB' must be an integer from 30 to 16384, got 20. " +
      "Windows Server needs at least 30 GiB (its AMIs' root snapshot); 50 leaves room for updates and the app.");
    expect(onlyResource(synthJson(win({ rootVolumeSizeGiB: 30 }).stack), 'aws_instance').root_block_device.volume_size).toBe(30);
  });

  test('installDocker: true and dockerDaemon', () => {
    expect(errorOf(() => win({ installDocker: true })).message).toBe("test/win: 'installDocker' must be false on Windows Server: the library's containers are Linux containers, " +
      'which need a Linux kernel, got true. Leave installDocker out (a Windows host runs its app natively), or boot a Linux image (MachineImage.amazonLinux2023()) for containers.');
    expect(errorOf(() => win({ dockerDaemon: { liveRestore: false } })).message).toBe("test/win: 'dockerDaemon' must be left out on Windows Server: the host runs no Docker, " +
      'got {"liveRestore":false}. Remove dockerDaemon, or boot a Linux image for containers.');
  });

  test('ContainerOnVm on a Windows host explains why and what to do instead', () => {
    const { stack, host } = win();
    expect(errorOf(() => new ContainerOnVm(stack, 'web', { host, name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 128 })).message)
      .toBe("test/web: 'host' must be a Linux host, but host test/win runs Windows Server: the library's containers are Linux containers, which share the host's " +
        'Linux kernel (namespaces, cgroups, seccomp), got "test/win". Place the container on a Linux host (MachineImage.amazonLinux2023(), the default), or run the ' +
        'Windows app natively on its host (IsolatedApp with requirements.operatingSystem WINDOWS and a native setup, or host.windowsUserData).');
  });

  test('a HostFleet on a Windows image', () => {
    const { stack } = awsStack();
    expect(errorOf(() => new HostFleet(stack, 'fleet', {
      container: { name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 128 }, machineImage: MachineImage.windowsServer2022(), instanceType: 't3.medium',
    })).message).toBe("test/fleet: 'machineImage' must be a Linux image: the fleet runs a container, and the library's containers are Linux containers, which need a Linux kernel, " +
      'got "Windows Server". Use MachineImage.amazonLinux2023() (the default), ubuntu2404() or debian12().');
  });

  test('cloud-config on a Windows host fails synthesis', () => {
    const { stack, host } = win();
    host.cloudConfig.addPackage('nginx');
    expect(() => synthJson(stack)).toThrow("test/win: 'cloudConfig' must stay empty on a Windows Server host: EC2Launch v2 runs PowerShell, not cloud-config");
  });

  test('user data over 16 KB is an error (no gzip on Windows)', () => {
    const { stack, host } = win();
    host.windowsUserData!.addFile({ path: 'C:\\big.txt', content: 'x'.repeat(17000) });
    expect(() => synthJson(stack)).toThrow(/^test\/win: 'userData' must fit EC2's 16384-byte limit uncompressed \(EC2Launch v2 reads no gzip-compressed user data\), got "\d+ bytes of PowerShell"\./);
  });
});

describe('VmHost on Windows Server: user data with hostile values and Terraform references', () => {
  test('hostile values reach the instance escaped for Terraform, and the script parses', async () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'win', { machineImage: MachineImage.windowsServer2022(), instanceType: 't3.medium' });
    HOSTILE_VALUES.forEach((v, i) => host.windowsUserData!.addFile({ path: `C:\\data\\f${i}.txt`, content: v }));
    host.windowsUserData!.useService({
      name: 'svc',
      command: ['C:\\svc.exe'],
      description: 'd',
      account: WindowsServiceAccount.LOCAL_SYSTEM,
      environment: HOSTILE_VALUES.map((v, i) => ({ name: `E${i}`, value: v })),
      secretEnvironment: [],
    });
    const instance = onlyResource(synthJson(stack), 'aws_instance');
    expect(instance.user_data).not.toMatch(/(?<!\$)\$\{/);
    expect(userDataOf(instance)).toBe(host.renderUserData());
    expect(await powershellErrors(powershellBlock(userDataOf(instance)))).toEqual([]);
  });

  test('a Terraform reference in a value is base64-encoded by Terraform, with a size precondition', () => {
    const { stack } = awsStack();
    const v = new TerraformVariable(stack, 'greeting', { type: 'string' });
    const host = new VmHost(stack, 'win', { machineImage: MachineImage.windowsServer2022(), instanceType: 't3.medium' });
    host.windowsUserData!.addEnvironment('GREETING', `hello ${v.stringValue}`);
    const instance = onlyResource(synthJson(stack), 'aws_instance');
    expect(instance.user_data).toContain("[System.Environment]::SetEnvironmentVariable('GREETING', ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${base64encode(join(\"\", [\"hello \", var.greeting]))}'))), 'Machine')");
    const sizes = instance.lifecycle.precondition.filter((p: any) => p.error_message.includes("'userData'"));
    expect(sizes).toHaveLength(1);
    expect(sizes[0].condition).toContain('base64encode(');
  });
});
