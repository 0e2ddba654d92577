// Day-2 deploys (issue 14): a container change reaches the running host
// through an SSM association and replaces nothing; what the host is still
// replaces it. Synth assertions; test/integration/terraform-rollout.test.ts
// lets real Terraform plan the same changes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { ContainerImage, ContainerOnVm, ContainerOptions, HostPool, IsolatedApp, MachineImage, VmHost, VmHostProps } from '../../src';
import { documentName } from '../../src/hosts/container-rollout';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson, userDataOf } from '../helpers/synth';

const web = (tag = '1.27', env: Record<string, string> = { MODE: 'a' }): ContainerOptions => ({
  name: 'web',
  image: ContainerImage.fromRegistry(`nginx:${tag}`),
  memoryMiB: 128,
  environment: env,
  ports: [{ containerPort: 8080 }],
  healthCheck: { command: ['true'] },
});
const db: ContainerOptions = { name: 'db', image: ContainerImage.fromRegistry('postgres:16'), memoryMiB: 256, volumes: [{ source: 'pgdata', target: '/var/lib/postgresql/data' }] };

/** A host with web and db, synthesized. */
function host(webOptions: ContainerOptions = web(), hostProps: VmHostProps = {}) {
  const { stack } = awsStack();
  const h = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0', ...hostProps });
  new ContainerOnVm(stack, 'web', { host: h, ...webOptions });
  new ContainerOnVm(stack, 'db', { host: h, ...db });
  const json = synthJson(stack);
  const data = (part: string) => Object.entries<any>(resourcesOf(json, 'terraform_data')).find(([k]) => k.includes(part))![1];
  return { stack, h, json, instance: onlyResource(json, 'aws_instance'), hostInputs: data('HostInputs'), digest: data('Rollout_Digest'), document: onlyResource(json, 'aws_ssm_document') };
}

/** What would replace the instance: every attribute but the user data it ignores, and the lifecycle. */
function replacementInputs(instance: any): any {
  const { user_data: _u, user_data_base64: _b, ...rest } = instance;
  return rest;
}

describe('a host\'s containers change in place', () => {
  const base = host();

  test('the document, the digest that replaces the association, and the association on the instance', () => {
    const { json, stack, h } = base;
    const doc = base.document;
    expect(doc).toEqual({
      name: 'cdktf-isolation-test-host',
      document_type: 'Command',
      document_format: 'JSON',
      target_type: '/AWS::EC2::Instance',
      content: expect.any(String),
    });
    const content = JSON.parse(doc.content.split('$${').join('${'));
    expect(content.schemaVersion).toBe('2.2');
    expect(content.mainSteps.map((s: any) => [s.action, s.name])).toEqual([['aws:runShellScript', 'reconcile']]);
    const association = onlyResource(json, 'aws_ssm_association');
    const docId = Object.keys(resourcesOf(json, 'aws_ssm_document'))[0];
    const digestId = Object.keys(resourcesOf(json, 'terraform_data')).find((k) => k.includes('Rollout_Digest'));
    expect(association).toEqual({
      name: `\${aws_ssm_document.${docId}.name}`,
      document_version: `\${aws_ssm_document.${docId}.latest_version}`,
      targets: [{ key: 'InstanceIds', values: [`\${aws_instance.${stack.getLogicalId(h.resource)}.id}`] }],
      wait_for_success_timeout_seconds: h._rollout!.current().timeoutSeconds + 300,
      lifecycle: { replace_triggered_by: [`terraform_data.${digestId}`] },
    });
    expect(base.digest).toEqual({ input: { digest: h._rollout!.current().digest } });
    expect(base.digest.input.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(base.hostInputs.input.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['an image tag', web('1.28')],
    ['an environment value', web('1.27', { MODE: 'b' })],
    ['a health check', { ...web(), healthCheck: { command: ['true'], intervalSeconds: 7 } }],
    ['a published port', { ...web(), ports: [{ containerPort: 8081 }] }],
  ])('changing %s of one container leaves every replacement input of the instance and the host digest alone, and changes the document and its digest', (_what, changed) => {
    const after = host(changed as ContainerOptions);
    expect(replacementInputs(after.instance)).toEqual(replacementInputs(base.instance));
    expect(after.hostInputs).toEqual(base.hostInputs);
    expect(userDataOf(after.instance)).not.toBe(userDataOf(base.instance)); // the first boot of a new instance gets the new set
    expect(after.digest.input.digest).not.toBe(base.digest.input.digest);
    expect(after.document.content).not.toBe(base.document.content);
  });

  test('a container added or removed replaces nothing either', () => {
    const { stack } = awsStack();
    const h = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0' });
    new ContainerOnVm(stack, 'web', { host: h, ...web() });
    const one = synthJson(stack);
    new ContainerOnVm(stack, 'db', { host: h, ...db });
    const two = synthJson(stack);
    expect(replacementInputs(onlyResource(two, 'aws_instance'))).toEqual(replacementInputs(onlyResource(one, 'aws_instance')));
    expect(Object.values(resourcesOf(two, 'terraform_data')).filter((_d, i) => Object.keys(resourcesOf(two, 'terraform_data'))[i].includes('HostInputs')))
      .toEqual(Object.values(resourcesOf(one, 'terraform_data')).filter((_d, i) => Object.keys(resourcesOf(one, 'terraform_data'))[i].includes('HostInputs')));
  });

  test('what the host is changes the host digest (daemon.json, the escape hatch) or the instance itself (the machine image)', () => {
    expect(host(web(), { dockerDaemon: { logMaxFiles: 5 } }).hostInputs).not.toEqual(base.hostInputs);
    expect(host().hostInputs).toEqual(base.hostInputs); // the same host twice: the same digest
    const { stack } = awsStack();
    const h = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0' });
    h.cloudConfig.addPackage('htop');
    new ContainerOnVm(stack, 'web', { host: h, ...web() });
    new ContainerOnVm(stack, 'db', { host: h, ...db });
    const json = synthJson(stack);
    expect(Object.entries<any>(resourcesOf(json, 'terraform_data')).find(([k]) => k.includes('HostInputs'))![1]).not.toEqual(base.hostInputs);
    expect(host(web(), { machineImage: MachineImage.debian12() }).instance.ami).not.toBe(base.instance.ami);
  });

  test('a container that needs something new from the host (the first ECR image: its credential helper) changes the host digest', () => {
    const ecr = host({ ...web(), image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/web', '1.0') });
    expect(ecr.hostInputs).not.toEqual(base.hostInputs);
  });

  test('a host without Docker has host-level user data only: any change replaces it, and no rollout is made', () => {
    const { stack } = awsStack();
    const h = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0', installDocker: false });
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_instance').user_data_replace_on_change).toBe(true);
    expect(onlyResource(json, 'aws_instance').lifecycle).toBeUndefined();
    expect(resourcesOf(json, 'aws_ssm_document')).toEqual({});
    expect(resourcesOf(json, 'terraform_data')).toEqual({});
    expect(h._rollout).toBeUndefined();
    expect(h.updateDocument).toBeUndefined();
  });

  test('settle time and health timeout are checked where the host is declared', () => {
    const { stack } = awsStack();
    expect(errorOf(() => new VmHost(stack, 'a', { containerUpdates: { settleSeconds: 0 } })).message).toContain("test/a: 'settleSeconds' must be an integer from 1 to 600, got 0.");
    expect(errorOf(() => new VmHost(stack, 'b', { containerUpdates: { healthTimeoutSeconds: 5000 } })).message).toContain("test/b: 'healthTimeoutSeconds' must be an integer from 10 to 3600, got 5000.");
    const h = new VmHost(stack, 'c', { containerUpdates: { settleSeconds: 30, healthTimeoutSeconds: 60 } });
    expect(h._rollout!.current().timeoutSeconds).toBeGreaterThan(60);
  });

  test('document names: the construct path in SSM\'s characters, shortened with a hash', () => {
    expect(documentName('shop/pool/Host0')).toBe('cdktf-isolation-shop-pool-Host0');
    const long = documentName(`s/${'x'.repeat(200)}`);
    expect(long).toHaveLength(128);
    expect(long).toMatch(/^cdktf-isolation-s-x+-[0-9a-f]{12}$/);
    expect(documentName(`s/${'x'.repeat(200)}`)).not.toBe(documentName(`t/${'x'.repeat(200)}`));
  });
});

describe('pools with a placement file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdktf-isolation-rollout-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function synthPool(apps: string[], file: string) {
    const app = new App({ outdir: mkdtempSync(join(dir, 'out-')) });
    const stack = new TerraformStack(app, 'test');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', placementFile: file, subnetId: 'subnet-0123456789abcdef0' });
    for (const name of apps) new IsolatedApp(stack, name, { pool, container: { name, image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 1500 } });
    app.synth();
    const json = JSON.parse(readFileSync(join(app.outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
    const byHost = (type: string) => Object.fromEntries(Object.entries<any>(resourcesOf(json, type)).map(([k, v]) => [k.replace(/_[0-9A-F]{8}$/, ''), v]));
    return { instances: byHost('aws_instance'), data: byHost('terraform_data') };
  }

  test('an app inserted in the middle changes one host\'s desired set and replaces no instance', () => {
    const file = join(dir, 'placement.lock.json');
    const before = synthPool(['a', 'b', 'c'], file);
    const after = synthPool(['a', 'newcomer', 'b', 'c'], file);
    for (const id of Object.keys(before.instances)) {
      expect(replacementInputs(after.instances[id])).toEqual(replacementInputs(before.instances[id]));
      expect(after.data[`${id.replace(/_Resource$/, '')}_HostInputs`]).toEqual(before.data[`${id.replace(/_Resource$/, '')}_HostInputs`]);
    }
    const changed = Object.keys(before.data).filter((k) => k.endsWith('Rollout_Digest') && after.data[k].input.digest !== before.data[k].input.digest);
    expect(changed).toEqual(['pool_Host1_Rollout_Digest']);
    // Removing it again changes that host's set back, and replaces nothing.
    const removed = synthPool(['a', 'b', 'c'], file);
    expect(removed.data.pool_Host1_Rollout_Digest).toEqual(before.data.pool_Host1_Rollout_Digest);
    for (const id of Object.keys(before.instances)) expect(replacementInputs(removed.instances[id])).toEqual(replacementInputs(before.instances[id]));
  });
});
