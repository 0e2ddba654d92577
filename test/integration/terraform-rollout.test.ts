// Real Terraform plans the day-2 changes of a host (issue 14): the
// instance and the association stand in as `terraform_data` resources that
// keep their synthesized lifecycle (replace_triggered_by) and take every
// other argument as replacement input, so Terraform's plan says what a
// deploy would replace. The digests are the synthesized ones, computed by
// Terraform where they hold a variable.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformVariable } from 'cdktf';
import { ContainerImage, ContainerOnVm, VmHost, VmHostProps } from '../../src';
import { awsStack, resourcesOf, synthJson } from '../helpers/synth';
import { requireTerraform } from '../helpers/terraform';
import { run } from '../helpers/tools';

const enabled = requireTerraform('Terraform plans of day-2 changes');

/** A synthesized host with web (its tag from `tag`, or a variable) and db. */
function synth(tag: string | 'variable', hostProps: VmHostProps = {}): any {
  const { stack } = awsStack();
  const h = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0', ...hostProps });
  const image = tag === 'variable' ? `nginx:${new TerraformVariable(stack, 'tag', { type: 'string' }).stringValue}` : `nginx:${tag}`;
  new ContainerOnVm(stack, 'web', { host: h, name: 'web', image: ContainerImage.fromRegistry(image), memoryMiB: 128, healthCheck: { command: ['true'] } });
  new ContainerOnVm(stack, 'db', { host: h, name: 'db', image: ContainerImage.fromRegistry('postgres:16'), memoryMiB: 256 });
  return synthJson(stack);
}

/** Text Terraform keeps literal: references and templates escaped. */
const literal = (value: unknown) => JSON.stringify(value).split('${').join('$${').split('%{').join('%%{');

/** The provider-free stand-in configuration of a synthesized host. */
function standIn(json: any): any {
  const data: Record<string, unknown> = { ...resourcesOf(json, 'terraform_data') };
  const stand = (type: string, ignore: string[]) => {
    for (const [id, r] of Object.entries<any>(resourcesOf(json, type))) {
      const { lifecycle, ...args } = r;
      for (const k of ignore) delete args[k];
      const replaceTriggeredBy = (lifecycle?.replace_triggered_by ?? []) as string[];
      data[`${type}_${id}`] = { triggers_replace: literal(args), ...(replaceTriggeredBy.length ? { lifecycle: { replace_triggered_by: replaceTriggeredBy } } : {}) };
    }
  };
  // The instance ignores its user data after creation (ignore_changes): it is no replacement input.
  stand('aws_instance', ['user_data', 'user_data_base64']);
  stand('aws_ssm_association', []);
  return { ...(json.variable ? { variable: json.variable } : {}), resource: { terraform_data: data } };
}

/** Applies `first`, then plans `second`: the action Terraform plans per stand-in (no entry: no change). */
function planAfter(first: any, second: any, vars: [Record<string, string>, Record<string, string>] = [{}, {}]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'cdktf-isolation-rollout-'));
  try {
    writeFileSync(join(dir, 'cli.tfrc'), '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
    const args = (v: Record<string, string>) => Object.entries(v).flatMap(([k, x]) => ['-var', `${k}=${x}`]);
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(standIn(first)));
    const init = run('terraform', ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env });
    if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}${init.stdout}`);
    const apply = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', ...args(vars[0])], { cwd: dir, env });
    if (apply.status !== 0) throw new Error(`terraform apply failed: ${apply.stderr}${apply.stdout}`);
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(standIn(second)));
    const plan = run('terraform', ['plan', '-input=false', '-no-color', '-json', ...args(vars[1])], { cwd: dir, env });
    if (plan.status !== 0) throw new Error(`terraform plan failed: ${plan.stderr}${plan.stdout}`);
    const actions: Record<string, string> = {};
    for (const line of plan.stdout.split('\n').filter((l) => l.startsWith('{'))) {
      const m = JSON.parse(line);
      if (m.type === 'planned_change') actions[m.change.resource.addr.replace(/^terraform_data\./, '').replace(/_[0-9A-F]{8}$/, '')] = m.change.action;
    }
    return actions;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

(enabled ? describe : describe.skip)('day-2 changes, planned by real Terraform', () => {
  test('a new image tag updates the rollout digest and replaces the association only: the instance stays', () => {
    expect(planAfter(synth('1.27'), synth('1.28'))).toEqual({ host_Rollout_Digest: 'update', aws_ssm_association_host_Rollout_Association: 'replace' });
  });

  test('the same containers again plan nothing', () => {
    expect(planAfter(synth('1.27'), synth('1.27'))).toEqual({});
  });

  test('a daemon setting replaces the instance (through HostInputs), and leaves the association alone', () => {
    expect(planAfter(synth('1.27'), synth('1.27', { dockerDaemon: { logMaxFiles: 5 } }))).toEqual({ host_HostInputs: 'update', aws_instance_host: 'replace' });
  });

  test('an image tag from a variable: a new value in CI replaces the association, never the instance', () => {
    const json = synth('variable');
    expect(planAfter(json, json, [{ tag: '1.27' }, { tag: '1.28' }])).toEqual({ host_Rollout_Digest: 'update', aws_ssm_association_host_Rollout_Association: 'replace' });
    expect(planAfter(json, json, [{ tag: '1.27' }, { tag: '1.27' }])).toEqual({});
  });
});
