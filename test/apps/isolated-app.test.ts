import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import {
  AppScope, ContainerImage, HostPool, Isolation, IsolatedApp, IsolationReport, KernelNeed, OperatingSystem, PlacementStrategy, Tenancy,
} from '../../src';
import { HOST_LEVEL_INPUTS } from '../../src/hosts/vm-host';
import { IsolationError } from '../../src/private/errors';
import { awsStack, errorOf, resourcesOf, synthJson, userDataOf } from '../helpers/synth';

const image = ContainerImage.fromRegistry('nginx:1.27');
const container = (name: string, memoryMiB = 256, cpus?: number) => ({ name, image, memoryMiB, cpus });

function userDataByHost(json: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const inst of Object.values<any>(resourcesOf(json, 'aws_instance'))) out[inst.tags.Name] = parse(userDataOf(inst), { version: '1.1' });
  return out;
}

describe('IsolatedApp: container decision', () => {
  test('the app becomes a ContainerOnVm on a host of its pool', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium' });
    const web = new IsolatedApp(stack, 'web', { pool, container: container('web') });
    const api = new IsolatedApp(stack, 'api', { pool, container: container('api') });
    const json = synthJson(stack);
    expect([web.isolation, web.runsAs]).toEqual([Isolation.CONTAINER, 'container']);
    expect(Object.keys(resourcesOf(json, 'aws_instance'))).toHaveLength(1);
    const host = userDataByHost(json)['test/pool/Host0'];
    expect(host.runcmd.slice(-2)).toEqual([['systemctl', 'enable', '--now', 'cdktf-container-web.service'], ['systemctl', 'enable', '--now', 'cdktf-container-api.service']]);
    expect(web.host).toBe(api.host);
    expect(web.host!.node.path).toBe('test/pool/Host0');
    expect(web.containerOnVm!.node.path).toBe('test/web/Container');
    expect(json.output.isolation_web).toEqual({ value: 'container', description: 'Isolation of app web: single-process, fast-start, dense-packing' });
  });

  test('the pool adds hosts as the apps need them, up to maxHosts', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', maxHosts: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) new IsolatedApp(stack, name, { pool, container: container(name, 1500) });
    expect(pool.placement()).toEqual({ a: 0, b: 0, c: 1, d: 1, e: 2 });
    expect(pool.hosts.map((h) => h.node.id)).toEqual(['Host0', 'Host1', 'Host2']);
    expect(Object.keys(resourcesOf(synthJson(stack), 'aws_instance'))).toHaveLength(3);
  });

  test('bin-pack uses fewer hosts than stable on a mix declared small first', () => {
    const place = (strategy: PlacementStrategy) => {
      const { stack } = awsStack();
      const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', strategy });
      [['s1', 1000], ['s2', 1000], ['b1', 2600], ['b2', 2600]].forEach(([name, mem]) =>
        new IsolatedApp(stack, name as string, { pool, container: container(name as string, mem as number) }));
      return pool.hosts.length;
    };
    expect(place(PlacementStrategy.STABLE)).toBe(3);
    expect(place(PlacementStrategy.BIN_PACK)).toBe(2);
  });

  test('previousPlacement keeps apps on their hosts when an app is inserted before them', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', previousPlacement: { a: 0, b: 1, c: 1 } });
    new IsolatedApp(stack, 'new', { pool, container: container('new', 3000) });
    for (const name of ['a', 'b', 'c']) new IsolatedApp(stack, name, { pool, container: container(name, 1500) });
    expect(pool.placement()).toEqual({ new: 2, a: 0, b: 1, c: 1 });
  });
});

describe('IsolatedApp: VM decision', () => {
  test('a whole system runs natively on a VM of its own, without Docker', () => {
    const { stack } = awsStack();
    const app = new IsolatedApp(stack, 'erp', {
      requirements: { scope: AppScope.SYSTEM, memoryMiB: 2048, cpus: 1 },
      native: {
        packages: ['cron'],
        files: [{ path: '/etc/cron.d/erp', content: '0 1 * * * root /opt/erp/nightly\n' }],
        commands: [['useradd', '--system', 'erp']],
        service: { name: 'erp', command: ['/opt/erp/bin/erpd', '--port=8080', 'a b'], user: 'erp', environment: { MODE: 'prod' } },
      },
    });
    const json = synthJson(stack);
    const inst = Object.values<any>(resourcesOf(json, 'aws_instance'))[0];
    expect(inst.instance_type).toBe('t3.medium'); // 2048 + 384 MiB and 1.1 vCPU: the smallest t3 that holds them
    expect(inst.tags).toEqual({ 'cdktf-isolation:app': 'erp', 'Name': 'test/erp/Host' });
    const doc = parse(userDataOf(inst), { version: '1.1' });
    expect(doc.packages).toEqual(['cron']);
    expect(doc.write_files.map((f: any) => f.path)).toEqual(['/etc/cron.d/erp', '/etc/systemd/system/erp.service']);
    expect(doc.write_files[1].content).toBe([
      '[Unit]', 'Description=erp', 'Wants=network-online.target', 'After=network-online.target', '',
      '[Service]', 'ExecStart=/opt/erp/bin/erpd --port=8080 "a b"', 'Restart=on-failure', 'RestartSec=5', 'User=erp', 'Environment="MODE=prod"', '',
      '[Install]', 'WantedBy=multi-user.target', '',
    ].join('\n'));
    expect(doc.runcmd).toEqual([['useradd', '--system', 'erp'], ['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', 'erp.service']]);
    expect(doc.final_message).toBe('cdktf-isolation: host ready after $UPTIME seconds');
    expect([app.isolation, app.runsAs, app.host!.dockerInstalled]).toEqual([Isolation.VM, 'native', false]);
    expect(json.output.isolation_erp.value).toBe('vm');
  });

  test('untrusted code: its container runs alone on a VM of its own', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool');
    const app = new IsolatedApp(stack, 'plugins', { pool, requirements: { tenancy: Tenancy.UNTRUSTED }, container: container('plugins', 768, 1) });
    const json = synthJson(stack);
    expect(Object.keys(resourcesOf(json, 'aws_instance'))).toHaveLength(1); // the pool has no apps, so no hosts
    const doc = userDataByHost(json)['test/plugins/Host'];
    expect(doc.packages).toEqual(['docker']);
    expect(doc.runcmd.at(-1)).toEqual(['systemctl', 'enable', '--now', 'cdktf-container-plugins.service']);
    expect([app.isolation, app.runsAs, app.host!.instanceType]).toEqual([Isolation.VM, 'container', 't3.small']);
  });

  test('dedicated VM options are used', () => {
    const { stack } = awsStack();
    const app = new IsolatedApp(stack, 'k', { requirements: { kernel: KernelNeed.OWN }, native: { packages: ['nftables'] }, dedicatedVm: { instanceType: 'c6i.large' } });
    expect(app.host!.instanceType).toBe('c6i.large');
  });

  test('an override with a reason is honoured and recorded', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool');
    const app = new IsolatedApp(stack, 'k', {
      pool,
      requirements: { kernel: KernelNeed.OWN },
      container: container('k'),
      override: { isolation: Isolation.CONTAINER, reason: 'the module is already loaded on every pool host' },
    });
    expect([app.decision.isolation, app.isolation]).toEqual([Isolation.VM, Isolation.CONTAINER]);
    const report = IsolationReport.of(stack).toJson();
    expect(report.apps[0].override).toEqual({ from: 'vm', to: 'container', reason: 'the module is already loaded on every pool host' });
  });
});

describe('IsolatedApp bad input', () => {
  const cases: Array<[string, (stack: TerraformStack) => void, string]> = [
    ['another OS', (s) => new IsolatedApp(s, 'bsd', { requirements: { operatingSystem: OperatingSystem.OTHER }, native: { packages: ['nginx'] } }),
      "test/bsd: 'requirements.operatingSystem' needs a VM running other, which this library cannot build (VmHost boots Linux and Windows Server images only), got \"other\". " +
      'Run the app on an EC2 instance of its own OS outside this library. Decision: vm because non-linux-os (Docker builds on Linux kernel features'],
    ['container decision without a container', (s) => new IsolatedApp(s, 'x', { pool: new HostPool(s, 'pool') }),
      "test/x: 'container' must be given: the app is placed as a container, got undefined. Describe the container (name, image, memoryMiB). Decision: container because single-process"],
    ['container decision without a pool', (s) => new IsolatedApp(s, 'x', { container: container('x') }),
      "test/x: 'pool' must be a HostPool: container apps share the hosts of a pool, got undefined. Create a HostPool and pass it to every container app as pool."],
    ['VM without native setup', (s) => new IsolatedApp(s, 'x', { requirements: { scope: AppScope.SYSTEM } }),
      "test/x: 'native' must be given: the app gets a VM of its own and runs natively, got undefined. Give a native setup (packages, files, a systemd service). Decision: vm because whole-system"],
    ['own kernel with only a container', (s) => new IsolatedApp(s, 'x', { requirements: { kernel: KernelNeed.OWN }, container: container('x') }),
      "test/x: 'container' cannot serve this app: its reasons need the VM itself, not Docker on it, got \"x\". Give a native setup"],
    ['override without a reason', (s) => new IsolatedApp(s, 'x', { pool: new HostPool(s, 'pool'), container: container('x'), override: { isolation: Isolation.VM, reason: '' } }),
      "test/x: 'override.reason' must say why the advice is overridden (at least 10 characters), got \"\"."],
    ['override Windows to container', (s) => new IsolatedApp(s, 'x', { requirements: { operatingSystem: OperatingSystem.WINDOWS }, override: { isolation: Isolation.CONTAINER, reason: 'we want it cheap' } }),
      "test/x: 'override.isolation' cannot be 'container': Docker builds on Linux kernel features"],
    ['requirements above the container limit', (s) => new IsolatedApp(s, 'x', { pool: new HostPool(s, 'pool'), container: container('x', 256), requirements: { memoryMiB: 512 } }),
      "test/x: 'requirements.memoryMiB' must not exceed the container's memory limit (256 MiB), got 512."],
    ['two apps with one name', (s) => {
      const pool = new HostPool(s, 'pool');
      new IsolatedApp(s, 'a', { pool, container: container('same') });
      new IsolatedApp(s, 'b', { pool, container: container('same') });
    }, "test/b: 'name' must be unique in the stack (app test/a already has it), got \"same\"."],
    ['native service without an absolute command', (s) => new IsolatedApp(s, 'x', { requirements: { scope: AppScope.SYSTEM }, native: { service: { name: 'x', command: ['erpd'] } } }),
      "test/x: 'native.service.command' must be an argv list whose first word is an absolute path, got [\"erpd\"]."],
    ['pool type outside the catalog', (s) => new HostPool(s, 'pool', { instanceType: 'm4.large' }),
      "test/pool: 'instanceType' must be an instance type this library knows (its vCPUs and memory decide what the host can hold), got \"m4.large\". " +
      "Did you mean 'm5.large', 'c5.large', 'm5.xlarge'? For a type the catalog does not list yet, give its size in instanceTypeSize, e.g. { vcpus: 2, memoryMiB: 8192 }."],
    ['pool maxHosts 0', (s) => new HostPool(s, 'pool', { maxHosts: 0 }), "test/pool: 'maxHosts' must be an integer from 1 to 1000, got 0."],
    ['previousPlacement beyond maxHosts', (s) => new HostPool(s, 'pool', { maxHosts: 2, previousPlacement: { a: 5 } }),
      "test/pool: 'previousPlacement.a' must be an integer from 0 to 1, got 5."],
  ];

  test.each(cases)('%s', (_name, build, message) => {
    const { stack } = awsStack();
    const e = errorOf(() => build(stack));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message.slice(0, message.length)).toBe(message);
  });

  test("an app too large for the pool is an error where it is declared, naming the pool's instance type and one that holds it", () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.small' });
    expect(errorOf(() => new IsolatedApp(stack, 'big', { pool, container: container('big', 4096) })).message).toBe(
      "test/big: 'container.memoryMiB' must fit a host of pool test/pool (t3.small: 2048 MiB, 1664 MiB for containers after the 384 MiB OS reserve, " +
      "and 16 MiB of overhead per container), got 4096. Give the pool a larger instance type (t3.large holds it), lower the app's limits, or give the app a VM of its own.");
    expect(errorOf(() => new IsolatedApp(stack, 'busy', { pool, container: { ...container('busy', 64), cpus: 2 } })).message).toBe(
      "test/busy: 'container.cpus' must fit a host of pool test/pool (t3.small: 2 vCPUs, 1.9 for containers after the OS reserve), got 2. " +
      "Give the pool a larger instance type (t3.xlarge holds it), lower the app's limits, or give the app a VM of its own.");
  });

  test('exceeding the pool host limit is an error at the app that needs one host too many', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', maxHosts: 1 });
    new IsolatedApp(stack, 'a', { pool, container: container('a', 3000) });
    expect(() => new IsolatedApp(stack, 'b', { pool, container: container('b', 3000) })).toThrow("test/pool: 'maxHosts' is too small: the apps need 2 hosts, got 1.");
  });
});

describe('the isolation report', () => {
  test('is written next to the stack\'s Terraform on synthesis, as JSON and Markdown', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'report-'));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'shop');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium' });
      new IsolatedApp(stack, 'web', { pool, container: container('web', 256, 0.25) });
      new IsolatedApp(stack, 'api', { pool, container: container('api', 512, 0.5) });
      new IsolatedApp(stack, 'erp', { requirements: { scope: AppScope.SYSTEM, memoryMiB: 1024, maxStartupSeconds: 30 }, native: { packages: ['cron'] } });
      app.synth();
      const dir = join(outdir, 'stacks', 'shop');
      const json = JSON.parse(readFileSync(join(dir, 'isolation-report.json'), 'utf8'));
      expect(json).toEqual(IsolationReport.of(stack).toJson());
      expect(json.stack).toBe('shop');
      const row = (a: any) => [
        a.name, a.isolation, a.runsAs, a.host, a.memoryMiB, a.cpus, a.replicas,
        a.reasons.map((r: any) => r.ruleId), a.conflicts.map((c: any) => c.ruleId), a.override,
      ];
      expect(json.apps.map(row))
        .toEqual([
          ['web', 'container', 'container', 'shop/pool/Host0', 256, 0.25, 1, ['single-process', 'fast-start', 'dense-packing'], [], undefined],
          ['api', 'container', 'container', 'shop/pool/Host0', 512, 0.5, 1, ['single-process', 'fast-start', 'dense-packing'], [], undefined],
          ['erp', 'vm', 'native', 'shop/erp/Host', 1024, 0, 1, ['whole-system'], ['startup-budget'], undefined],
        ]);
      const reach = "the account's default VPC (no network given): no NAT gateway and no VPC endpoints, so packages, images and Systems Manager are unreachable";
      expect(json.hosts).toEqual([
        {
          path: 'shop/erp/Host',
          instanceType: 't3.small',
          kind: 'dedicated',
          count: 1,
          vcpus: 2,
          memoryMiB: 2048,
          apps: ['erp'],
          os: 'Linux',
          guestOsMemoryMiB: 384,
          reach,
          updates: 'replaced when its user data changes (a host without containers: everything on it is host-level)',
        },
        {
          path: 'shop/pool/Host0',
          instanceType: 't3.medium',
          kind: 'pool',
          count: 1,
          vcpus: 2,
          memoryMiB: 4096,
          apps: ['web', 'api'],
          os: 'Linux',
          guestOsMemoryMiB: 384,
          reach,
          updates: 'containers updated in place through Systems Manager (document cdktf-isolation-shop-pool-Host0, health-gated, rolled back on failure); ' +
            `replaced when what the host is changes: ${HOST_LEVEL_INPUTS}`,
        },
      ]);
      expect(json.totals).toEqual({
        hosts: 2,
        vcpus: 4,
        memoryMiB: 6144,
        guestOsMemoryMiB: 768,
        requestedMemoryMiB: 1792,
        requestedCpus: 0.75,
        memoryUtilization: 0.29,
        cpuUtilization: 0.19,
      });
      // One VM per app: web and api each on the smallest t3 that holds them plus a guest OS; erp keeps its VM.
      expect(json.oneVmPerApp).toEqual({
        hosts: 3,
        vcpus: 6,
        memoryMiB: 1024 + 1024 + 2048,
        guestOsMemoryMiB: 1152,
        instanceTypes: { web: 't3.micro', api: 't3.micro', erp: 't3.small' },
      });
      expect(json.difference).toEqual({ hosts: 1, vcpus: 2, memoryMiB: -2048, guestOsMemoryMiB: 384 });
      // Unknown values are absent from the file, not null.
      expect(JSON.stringify(json)).not.toContain('null');
      expect(Object.keys(json)).toEqual(['stack', 'apps', 'hosts', 'totals', 'oneVmPerApp', 'difference', 'acknowledgements', 'deferredChecks']);
      const md = readFileSync(join(dir, 'isolation-report.md'), 'utf8');
      expect(md).toContain('| web | container | container | Linux | shop/pool/Host0 | 256 | 0.25 | shared | single-process, fast-start, dense-packing |');
      expect(md).toContain('| erp | vm | native | Linux | shop/erp/Host | 1024 | 0 | 384 | whole-system; conflict: startup-budget |');
      expect(md).toContain('No cost shown: no price table with source, region and date was given.');
      expect(md).toContain('```mermaid\nflowchart TB\n  subgraph host_shop_erp_Host["shop/erp/Host (t3.small, dedicated)"]\n    app_erp["erp: native on its own VM"]\n  end\n');
      expect(md).toContain('    app_web[["web: container"]]\n    app_api[["api: container"]]\n');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('shows a monthly cost only with a price table that has source, region and date', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium' });
    new IsolatedApp(stack, 'web', { pool, container: container('web', 256) });
    const report = IsolationReport.of(stack);
    report.usePrices({ region: 'eu-west-1', source: 'test table', date: '2026-11-26', usdPerHour: { 't3.medium': 0.05, 't3.micro': 0.01 } });
    const json = report.toJson();
    expect([json.totals.monthlyUsd, json.oneVmPerApp.monthlyUsd, json.difference.monthlyUsd]).toEqual([36.5, 7.3, -29.2]);
    expect(json.cost).toEqual({ region: 'eu-west-1', source: 'test table', date: '2026-11-26', hoursPerMonth: 730 });
    report.usePrices({ region: 'eu-west-1', source: 'incomplete', date: '2026-11-26', usdPerHour: { 't3.medium': 0.05 } });
    expect(report.toJson().cost).toBeUndefined();
  });
});
