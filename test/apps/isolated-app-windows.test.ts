import { TerraformVariable } from 'cdktf';
import { HostPool, IsolatedApp, IsolationReport, MachineImage, OperatingSystem, OsFamily } from '../../src';
import { Capacity } from '../../src/core/capacity';
import { powershellBlock, powershellErrors } from '../helpers/powershell';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson, userDataOf } from '../helpers/synth';

const native = {
  packages: ['Web-Server'],
  files: [{ path: 'C:\\ProgramData\\reports\\config.json', content: '{ "quarter": "Q3" }\n' }],
  service: {
    name: 'reports',
    command: ['C:\\Program Files\\Reports\\reports.exe', '--port', '8080'],
    user: 'NetworkService',
    environment: { MODE: 'prod' },
    secretEnvironment: { DB_PASSWORD: '/reports/db-password' },
  },
};

describe('IsolatedApp that needs Windows', () => {
  const { stack } = awsStack('shop');
  const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium' });
  new IsolatedApp(stack, 'web', { pool, container: { name: 'web', image: { reference: 'nginx:1.27' } as any, memoryMiB: 256 } });
  const app = new IsolatedApp(stack, 'reports', { requirements: { operatingSystem: OperatingSystem.WINDOWS, memoryMiB: 1024, cpus: 1 }, native });
  const json = synthJson(stack);
  const instances = Object.values<any>(resourcesOf(json, 'aws_instance'));
  const instance = instances.find((i) => i.tags.Name === 'shop/reports/Host');

  test('the decision is a VM, now supported, and the app gets a dedicated Windows Server 2022 host', () => {
    expect(app.decision.isolation).toBe('vm');
    expect(app.decision.supported).toBe(true);
    expect(app.decision.reasons.map((r) => r.ruleId)).toEqual(['non-linux-os']);
    expect(app.runsAs).toBe('native');
    expect(app.host!.osFamily).toBe(OsFamily.WINDOWS);
    expect(app.host!.dockerInstalled).toBe(false);
    expect(Object.values(resourcesOf(json, 'aws_ssm_parameter', 'data')).map((p: any) => p.name))
      .toContain('/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base');
  });

  test('sized for the Windows guest OS: 1024 MiB plus 2048 MiB for Windows need a t3.medium', () => {
    // 1024 + 2048 = 3072 MiB of 4096: t3.medium; a Linux guest (384 MiB) would have fit t3.small (2048 MiB).
    expect(instance.instance_type).toBe('t3.medium');
    expect(Capacity.smallestFitting('t3', [{ memoryMiB: 1024, cpus: 1, container: false }])!.name).toBe('t3.small');
  });

  test('the Linux hosts\' secure defaults, and a 50 GiB encrypted root', () => {
    expect(instance.metadata_options.http_tokens).toBe('required');
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.key_name).toBeUndefined();
    expect(instance.root_block_device).toMatchObject({ volume_type: 'gp3', volume_size: 50, encrypted: true });
  });

  test('the native setup as PowerShell user data: features, file, service with its account, secrets at every boot', async () => {
    const text = userDataOf(instance);
    expect(text).toContain("  $result = Install-WindowsFeature -Name @('Web-Server')\n");
    expect(text).toContain("  $path = 'C:\\ProgramData\\reports\\config.json'\n");
    expect(text).toContain("-BinaryPathName '\"C:\\Program Files\\Reports\\reports.exe\" --port 8080'");
    expect(text).toContain("StartName = 'NT AUTHORITY\\NetworkService'");
    expect(text).toContain("$environment += 'DB_PASSWORD=' + (Get-SSMParameter -Name '/reports/db-password' -WithDecryption $true -Region $region).Value\n");
    expect(text).not.toContain('db-password\'\n'); // the value itself is nowhere
    expect(text.endsWith('</powershell>\n<persist>true</persist>\n')).toBe(true);
    expect(await powershellErrors(powershellBlock(text))).toEqual([]);
  });

  test('the role may read exactly the secret parameter', () => {
    const policies = Object.values<any>(resourcesOf(json, 'aws_iam_role_policy')).map((p) => JSON.parse(p.policy));
    expect(policies).toContainEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:*:*:parameter/reports/db-password' }],
    });
  });

  test('the report shows the app with its OS and the guest-OS memory it costs', () => {
    const report = IsolationReport.of(stack).toJson();
    const row = report.apps.find((a) => a.name === 'reports')!;
    expect([row.os, row.guestOsMemoryMiB, row.host, row.runsAs]).toEqual(['Windows Server', 2048, 'shop/reports/Host', 'native']);
    expect(report.apps.find((a) => a.name === 'web')!.os).toBe('Linux');
    expect(report.apps.find((a) => a.name === 'web')!.guestOsMemoryMiB).toBeUndefined();
    const host = report.hosts.find((h) => h.path === 'shop/reports/Host')!;
    expect([host.os, host.guestOsMemoryMiB, host.instanceType]).toEqual(['Windows Server', 2048, 't3.medium']);
    // The pool host (384) and the Windows host (2048).
    expect(report.totals.guestOsMemoryMiB).toBe(384 + 2048);
    expect(report.oneVmPerApp.guestOsMemoryMiB).toBe(384 + 2048);
    expect(IsolationReport.of(stack).markdown())
      .toContain('| reports | vm | native | Windows Server | shop/reports/Host | 1024 | 1 | 2048 | non-linux-os |');
  });
});

describe('IsolatedApp that needs Windows: what is refused', () => {
  test('a container instead of a native setup', () => {
    const { stack } = awsStack();
    expect(errorOf(() => new IsolatedApp(stack, 'r', { requirements: { operatingSystem: OperatingSystem.WINDOWS }, container: { name: 'r', image: { reference: 'x' } as any, memoryMiB: 64 } })).message)
      .toMatch(/^test\/r: 'container' cannot serve this app: its reasons need the VM itself, not Docker on it, got "r"\. Give a native setup \(Windows Server features as packages, files, a Windows service\): the library's containers are Linux containers\. Decision: vm because non-linux-os/);
  });

  test('a Linux image for a Windows app, and a Windows image for a Linux app', () => {
    const { stack } = awsStack();
    expect(errorOf(() => new IsolatedApp(stack, 'r', { requirements: { operatingSystem: OperatingSystem.WINDOWS }, native: {}, dedicatedVm: { machineImage: MachineImage.amazonLinux2023() } })).message)
      .toBe("test/r: 'dedicatedVm.machineImage' must be a Windows Server image: the app needs Windows, got \"Amazon Linux 2023\". " +
        'Use MachineImage.windowsServer2022() (the default), windowsServer2025() or fromAmiId(id, OsFamily.WINDOWS, Architecture.X86_64).');
    expect(errorOf(() => new IsolatedApp(stack, 'l', { requirements: { scope: 'system' as any }, native: {}, dedicatedVm: { machineImage: MachineImage.windowsServer2025() } })).message)
      .toBe("test/l: 'dedicatedVm.machineImage' must be a Linux image: the app's requirements name Linux (set requirements.operatingSystem to WINDOWS for a Windows app), " +
        'got "Windows Server". Use a Linux image (MachineImage.amazonLinux2023(), the default), or set requirements.operatingSystem.');
  });

  test('Windows Server 2025 when asked for', () => {
    const { stack } = awsStack();
    new IsolatedApp(stack, 'r', { requirements: { operatingSystem: OperatingSystem.WINDOWS }, native: {}, dedicatedVm: { machineImage: MachineImage.windowsServer2025() } });
    const json = synthJson(stack);
    expect(Object.values(resourcesOf(json, 'aws_ssm_parameter', 'data'))).toEqual([{ name: '/aws/service/ami-windows-latest/Windows_Server-2025-English-Full-Base' }]);
    expect(onlyResource(json, 'aws_instance').instance_type).toBe('t3.small');
  });
});

describe('IsolatedApp that needs Windows: a Terraform reference in the service command', () => {
  test('is an error (the command line is quoted at synth); in the environment it is fine', () => {
    const { stack } = awsStack();
    const port = new TerraformVariable(stack, 'port', { type: 'string' }).stringValue;
    expect(errorOf(() => new IsolatedApp(stack, 'r', {
      requirements: { operatingSystem: OperatingSystem.WINDOWS },
      native: { service: { name: 'r', command: ['C:\\r.exe', port] } },
    })).message).toBe("test/r: 'native.service.command' must be known at synth on Windows Server, not a Terraform reference (the service's command line is quoted at synth), " +
      'got a Terraform reference. Give the words in the code; pass a value known at apply through the service\'s environment instead.');
    new IsolatedApp(stack, 'ok', { requirements: { operatingSystem: OperatingSystem.WINDOWS }, native: { service: { name: 'ok', command: ['C:\\ok.exe'], environment: { PORT: port } } } });
    expect(userDataOf(onlyResource(synthJson(stack), 'aws_instance'))).toContain("-Value @(([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${base64encode(join(\"\", [\"PORT=\", var.port]))}'))))");
  });
});
