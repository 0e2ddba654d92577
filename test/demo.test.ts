import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cloudInitSchema, shellcheck, shellScriptsOf } from './helpers/cloud-init';
import { powershellBlock, powershellErrors } from './helpers/powershell';
import { resourcesOf, userDataOf } from './helpers/synth';
import { requireTools, run } from './helpers/tools';
import { ENGINE_NAME, ENGINE_VERSION } from '../examples/engine';
import { synthesize } from '../examples/portfolio/main';

const root = join(__dirname, '..');

describe('the main job: npm run demo', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'demo-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test(`synthesizes the portfolio offline through the ${ENGINE_NAME} CLI and prints the report table`, () => {
    const r = run('npx', ['ts-node', '--project', 'examples/tsconfig.json', 'examples/portfolio/demo.ts'], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${ENGINE_NAME} synth: Terraform and the isolation report in ${join(outdir, 'stacks', 'portfolio')}`);
    expect(lines.slice(2, 14)).toEqual([
      '| app | isolation | runs as | OS | host | memory MiB | vCPU | guest OS MiB | why |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      '| web | container | container | Linux | portfolio/pool/Host0 | 256 | 0.25 | shared | single-process, fast-start, dense-packing |',
      '| api | container | container | Linux | portfolio/pool/Host0 | 512 | 0.5 | shared | single-process, fast-start, dense-packing |',
      '| nightly-report | container | container | Linux | portfolio/pool/Host0 | 1024 | 0.5 | shared | single-process, fast-start, dense-packing, ephemeral |',
      '| cache | container | container | Linux | portfolio/pool/Host0 | 512 | 0.25 | shared | single-process, fast-start, dense-packing |',
      '| worker | container | container | Linux | portfolio/pool/Host0 | 384 | 0.25 | shared | single-process, fast-start, dense-packing |',
      '| legacy-erp | vm | native | Linux | portfolio/legacy-erp/Host | 2048 | 1 | 384 | whole-system |',
      '| packet-filter | vm | native | Linux | portfolio/packet-filter/Host | 512 | 0 | 384 | own-kernel |',
      '| plugin-runner | vm | container | Linux | portfolio/plugin-runner/Host | 768 | 1 | 384 | untrusted-tenancy; conflict: startup-budget |',
      '| quarterly-reports | vm | native | Windows Server | portfolio/quarterly-reports/Host | 1024 | 1 | 2048 | non-linux-os |',
      '',
    ]);
    // The Windows host's guest OS (2048 MiB) beside four Linux ones (384 MiB each).
    expect(r.stdout).toContain('| this plan | 5 | 10 | 15360 | 3584 |\n| one VM per app | 9 | 18 | 17408 | 5120 |\n| difference | 4 | 8 | 2048 | 1536 |');
    // The manifest records the engine that synthesized (cdktf 0.21, or cdktn 0.24 in .ci/cdktn.sh).
    expect(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).version).toBe(ENGINE_VERSION);
    const stackDir = join(outdir, 'stacks', 'portfolio');
    expect(existsSync(join(stackDir, 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(stackDir, 'isolation-report.md'))).toBe(true);
    const tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.output).filter((k) => k.startsWith('isolation_')).sort()).toEqual([
      'isolation_api', 'isolation_cache', 'isolation_legacy-erp', 'isolation_nightly-report', 'isolation_packet-filter',
      'isolation_plugin-runner', 'isolation_quarterly-reports', 'isolation_web', 'isolation_worker',
    ].map((k) => k.replace(/-/g, '_')).sort());
    expect(Object.keys(tf.terraform.backend)).toEqual(['local']); // the CLI's default: no S3 without STATE_BUCKET
    // The synthesis leaves the committed placement lock as it is (.ci/run checks git sees no change).
    expect(JSON.parse(readFileSync(join(root, 'examples/portfolio/placement.lock.json'), 'utf8'))).toEqual({
      version: 1, pools: { 'portfolio/pool': { 'api': 0, 'cache': 0, 'nightly-report': 0, 'web': 0, 'worker': 0 } },
    });
  });
});

const tools = requireTools('portfolio user data checks', ['cloud-init', 'shellcheck']);

const LIB = '/usr/local/lib/cdktf-isolation';
/** The shell scripts each host of the portfolio must carry (a host without them would pass the loop below vacuously). */
// Debian hosts (the pool, the native apps) install the SSM agent their AMIs lack.
const EXPECTED_SCRIPTS: Record<string, string[]> = {
  'portfolio/pool/Host0': [`${LIB}/wait-for-docker.sh`, `${LIB}/install-ssm-agent.sh`, `${LIB}/pull-image.sh`, `${LIB}/ssm-env.sh`, `${LIB}/containers/web.sh`, `${LIB}/containers/api.sh`,
    `${LIB}/containers/nightly-report.sh`, `${LIB}/containers/cache.sh`, `${LIB}/containers/worker.sh`],
  'portfolio/plugin-runner/Host': [`${LIB}/wait-for-docker.sh`, `${LIB}/pull-image.sh`, `${LIB}/containers/plugin-runner.sh`],
  'portfolio/legacy-erp/Host': [`${LIB}/install-ssm-agent.sh`],
  'portfolio/packet-filter/Host': [`${LIB}/install-ssm-agent.sh`],
};

describe('the portfolio\'s Windows host', () => {
  test('its PowerShell user data parses with no error node, and holds no secret', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'portfolio-win-'));
    try {
      const { stack } = synthesize(outdir);
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      const windows = Object.values<any>(resourcesOf(tf, 'aws_instance')).filter((i) => i.tags['cdktf-isolation:os'] === 'windows');
      expect(windows.map((i) => i.tags.Name)).toEqual(['portfolio/quarterly-reports/Host']);
      const userData = userDataOf(windows[0]);
      expect(await powershellErrors(powershellBlock(userData))).toEqual([]);
      expect(userData).toContain("(Get-SSMParameter -Name '/shop/prod/reports-db-password' -WithDecryption $true -Region $region).Value");
      expect(windows[0].key_name).toBeUndefined();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

(tools ? describe : describe.skip)('the portfolio\'s hosts', () => {
  test('every Linux host\'s user data passes cloud-init schema, and its scripts shellcheck', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'portfolio-'));
    try {
      const { stack } = synthesize(outdir);
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      const all = Object.values<any>(resourcesOf(tf, 'aws_instance'));
      expect(all.map((i) => i.tags.Name).sort()).toEqual([
        'portfolio/legacy-erp/Host', 'portfolio/packet-filter/Host', 'portfolio/plugin-runner/Host', 'portfolio/pool/Host0', 'portfolio/quarterly-reports/Host',
      ]);
      // The Windows host's PowerShell is parsed above; cloud-init reads none of it.
      const instances = all.filter((i) => i.tags['cdktf-isolation:os'] !== 'windows');
      expect(instances).toHaveLength(4);
      for (const instance of instances) {
        const userData = userDataOf(instance);
        const schema = cloudInitSchema(userData);
        expect({ host: instance.tags.Name, status: schema.status, stderr: schema.stderr }).toEqual({ host: instance.tags.Name, status: 0, stderr: '' });
        const scripts = shellScriptsOf(userData);
        expect({ host: instance.tags.Name, scripts: scripts.map((s) => s.where) })
          .toEqual({ host: instance.tags.Name, scripts: EXPECTED_SCRIPTS[instance.tags.Name] });
        for (const s of scripts) {
          const r = shellcheck(s.text);
          expect({ where: `${instance.tags.Name}:${s.where}`, status: r.status, out: r.stdout }).toEqual({ where: `${instance.tags.Name}:${s.where}`, status: 0, out: '' });
        }
        expect(parse(userData, { version: '1.1' }).final_message).toMatch(/^cdktf-isolation: host ready/);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('examples/github-actions/deploy-portfolio.yml', () => {
  const workflow = parse(readFileSync(join(root, 'examples/github-actions/deploy-portfolio.yml'), 'utf8'));
  const steps: any[] = workflow.jobs.deploy.steps;

  test('deploys an existing example with cdktf deploy', () => {
    const deploy = steps.find((s) => typeof s.run === 'string' && s.run.includes('cdktf deploy'));
    const dir = join(root, deploy['working-directory']);
    expect(existsSync(join(dir, 'cdktf.json'))).toBe(true);
    expect(existsSync(join(dir, 'main.ts'))).toBe(true);
    const stackName = /cdktf deploy (\S+)/.exec(deploy.run)![1];
    const outdir = mkdtempSync(join(tmpdir(), 'wf-'));
    try {
      expect(Object.keys(JSON.parse(readFileSync(join(synthStacks(outdir), 'manifest.json'), 'utf8')).stacks)).toContain(stackName);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('stops before the deploy when the placement lock is not committed', () => {
    const names = steps.map((s) => s.name);
    const check = steps.find((s) => s.name === 'placement lock committed');
    expect(check.run).toBe('npx cdktf synth portfolio && git diff --exit-code placement.lock.json');
    expect(check['working-directory']).toBe('examples/portfolio');
    expect(existsSync(join(root, check['working-directory'], 'placement.lock.json'))).toBe(true);
    expect(names.indexOf('placement lock committed')).toBeLessThan(names.indexOf('cdktf deploy'));
  });

  test('uses OIDC credentials, never stored keys', () => {
    expect(workflow.permissions['id-token']).toBe('write');
    const creds = steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith('aws-actions/configure-aws-credentials@'));
    expect(Object.keys(creds.with).sort()).toEqual(['aws-region', 'role-session-name', 'role-to-assume']);
    expect(JSON.stringify(workflow)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
  });

  test('keeps the state in S3 through the example\'s S3 backend', () => {
    const env = workflow.jobs.deploy.env;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['STATE_BUCKET', 'STATE_LOCK_TABLE', 'AWS_REGION']));
    const outdir = mkdtempSync(join(tmpdir(), 'wf-s3-'));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { STATE_BUCKET: 'acme-terraform-state', STATE_LOCK_TABLE: 'terraform-locks', AWS_REGION: 'eu-west-1' });
      const { stack } = synthesize(outdir);
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      expect(tf.terraform.backend).toEqual({
        s3: { bucket: 'acme-terraform-state', key: 'cdktf-isolation/portfolio.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'terraform-locks' },
      });
    } finally {
      process.env = saved;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

function synthStacks(outdir: string): string {
  synthesize(outdir);
  return outdir;
}
