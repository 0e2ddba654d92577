import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cloudInitSchema, shellcheck, shellScriptsOf } from './helpers/cloud-init';
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
    expect(lines.slice(2, 12)).toEqual([
      '| app | isolation | runs as | host | memory MiB | vCPU | why |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| web | container | container | portfolio/pool/Host0 | 256 | 0.25 | single-process, fast-start, dense-packing |',
      '| api | container | container | portfolio/pool/Host0 | 512 | 0.5 | single-process, fast-start, dense-packing |',
      '| nightly-report | container | container | portfolio/pool/Host0 | 1024 | 0.5 | single-process, fast-start, dense-packing, ephemeral |',
      '| cache | container | container | portfolio/pool/Host0 | 512 | 0.25 | single-process, fast-start, dense-packing |',
      '| worker | container | container | portfolio/pool/Host0 | 384 | 0.25 | single-process, fast-start, dense-packing |',
      '| legacy-erp | vm | native | portfolio/legacy-erp/Host | 2048 | 1 | whole-system |',
      '| packet-filter | vm | native | portfolio/packet-filter/Host | 512 | 0 | own-kernel |',
      '| plugin-runner | vm | container | portfolio/plugin-runner/Host | 768 | 1 | untrusted-tenancy; conflict: startup-budget |',
    ]);
    expect(r.stdout).toContain('| this plan | 4 | 8 | 11264 | 1536 |\n| one VM per app | 8 | 16 | 13312 | 3072 |\n| difference | 4 | 8 | 2048 | 1536 |');
    // The manifest records the engine that synthesized (cdktf 0.21, or cdktn 0.24 in .ci/cdktn.sh).
    expect(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).version).toBe(ENGINE_VERSION);
    const stackDir = join(outdir, 'stacks', 'portfolio');
    expect(existsSync(join(stackDir, 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(stackDir, 'isolation-report.md'))).toBe(true);
    const tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.output).filter((k) => k.startsWith('isolation_')).sort()).toEqual([
      'isolation_api', 'isolation_cache', 'isolation_legacy-erp', 'isolation_nightly-report', 'isolation_packet-filter',
      'isolation_plugin-runner', 'isolation_web', 'isolation_worker',
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

(tools ? describe : describe.skip)('the portfolio\'s hosts', () => {
  test('every host\'s user data passes cloud-init schema, and its scripts shellcheck', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'portfolio-'));
    try {
      const { stack } = synthesize(outdir);
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      const instances = Object.values<any>(resourcesOf(tf, 'aws_instance'));
      expect(instances.map((i) => i.tags.Name).sort()).toEqual([
        'portfolio/legacy-erp/Host', 'portfolio/packet-filter/Host', 'portfolio/plugin-runner/Host', 'portfolio/pool/Host0',
      ]);
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
