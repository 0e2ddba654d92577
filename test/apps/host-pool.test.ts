import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, Aspects, IAspect, TerraformStack, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { ContainerImage, HostPool, IsolatedApp, PlacementStrategy, VmHost } from '../../src';
import { awsStack, errorOf, resourcesOf, synthJson, userDataOf } from '../helpers/synth';

const image = ContainerImage.fromRegistry('nginx:1.27');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdktf-isolation-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Synthesizes a pool of t3.medium hosts (3712 MiB for containers: two apps of
 * 1500 MiB share a host, a third does not) with `apps` in declaration order.
 */
function synthPool(apps: Array<[string, number]>, props: { placementFile?: string; strategy?: PlacementStrategy } = {}) {
  // A real App synthesis, as `cdktf synth` runs it: only that writes the placement file.
  const app = new App({ outdir: mkdtempSync(join(dir, 'out-')) });
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', ...props });
  for (const [name, memoryMiB] of apps) new IsolatedApp(stack, name, { pool, container: { name, image, memoryMiB } });
  app.synth();
  const json = JSON.parse(readFileSync(join(app.outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
  const userData: Record<string, string> = {};
  for (const instance of Object.values<any>(resourcesOf(json, 'aws_instance'))) userData[instance.tags.Name] = userDataOf(instance);
  return { stack, pool, userData };
}

const lockText = (pools: Record<string, Record<string, number>>) => `${JSON.stringify({ version: 1, pools }, undefined, 2)}\n`;
const THREE: Array<[string, number]> = [['a', 1500], ['b', 1500], ['c', 1500]];
/** The three apps with a 1000 MiB newcomer declared first. */
const INSERTED: Array<[string, number]> = [['newcomer', 1000], ...THREE];

describe('HostPool placementFile', () => {
  test('the first synthesis writes the placement', () => {
    const file = join(dir, 'placement.lock.json');
    const { pool } = synthPool(THREE, { placementFile: file });
    expect(pool.placementFile).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(lockText({ 'test/pool': { a: 0, b: 0, c: 1 } }));
  });

  test('an app declared before the others moves none of them, and only the host it joins changes', () => {
    const file = join(dir, 'placement.lock.json');
    const before = synthPool(THREE, { placementFile: file });
    const after = synthPool(INSERTED, { placementFile: file });
    expect(after.pool.placement()).toEqual({ newcomer: 1, a: 0, b: 0, c: 1 });
    expect(after.userData['test/pool/Host0']).toBe(before.userData['test/pool/Host0']);
    expect(after.userData['test/pool/Host1']).not.toBe(before.userData['test/pool/Host1']);
    expect(after.userData['test/pool/Host1']).toContain('cdktf-container-newcomer.service');
    expect(Object.keys(after.userData).sort()).toEqual(['test/pool/Host0', 'test/pool/Host1']);
    expect(readFileSync(file, 'utf8')).toBe(lockText({ 'test/pool': { a: 0, b: 0, c: 1, newcomer: 1 } }));
  });

  test('without the file the same insertion moves b and changes both hosts', () => {
    const before = synthPool(THREE);
    const after = synthPool(INSERTED);
    expect(after.pool.placement()).toEqual({ newcomer: 0, a: 0, b: 1, c: 1 });
    expect(after.userData['test/pool/Host0']).not.toBe(before.userData['test/pool/Host0']);
    expect(after.userData['test/pool/Host1']).not.toBe(before.userData['test/pool/Host1']);
  });

  test('BIN_PACK keeps the apps of the file in place too', () => {
    const file = join(dir, 'placement.lock.json');
    synthPool(THREE, { placementFile: file, strategy: PlacementStrategy.BIN_PACK });
    const first = JSON.parse(readFileSync(file, 'utf8')).pools['test/pool'];
    const after = synthPool([['newcomer', 3000], ...THREE], { placementFile: file, strategy: PlacementStrategy.BIN_PACK });
    const placement = after.pool.placement();
    for (const app of ['a', 'b', 'c']) expect(placement[app]).toBe(first[app]);
    expect(placement.newcomer).toBe(2);
  });

  test('removed apps leave the file; pools sharing the file keep their own entries', () => {
    const file = join(dir, 'placement.lock.json');
    writeFileSync(file, lockText({ 'other/pool': { x: 3 }, 'test/pool': { a: 0, b: 0, c: 1, gone: 1 } }));
    const { pool } = synthPool([['c', 1500], ['a', 1500]], { placementFile: file });
    expect(pool.placement()).toEqual({ c: 1, a: 0 });
    expect(readFileSync(file, 'utf8')).toBe(lockText({ 'other/pool': { x: 3 }, 'test/pool': { a: 0, c: 1 } }));
  });

  test('a host whose apps all left is not created, and the next app that fits takes its place', () => {
    const file = join(dir, 'placement.lock.json');
    synthPool(THREE, { placementFile: file });
    const emptied = synthPool([['c', 1500]], { placementFile: file });
    expect(emptied.pool.hosts.map((h) => h.node.path)).toEqual(['test/pool/Host1']);
    expect(Object.keys(emptied.userData)).toEqual(['test/pool/Host1']);
    const refilled = synthPool([['d', 1500], ['c', 1500]], { placementFile: file });
    expect(refilled.pool.placement()).toEqual({ d: 0, c: 1 });
    expect(refilled.userData['test/pool/Host1']).toBe(emptied.userData['test/pool/Host1']);
    expect(readFileSync(file, 'utf8')).toBe(lockText({ 'test/pool': { c: 1, d: 0 } }));
  });

  test('a file that already holds the placement is not written again', () => {
    const file = join(dir, 'placement.lock.json');
    writeFileSync(file, lockText({ 'test/pool': { a: 0, b: 0, c: 1 } }));
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, old, old);
    synthPool(THREE, { placementFile: file });
    expect(statSync(file).mtime.toISOString()).toBe(old.toISOString());
  });

  test('an app that outgrew its host moves, with a warning that names it', () => {
    const file = join(dir, 'placement.lock.json');
    writeFileSync(file, lockText({ 'test/pool': { a: 0, b: 0 } }));
    const { pool } = synthPool([['a', 1500], ['b', 3000]], { placementFile: file });
    expect(pool.placement()).toEqual({ a: 0, b: 1 });
    const warnings = pool.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data);
    expect(warnings).toEqual(['apps moved to another host because their earlier host no longer holds them: b. Each move changes the user data of both hosts, so Terraform replaces them.']);
  });

  test('Testing.synth of a pool with a lock file leaves the file untouched, and so does Testing.fullSynth', () => {
    const file = join(dir, 'placement.lock.json');
    const text = lockText({ 'test/pool': { a: 1 } });
    writeFileSync(file, text);
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, old, old);
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', placementFile: file });
    new IsolatedApp(stack, 'a', { pool, container: { name: 'a', image, memoryMiB: 1500 } });
    new IsolatedApp(stack, 'b', { pool, container: { name: 'b', image, memoryMiB: 1500 } });
    // The file was read: a keeps host 1.
    expect(pool.placement()).toEqual({ a: 1, b: 0 });
    synthJson(stack);
    Testing.fullSynth(stack);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(statSync(file).mtime.toISOString()).toBe(old.toISOString());
  });

  test('a file that is not a placement lock is an error at synthesis that names the pool and the file', () => {
    const file = join(dir, 'placement.lock.json');
    writeFileSync(file, '{"version": 1, "pools": {"test/pool": {"a": "zero"}}}\n');
    expect(errorOf(() => synthPool(THREE, { placementFile: file })).message).toBe(
      `test/pool: 'placementFile' names a file where app "a" of pool "test/pool" has host index "zero", not a whole number from 0, got ${JSON.stringify(file)}. ` +
      `Fix ${file} or delete it (the next synthesis writes it anew, placing every app afresh).`);
  });

  test.each<[string, object, string]>([
    ['with previousPlacement', { placementFile: 'placement.lock.json', previousPlacement: { a: 0 } },
      "test/pool: 'placementFile' cannot be combined with previousPlacement: both give the earlier placement, got \"placement.lock.json\". Keep one: placementFile reads and writes the placement by itself."],
    ['empty', { placementFile: ' ' },
      "test/pool: 'placementFile' must be the path of a JSON file, got \" \". Give a path such as 'placement.lock.json', or leave placementFile out."],
  ])('rejects placementFile %s', (_what, props, message) => {
    const { stack } = awsStack();
    expect(errorOf(() => new HostPool(stack, 'pool', props)).message).toBe(message);
  });
});

describe('HostPool builds its tree while the program runs', () => {
  test('an Aspect added before the pool sees every pool host and container', () => {
    const { stack } = awsStack();
    const seen: string[] = [];
    const spy: IAspect = { visit: (node: IConstruct) => { if (node instanceof VmHost) seen.push(`${node.node.path}: ${node.containerSpecs.map((s) => s.name).join(',')}`); } };
    Aspects.of(stack).add(spy);
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium' });
    for (const name of ['a', 'b', 'c']) new IsolatedApp(stack, name, { pool, container: { name, image, memoryMiB: 1500 } });
    synthJson(stack);
    expect(seen).toEqual(['test/pool/Host0: a,b', 'test/pool/Host1: c']);
  });

  test('reading the hosts builds nothing, and an app added afterwards still joins the placement', () => {
    const { stack } = awsStack();
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium' });
    expect(pool.hosts).toEqual([]);
    expect(pool.node.children).toEqual([]);
    new IsolatedApp(stack, 'a', { pool, container: { name: 'a', image, memoryMiB: 1500 } });
    expect(pool.hosts.map((h) => h.node.id)).toEqual(['Host0']);
    const children = pool.node.children.length;
    void pool.hosts;
    void pool.placement();
    expect(pool.node.children.length).toBe(children);
    new IsolatedApp(stack, 'b', { pool, container: { name: 'b', image, memoryMiB: 3000 } });
    expect(pool.placement()).toEqual({ a: 0, b: 1 });
    expect(pool.hosts.map((h) => h.node.id)).toEqual(['Host0', 'Host1']);
  });

  test('a later app that moves an earlier one moves its container, security group rule and role statements with it', () => {
    const { stack } = awsStack();
    // BIN_PACK re-packs: the big app declared last takes a host alone, and the small ones share the other.
    const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', strategy: PlacementStrategy.BIN_PACK });
    const ecr = ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/small', '1');
    const small = new IsolatedApp(stack, 's', {
      pool, container: { name: 's', image: ecr, memoryMiB: 1000, ports: [{ containerPort: 80, hostIp: '0.0.0.0' }] }, containerIngress: [{ hostPort: 80, cidr: '10.0.0.0/16' }],
    });
    const before = small.host!;
    new IsolatedApp(stack, 'm', { pool, container: { name: 'm', image, memoryMiB: 2000 } });
    new IsolatedApp(stack, 'l', { pool, container: { name: 'l', image, memoryMiB: 3500 } });
    const placement = pool.placement();
    expect(placement).toEqual({ s: 1, m: 1, l: 0 });
    expect(small.host).not.toBe(before);
    expect(before.containerSpecs.map((c) => c.name)).toEqual(['l']);
    const json = synthJson(stack);
    const instances = Object.values<any>(resourcesOf(json, 'aws_instance'));
    const withSmall = instances.filter((i) => userDataOf(i).includes('cdktf-container-s.service'));
    expect(withSmall.map((i) => i.tags.Name)).toEqual([small.host!.node.path]);
    // One ingress rule for s, on the security group of its current host.
    const rules = Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => r.description)).toEqual(['container s tcp/80']);
    expect(rules[0].security_group_id).toBe(`\${aws_security_group.${stack.getLogicalId(small.host!.securityGroup.resource as any)}.id}`);
    // The ECR pull rights are on the role of s's host only.
    const policies = Object.values<any>(resourcesOf(json, 'aws_iam_role_policy'));
    expect(policies.length).toBe(1);
    expect(policies[0].role).toContain(stack.getLogicalId(small.host!.role.resource as any));
  });
});
