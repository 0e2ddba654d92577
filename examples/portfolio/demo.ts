// The main job: synthesize the portfolio offline with the engine's CLI (cdktf,
// or cdktn on CDK Terrain) and print the isolation report's tables. No AWS
// credentials are needed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IsolationReport } from '../../src';
import { ENGINE_NAME, engineCli } from '../engine';

const dir = __dirname;
const outdir = process.env.CDKTF_OUTDIR ?? join(dir, 'cdktf.out');
const cli = engineCli(join(dir, '..', '..'));
const synth = spawnSync(cli, ['synth', '--output', outdir], {
  cwd: dir,
  encoding: 'utf8',
  // No telemetry, no update checks: the synthesis stays offline.
  env: { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', CI: 'true' },
});
if (synth.status !== 0) {
  // synth.error: the CLI could not be started (e.g. ENOENT: the engine's CLI package is not installed).
  process.stderr.write(`${ENGINE_NAME} synth failed (${synth.error ? synth.error.message : `exit ${synth.status}`}):\n${synth.stdout ?? ''}\n${synth.stderr ?? ''}\n`);
  process.exit(1);
}
const stackDir = join(outdir, 'stacks', 'portfolio');
const doc = JSON.parse(readFileSync(join(stackDir, IsolationReport.JSON_FILE), 'utf8'));
const lines = [
  `${ENGINE_NAME} synth: Terraform and the isolation report in ${stackDir}`,
  '',
  IsolationReport.renderAppsTable(doc),
  '',
  IsolationReport.renderPlanTable(doc),
  '',
  'How each host reaches its packages, its images and Systems Manager:',
  ...doc.hosts.map((h: { path: string; reach?: string }) => `- ${h.path}: ${h.reach ?? 'not given'}`),
  '',
  `Reasons, conflicts and the host diagram: ${join(stackDir, IsolationReport.MARKDOWN_FILE)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
