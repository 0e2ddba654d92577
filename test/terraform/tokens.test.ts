// The construct layer's fast token tests (isTokenValue, isListToken) against cdktf's own,
// and the terraform_data resource the hosts use instead of DataResource.
// The CommonJS module object, which cdktf's validation calls through (a namespace import cannot be spied on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import childProcess = require('child_process');
import { DataResource, Fn, Lazy, TerraformStack, TerraformVariable, Testing, Token, Tokenization } from 'cdktf';
import * as fc from 'fast-check';
import { ContainerImage, ContainerOnVm, VmHost } from '../../src';
import { TerraformData } from '../../src/terraform/terraform-data';
import { isListToken, isTokenValue } from '../../src/terraform/tokens';
import { awsStack } from '../helpers/synth';

describe('isTokenValue answers as Token.isUnresolved', () => {
  const stack = new TerraformStack(Testing.app(), 'tokens');
  const num = new TerraformVariable(stack, 'n', { type: 'number' });
  const str = new TerraformVariable(stack, 's', { type: 'string' });
  const list = new TerraformVariable(stack, 'l', { type: 'list(number)' });

  test('on the tokens of every kind, and the values around them', () => {
    const values: unknown[] = [
      num.numberValue, Token.asNumber(str.stringValue), Lazy.numberValue({ produce: () => 3 }), Token.asNumber(Fn.max([1, 2])),
      ...Token.asNumberList(list.listValue), Token.asNumberList(list.listValue),
      str.stringValue, `prefix ${str.stringValue} suffix`, Lazy.stringValue({ produce: () => 'x' }), Token.asString(num.numberValue),
      str.listValue, [str.stringValue], { a: str.stringValue },
      0, -0, 1, -1, 65532, 0.25, -1e288, -1e300, -1.7976931348623157e308, 1e300, Number.MAX_VALUE, -Infinity, Infinity, NaN,
      '', 'plain', '${TfToken[', '${TfToken[TOKEN.x', 'TfToken[TOKEN.1]}', '$${TfToken[TOKEN.1]}', undefined, null, [], {}, [1, 'a'],
    ];
    const found = values.map((v) => [v, isTokenValue(v)]);
    expect(found).toEqual(values.map((v) => [v, Token.isUnresolved(v)]));
    // Both kinds answered true somewhere (the list above holds real tokens).
    expect(isTokenValue(num.numberValue)).toBe(true);
    expect(isTokenValue(`a ${str.stringValue}`)).toBe(true);
    expect(isTokenValue(-1e300)).toBe(false);
  });

  test('on any double and any string', () => {
    fc.assert(fc.property(fc.double(), (d) => isTokenValue(d) === Token.isUnresolved(d)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => isTokenValue(`${a}\${TfToken[${b}]}`) === Token.isUnresolved(`${a}\${TfToken[${b}]}`)),
      { numRuns: 500 });
  });
});

describe('isListToken answers as cdktf finds list tokens', () => {
  const stack = new TerraformStack(Testing.app(), 'list-tokens');
  const str = new TerraformVariable(stack, 's', { type: 'string' });
  const list = new TerraformVariable(stack, 'l', { type: 'list(string)' });
  const numbers = new TerraformVariable(stack, 'n', { type: 'list(number)' });
  // cdktf's own lookups, where they do not throw: a list of one string, a list of one number.
  const cdktf = (v: unknown) => Array.isArray(v) && v.length === 1 && (
    (typeof v[0] === 'string' && Tokenization.reverseList(v) !== undefined) || (typeof v[0] === 'number' && Tokenization.reverseNumberList(v) !== undefined));

  test('on list tokens, lists that hold tokens, and ordinary lists', () => {
    const values: unknown[] = [
      list.listValue, Token.asList(str.stringValue), Lazy.listValue({ produce: () => ['a'] }), Fn.split(',', str.stringValue),
      Token.asNumberList(numbers.listValue), Token.asNumberList(Fn.range(0, 3, 1)),
      [str.stringValue], [`a ${str.stringValue}`], [...list.listValue, 'b'], ['#{TfToken['], ['a'], [''], [1], [-1e300], [-1e300, 1],
      [], ['a', 'b'], 'a', str.stringValue, 1, undefined, null, {},
    ];
    expect(values.map((v) => [v, isListToken(v)])).toEqual(values.map((v) => [v, cdktf(v)]));
    expect(values.filter(isListToken)).toHaveLength(6);
  });

  test('on a list of one unmarked string', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => isListToken([`${a}${b}`]) === cdktf([`${a}${b}`])), { numRuns: 1000 });
  });

  // cdktf 0.21's lookup throws a TypeError on these (test/invalid/wrong-types.test.ts holds the props that met it to the library's errors).
  test('on a list of one element that is no string nor number: false, without asking cdktf', () => {
    for (const v of [[null], [undefined], [true], [{}], [{ a: 1 }], [['x']]]) expect(isListToken(v)).toBe(false);
  });
});

describe('TerraformData', () => {
  afterEach(() => jest.restoreAllMocks());

  test('synthesizes what DataResource does with the same input', () => {
    const { stack } = awsStack();
    new TerraformData(stack, 'ours', { digest: 'abc' });
    const reference = awsStack('reference').stack;
    new DataResource(reference, 'ours', { input: { digest: 'abc' } });
    expect(JSON.parse(Testing.synth(stack)).resource).toEqual(JSON.parse(Testing.synth(reference)).resource);
    expect(JSON.parse(Testing.synth(stack)).resource.terraform_data).toEqual({ ours: { input: { digest: 'abc' } } });
  });

  test('runs `terraform version` once per stack, however many hosts it has', () => {
    const calls: string[] = [];
    jest.spyOn(childProcess, 'execSync').mockImplementation((command: string) => {
      calls.push(command);
      return 'Terraform v1.11.4\non linux_amd64\n';
    });
    const { stack } = awsStack();
    for (const id of ['a', 'b', 'c']) {
      const host = new VmHost(stack, id, { subnetId: 'subnet-0123456789abcdef0' });
      new ContainerOnVm(host, 'web', { host, name: 'web', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 128 });
    }
    Testing.synth(stack, true);
    expect(calls).toEqual(['terraform version']);
  });

  test('an older Terraform still fails validation with cdktf\'s message', () => {
    jest.spyOn(childProcess, 'execSync').mockImplementation(() => 'Terraform v1.3.9\n');
    const { stack } = awsStack();
    new TerraformData(stack, 'one', { digest: 'a' });
    new TerraformData(stack, 'two', { digest: 'b' });
    expect(() => Testing.synth(stack, true)).toThrow(
      'terraform version 1.3.9 is lower than the required version >=1.4 for this construct. ' +
      'The built-in Terraform data resource is only supported for Terraform >=1.4. Please upgrade your Terraform version.');
  });
});
