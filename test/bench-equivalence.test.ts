// The synth benchmark (bench/synth.ts) compares the library with a
// hand-written cdktf program; the comparison only means something when both
// synthesize the same resources. This checks it: same types, same counts,
// same attributes per resource, logical ids aside.
import { gunzipSync } from 'node:zlib';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { normalizeStack } from '../bench/normalize';
import { BenchHost, benchHosts, REGION, STACK_ID } from '../bench/portfolio';
import { buildByHand, handWrittenCloudConfig } from '../bench/programs/hand-written';
import { buildWithLibrary } from '../bench/programs/library-program';
import * as isolation from '../src';

function synth(build: (stack: TerraformStack) => void): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, STACK_ID);
  new AwsProvider(stack, 'aws', { region: REGION });
  build(stack);
  return JSON.parse(Testing.synth(stack, true));
}

const library = (hosts: BenchHost[]) => synth((stack) => buildWithLibrary(isolation, stack, hosts));
const handWritten = (hosts: BenchHost[]) => synth((stack) => buildByHand(stack, hosts));

describe('bench: the library and the hand-written program synthesize the same resources', () => {
  test.each([
    [10, 10],
    [100, 10],
    [7, 3], // plain-text user data (3 containers fit in 16 KB) and a last host with 1 container
  ])('%i containers, %i per host', (containers, perHost) => {
    const hosts = benchHosts(containers, perHost);
    const lib = normalizeStack(library(hosts));
    const hand = normalizeStack(handWritten(hosts));
    const n = hosts.length;
    expect(lib.counts).toEqual({
      'data aws_ssm_parameter': n,
      'data aws_subnets': n,
      'data aws_vpc': n,
      'resource aws_iam_instance_profile': n,
      'resource aws_iam_role': n,
      'resource aws_iam_role_policy_attachment': n,
      'resource aws_instance': n,
      'resource aws_security_group': n,
      'resource aws_ssm_association': n,
      'resource aws_ssm_document': n,
      'resource aws_vpc_security_group_egress_rule': 2 * n,
      'resource terraform_data': 2 * n,
    });
    expect(hand.counts).toEqual(lib.counts);
    expect(hand.rest).toEqual(lib.rest);
    // Element by element, so that a difference shows as one resource.
    lib.elements.forEach((e, i) => expect(hand.elements[i]).toEqual(e));
    expect(hand.elements).toHaveLength(lib.elements.length);
  });

  test('references are compared by what they point at, not by logical id', () => {
    const json = handWritten(benchHosts(20, 10));
    const [first, second] = Object.keys(json.resource.aws_iam_role);
    // Swap the roles of the two instance profiles: same resource types and counts, different graph.
    const profiles = json.resource.aws_iam_instance_profile;
    const [p0, p1] = Object.keys(profiles);
    expect(profiles[p0].role).toBe(`\${aws_iam_role.${first}.name}`);
    profiles[p0].role = `\${aws_iam_role.${second}.name}`;
    profiles[p1].role = `\${aws_iam_role.${first}.name}`;
    expect(normalizeStack(json).elements).not.toEqual(normalizeStack(handWritten(benchHosts(20, 10))).elements);
  });

  test('the user data is the same text: the hand-written cloud-config equals VmHost.renderUserData()', () => {
    for (const host of benchHosts(30, 10).concat(benchHosts(2, 2))) {
      const app = Testing.app();
      const stack = new TerraformStack(app, STACK_ID);
      new AwsProvider(stack, 'aws', { region: REGION });
      buildWithLibrary(isolation, stack, [host]);
      const vmHost = stack.node.findChild(host.id) as isolation.VmHost;
      expect(handWrittenCloudConfig(host)).toEqual(vmHost.renderUserData());
    }
  });

  test('10 containers a host need compression; the payload decompresses to the cloud-config', () => {
    const [host] = benchHosts(10, 10);
    const instance = Object.values(handWritten([host]).resource.aws_instance)[0] as any;
    expect(instance.user_data).toBeUndefined();
    expect(gunzipSync(Buffer.from(instance.user_data_base64, 'base64')).toString('utf8')).toEqual(handWrittenCloudConfig(host));
  });
});
