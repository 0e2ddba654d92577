import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { parse } from 'yaml';
import { MachineImage, Protocol, VmHost } from '../../src';
import { CloudConfig } from '../../src/core/render/cloud-config';
import { IsolationError } from '../../src/private/errors';
import { awsStack, errorOf, onlyResource, resourcesOf, synthJson, userDataOf } from '../helpers/synth';

describe('VmHost defaults', () => {
  const { stack } = awsStack();
  const host = new VmHost(stack, 'web');
  const attributes = {
    instanceId: host.instanceId, privateIp: host.privateIp, publicIp: host.publicIp, securityGroupId: host.securityGroupId, roleName: host.roleName,
  };
  for (const [name, value] of Object.entries(attributes)) new TerraformOutput(stack, name, { value });
  const json = synthJson(stack);
  const instance = onlyResource(json, 'aws_instance');
  const id = (type: string, kind: 'resource' | 'data' = 'resource') => Object.keys(resourcesOf(json, type, kind))[0];

  test('the instance is the construct\'s Resource', () => {
    expect(host.resource.node.id).toBe('Resource');
    expect(Object.keys(resourcesOf(json, 'aws_instance'))).toEqual([stack.getLogicalId(host.resource)]);
  });

  test('t3.small, Amazon Linux 2023 x86_64', () => {
    expect(instance.instance_type).toBe('t3.small');
    expect(Object.values(resourcesOf(json, 'aws_ssm_parameter', 'data'))).toEqual([
      { name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' },
    ]);
  });

  test('IMDSv2 required, hop limit 1, no public IP, EBS optimized, basic monitoring', () => {
    expect(instance.metadata_options).toEqual({
      http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled',
    });
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.ebs_optimized).toBe(true);
    expect(instance.monitoring).toBe(false);
    expect(instance.key_name).toBeUndefined();
  });

  test('encrypted gp3 root volume of 20 GiB, deleted with the instance', () => {
    expect(instance.root_block_device).toEqual({
      volume_type: 'gp3', volume_size: 20, encrypted: true, delete_on_termination: true, tags: { Name: 'test/web' },
    });
  });

  test('the default VPC and its first subnet by id', () => {
    expect(resourcesOf(json, 'aws_vpc', 'data')[id('aws_vpc', 'data')]).toEqual({ default: true });
    expect(resourcesOf(json, 'aws_subnets', 'data')[id('aws_subnets', 'data')]).toEqual({
      filter: [{ name: 'vpc-id', values: [`\${data.aws_vpc.${id('aws_vpc', 'data')}.id}`] }],
    });
    expect(instance.subnet_id).toBe(`\${element(sort(data.aws_subnets.${id('aws_subnets', 'data')}.ids), 0)}`);
  });

  test('its own security group: no ingress, egress only HTTP and HTTPS', () => {
    expect(instance.vpc_security_group_ids).toEqual([`\${aws_security_group.${id('aws_security_group')}.id}`]);
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule')).map((r: any) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]).sort())
      .toEqual([['tcp', 443, 443, '0.0.0.0/0'], ['tcp', 80, 80, '0.0.0.0/0']]);
  });

  test('an IAM role for EC2 with SSM managed-instance access, through an instance profile', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(onlyResource(json, 'aws_iam_role_policy_attachment')).toEqual({
      role: `\${aws_iam_role.${id('aws_iam_role')}.name}`,
      policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    expect(instance.iam_instance_profile).toBe(`\${aws_iam_instance_profile.${id('aws_iam_instance_profile')}.name}`);
    expect(resourcesOf(json, 'aws_iam_role_policy')).toEqual({});
  });

  test('cloud-config user data installing Docker; after creation its changes are ignored, and what the host is replaces it through HostInputs', () => {
    expect(instance.user_data_replace_on_change).toBe(false);
    expect(instance.lifecycle).toEqual({
      ignore_changes: ['user_data', 'user_data_base64'],
      replace_triggered_by: [`terraform_data.${Object.keys(resourcesOf(json, 'terraform_data')).find((k) => k.includes('HostInputs'))}`],
    });
    expect(instance.user_data_base64).toBeUndefined();
    const doc = parse(userDataOf(instance), { version: '1.1' });
    expect(userDataOf(instance).startsWith('#cloud-config\n')).toBe(true);
    expect(doc.packages).toEqual(['docker']);
    expect(doc.write_files.map((f: any) => f.path)).toEqual(['/etc/docker/daemon.json', '/usr/local/lib/cdktf-isolation/wait-for-docker.sh']);
    expect(userDataOf(instance)).toBe(host.renderUserData());
  });

  test('Name tag is the construct path; public attributes are references', () => {
    expect(instance.tags).toEqual({ Name: 'test/web' });
    const resolve = (name: string) => json.output[name].value;
    expect(resolve('instanceId')).toBe(`\${aws_instance.${id('aws_instance')}.id}`);
    expect(resolve('privateIp')).toBe(`\${aws_instance.${id('aws_instance')}.private_ip}`);
    expect(resolve('publicIp')).toBe(`\${aws_instance.${id('aws_instance')}.public_ip}`);
    expect(resolve('securityGroupId')).toBe(`\${aws_security_group.${id('aws_security_group')}.id}`);
    expect(resolve('roleName')).toBe(`\${aws_iam_role.${id('aws_iam_role')}.name}`);
  });
});

describe('VmHost options', () => {
  test('explicit network, ingress rules, hop limit, volume, key, monitoring, tags', () => {
    const { stack } = awsStack();
    new VmHost(stack, 'api', {
      instanceType: 'm7g.large',
      machineImage: MachineImage.ubuntu2404(),
      vpcId: 'vpc-0abc1234',
      subnetId: 'subnet-0abc1234',
      associatePublicIpAddress: true,
      ingress: [
        { port: 8080, cidr: '10.0.0.0/16' },
        { port: 53, protocol: Protocol.UDP, cidr: '2001:db8::/32', description: 'dns' },
        { port: 22, sourceSecurityGroupId: 'sg-0123abcd' },
        { port: 9000, toPort: 9010, cidr: '192.0.2.0/24' },
      ],
      metadataHopLimit: 2,
      rootVolumeSizeGiB: 100,
      rootVolumeKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
      keyName: 'ops',
      detailedMonitoring: true,
      name: 'api-host',
      tags: { team: 'platform' },
    });
    const json = synthJson(stack);
    const instance = onlyResource(json, 'aws_instance');
    expect(json.data.aws_vpc).toBeUndefined();
    expect(json.data.aws_subnets).toBeUndefined();
    expect(json.data.aws_subnet).toBeUndefined();
    expect(instance.subnet_id).toBe('subnet-0abc1234');
    expect(onlyResource(json, 'aws_security_group').vpc_id).toBe('vpc-0abc1234');
    expect(instance.associate_public_ip_address).toBe(true);
    expect(instance.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(instance.root_block_device).toMatchObject({ volume_size: 100, kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/abcd', encrypted: true });
    expect(instance.key_name).toBe('ops');
    expect(instance.monitoring).toBe(true);
    expect(instance.tags).toEqual({ 'team': 'platform', 'Name': 'api-host', 'cdktf-isolation:instance-role-for-containers': 'true' });
    const rules = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).map((r: any) => {
      const { security_group_id: _sg, ...rest } = r;
      return rest;
    });
    expect(rules).toEqual([
      { ip_protocol: 'tcp', from_port: 8080, to_port: 8080, cidr_ipv4: '10.0.0.0/16', description: 'tcp 8080 from 10.0.0.0/16' },
      { ip_protocol: 'udp', from_port: 53, to_port: 53, cidr_ipv6: '2001:db8::/32', description: 'dns' },
      { ip_protocol: 'tcp', from_port: 22, to_port: 22, referenced_security_group_id: 'sg-0123abcd', description: 'tcp 22 from sg-0123abcd' },
      { ip_protocol: 'tcp', from_port: 9000, to_port: 9010, cidr_ipv4: '192.0.2.0/24', description: 'tcp 9000-9010 from 192.0.2.0/24' },
    ]);
  });

  test('a subnet without a VPC finds the VPC through the subnet', () => {
    const { stack } = awsStack();
    new VmHost(stack, 'h', { subnetId: 'subnet-0abc1234' });
    const json = synthJson(stack);
    const [subnetId, subnet] = Object.entries(resourcesOf(json, 'aws_subnet', 'data'))[0];
    expect(subnet).toEqual({ id: 'subnet-0abc1234' });
    expect(onlyResource(json, 'aws_security_group').vpc_id).toBe(`\${data.aws_subnet.${subnetId}.vpc_id}`);
  });

  test('allowAllOutbound replaces the HTTP/HTTPS egress with one all-traffic rule', () => {
    const { stack } = awsStack();
    new VmHost(stack, 'h', { allowAllOutbound: true });
    const rules = Object.values(resourcesOf(synthJson(stack), 'aws_vpc_security_group_egress_rule'));
    expect(rules.map((r: any) => [r.ip_protocol, r.cidr_ipv4])).toEqual([['-1', '0.0.0.0/0']]);
  });

  test('addToRolePolicy collects statements into one inline policy, rendered at synth', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h');
    host.addToRolePolicy({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] });
    host.addToRolePolicy({ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['*'] });
    const json = synthJson(stack);
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(JSON.parse(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' },
        { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
      ],
    });
  });

  test('files added after construction still reach the user data (lazy rendering)', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h');
    host.cloudConfig.addFile({ path: '/etc/late', content: 'late\n' });
    const doc = parse(userDataOf(onlyResource(synthJson(stack), 'aws_instance')), { version: '1.1' });
    expect(doc.write_files.map((f: any) => f.path)).toContain('/etc/late');
  });

  test('synthesis renders the user data once; a change after a synthesis reaches the next one', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h');
    expect(userDataOf(onlyResource(synthJson(stack), 'aws_instance'))).not.toContain('/etc/after-synth');
    host.cloudConfig.addFile({ path: '/etc/after-synth', content: 'x\n' });
    expect(userDataOf(onlyResource(synthJson(stack), 'aws_instance'))).toContain('path: /etc/after-synth');
    host.cloudConfig.addFile({ path: '/etc/before-synth', content: 'y\n' });
    const render = jest.spyOn(CloudConfig.prototype, 'render');
    try {
      const userData = userDataOf(onlyResource(synthJson(stack), 'aws_instance'));
      expect(userData).toContain('path: /etc/before-synth');
      expect(render).toHaveBeenCalledTimes(1);
    } finally {
      render.mockRestore();
    }
  });

  test('Terraform template syntax in user data is escaped, so the host gets it literally', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h');
    host.cloudConfig.addFile({ path: '/etc/t', content: 'a=${HOME} b=%{x} c=$${y}\n' });
    const raw = onlyResource(synthJson(stack), 'aws_instance').user_data as string;
    expect(raw).toContain('a=$${HOME} b=%%{x} c=$$${y}');
    expect(parse(userDataOf({ user_data: raw }), { version: '1.1' }).write_files[2].content).toBe('a=${HOME} b=%{x} c=$${y}\n');
  });

  test('above 16 KB the user data is gzip-compressed into user_data_base64, deterministically', () => {
    const build = () => {
      const { stack } = awsStack();
      const host = new VmHost(stack, 'h');
      host.cloudConfig.addFile({ path: '/etc/big', content: 'line of repeated configuration text\n'.repeat(600) });
      return { host, instance: onlyResource(synthJson(stack), 'aws_instance') };
    };
    const { host, instance } = build();
    expect(instance.user_data).toBeUndefined();
    expect(typeof instance.user_data_base64).toBe('string');
    expect(userDataOf(instance)).toBe(host.renderUserData());
    expect(Buffer.byteLength(host.renderUserData())).toBeGreaterThan(16384);
    expect(build().instance.user_data_base64).toBe(instance.user_data_base64);
  });

  test('user data that does not fit even compressed fails synthesis naming the size', () => {
    const { stack } = awsStack();
    const host = new VmHost(stack, 'h');
    let s = '';
    for (let i = 0; s.length < 60000; i++) s += createHash('sha256').update(String(i)).digest('base64');
    host.cloudConfig.addFile({ path: '/etc/noise', content: s });
    const e = errorOf(() => Testing.synth(stack, true));
    // The library's own error, not cdktf's list of validation messages (which would advise skipping validation).
    expect(e).toBeInstanceOf(IsolationError);
    expect(e.message).toMatch(/^test\/h: 'userData' must fit EC2's 16384-byte limit even gzip-compressed \(\d+ bytes compressed\), got "\d+ bytes of cloud-config"\. Move containers/);
  });

  test('so does a real App.synth, which resolves the stack before it validates (cdktf and cdktn alike)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'vm-host-oversized-'));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'test');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      const host = new VmHost(stack, 'h');
      let s = '';
      for (let i = 0; s.length < 60000; i++) s += createHash('sha256').update(String(i)).digest('base64');
      host.cloudConfig.addFile({ path: '/etc/noise', content: s });
      const e = errorOf(() => app.synth());
      // Not the engine's rewrite of an error thrown while resolving ("Resolution error: ...", and a stack).
      expect(e).toBeInstanceOf(IsolationError);
      expect(e.message).toMatch(/^test\/h: 'userData' must fit EC2's 16384-byte limit even gzip-compressed \(\d+ bytes compressed\), got "\d+ bytes of cloud-config"\. Move containers[^\n]*\)\.$/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
