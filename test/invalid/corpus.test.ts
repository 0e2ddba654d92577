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
  test('has at least 60 cases across every kind of mistake', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(['out of range', 'malformed', 'contradictory', 'impossible placement', 'oversize']));
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.kind, c.name, c] as const))('%s: %s', (_kind, _name, c) => {
    const e = failure(c.build);
    expect(e).not.toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(RangeError);
    // Construction errors are IsolationErrors; synth-time ones arrive as cdktf validation errors quoting the same message.
    const message = e instanceof IsolationError ? e.message : e.message.replace(/^Validation failed with the following errors:\s*\[[^\]]+\] /, '').split('\n')[0].trim();
    if (!(e instanceof IsolationError)) expect(e.message).toMatch(/^Validation failed with the following errors:/);
    const m = SHAPE.exec(message);
    expect(m).not.toBeNull();
    expect(m!.groups!.path).toBe(c.path);
    expect(m!.groups!.prop).toBe(c.prop);
    expect(m!.groups!.value.startsWith(c.value) || m!.groups!.value.endsWith(c.value)).toBe(true);
    expect(m!.groups!.fix.length).toBeGreaterThan(10);
  });
});
