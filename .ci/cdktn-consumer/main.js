// A cdktn user's app, as the README's "Using CDK Terrain" sets it up: the
// user's code imports cdktn and @cdktn/provider-aws by their own names, the
// library (installed from its packed tarball, compiled lib/) imports cdktf
// and @cdktf/provider-aws, linked to the same packages. .ci/cdktn.sh runs
// `cdktn synth` on it and checks what it wrote.
const { App, Aspects, TerraformStack } = require('cdktn');
const { AwsProvider } = require('@cdktn/provider-aws/lib/provider');
const { DockerProvider } = require('@cdktf/provider-docker/lib/provider');
const {
  ContainerImage, ContainerOnVm, HostFleet, HostPool, IsolatedApp, IsolationChecks, LocalDockerHost, MachineImage, VmHost,
} = require('cdktf-isolation');

const web = {
  name: 'web',
  image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27-alpine'),
  memoryMiB: 256,
  cpus: 0.5,
  ports: [{ containerPort: 8080, hostIp: '0.0.0.0' }],
  tmpfs: [{ target: '/var/cache/nginx', sizeMiB: 32 }],
  healthCheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] },
};

const app = new App();

const aws = new TerraformStack(app, 'on-aws');
new AwsProvider(aws, 'aws', { region: 'eu-west-1' });
const host = new VmHost(aws, 'host', { instanceType: 't3.medium', machineImage: MachineImage.debian12() });
new ContainerOnVm(aws, 'web', { ...web, host, ingress: [{ hostPort: 8080, cidr: '10.0.0.0/16' }] });
const pool = new HostPool(aws, 'pool', { instanceType: 't3.medium' });
new IsolatedApp(aws, 'api', { pool, container: { ...web, name: 'api' } });
new HostFleet(aws, 'fleet', {
  container: web,
  instanceType: 't4g.small',
  subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  vpcId: 'vpc-0cccccccccccccccc',
  minCapacity: 2,
  maxCapacity: 4,
});
Aspects.of(aws).add(new IsolationChecks());

const local = new TerraformStack(app, 'local');
new DockerProvider(local, 'docker', {});
new LocalDockerHost(local, 'local', { containers: [web] });
Aspects.of(local).add(new IsolationChecks());

app.synth();
