import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { CASES } from './corpus';
import { IsolationError } from '../../src/private/errors';

/** `<path>: '<prop>' <problem>, got <value>. <fix>` */
const SHAPE = /^(?<path>\S+): '(?<prop>[^']+)' (?<problem>.+?), got (?<value>.+?)\. (?<fix>[A-Z].*)$/s;

function failure(build: (stack: TerraformStack) => void): Error {
  const app = Testing.app();
  const stack = new TerraformStack(app, 's');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  try {
    build(stack);
    Testing.synth(stack, true);
  } catch (e) {
    return e as Error;
  }
  throw new Error('synthesis did not fail');
}

describe('bad input corpus', () => {
  test('has at least 110 cases across every kind of mistake', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(110);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(['out of range', 'malformed', 'contradictory', 'impossible placement', 'oversize']));
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.kind, c.name, c] as const))('%s: %s', (_kind, _name, c) => {
    const e = failure(c.build);
    // Every error, at construction or at synthesis, is the library's own, in one shape: never a TypeError,
    // and never cdktf's list of validation messages (which advises skipping validation).
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message).not.toMatch(/skipValidation|Validation failed/);
    const m = SHAPE.exec(e.message);
    expect(m).not.toBeNull();
    expect({ path: m!.groups!.path, prop: m!.groups!.prop, problem: m!.groups!.problem, value: m!.groups!.value })
      .toEqual({ path: c.path, prop: c.prop, problem: c.problem, value: c.value });
    expect(m!.groups!.fix.length).toBeGreaterThan(10);
  });
});
