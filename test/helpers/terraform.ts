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

/** The messages of the errors of a `terraform apply -json` run (diagnostics, not wrapped the way the human output is). */
function errorsOf(jsonLines: string): string[] {
  return jsonLines.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l))
    .filter((m) => m['@level'] === 'error' && m.diagnostic).map((m) => `${m.diagnostic.summary}: ${m.diagnostic.detail ?? ''}`.trim());
}

/** What real Terraform says of the preconditions of one resource: none failed, or the error messages of those that did. */
export interface PreconditionResult {
  readonly ok: boolean;
  /** The error messages Terraform stopped with (`Resource precondition failed: <message>`). */
  readonly errors: string[];
}

/**
 * Evaluates the `lifecycle.precondition` blocks of a resource of a
 * synthesized stack with real Terraform: the stack's variables and locals
 * are kept, the preconditions are copied to a `terraform_data` resource
 * (no provider needed), and references to what only a provider could read
 * (a data source, another resource's attribute) are replaced by locals
 * the test gives (`replace`: expression text to local name).
 */
export function evaluatePreconditions(
  synth: any, type: string, name: string, vars: Record<string, string> = {},
  options: { replace?: Record<string, string>; locals?: Record<string, unknown> } = {},
): PreconditionResult {
  const resource = synth.resource?.[type]?.[name];
  if (!resource) throw new Error(`no ${type}.${name} in the synthesized stack`);
  const preconditions = resource.lifecycle?.precondition;
  if (!Array.isArray(preconditions) || preconditions.length === 0) throw new Error(`${type}.${name} has no preconditions`);
  let text = JSON.stringify({ precondition: preconditions, locals: synth.locals ?? {} });
  for (const [from, to] of Object.entries(options.replace ?? {})) text = text.split(from).join(`local.${to}`);
  const { precondition, locals } = JSON.parse(text);
  const dir = mkdtempSync(join(tmpdir(), 'cdktf-isolation-pre-'));
  try {
    const doc: Record<string, unknown> = {
      resource: { terraform_data: { checked: { input: 'checked', lifecycle: { precondition } } } },
    };
    if (synth.variable) doc.variable = synth.variable;
    const allLocals = { ...locals, ...(options.locals ?? {}) };
    if (Object.keys(allLocals).length > 0) doc.locals = allLocals;
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(doc, null, 1));
    writeFileSync(join(dir, 'cli.tfrc'), '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
    const init = run('terraform', ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env });
    if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}${init.stdout}`);
    const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
    const apply = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', '-json', ...varArgs], { cwd: dir, env });
    const errors = errorsOf(apply.stdout);
    if (apply.status !== 0 && errors.length === 0) throw new Error(`terraform apply failed without a diagnostic: ${apply.stderr}${apply.stdout}`);
    return { ok: apply.status === 0, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
