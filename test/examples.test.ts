import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcesOf, userDataOf } from './helpers/synth';
import { synthesize as synthesizeContainers } from '../examples/containers/main';
import { synthesize } from '../examples/vm-host/main';

describe('examples/vm-host', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'example-vm-host-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes two hardened hosts to cdktf.out', () => {
    synthesize(outdir);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'docker-hosts', 'cdk.tf.json'), 'utf8'));
    const instances = Object.values<any>(resourcesOf(json, 'aws_instance'));
    expect(instances.map((i) => [i.instance_type, i.metadata_options.http_tokens, i.root_block_device.encrypted, i.associate_public_ip_address]))
      .toEqual([['t4g.small', 'required', true, false], ['t3.small', 'required', true, false]]); // sorted by logical id: api, web
    expect(instances.map((i) => userDataOf(i).split('\n')[0])).toEqual(['#cloud-config', '#cloud-config']);
    const ingress = Object.values<any>(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    // The host's own rule, and the VPC endpoints admitting each host (HTTPS from its security group).
    expect(ingress.map((r) => [r.from_port, r.cidr_ipv4 ?? r.description])).toEqual([
      [443, '10.0.0.0/16'],
      [443, 'HTTPS to the VPC endpoints of docker-hosts/network from docker-hosts/api'],
      [443, 'HTTPS to the VPC endpoints of docker-hosts/network from docker-hosts/web'],
    ]);
    // Each host in a private subnet of its own zone.
    const subnetOf = (cidr: string) => `\${aws_subnet.${Object.entries<any>(resourcesOf(json, 'aws_subnet')).find(([, s]) => s.cidr_block === cidr)![0]}.id}`;
    expect(instances.map((i) => i.subnet_id)).toEqual([subnetOf('10.0.32.0/19'), subnetOf('10.0.0.0/19')]);
    expect(Object.keys(json.output).sort()).toEqual(['api-instance-id', 'web-instance-id']);
  });
});

describe('examples/containers', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'example-containers-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes the same two containers on EC2 and on a local Docker daemon', () => {
    synthesizeContainers(outdir);
    const ec2 = JSON.parse(readFileSync(join(outdir, 'stacks', 'shop-ec2', 'cdk.tf.json'), 'utf8'));
    const local = JSON.parse(readFileSync(join(outdir, 'stacks', 'shop-local', 'cdk.tf.json'), 'utf8'));
    const userData = userDataOf(Object.values<any>(resourcesOf(ec2, 'aws_instance'))[0]);
    expect(userData).toContain('/etc/systemd/system/cdktf-container-web.service');
    expect(userData).toContain('/etc/systemd/system/cdktf-container-api.service');
    expect(userData).not.toContain('local-development-only');
    expect(Object.values<any>(resourcesOf(local, 'docker_container')).map((c) => [c.name, c.memory, c.read_only])).toEqual([['api', 512, true], ['web', 256, true]]);
    expect(Object.values<any>(resourcesOf(ec2, 'aws_vpc_security_group_ingress_rule')).map((r) => [r.from_port, r.cidr_ipv4 ?? r.description])).toEqual([
      [443, 'HTTPS to the VPC endpoints of shop-ec2/network from shop-ec2/host'],
      [8080, '10.0.0.0/16'],
    ]);
  });
});
