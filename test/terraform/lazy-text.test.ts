// LazyText: a host's user data and its update document's content reach the
// Terraform JSON as resolvables (one scan of the text per resolution pass)
// while the resources' typed props keep a string token.
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Token, Tokenization } from 'cdktf';
import { ContainerImage, ContainerOnVm, VmHost } from '../../src';
import { LazyText } from '../../src/terraform/lazy';
import { awsStack, onlyResource, synthJson, userDataOf } from '../helpers/synth';

function hostWithContainer(stack: TerraformStack, tag: string): VmHost {
  const host = new VmHost(stack, 'host', {});
  new ContainerOnVm(host, 'web', { host, name: 'web', image: ContainerImage.fromRegistry(`nginx:${tag}`), memoryMiB: 128, ports: [{ containerPort: 80, hostPort: 8080 }] });
  return host;
}

/** A value with its tokens resolved, as synthesis resolves them. */
function resolve(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
}

describe('LazyText', () => {
  test('the props hold a token that resolves to the text the JSON holds', () => {
    const { stack } = awsStack();
    const host = hostWithContainer(stack, '1.27');
    const json = synthJson(stack);
    const instance = onlyResource(json, 'aws_instance');
    const document = onlyResource(json, 'aws_ssm_document');
    for (const input of [host.resource.userDataInput, host.resource.userDataBase64Input, host.updateDocument!.contentInput]) {
      expect(Token.isUnresolved(input)).toBe(true);
    }
    expect(resolve(stack, host.resource.userDataInput)).toBe(instance.user_data);
    expect(resolve(stack, host.resource.userDataBase64Input)).toBe(instance.user_data_base64);
    expect(resolve(stack, host.updateDocument!.contentInput)).toBe(document.content);
    expect(userDataOf(instance)).toContain('#cloud-config');
    expect(JSON.parse(document.content).schemaVersion).toBe('2.2');
  });

  test('the text follows containers added after the host and holds the Terraform references of its values', () => {
    const { stack } = awsStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' });
    const host = hostWithContainer(stack, '1.27');
    new ContainerOnVm(host, 'api', { host, name: 'api', image: ContainerImage.fromRegistry(`registry.example.com/api:${tag.stringValue}`), memoryMiB: 128 });
    const document = onlyResource(synthJson(stack), 'aws_ssm_document');
    // An expression (the content holds a Terraform reference), with the variable in it.
    expect(document.content).toMatch(/^\$\{join\(/);
    expect(document.content).toContain('replace(var.tag, ');
    expect(document.content).not.toContain('TfToken');
  });

  test("a value set through the resource's setter is kept", () => {
    const { stack } = awsStack();
    const host = hostWithContainer(stack, '1.27');
    host.resource.userDataBase64 = 'I2Nsb3VkLWNvbmZpZwo=';
    host.updateDocument!.content = '{"schemaVersion":"2.2","mainSteps":[]}';
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_instance').user_data_base64).toBe('I2Nsb3VkLWNvbmZpZwo=');
    expect(onlyResource(json, 'aws_ssm_document').content).toBe('{"schemaVersion":"2.2","mainSteps":[]}');
  });

  test('substitute replaces only its own token', () => {
    const text = new LazyText(() => 'value');
    const other = new LazyText(() => 'other');
    const attributes: { [name: string]: unknown } = { a: text.token, b: other.token, c: 'plain' };
    text.substitute(attributes, 'a');
    text.substitute(attributes, 'b');
    text.substitute(attributes, 'c');
    text.substitute(attributes, 'missing');
    expect(Token.isUnresolved(attributes.a)).toBe(true);
    expect(typeof attributes.a).toBe('object');
    expect(attributes.b).toBe(other.token);
    expect(attributes.c).toBe('plain');
    expect('missing' in attributes).toBe(false);
    const { stack } = awsStack();
    expect(resolve(stack, attributes)).toEqual({ a: 'value', b: 'other', c: 'plain' });
  });
});
