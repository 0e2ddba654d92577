// Real Terraform resolving what the library writes into Terraform strings.
// Terraform 1.11 is installed on the build machines; providers cannot be
// downloaded, but a configuration of variables, locals and outputs needs
// none, so `terraform init && terraform apply` runs offline and evaluates
// every template, escape and function exactly as a deployment would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools, run } from './tools';

/** True when Terraform is on the PATH; under CI a missing terraform fails the run. */
export function requireTerraform(what: string): boolean {
  return requireTools(what, ['terraform']);
}

/** A provider-free Terraform configuration (JSON syntax). */
export interface TerraformConfig {
  readonly variable?: Record<string, { type?: string; default?: unknown }>;
  readonly locals?: Record<string, unknown>;
  readonly output: Record<string, { value: unknown }>;
  readonly resource?: Record<string, unknown>;
}

/** The result of `terraform apply`: the outputs on success, the error text otherwise. */
export interface TerraformResult {
  readonly ok: boolean;
  readonly outputs: Record<string, unknown>;
  readonly error: string;
}

/** Applies `config` in a fresh directory and returns its outputs (or the error Terraform stopped with). */
export function terraformApply(config: TerraformConfig, vars: Record<string, string> = {}): TerraformResult {
  const dir = mkdtempSync(join(tmpdir(), 'cdktf-isolation-tf-'));
  try {
    // Empty blocks are refused by Terraform's JSON syntax: leave them out.
    const doc = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined && Object.keys(v as object).length > 0));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(doc, null, 1));
    writeFileSync(join(dir, 'cli.tfrc'), '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
    const init = run('terraform', ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env });
    if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}${init.stdout}`);
    const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
    const apply = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', ...varArgs], { cwd: dir, env });
    if (apply.status !== 0) return { ok: false, outputs: {}, error: `${apply.stderr}${apply.stdout}` };
    const out = run('terraform', ['output', '-json', '-no-color'], { cwd: dir, env });
    if (out.status !== 0) throw new Error(`terraform output failed: ${out.stderr}`);
    const outputs = Object.fromEntries(Object.entries<any>(JSON.parse(out.stdout)).map(([k, v]) => [k, v.value]));
    return { ok: true, outputs, error: '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What Terraform makes of each string (as the library wrote it into the Terraform JSON). */
export function terraformStrings(values: Record<string, string>, variables: TerraformConfig['variable'] = {}): Record<string, string> {
  const result = terraformApply({ variable: variables, output: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])) });
  if (!result.ok) throw new Error(`terraform apply failed: ${result.error}`);
  return result.outputs as Record<string, string>;
}
