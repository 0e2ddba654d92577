// Beyond one machine: the web container on EC2 Auto Scaling behind an
// Application Load Balancer with HTTPS. Synthesizes offline.
//
// In your own project, import from 'cdktf-isolation' instead of '../../src'.
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ContainerImage, HostFleet, HostNetwork, MachineImage, NetworkEgress } from '../../src';

export class WebFleetStack extends TerraformStack {
  public readonly fleet: HostFleet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    // Private subnets for the instances, public ones for the load balancer,
    // NAT gateways for Docker Hub, VPC endpoints for SSM.
    const network = new HostNetwork(this, 'network', { egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS });
    this.fleet = new HostFleet(this, 'web', {
      network,
      container: {
        name: 'web',
        image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27-alpine'),
        memoryMiB: 256,
        cpus: 0.5,
        ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }],
        tmpfs: [{ target: '/var/cache/nginx', sizeMiB: 32 }],
        healthCheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/healthz'], intervalSeconds: 10 },
      },
      instanceType: 't4g.small',
      machineImage: MachineImage.amazonLinux2023(),
      minCapacity: 2,
      maxCapacity: 6,
      loadBalancer: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' },
      scaling: { cpuUtilizationPercent: 50, requestsPerTarget: 500 },
    });
    new TerraformOutput(this, 'load-balancer-dns', { value: this.fleet.loadBalancer!.resource.dnsName });
  }
}

export function synthesize(outdir = path.join(__dirname, 'cdktf.out')): { app: App; stack: WebFleetStack } {
  const app = new App({ outdir });
  const stack = new WebFleetStack(app, 'web-fleet');
  app.synth();
  return { app, stack };
}

if (require.main === module) {
  // The CLI's --output (CDKTF_OUTDIR), else cdktf.out beside this file.
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(__dirname, 'cdktf.out');
  synthesize(outdir);
  // eslint-disable-next-line no-console
  console.log(`Synthesized stack web-fleet to ${outdir}`);
}
