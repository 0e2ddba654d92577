// A Docker host on EC2, secure by default. Synthesizes offline: no AWS
// credentials are needed to run `cdktf synth` (or this file with ts-node).
//
// In your own project, import from 'cdktf-isolation' instead of '../../src'.
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { HostNetwork, MachineImage, NetworkEgress, VmHost } from '../../src';

export class DockerHostStack extends TerraformStack {
  public readonly hosts: VmHost[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    // A VPC where hosts work: private subnets in two zones, NAT gateways for
    // Debian's mirrors, VPC endpoints for SSM and ECR.
    const network = new HostNetwork(this, 'network', { egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS });

    // Defaults: Amazon Linux 2023 on t3.small, IMDSv2, encrypted gp3 root,
    // no public IP, no inbound traffic, SSM instead of SSH.
    const web = new VmHost(this, 'web', { network });

    // A Graviton host on Debian 12 that admits HTTPS from one network.
    const api = new VmHost(this, 'api', {
      network,
      subnetId: network.hostSubnetId(1),
      instanceType: 't4g.small',
      machineImage: MachineImage.debian12(),
      ingress: [{ port: 443, cidr: '10.0.0.0/16', description: 'HTTPS from the VPC' }],
      tags: { team: 'platform' },
    });

    this.hosts = [web, api];
    for (const host of this.hosts) {
      new TerraformOutput(this, `${host.node.id}-instance-id`, { value: host.instanceId });
    }
  }
}

/** Builds the app; `outdir` defaults to cdktf.out beside this file. */
export function synthesize(outdir = path.join(__dirname, 'cdktf.out')): { app: App; stack: DockerHostStack } {
  const app = new App({ outdir });
  const stack = new DockerHostStack(app, 'docker-hosts');
  app.synth();
  return { app, stack };
}

if (require.main === module) {
  // The CLI's --output (CDKTF_OUTDIR), else cdktf.out beside this file.
  const { stack } = synthesize(process.env.CDKTF_OUTDIR);
  const rows = stack.hosts.map((h) => {
    const bytes = Buffer.byteLength(h.renderUserData(), 'utf8');
    return `| ${h.node.id} | ${h.instanceType} | ${h.osFamily} | ${h.architecture} | ${bytes} B${bytes > 16384 ? ' (sent gzip-compressed)' : ''} |`;
  });
  // eslint-disable-next-line no-console
  console.log([
    `Synthesized stack '${stack.node.id}' to ${path.join(__dirname, 'cdktf.out')}`,
    '',
    '| host | instance type | OS | arch | user data |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n'));
}
