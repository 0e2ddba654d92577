import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput, TerraformVariable, Token } from 'cdktf';
import { ContainerImage } from '../../../src/containers/container-image';
import { ContainerOptions } from '../../../src/core/container-options';
import { ContainerSpec } from '../../../src/core/container-spec';
import { ContainerSet } from '../../../src/core/render/container-set';
import { DockerRun } from '../../../src/core/render/docker-run';
import { ReconcileScript } from '../../../src/core/render/reconcile';
import { ReconcileDocument } from '../../../src/core/render/reconcile-document';
import { ContainerUnit } from '../../../src/core/render/systemd';
import { IsolationError } from '../../../src/private/errors';
import { escapeTerraformTemplate } from '../../../src/private/terraform-string';
import { shellcheck } from '../../helpers/cloud-init';
import { systemdRoot, systemdVerify } from '../../helpers/host-root';
import { awsStack, errorOf, synthJson } from '../../helpers/synth';
import { requireTerraform, terraformApply } from '../../helpers/terraform';
import { requireTools, run } from '../../helpers/tools';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const WEB: ContainerOptions = {
  name: 'web',
  image: ContainerImage.fromRegistry('nginx:1.27'),
  memoryMiB: 64,
  ports: [{ containerPort: 80, hostPort: 8080 }],
  healthCheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1/'] },
};
const DB: ContainerOptions = { name: 'db', image: ContainerImage.fromRegistry('postgres:16'), memoryMiB: 256, volumes: [{ source: 'pgdata', target: '/var/lib/postgresql/data' }] };
const specs = (...options: ContainerOptions[]) => options.map((o) => ContainerSpec.of(o, `host/${o.name}`));

describe('ContainerSet', () => {
  const set = ContainerSet.render(specs(WEB, DB), {}, 'host');

  test('holds each container with the start script and unit of first boot and the SHA-256 of its start script, sorted by name', () => {
    const [web, db] = specs(WEB, DB);
    expect(set.containers).toEqual([
      { name: 'db', image: 'postgres:16', startScript: DockerRun.startScript(db), unit: ContainerUnit.render(db), digest: sha256(DockerRun.startScript(db)) },
      { name: 'web', image: 'nginx:1.27', startScript: DockerRun.startScript(web), unit: ContainerUnit.render(web), digest: sha256(DockerRun.startScript(web)) },
    ]);
    expect(set.containers.map((c) => c.digest)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  test('the manifest lists the options and every container; the set digest is its SHA-256', () => {
    expect(set.manifest).toBe([
      '# cdktf-isolation desired container set v1',
      'settle-seconds 10',
      'health-timeout-seconds 300',
      `container db ${set.containers[0].digest} postgres:16`,
      `container web ${set.containers[1].digest} nginx:1.27`,
      '',
    ].join('\n'));
    expect(set.digest).toBe(sha256(set.manifest));
    expect({ settle: set.settleSeconds, health: set.healthTimeoutSeconds }).toEqual({ settle: 10, health: 300 });
  });

  test('the files of the set directory: the manifest, start scripts (root only) and units', () => {
    expect(set.files.map((f) => [f.path, f.mode, f.content])).toEqual([
      ['set', '0600', set.manifest],
      ['containers/db.sh', '0700', set.containers[0].startScript],
      ['units/cdktf-container-db.service', '0644', set.containers[0].unit],
      ['containers/web.sh', '0700', set.containers[1].startScript],
      ['units/cdktf-container-web.service', '0644', set.containers[1].unit],
    ]);
  });

  test('the digest of a container changes with its image or environment and with nothing else; the set digest with any of them and the options', () => {
    const other = ContainerSet.render(specs(WEB, { ...DB, image: ContainerImage.fromRegistry('postgres:17') }), {}, 'host');
    expect(other.containers[1].digest).toBe(set.containers[1].digest);
    expect(other.containers[0].digest).not.toBe(set.containers[0].digest);
    const env = ContainerSet.render(specs(WEB, { ...DB, environment: { A: '1' } }), {}, 'host');
    expect(env.containers[0].digest).not.toBe(set.containers[0].digest);
    expect(ContainerSet.render(specs(DB, WEB), {}, 'host').digest).toBe(set.digest);
    expect(ContainerSet.render(specs(WEB, DB), { settleSeconds: 11 }, 'host').digest).not.toBe(set.digest);
  });

  test('settle time and health timeout: whole seconds in range, known at synth', () => {
    const one = specs(WEB);
    expect(ContainerSet.render(one, { settleSeconds: 1, healthTimeoutSeconds: 3600 }, 'host').manifest).toContain('settle-seconds 1\nhealth-timeout-seconds 3600\n');
    expect(ContainerSet.render(one, { settleSeconds: 600, healthTimeoutSeconds: 10 }, 'host').manifest).toContain('settle-seconds 600\nhealth-timeout-seconds 10\n');
    const cases: Array<[object, string]> = [
      [{ settleSeconds: 0 }, "host: 'settleSeconds' must be an integer from 1 to 600, got 0. Give whole seconds from 1 to 600 (default 10)."],
      [{ settleSeconds: 601 }, "host: 'settleSeconds' must be an integer from 1 to 600, got 601. Give whole seconds from 1 to 600 (default 10)."],
      [{ settleSeconds: 2.5 }, "host: 'settleSeconds' must be an integer from 1 to 600, got 2.5. Give whole seconds from 1 to 600 (default 10)."],
      [{ healthTimeoutSeconds: 9 }, "host: 'healthTimeoutSeconds' must be an integer from 10 to 3600, got 9. Give whole seconds from 10 to 3600 (default 300)."],
      [{ healthTimeoutSeconds: 3601 }, "host: 'healthTimeoutSeconds' must be an integer from 10 to 3600, got 3601. Give whole seconds from 10 to 3600 (default 300)."],
      [{ healthTimeoutSeconds: '60' }, "host: 'healthTimeoutSeconds' must be an integer from 10 to 3600, not a string, got \"60\". Give a number, not a string: 60 instead of \"60\"."],
    ];
    for (const [options, message] of cases) {
      const e = errorOf(() => ContainerSet.render(one, options, 'host'));
      expect(e).toBeInstanceOf(IsolationError);
      expect(e.message).toBe(message);
    }
    const { stack } = awsStack();
    const v = new TerraformVariable(stack, 'settle', { type: 'number' });
    expect(errorOf(() => ContainerSet.render(one, { settleSeconds: v.numberValue }, 'host')).message).toBe(
      "host: 'settleSeconds' must be known at synth, not a Terraform reference (the settle time bounds the SSM command's timeout, which is computed at synth), " +
      'got a Terraform reference. Give the value itself in the code, or choose it in TypeScript (e.g. from process.env) rather than in a Terraform variable.');
  });

  test('two containers of one name are refused', () => {
    expect(errorOf(() => ContainerSet.render(specs(WEB, WEB), {}, 'host')).message).toBe(
      "host: 'containers' must not hold two containers named 'web', got \"web\". Give each container on a host its own name.");
  });
});

const shellcheckOn = requireTools('reconcile shell checks', ['shellcheck']);

(shellcheckOn ? describe : describe.skip)('the rendered shell is shellcheck-clean', () => {
  test('the reconcile script', () => {
    const r = shellcheck(ReconcileScript.render());
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('the document\'s commands, as the agent writes them into one script', () => {
    const doc = ReconcileDocument.render(ContainerSet.render(specs(WEB, DB), {}, 'host'), 'host');
    const r = shellcheck(`#!/bin/sh\n${doc.commands.join('\n')}\n`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('the start scripts with their digest label', () => {
    for (const c of ContainerSet.render(specs(WEB, DB), {}, 'host').containers) {
      const r = shellcheck(c.startScript);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(0);
    }
  });
});

const flockOn = requireTools('reconcile script runs', ['flock']);

(flockOn ? describe : describe.skip)('the reconcile script, before it touches Docker', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdktf-reconcile-'));
    mkdirSync(join(dir, 'set/containers'), { recursive: true });
    mkdirSync(join(dir, 'set/units'));
    mkdirSync(join(dir, 'bin'));
    // A docker that records that it was called: none of these runs may reach it.
    writeFileSync(join(dir, 'bin/docker'), `#!/bin/sh\necho "$*" >> '${dir}/docker.log'\nexit 1\n`, { mode: 0o755 });
    env = {
      PATH: `${join(dir, 'bin')}:/usr/bin:/bin`,
      CDKTF_ISOLATION_LIB: join(dir, 'lib'),
      CDKTF_ISOLATION_UNIT_DIR: join(dir, 'units'),
      CDKTF_ISOLATION_LOCK: join(dir, 'lock'),
      CDKTF_ISOLATION_LOG: join(dir, 'log/reconcile.log'),
      CDKTF_ISOLATION_LOCK_WAIT: '1',
      CDKTF_ISOLATION_BOOT_FINISHED: join(dir, 'cloud/boot-finished'),
    };
    writeFileSync(join(dir, 'reconcile.sh'), ReconcileScript.render());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const reconcile = () => run('sh', [join(dir, 'reconcile.sh'), join(dir, 'set')], { env });
  const writeSet = (set: ReturnType<typeof ContainerSet.render>) => {
    for (const f of set.files) writeFileSync(join(dir, 'set', f.path), f.content);
  };

  test('without a set directory: usage, exit 2', () => {
    const r = run('sh', [join(dir, 'reconcile.sh')], { env });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: 'cdktf-isolation: usage: reconcile.sh DIR (DIR/set is the desired container set)\n' });
  });

  test('waits for cloud-init to finish the first boot, bounded', () => {
    writeSet(ContainerSet.render(specs(WEB), {}, 'host'));
    mkdirSync(join(dir, 'cloud'));
    const r = reconcile();
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1, stderr: `cdktf-isolation: error: cloud-init did not finish within 1 seconds (${join(dir, 'cloud/boot-finished')} is missing); nothing was changed\n`,
    });
    expect(readFileSync(join(dir, 'log/reconcile.log'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ error: cloud-init did not finish within 1 seconds/);
  });

  test('waits for cloud-init without the lock (the units cloud-init starts take it), then goes on', async () => {
    writeSet(ContainerSet.render(specs(WEB), {}, 'host'));
    mkdirSync(join(dir, 'cloud'));
    env = { ...env, CDKTF_ISOLATION_LOCK_WAIT: '30' };
    const child = spawn('sh', [join(dir, 'reconcile.sh'), join(dir, 'set')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // A unit starting now gets the lock at once.
    expect(run('flock', ['-n', env.CDKTF_ISOLATION_LOCK!, 'true']).status).toBe(0);
    writeFileSync(join(dir, 'cloud/boot-finished'), '');
    expect(await exited).toBe(1);
    expect(stderr).toBe('cdktf-isolation: error: the Docker engine does not answer; nothing was changed\n');
  }, 30_000);

  test('refuses a start script whose digest is not the set\'s (damaged on the way), before Docker is asked anything', () => {
    const set = ContainerSet.render(specs(WEB), {}, 'host');
    writeSet(set);
    writeFileSync(join(dir, 'set/containers/web.sh'), `${set.containers[0].startScript}# changed\n`);
    const r = reconcile();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`cdktf-isolation: error: container web: its start script has digest ${sha256(`${set.containers[0].startScript}# changed\n`)}, ` +
      `not ${set.containers[0].digest} as the set says (damaged on the way); nothing was changed\n`);
    expect(() => readFileSync(join(dir, 'docker.log'))).toThrow(/ENOENT/);
  });

  test('an engine that does not answer: nothing is changed', () => {
    writeSet(ContainerSet.render(specs(WEB), {}, 'host'));
    const r = reconcile();
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: 'cdktf-isolation: error: the Docker engine does not answer; nothing was changed\n' });
    // One call, the listing of the library's containers; it fails, and nothing else is asked.
    expect(readFileSync(join(dir, 'docker.log'), 'utf8')).toBe('ps --all --filter label=cdktf-isolation.container --format {{.Names}} {{.Label "cdktf-isolation.spec-digest"}}\n');
  });
});

const systemdOn = requireTools('reconcile unit checks', ['systemd-analyze']);

(systemdOn ? describe : describe.skip)('the units of the set', () => {
  test('pass systemd-analyze verify (warnings count), with the flock they take the shared lock with', () => {
    const root = systemdRoot('');
    try {
      for (const c of ContainerSet.render(specs(WEB, DB), {}, 'host').containers) {
        mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
        mkdirSync(join(root, 'usr/local/lib/cdktf-isolation/containers'), { recursive: true });
        writeFileSync(join(root, 'etc/systemd/system', `cdktf-container-${c.name}.service`), c.unit);
        writeFileSync(join(root, `usr/local/lib/cdktf-isolation/containers/${c.name}.sh`), c.startScript, { mode: 0o700 });
        expect(c.unit).toContain(`\nExecStart=/usr/bin/flock /run/cdktf-isolation.lock /usr/local/lib/cdktf-isolation/containers/${c.name}.sh\n`);
        const r = systemdVerify(root, `cdktf-container-${c.name}.service`);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('ReconcileDocument', () => {
  const set = ContainerSet.render(specs(WEB, DB), {}, 'host');
  const doc = ReconcileDocument.render(set, 'host');

  test('one aws:runShellScript step of schema 2.2, Linux only, with a timeout for the worst case of the set', () => {
    expect(doc.document).toEqual({
      schemaVersion: '2.2',
      description: "cdktf-isolation: brings the host's 2 container(s) to the desired set (set digest in the reconcile log)",
      mainSteps: [{
        action: 'aws:runShellScript',
        name: 'reconcile',
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: { runCommand: doc.commands, timeoutSeconds: '4140' },
      }],
    });
    // lock wait + per container (pull + twice the health wait and a minute)
    expect(doc.timeoutSeconds).toBe(900 + 2 * (900 + 2 * (300 + 60)));
    // Within the plugin's bound of 48 hours.
    const many = specs(...Array.from({ length: 21 }, (_, i) => ({ ...DB, name: `db${i}` })));
    expect(ReconcileDocument.render(ContainerSet.render(many, { healthTimeoutSeconds: 3600 }, 'host'), 'host').timeoutSeconds).toBe(172800);
    expect(ReconcileDocument.render(ContainerSet.render(many.slice(0, 20), { healthTimeoutSeconds: 3600 }, 'host'), 'host').timeoutSeconds)
      .toBe(900 + 20 * (900 + 2 * (3600 + 60)));
  });

  test('the content is the document as JSON, ASCII, with its exact size, and holds no {{ (SSM parameter syntax)', () => {
    expect(doc.content).toBe(JSON.stringify(doc.document, null, 2));
    expect(doc.sizeExact).toBe(true);
    expect(doc.sizeBytes).toBe(Buffer.byteLength(doc.content));
    expect(doc.content).toMatch(/^[\x20-\x7e\n]*$/);
    expect(doc.content).not.toContain('{{');
    expect(doc.digest).toBe(sha256(doc.content));
  });

  test('the document digest changes with a unit alone (the set digest does not)', () => {
    const a = ReconcileDocument.render(ContainerSet.render(specs(WEB), {}, 'host'), 'host');
    const web = ContainerSet.render(specs(WEB), {}, 'host');
    const unitOnly = { ...web, files: web.files.map((f) => (f.path.startsWith('units/') ? { ...f, content: `${f.content}# changed\n` } : f)) };
    const b = ReconcileDocument.render(unitOnly, 'host');
    expect(b.digest).not.toBe(a.digest);
    expect(unitOnly.digest).toBe(web.digest);
  });

  test('the commands: a fresh directory, each file from base64 of its gzip, then the reconcile on it', () => {
    const c = doc.commands;
    expect(c.slice(0, 8)).toEqual([
      'set -eu',
      'umask 077',
      'lib="${CDKTF_ISOLATION_LIB:-/usr/local/lib/cdktf-isolation}"',
      'mkdir -p "$lib"',
      'd=$(mktemp -d "$lib/desired.XXXXXX")',
      'trap \'rm -rf "$d"\' EXIT',
      'mkdir "$d/containers" "$d/units"',
      expect.stringMatching(/^printf %s [A-Za-z0-9+/=]+ \| base64 -d \| gzip -dc > "\$d\/set" && chmod 0600 "\$d\/set"$/),
    ]);
    expect(c.slice(8, 12)).toEqual(set.files.slice(1).map((f) =>
      expect.stringMatching(new RegExp(`^printf %s [A-Za-z0-9+/=]+ \\| base64 -d \\| gzip -dc > "\\$d/${f.path.replace(/[.]/g, '\\.')}" && chmod ${f.mode} "\\$d/${f.path.replace(/[.]/g, '\\.')}"$`))));
    expect(c[12]).toMatch(/^printf %s [A-Za-z0-9+/=]+ \| base64 -d \| gzip -dc > "\$d\/reconcile\.sh"$/);
    expect(c[13]).toBe('sh "$d/reconcile.sh" "$d"');
    expect(c).toHaveLength(14);
  });

  test('run with sh, the commands write every file of the set byte for byte, with its mode, and hand the directory to the reconcile', () => {
    const lib = mkdtempSync(join(tmpdir(), 'cdktf-document-'));
    try {
      // The last command runs the reconcile; here it copies what it was given.
      const script = [...doc.commands.slice(0, -1), 'cp -rp "$d" "$lib/seen"'].join('\n');
      const r = run('sh', ['-c', script], { env: { PATH: '/usr/bin:/bin', CDKTF_ISOLATION_LIB: lib } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const seen = join(lib, 'seen');
      for (const f of set.files) {
        expect(readFileSync(join(seen, f.path), 'utf8')).toBe(f.content);
        expect((statSync(join(seen, f.path)).mode % 0o1000).toString(8).padStart(4, '0')).toBe(f.mode);
      }
      expect(readFileSync(join(seen, 'reconcile.sh'), 'utf8')).toBe(ReconcileScript.render());
      expect(sha256(readFileSync(join(seen, 'containers/web.sh')))).toBe(set.containers[1].digest);
      // The trap removed the staging directory.
      expect(readdirSync(lib)).toEqual(['seen']);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });

  test('a set over the 64 KB content limit of an SSM document is refused at synth with its size', () => {
    // Environment values that gzip cannot shrink much (hex of a hash chain).
    let h = 'seed';
    const noise = () => Array.from({ length: 25 }, () => (h = sha256(h))).join('');
    const big = Array.from({ length: 60 }, (_, i) => ({ ...DB, name: `app${i}`, environment: { NOISE: noise() } }));
    const e = errorOf(() => ReconcileDocument.render(ContainerSet.render(specs(...big), {}, 'host'), 'host'));
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message).toMatch(new RegExp("^host: 'containers' must fit in an SSM document of at most 65536 bytes \\(Systems Manager's limit for a document's content\\), " +
      'but the desired set of 60 container\\(s\\) and the reconcile script take (\\d+) bytes, got "60 containers"\\. ' +
      'Place some containers on another host \\(HostPool packs them\\), or shorten what their start scripts carry \\(environment, commands, labels\\)\\.$'));
    expect(Number(/take (\d+) bytes/.exec(e.message)![1])).toBeGreaterThan(65536);
    // Ten of them fit.
    expect(ReconcileDocument.render(ContainerSet.render(specs(...big.slice(0, 10)), {}, 'host'), 'host').sizeBytes).toBeLessThanOrEqual(65536);
  });
});

const terraformOn = requireTerraform('digests of token-holding definitions');

(terraformOn ? describe : describe.skip)('with a token (an image tag from a Terraform variable)', () => {
  test('Terraform computes each digest from the resolved start script, and the document carries the resolved files', () => {
    const { stack } = awsStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string', default: '1.28' });
    const web = ContainerSpec.of({ ...WEB, image: ContainerImage.fromRegistry(`nginx:${tag.stringValue}`) }, 'host/web');
    const set = ContainerSet.render([web, ...specs(DB)], {}, 'host');
    const doc = ReconcileDocument.render(set, 'host');
    const webEntry = set.containers[1];
    expect(Token.isUnresolved(webEntry.digest)).toBe(true);
    expect(Token.isUnresolved(set.containers[0].digest)).toBe(false);
    expect(Token.isUnresolved(set.digest)).toBe(true);
    expect(doc.sizeExact).toBe(false);
    const outputs: Record<string, string> = {
      script: webEntry.startScript,
      digest: webEntry.digest,
      manifest: set.manifest,
      setDigest: set.digest,
      content: doc.content,
      documentDigest: doc.digest,
    };
    for (const [k, v] of Object.entries(outputs)) new TerraformOutput(stack, k, { value: escapeTerraformTemplate(v) });
    const json = synthJson(stack);
    const result = terraformApply({ variable: json.variable, output: json.output });
    if (!result.ok) throw new Error(result.error);
    const out = result.outputs as Record<string, string>;
    expect(out.script).toContain("\n  'nginx:''1.28'\n");
    expect(out.digest).toBe(sha256(out.script));
    expect(out.manifest).toBe([
      '# cdktf-isolation desired container set v1',
      'settle-seconds 10',
      'health-timeout-seconds 300',
      `container db ${set.containers[0].digest} postgres:16`,
      `container web ${out.digest} nginx:1.28`,
      '',
    ].join('\n'));
    expect(out.setDigest).toBe(sha256(out.manifest));
    expect(out.documentDigest).toBe(sha256(out.content));
    const resolved = JSON.parse(out.content);
    // The estimate takes the tokens (tag, digest) as empty, and Terraform's gzip is not Node's: close, not exact.
    expect(Math.abs(Buffer.byteLength(out.content) - doc.sizeBytes)).toBeLessThan(256);
    // Run with sh, the resolved commands write the resolved start script.
    const lib = mkdtempSync(join(tmpdir(), 'cdktf-document-'));
    try {
      const commands: string[] = resolved.mainSteps[0].inputs.runCommand;
      const r = run('sh', ['-c', [...commands.slice(0, -1), 'cp -rp "$d" "$lib/seen"'].join('\n')], { env: { PATH: '/usr/bin:/bin', CDKTF_ISOLATION_LIB: lib } });
      expect(r.status).toBe(0);
      expect(readFileSync(join(lib, 'seen/containers/web.sh'), 'utf8')).toBe(out.script);
      expect(readFileSync(join(lib, 'seen/set'), 'utf8')).toBe(out.manifest);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });
});
