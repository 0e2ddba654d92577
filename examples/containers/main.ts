// Hardened containers on an EC2 host, and the same containers on a local
// Docker daemon for development. Synthesizes offline (no credentials).
//
// In your own project, import from 'cdktf-isolation' instead of '../../src'.
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ContainerImage, ContainerOnVm, ContainerOptions, HostNetwork, LocalDockerHost, MachineImage, NetworkEgress, VmHost } from '../../src';

/** The app's containers, described once. */
export const CONTAINERS: ContainerOptions[] = [
  {
    name: 'web',
    image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27-alpine'),
    memoryMiB: 256,
    cpus: 0.5,
    ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }],
    tmpfs: [{ target: '/var/cache/nginx', sizeMiB: 32 }],
    healthCheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] },
  },
  {
    name: 'api',
    image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api', '2.4.1'),
    memoryMiB: 512,
    user: '10001:10001',
    environment: { LOG_LEVEL: 'info' },
    secretEnvironment: { DATABASE_PASSWORD: '/shop/prod/database-password' },
    ports: [{ containerPort: 3000 }],
    healthCheck: { command: ['/app/healthcheck'], intervalSeconds: 15 },
  },
];

/** Production: one Debian 12 host, the web port open to the VPC only. */
export class ShopOnEc2 extends TerraformStack {
  public readonly host: VmHost;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    // Debian's mirrors and Docker Hub need the NAT gateway; SSM and ECR go through the endpoints.
    const network = new HostNetwork(this, 'network', { egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS });
    this.host = new VmHost(this, 'host', { network, instanceType: 't3.medium', machineImage: MachineImage.debian12() });
    for (const container of CONTAINERS) {
      new ContainerOnVm(this, container.name, {
        ...container,
        host: this.host,
        ingress: container.name === 'web' ? [{ hostPort: 8080, cidr: '10.0.0.0/16' }] : undefined,
      });
    }
  }
}

/** Development: the same specs on the local Docker daemon. */
export class ShopOnLocalDocker extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DockerProvider(this, 'docker', {});
    new LocalDockerHost(this, 'local', {
      containers: CONTAINERS,
      secretValues: { DATABASE_PASSWORD: process.env.DATABASE_PASSWORD ?? 'local-development-only' },
    });
  }
}

export function synthesize(outdir = path.join(__dirname, 'cdktf.out')): App {
  const app = new App({ outdir });
  new ShopOnEc2(app, 'shop-ec2');
  new ShopOnLocalDocker(app, 'shop-local');
  app.synth();
  return app;
}

if (require.main === module) {
  // The CLI's --output (CDKTF_OUTDIR), else cdktf.out beside this file.
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(__dirname, 'cdktf.out');
  synthesize(outdir);
  // eslint-disable-next-line no-console
  console.log(`Synthesized stacks shop-ec2 and shop-local to ${outdir}`);
}
