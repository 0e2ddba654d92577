import { gunzipSync } from 'node:zlib';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';

/** A stack with an AWS provider, ready for constructs under test. */
export function awsStack(id = 'test'): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return { app, stack };
}

/** The synthesized Terraform JSON of a stack, with validations run. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** All resources (or data sources) of one type: { logicalId: config }. */
export function resourcesOf(json: any, type: string, kind: 'resource' | 'data' = 'resource'): Record<string, any> {
  return json[kind]?.[type] ?? {};
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: any, type: string, kind: 'resource' | 'data' = 'resource'): any {
  const all = Object.values(resourcesOf(json, type, kind));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The logical id cdktf gives a construct's resource. */
export function logicalId(stack: TerraformStack, construct: Construct): string {
  return stack.getLogicalId(construct as any);
}

/**
 * The user data an instance receives, as EC2 would hand it to cloud-init:
 * Terraform's template escapes (`$${`, `%%{`) undone, gzip decompressed.
 */
export function userDataOf(instance: any): string {
  if (typeof instance.user_data === 'string') {
    return terraformLiteral(instance.user_data);
  }
  if (typeof instance.user_data_base64 === 'string') {
    const bytes = Buffer.from(instance.user_data_base64, 'base64');
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  }
  throw new Error('instance has no user data');
}

/** A Terraform string literal as the provider sends it: template escapes (`$${`, `%%{`) undone. */
export function terraformLiteral(s: string): string {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The bytes EC2 hands to cloud-init: `user_data` with Terraform's escapes undone, or `user_data_base64` decoded (gzip stays gzip). */
export function userDataBytes(instance: any): Buffer {
  if (typeof instance.user_data_base64 === 'string') return Buffer.from(instance.user_data_base64, 'base64');
  return Buffer.from(userDataOf(instance), 'utf8');
}

/** The `aws:runShellScript` step of the stack's only SSM document (what the agent runs on the host). */
export function documentStep(json: any): { action: string; inputs: { runCommand: string[]; timeoutSeconds: string | number } } {
  return JSON.parse(terraformLiteral(onlyResource(json, 'aws_ssm_document').content)).mainSteps[0];
}

/** Runs `fn` and returns the message of the error it throws; fails when it does not throw. */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}
