// A user's literal `${...}` and `%{...}` reach every resource byte for byte:
// the strings the library writes into the Terraform JSON are resolved here
// by real Terraform, which would otherwise evaluate them as templates.
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { ContainerImage, ContainerOnVm, HostFleet, HostRole, HostSecurityGroup, LocalDockerHost, VmHost } from '../../src';
import { awsStack, onlyResource, resourcesOf, synthJson } from '../helpers/synth';
import { requireTerraform, terraformStrings } from '../helpers/terraform';

const enabled = requireTerraform('Terraform escaping checks');
/** What a user might write literally, and Terraform must not evaluate. */
const LITERAL = 'a ${var.x} b %{ if true }c $${y} %%{z} ${aws:username}';
const image = ContainerImage.fromRegistry('nginx:1.27');

(enabled ? describe : describe.skip)('user text reaches Terraform escaped, on every construct (resolved by Terraform)', () => {
  test('VmHost: user data (files, container environment), tags, the Name tag, the key pair, ingress descriptions, the role policy', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h', { name: LITERAL, tags: { note: LITERAL }, keyName: LITERAL, ingress: [{ port: 443, cidr: '10.0.0.0/16', description: LITERAL }] });
    host.cloudConfig.addFile({ path: '/etc/literal', content: `${LITERAL}\n` });
    new ContainerOnVm(stack, 'web', { host, name: 'web', image, memoryMiB: 64, environment: { NOTE: LITERAL } });
    host.addToRolePolicy({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket/${'${aws:username}'}/*`] });
    const json = synthJson(stack);
    const instance = onlyResource(json, 'aws_instance');
    const rule = onlyResource(json, 'aws_vpc_security_group_ingress_rule');
    const policy = onlyResource(json, 'aws_iam_role_policy');
    const resolved = terraformStrings({
      userData: instance.user_data,
      name: instance.tags.Name,
      note: instance.tags.note,
      key: instance.key_name,
      description: rule.description,
      policy: policy.policy,
      sgNote: onlyResource(json, 'aws_security_group').tags.note,
      roleNote: onlyResource(json, 'aws_iam_role').tags.note,
    });
    expect(resolved).toEqual({
      userData: host.renderUserData(),
      name: LITERAL,
      note: LITERAL,
      key: LITERAL,
      description: LITERAL,
      sgNote: LITERAL,
      roleNote: LITERAL,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/${aws:username}/*' }] }),
    });
    expect(resolved.userData).toContain(`NOTE=${LITERAL}`.replace(/'/g, "'\\''"));
  });

  test('LocalDockerHost: environment, command, entrypoint, labels, health check, secret values', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'local');
    new DockerProvider(stack, 'docker', {});
    new LocalDockerHost(stack, 'dev', {
      secretValues: { TOKEN: LITERAL },
      containers: [{
        name: 'web',
        image,
        memoryMiB: 64,
        environment: { NOTE: LITERAL },
        secretEnvironment: { TOKEN: '/t' },
        command: [LITERAL],
        entrypoint: ['/bin/sh', LITERAL],
        labels: { note: LITERAL },
        healthCheck: { command: ['echo', LITERAL] },
      }],
    });
    const c = onlyResource(JSON.parse(Testing.synth(stack)), 'docker_container');
    const resolved = terraformStrings({
      env0: c.env[0], env1: c.env[1], command: c.command[0], entrypoint: c.entrypoint[1], label: c.labels.find((l: any) => l.label === 'note').value, health: c.healthcheck.test[1],
    });
    expect(resolved).toEqual({
      env0: `NOTE=${LITERAL}`, env1: `TOKEN=${LITERAL}`, command: LITERAL, entrypoint: LITERAL, label: LITERAL, health: `echo '${LITERAL.replace(/'/g, "'\\''")}'`,
    });
  });

  test('HostFleet: tags of the group and of the instances, the role policy; its user data is base64 of the literal text', () => {
    const { stack } = awsStack();
    const fleet = new HostFleet(stack, 'f', {
      container: { name: 'web', image, memoryMiB: 64, environment: { NOTE: LITERAL } }, tags: { note: LITERAL }, subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
    });
    fleet.addToRolePolicy({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/${aws:username}'] });
    const json = synthJson(stack);
    const lt = onlyResource(json, 'aws_launch_template');
    const group = onlyResource(json, 'aws_autoscaling_group');
    const resolved = terraformStrings({
      userData: lt.user_data,
      ltNote: lt.tags.note,
      instanceNote: lt.tag_specifications[0].tags.note,
      groupNote: group.tag.find((t: any) => t.key === 'note').value,
      policy: onlyResource(json, 'aws_iam_role_policy').policy,
    });
    expect(Buffer.from(resolved.userData, 'base64').toString('utf8')).toBe(fleet.renderUserData());
    expect(resolved).toMatchObject({ ltNote: LITERAL, instanceNote: LITERAL, groupNote: LITERAL });
    expect(JSON.parse(resolved.policy).Statement[0].Resource).toBe('arn:aws:s3:::bucket/${aws:username}');
  });

  test('HostSecurityGroup and HostRole on their own: tags', () => {
    const { stack } = awsStack();
    new HostSecurityGroup(stack, 'sg', { vpcId: 'vpc-0123456789abcdef0', tags: { note: LITERAL } });
    new HostRole(stack, 'role', { tags: { note: LITERAL } });
    const json = synthJson(stack);
    expect(terraformStrings({
      sg: onlyResource(json, 'aws_security_group').tags.note,
      role: onlyResource(json, 'aws_iam_role').tags.note,
      profile: onlyResource(json, 'aws_iam_instance_profile').tags.note,
    })).toEqual({ sg: LITERAL, role: LITERAL, profile: LITERAL });
  });

  test('the check can fail: the same text unescaped is evaluated by Terraform (or refused)', () => {
    expect(() => terraformStrings({ raw: LITERAL })).toThrow(/terraform apply failed/);
    expect(terraformStrings({ raw: 'x %{ if true }y%{ endif }' })).toEqual({ raw: 'x y' });
    void resourcesOf;
  });
});
