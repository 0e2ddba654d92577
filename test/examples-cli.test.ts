// Every example synthesizes through the CLI of the installed engine, as a
// user runs it: `cdktf synth` on cdktf, `cdktn synth` on CDK Terrain
// (.ci/cdktn.sh). The portfolio is test/demo.test.ts (npm run demo).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcesOf } from './helpers/synth';
import { run } from './helpers/tools';
import { ENGINE_NAME, ENGINE_VERSION, engineCli } from '../examples/engine';

const root = join(__dirname, '..');

/** No telemetry, no update check, no AWS credentials: the synthesis stays offline. */
const OFFLINE = {
  CI: 'true', CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '',
};

/** Each example's stacks and a resource type each stack must hold. */
const EXAMPLES: Record<string, Record<string, string[]>> = {
  'vm-host': { 'docker-hosts': ['aws_instance', 'aws_vpc_security_group_ingress_rule'] },
  'containers': { 'shop-ec2': ['aws_instance'], 'shop-local': ['docker_container', 'docker_image'] },
  'fleet': { 'web-fleet': ['aws_autoscaling_group', 'aws_launch_template', 'aws_lb_listener'] },
};

test('every example with a cdktf.json is listed here or in test/demo.test.ts', () => {
  const dirs = readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(root, 'examples', e.name)).includes('cdktf.json'))
    .map((e) => e.name);
  expect(dirs.sort()).toEqual([...Object.keys(EXAMPLES), 'portfolio'].sort());
});

describe.each(Object.entries(EXAMPLES))(`examples/%s through \`${ENGINE_NAME} synth\``, (example, stacks) => {
  const outdir = mkdtempSync(join(tmpdir(), `example-cli-${example}-`));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test(`writes its stacks to --output, with the manifest of ${ENGINE_NAME} ${ENGINE_VERSION}`, () => {
    const r = run(engineCli(root), ['synth', '--output', outdir], {
      cwd: join(root, 'examples', example),
      env: { ...process.env, ...OFFLINE },
    });
    expect({ status: r.status, stderr: r.status === 0 ? '' : `${r.stdout}\n${r.stderr}` }).toEqual({ status: 0, stderr: '' });
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.version).toBe(ENGINE_VERSION);
    expect(Object.keys(manifest.stacks).sort()).toEqual(Object.keys(stacks).sort());
    for (const [stack, types] of Object.entries(stacks)) {
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      for (const type of types) expect([stack, type, Object.keys(resourcesOf(tf, type)).length > 0]).toEqual([stack, type, true]);
    }
  }, 300_000);
});
