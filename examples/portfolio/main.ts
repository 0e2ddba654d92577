// A portfolio of nine apps with different needs, on one pool of shared
// hosts and a few VMs of their own. The advisor decides VM or container for
// each and the report says why. Synthesizes offline (no credentials):
//   npm run demo
//
// In your own project, import from 'cdktf-isolation' instead of '../../src'.
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  AppScope, ContainerImage, HostNetwork, HostPool, IsolatedApp, KernelNeed, Lifetime, MachineImage, NetworkEgress, OperatingSystem, RestartPolicy,
  Tenancy,
} from '../../src';

/** The committed placement lock of this example (see synthesize). */
export const PLACEMENT_FILE = path.join(__dirname, 'placement.lock.json');

export interface PortfolioStackProps {
  /** The pool's placement lock file; none places from the declaration order alone. */
  readonly placementFile?: string;
}

export class PortfolioStack extends TerraformStack {
  public readonly apps: IsolatedApp[] = [];

  constructor(scope: Construct, id: string, props: PortfolioStackProps = {}) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    // From CI (examples/github-actions/deploy-portfolio.yml) the state lives in S3;
    // a local `npm run demo` keeps it local.
    if (process.env.STATE_BUCKET) {
      new S3Backend(this, {
        bucket: process.env.STATE_BUCKET,
        key: 'cdktf-isolation/portfolio.tfstate',
        region: process.env.AWS_REGION ?? 'eu-west-1',
        encrypt: true,
        dynamodbTable: process.env.STATE_LOCK_TABLE,
      });
    }
    // A VPC where the hosts work: private subnets in two zones, NAT gateways
    // for Debian's mirrors and Docker Hub, VPC endpoints for SSM and ECR.
    const network = new HostNetwork(this, 'network', { egress: NetworkEgress.NAT_GATEWAY_AND_ENDPOINTS });

    // The placement file keeps every app on its host when apps are added
    // anywhere in this file: synthesis reads it and writes it back.
    const pool = new HostPool(this, 'pool', {
      network,
      instanceType: 't3.medium',
      machineImage: MachineImage.debian12(),
      maxHosts: 4,
      placementFile: props.placementFile,
    });

    // A web front end: one process, trusted, long-lived: a container.
    this.apps.push(new IsolatedApp(this, 'web', {
      pool,
      container: {
        name: 'web',
        image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27-alpine'),
        memoryMiB: 256,
        // The image's own unprivileged user (the library's default is 65532:65532).
        user: '101:101',
        cpus: 0.25,
        ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }],
        tmpfs: [{ target: '/var/cache/nginx', sizeMiB: 32 }],
        healthCheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] },
      },
      containerIngress: [{ hostPort: 8080, cidr: '10.0.0.0/16' }],
    }));

    // The API behind it, with its database password from SSM.
    this.apps.push(new IsolatedApp(this, 'api', {
      pool,
      container: {
        name: 'api',
        image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api', '2.4.1'),
        memoryMiB: 512,
        cpus: 0.5,
        user: '10001:10001',
        secretEnvironment: { DATABASE_PASSWORD: '/shop/prod/database-password' },
        ports: [{ containerPort: 3000 }],
        healthCheck: { command: ['/app/healthcheck'] },
      },
    }));

    // A batch job: ephemeral; it runs when its unit starts (at boot, or
    // `systemctl restart cdktf-container-nightly-report`) and is never restarted.
    this.apps.push(new IsolatedApp(this, 'nightly-report', {
      pool,
      requirements: { lifetime: Lifetime.EPHEMERAL },
      container: {
        name: 'nightly-report',
        image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/reports', '1.9.0'),
        memoryMiB: 1024,
        cpus: 0.5,
        restartPolicy: RestartPolicy.NEVER,
        healthCheck: { command: ['/app/report', '--health'] },
      },
    }));

    // A cache that must come back within seconds.
    this.apps.push(new IsolatedApp(this, 'cache', {
      pool,
      requirements: { maxStartupSeconds: 5 },
      container: {
        name: 'cache',
        image: ContainerImage.fromRegistry('redis:7.4-alpine'),
        memoryMiB: 512,
        cpus: 0.25,
        user: '999:999',
        command: ['redis-server', '--save', '', '--appendonly', 'no', '--maxmemory', '400mb'],
        ports: [{ containerPort: 6379 }],
        healthCheck: { command: ['redis-cli', 'ping'] },
      },
    }));

    // A queue consumer.
    this.apps.push(new IsolatedApp(this, 'worker', {
      pool,
      container: {
        name: 'worker',
        image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/worker', '3.0.2'),
        memoryMiB: 384,
        cpus: 0.25,
        environment: { QUEUE: 'orders' },
        healthCheck: { command: ['/app/worker', '--health'] },
      },
    }));

    // A legacy system: cron, several daemons, its own users: a whole system.
    this.apps.push(new IsolatedApp(this, 'legacy-erp', {
      network,
      requirements: { scope: AppScope.SYSTEM, memoryMiB: 2048, cpus: 1 },
      native: {
        packages: ['cron', 'rsyslog'],
        files: [{ path: '/etc/cron.d/erp-nightly', content: '30 2 * * * root /opt/erp/bin/nightly\n' }],
        service: { name: 'erp', command: ['/opt/erp/bin/erpd', '--foreground'], description: 'legacy ERP daemon' },
      },
      dedicatedVm: { machineImage: MachineImage.debian12() },
    }));

    // A packet filter that loads a kernel module: it needs its own kernel.
    this.apps.push(new IsolatedApp(this, 'packet-filter', {
      network,
      requirements: { kernel: KernelNeed.OWN, memoryMiB: 512 },
      native: {
        packages: ['nftables'],
        commands: [['modprobe', 'nf_tables']],
        service: { name: 'packet-filter', command: ['/usr/sbin/nft', '-f', '/etc/nftables.conf'], description: 'packet filter rules' },
      },
      dedicatedVm: { machineImage: MachineImage.debian12() },
    }));

    // Plugins uploaded by tenants: untrusted code gets a hypervisor between it and everyone else.
    this.apps.push(new IsolatedApp(this, 'plugin-runner', {
      network,
      requirements: { tenancy: Tenancy.UNTRUSTED, maxStartupSeconds: 10 },
      container: {
        name: 'plugin-runner',
        image: ContainerImage.fromEcr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/plugin-runner', '0.8.1'),
        memoryMiB: 768,
        cpus: 1,
        user: '20000:20000',
        pidsLimit: 128,
        healthCheck: { command: ['/app/runner', '--health'], intervalSeconds: 15 },
      },
    }));

    // A vendor's reporting service that exists for Windows only: Docker needs a
    // Linux host, a VM runs any OS. A Windows Server 2022 VM of its own, reached
    // through Session Manager or Fleet Manager's RDP (no key pair, no open port).
    this.apps.push(new IsolatedApp(this, 'quarterly-reports', {
      network,
      requirements: { operatingSystem: OperatingSystem.WINDOWS, memoryMiB: 1024, cpus: 1 },
      native: {
        // Windows Server features (Install-WindowsFeature names).
        packages: ['NET-Framework-45-Core'],
        files: [{ path: 'C:\\ProgramData\\QuarterlyReports\\settings.json', content: '{ "database": "reports.internal:1433" }\n' }],
        service: {
          name: 'quarterly-reports',
          command: ['C:\\Program Files\\QuarterlyReports\\reports.exe', '--service'],
          description: 'vendor reporting service',
          user: 'NetworkService',
          // Fetched at every boot with the instance role, never in the user data.
          secretEnvironment: { REPORTS_DB_PASSWORD: '/shop/prod/reports-db-password' },
        },
      },
    }));
  }
}

/** Builds and synthesizes the app into `outdir`. */
export function synthesize(outdir = path.join(__dirname, 'cdktf.out')): { app: App; stack: PortfolioStack } {
  const app = new App({ outdir });
  // placement.lock.json is committed beside this file: `cdktf synth` and
  // `cdktf deploy` (which run this) keep the apps where it says.
  const stack = new PortfolioStack(app, 'portfolio', { placementFile: PLACEMENT_FILE });
  app.synth();
  return { app, stack };
}

if (require.main === module) {
  synthesize(process.env.CDKTF_OUTDIR);
}
