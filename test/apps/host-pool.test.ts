import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerImage, HostPool, IsolatedApp, PlacementStrategy } from '../../src';
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
  const { stack } = awsStack();
  const pool = new HostPool(stack, 'pool', { instanceType: 't3.medium', ...props });
  for (const [name, memoryMiB] of apps) new IsolatedApp(stack, name, { pool, container: { name, image, memoryMiB } });
  const json = synthJson(stack);
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
