import { WindowsServiceAccount, WindowsUserData, isWindowsAbsolutePath } from '../../../src/core/render/windows-user-data';
import { powershellQuote } from '../../../src/private/powershell';
import { powershellBlock, powershellErrors } from '../../helpers/powershell';
import { HOSTILE_VALUES } from '../../invalid/corpus';

function full(): WindowsUserData {
  const u = new WindowsUserData();
  u.addFeature('Web-Server');
  u.addFeature('Web-Asp-Net45');
  u.addFeature('Web-Server');
  u.addFile({ path: 'C:\\reports\\config.json', content: "{ \"name\": \"it's\" }\n" });
  u.addEnvironment('REPORTS_HOME', 'C:\\reports');
  u.addCommand(['C:\\Windows\\System32\\icacls.exe', 'C:\\reports', '/inheritance:r']);
  u.useService({
    name: 'reports',
    command: ['C:\\Program Files\\Reports\\reports.exe', '--port', '8080'],
    description: 'Quarterly reports',
    account: WindowsServiceAccount.NETWORK_SERVICE,
    environment: [{ name: 'MODE', value: 'prod' }],
    secretEnvironment: [],
  });
  return u;
}

describe('WindowsUserData', () => {
  test('renders the whole model exactly, once at first boot (no <persist>)', () => {
    expect(full().render({ comment: 'cdktf-isolation host s/reports/Host' })).toBe([
      '<powershell>',
      '# cdktf-isolation host s/reports/Host',
      '# Rendered by cdktf-isolation. EC2Launch v2 runs this script as LocalSystem with Windows PowerShell 5.1:',
      '# once, at the first boot.',
      "$ErrorActionPreference = 'Stop'",
      "$ProgressPreference = 'SilentlyContinue'",
      'Set-StrictMode -Version 3.0',
      "$state = 'C:\\ProgramData\\cdktf-isolation'",
      "$marker = Join-Path $state 'first-boot.done'",
      'New-Item -ItemType Directory -Force -Path $state | Out-Null',
      "Start-Transcript -Append -Path (Join-Path $state 'user-data.log') | Out-Null",
      'if (-not (Test-Path -LiteralPath $marker)) {',
      "  # Windows Server features, from the image's component store.",
      "  $result = Install-WindowsFeature -Name @('Web-Server', 'Web-Asp-Net45')",
      "  if (-not $result.Success) { throw 'Install-WindowsFeature failed' }",
      "  $path = 'C:\\reports\\config.json'",
      '  New-Item -ItemType Directory -Force -Path ([System.IO.Path]::GetDirectoryName($path)) | Out-Null',
      "  [System.IO.File]::WriteAllText($path, '{ \"name\": \"it''s\" }\n', (New-Object System.Text.UTF8Encoding($false)))",
      "  [System.Environment]::SetEnvironmentVariable('REPORTS_HOME', 'C:\\reports', 'Machine')",
      "  & 'C:\\Windows\\System32\\icacls.exe' 'C:\\reports' '/inheritance:r'",
      "  if ($LASTEXITCODE -ne 0) { throw ('command failed: C:\\Windows\\System32\\icacls.exe' + ' exited with ' + $LASTEXITCODE) }",
      '  # The service: started at every boot by the Service Control Manager, restarted 5 s after a failure.',
      "  $service = 'reports'",
      "  New-Service -Name $service -BinaryPathName '\"C:\\Program Files\\Reports\\reports.exe\" --port 8080' -DisplayName $service -Description 'Quarterly reports' -StartupType Automatic | Out-Null",
      "  $cim = Get-CimInstance -ClassName Win32_Service -Filter (\"Name='\" + $service + \"'\")",
      "  $changed = Invoke-CimMethod -InputObject $cim -MethodName Change -Arguments @{ StartName = 'NT AUTHORITY\\NetworkService'; StartPassword = '' }",
      "  if ($changed.ReturnValue -ne 0) { throw ('Win32_Service.Change failed: ' + $changed.ReturnValue) }",
      '  & sc.exe failure $service reset= 86400 actions= restart/5000/restart/5000/restart/5000 | Out-Null',
      "  if ($LASTEXITCODE -ne 0) { throw 'sc.exe failure failed' }",
      '  & sc.exe failureflag $service 1 | Out-Null',
      "  if ($LASTEXITCODE -ne 0) { throw 'sc.exe failureflag failed' }",
      "  Set-ItemProperty -LiteralPath ('HKLM:\\SYSTEM\\CurrentControlSet\\Services\\' + $service) -Name 'Environment' -Type MultiString -Value @('MODE=prod')",
      '  Start-Service -Name $service',
      '  New-Item -ItemType File -Force -Path $marker | Out-Null',
      '}',
      'Stop-Transcript | Out-Null',
      '</powershell>',
      '',
    ].join('\n'));
  });

  test('secrets: fetched at every boot with the AWS Tools for PowerShell, <persist> only then', () => {
    const u = new WindowsUserData();
    expect(u.persist).toBe(false);
    u.useService({
      name: 'reports',
      command: ['C:\\r.exe'],
      description: 'r',
      account: WindowsServiceAccount.LOCAL_SYSTEM,
      environment: [{ name: 'MODE', value: 'prod' }],
      secretEnvironment: [{ name: 'DB_PASSWORD', parameter: '/reports/db-password' }],
    });
    expect(u.persist).toBe(true);
    const text = u.render();
    expect(text.endsWith('</powershell>\n<persist>true</persist>\n')).toBe(true);
    expect(text).toContain('# at every boot (<persist>): the first-boot part once, behind a marker file; the secrets at every boot.');
    expect(text).not.toContain('Start-Service');
    expect(text).not.toContain('Win32_Service');
    const everyBoot = text.slice(text.indexOf('\n}\n') + 3);
    expect(everyBoot.split('\n').slice(0, 11)).toEqual([
      '# Secrets from SSM Parameter Store, at every boot (never in this user data), with the instance role.',
      "$imdsSession = Invoke-RestMethod -Method Put -Uri 'http://169.254.169.254/latest/api/token' -Headers @{ 'X-aws-ec2-metadata-token-ttl-seconds' = '300' }",
      "$region = Invoke-RestMethod -Uri 'http://169.254.169.254/latest/meta-data/placement/region' -Headers @{ 'X-aws-ec2-metadata-token' = $imdsSession }",
      'Import-Module AWSPowerShell',
      "$environment = @('MODE=prod')",
      "$environment += 'DB_PASSWORD=' + (Get-SSMParameter -Name '/reports/db-password' -WithDecryption $true -Region $region).Value",
      "$service = 'reports'",
      "Set-ItemProperty -LiteralPath ('HKLM:\\SYSTEM\\CurrentControlSet\\Services\\' + $service) -Name 'Environment' -Type MultiString -Value $environment",
      'Restart-Service -Name $service -Force',
      'Stop-Transcript | Out-Null',
      '</powershell>',
    ]);
  });

  test('every rendered script parses with no error node', async () => {
    expect(await powershellErrors(powershellBlock(full().render({ comment: 'c' })))).toEqual([]);
    expect(await powershellErrors(powershellBlock(new WindowsUserData().render()))).toEqual([]);
  });

  test('hostile values in every slot: one <powershell> block, no error node, each value quoted by the rule', async () => {
    const u = new WindowsUserData();
    HOSTILE_VALUES.forEach((v, i) => {
      u.addFile({ path: `C:\\data\\f${i}.txt`, content: v });
      u.addEnvironment(`V${i}`, v);
    });
    u.addCommand(['C:\\tool.exe', ...HOSTILE_VALUES]);
    u.useService({
      name: 'svc',
      command: ['C:\\svc.exe', ...HOSTILE_VALUES.filter((v) => !/[\r\n]/.test(v))],
      description: HOSTILE_VALUES.join(' '),
      account: WindowsServiceAccount.LOCAL_SERVICE,
      environment: HOSTILE_VALUES.map((v, i) => ({ name: `E${i}`, value: v })),
      secretEnvironment: [{ name: 'S', parameter: '/p/x' }],
    });
    const text = u.render({ comment: HOSTILE_VALUES.join('\n') });
    const script = powershellBlock(text);
    expect(await powershellErrors(script)).toEqual([]);
    expect(/^[\x20-\x7e\t\n]*$/.test(text)).toBe(true);
    HOSTILE_VALUES.forEach((v, i) => {
      expect(script).toContain(`[System.IO.File]::WriteAllText($path, ${powershellQuote(v)}, `);
      expect(script).toContain(`[System.Environment]::SetEnvironmentVariable('V${i}', ${powershellQuote(v)}, 'Machine')`);
    });
  });

  test('bad model input is an error', () => {
    const u = new WindowsUserData();
    expect(() => u.addFile({ path: '/etc/x', content: '' })).toThrow('WindowsUserData: file path must be absolute (e.g. C:\\app\\config.txt), got "/etc/x"');
    u.addFile({ path: 'C:\\a\\b.txt', content: '' });
    expect(() => u.addFile({ path: 'c:\\A\\B.TXT', content: '' })).toThrow('WindowsUserData: two files at c:\\A\\B.TXT');
    expect(() => u.addFeature('Web Server')).toThrow('WindowsUserData: invalid feature name "Web Server"');
    expect(() => u.addEnvironment('1X', '')).toThrow('WindowsUserData: invalid environment variable name "1X"');
    expect(isWindowsAbsolutePath('C:\\x\\')).toBe(false);
    expect(isWindowsAbsolutePath('C:\\x\\y.txt')).toBe(true);
    expect(isWindowsAbsolutePath('C:\\x\\y?.txt')).toBe(false);
  });

  test('clone and revision', () => {
    const u = full();
    const r = u.revision;
    const copy = u.clone();
    copy.addFeature('Telnet-Client');
    expect(u.listFeatures()).toEqual(['Web-Server', 'Web-Asp-Net45']);
    expect(copy.listFeatures()).toEqual(['Web-Server', 'Web-Asp-Net45', 'Telnet-Client']);
    expect(u.revision).toBe(r);
  });
});
