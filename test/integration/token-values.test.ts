// Values from Terraform variables reach the host safely: Terraform quotes
// them at apply (replace, jsonencode), so no resolved value can leave the
// shell words, the systemd unit or the YAML scalar it lands in. Hostile
// values are given as variable defaults; real Terraform resolves the user
// data; cloud-init, shellcheck and systemd-analyze read it, and the start
// script runs on the private Docker engine, where the container must get
// every value byte for byte.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { TerraformVariable } from 'cdktf';
import { parse } from 'yaml';
import { buildBusyboxImage, DockerEngine, requireEngineOrSkip } from './engine';
import { ContainerImage, ContainerOnVm, MachineImage, VmHost } from '../../src';
import { DockerDaemonConfig } from '../../src/core/render/daemon-json';
import { DockerRun } from '../../src/core/render/docker-run';
import { HostLayout } from '../../src/core/render/host-layout';
import { cloudInitSchema, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { materialize, systemdRoot, systemdVerify } from '../helpers/host-root';
import { awsStack, synthJson } from '../helpers/synth';
import { requireTerraform, terraformApply } from '../helpers/terraform';
import { requireTools, run } from '../helpers/tools';

/** What a CI variable could hold: every quoting and template character, a line break, YAML's line separators. */
const HOSTILE = "it's $HOME \"dq\" `id` $(id) \\back\\slash\nsecond: line - [x] ${var.x} %{ if true } %s 100% ünï ✓ \u2028 \u0085 tab\t#end ";
const HOSTILE_WORD = "--flag='$(touch /tmp/pwned)' \"x\" ; rm -rf / `true` ${y}";
const IMAGE_REPO = 'cdktf-test/busybox';
const TAG = '1';

const enabled = requireTerraform('token values on the host') && requireEngineOrSkip() &&
  requireTools('token values on the host', ['cloud-init', 'shellcheck', 'systemd-analyze']);

(enabled ? describe : describe.skip)('values from Terraform variables, resolved by Terraform, on a host', () => {
  let engine: DockerEngine;
  let work: string;
  let text: string;
  let resolved: Record<string, unknown>;
  let spec: ContainerOnVm['spec'];

  beforeAll(() => {
    engine = DockerEngine.start({ daemonJson: DockerDaemonConfig.render() });
    buildBusyboxImage(engine, `${IMAGE_REPO}:${TAG}`);
    work = mkdtempSync(join(tmpdir(), 'cdktf-tokens-'));

    const { stack } = awsStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string', default: TAG });
    const greeting = new TerraformVariable(stack, 'greeting', { type: 'string', default: HOSTILE });
    const word = new TerraformVariable(stack, 'word', { type: 'string', default: HOSTILE_WORD });
    const stop = new TerraformVariable(stack, 'stop', { type: 'number', default: 3 });
    const repo = new EcrRepository(stack, 'repo', { name: 'api' });
    const host = new VmHost(stack, 'host', { machineImage: MachineImage.debian12(), instanceType: 't3.medium' });
    const web = new ContainerOnVm(stack, 'web', {
      host,
      name: 'web',
      image: ContainerImage.fromRegistry(`${IMAGE_REPO}:${tag.stringValue}`),
      command: ['printf', '%s|%s', word.stringValue, `prefix-${word.stringValue}-suffix`],
      environment: { GREETING: greeting.stringValue, PLAIN: 'plain' },
      labels: { note: greeting.stringValue },
      memoryMiB: 32,
      stopTimeoutSeconds: stop.numberValue,
    });
    spec = web.spec;
    // A second container whose image is in the stack's ECR repository: its registry and ARN come from Terraform functions.
    new ContainerOnVm(stack, 'api', { host, name: 'api', image: ContainerImage.fromEcr(repo.repositoryUrl, tag.stringValue), memoryMiB: 32 });
    host.cloudConfig.addFile({ path: '/srv/note.txt', content: greeting.stringValue });

    const json = synthJson(stack);
    const [local] = Object.keys(json.locals);
    const policy = Object.values<any>(json.resource.aws_iam_role_policy)[0].policy;
    // The repository's URL is only known to AWS: a local of its shape stands in.
    const config = JSON.parse(JSON.stringify({ locals: json.locals, policy }).split('aws_ecr_repository.repo.repository_url').join('local.repo_url'));
    const result = terraformApply({
      variable: json.variable,
      locals: { ...config.locals, repo_url: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api' },
      output: { text: { value: `\${local.${local}}` }, policy: { value: config.policy } },
    });
    if (!result.ok) throw new Error(result.error);
    resolved = result.outputs;
    text = String(resolved.text);

    materialize(text, join(work, 'root'));
    const env = {
      PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
      DOCKER_HOST: `unix://${engine.socket}`,
      DOCKER_CONFIG: join(work, 'docker-config'),
      CDKTF_ISOLATION_LIB: join(work, 'root', HostLayout.LIB_DIR),
      CDKTF_ISOLATION_PULL_ATTEMPTS: '1',
    };
    const started = run(join(work, 'root', DockerRun.scriptPath(spec)), [], { env });
    if (started.status !== 0) throw new Error(`start script failed: ${started.stderr}`);
  });

  afterAll(() => {
    engine?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the resolved user data is valid cloud-config, and its scripts pass shellcheck', () => {
    const schema = cloudInitSchema(text);
    expect({ status: schema.status, out: schema.stdout + schema.stderr }).toEqual({ status: 0, out: expect.stringContaining('Valid cloud-config') });
    const scripts = shellScriptsOf(text);
    expect(scripts.map((s) => s.where)).toContain(DockerRun.scriptPath(spec));
    for (const s of scripts) expect({ where: s.where, ...pick(shellcheck(s.text)) }).toEqual({ where: s.where, status: 0, stdout: '' });
  });

  test('no value added a key or a file: the document has the files the library wrote, and the file with a value holds it byte for byte', () => {
    const doc = parse(text, { version: '1.1' });
    expect(Object.keys(doc)).toEqual(['package_update', 'packages', 'write_files', 'runcmd', 'final_message']);
    expect(doc.write_files.map((f: any) => f.path)).toContain('/srv/note.txt');
    expect(readFileSync(join(work, 'root/srv/note.txt'), 'utf8')).toBe(HOSTILE);
  });

  test('the container gets the environment, the label, the command and the image byte for byte', () => {
    const c = engine.inspect('web');
    // Sorted: Docker 20.10 does not always keep the order of --env in Config.Env (a bare `docker create --env A=.. --env B=..` swaps them now and then).
    expect(c.Config.Env.filter((e: string) => e.startsWith('GREETING=') || e.startsWith('PLAIN=')).sort()).toEqual([`GREETING=${HOSTILE}`, 'PLAIN=plain']);
    expect(c.Config.Labels.note).toBe(HOSTILE);
    expect(c.Config.Cmd).toEqual(['printf', '%s|%s', HOSTILE_WORD, `prefix-${HOSTILE_WORD}-suffix`]);
    expect(c.Config.Image).toBe(`${IMAGE_REPO}:${TAG}`);
    expect(c.Config.StopTimeout).toBe(3);
    expect(run('sh', ['-c', 'test ! -e /tmp/pwned']).status).toBe(0);
  });

  test('the unit with a stop timeout from a variable passes systemd-analyze verify', () => {
    const root = systemdRoot(text);
    try {
      const verified = systemdVerify(root, HostLayout.unitPath('web'));
      expect({ status: verified.status, stderr: verified.stderr.split('\n').filter((l) => l.includes('cdktf-container-web')) }).toEqual({ status: 0, stderr: [] });
      expect(readFileSync(join(root, HostLayout.unitPath('web')), 'utf8')).toContain('ExecStop=/usr/bin/docker stop --time "3" web');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('an ECR URL from Terraform: the credential helper names its registry and the pull rights its repository, as JSON', () => {
    expect(JSON.parse(readFileSync(join(work, 'root/root/.docker/config.json'), 'utf8'))).toEqual({
      credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login' },
    });
    expect(JSON.parse(String(resolved.policy)).Statement[1].Resource).toBe('arn:aws:ecr:eu-west-1:123456789012:repository/team/api');
  });
});

function pick(r: { status: number | null; stdout: string }): { status: number | null; stdout: string } {
  return { status: r.status, stdout: r.stdout };
}
