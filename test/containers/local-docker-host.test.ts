import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { ContainerImage, ContainerSpec, LocalDockerHost, RestartPolicy } from '../../src';
import { DockerProviderConfig } from '../../src/core/render/docker-provider';
import { IsolationError } from '../../src/private/errors';
import { FULL } from '../core/render/docker-run.test';
import { errorOf } from '../helpers/synth';

function dockerStack() {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'local');
  new DockerProvider(stack, 'docker', {});
  return stack;
}

describe('LocalDockerHost', () => {
  test('renders docker_image + docker_container with every attribute of the spec', () => {
    const stack = dockerStack();
    const local = new LocalDockerHost(stack, 'dev', { secretValues: { DB_PASSWORD: 'local-secret' } });
    const { spec } = local.addContainer(FULL);
    const json = JSON.parse(Testing.synth(stack, true));
    const [imageId, image] = Object.entries<any>(json.resource.docker_image)[0];
    expect(image).toEqual({ name: 'registry.example.com/team/web:1.2', keep_locally: true });
    const container = Object.values<any>(json.resource.docker_container)[0];
    expect(container).toEqual({
      name: 'web',
      image: `\${docker_image.${imageId}.image_id}`,
      memory: 96,
      memory_swap: 96,
      cpus: '0.5',
      cpu_shares: 512,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      security_opts: ['no-new-privileges=true'],
      privileged: false,
      read_only: true,
      tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=64m', '/cache': 'rw,noexec,nosuid,nodev,size=8m' },
      restart: 'on-failure',
      max_retry_count: 3,
      stop_timeout: 5,
      log_driver: 'json-file',
      log_opts: { 'max-file': '2', 'max-size': '1m' },
      ports: [
        { internal: 8080, external: 18080, ip: '127.0.0.1', protocol: 'tcp' },
        { internal: 53, external: 53, ip: '0.0.0.0', protocol: 'udp' },
        { internal: 9090, external: 9090, ip: '::1', protocol: 'tcp' },
      ],
      env: ['DB_PASSWORD=local-secret', "GREETING=it's $HOME \"q\"\nline2 %s \\ ✓", 'MODE=prod'],
      labels: [{ label: 'cdktf-isolation.container', value: 'web' }, { label: 'team', value: 'web' }],
      volumes: [
        { volume_name: 'data', container_path: '/data', read_only: false },
        { host_path: '/srv/static', container_path: '/static', read_only: true },
      ],
      must_run: true,
      start: true,
      user: '65534:65534',
      working_dir: '/www',
      entrypoint: ['/bin/sh', '-c'],
      command: ['exec httpd -f -p 8080'],
      healthcheck: { test: ['CMD-SHELL', 'wget -q -O - http://127.0.0.1:8080/'], interval: '2s', timeout: '1s', retries: 2, start_period: '1s' },
    });
    expect(spec.pidsLimit).toBe(64);
  });

  test('what the provider cannot express is a warning on the container, only when the container asks for it', () => {
    const stack = dockerStack();
    const local = new LocalDockerHost(stack, 'dev');
    const warningsOf = (c: { node: { metadata: Array<{ type: string; data: unknown }> } }) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data);
    const plain = local.addContainer({ name: 'd', image: ContainerImage.fromRegistry('d:1'), memoryMiB: 32 });
    expect(warningsOf(plain.container)).toEqual([]);
    const asked = local.addContainer({ name: 'e', image: ContainerImage.fromRegistry('d:1'), memoryMiB: 32, pidsLimit: 64 });
    expect(warningsOf(asked.container)).toEqual(["local/dev/e: 'pidsLimit' is not enforced locally: the docker provider's docker_container has no such setting."]);
    const uts = local.addContainer({ name: 'f', image: ContainerImage.fromRegistry('d:1'), memoryMiB: 32, hostUts: true, unsafeReason: 'sets the hostname for a license check' });
    expect(warningsOf(uts.container)).toEqual(["local/dev/f: 'hostUts' is not enforced locally: the docker provider's docker_container has no such setting."]);
    expect(DockerProviderConfig.unsupported(ContainerSpec.of({ name: 'd', image: ContainerImage.fromRegistry('d:1'), memoryMiB: 32 }, 'x'))).toEqual(['pidsLimit']);
  });

  test('containers from props, restart always', () => {
    const stack = dockerStack();
    new LocalDockerHost(stack, 'dev', { containers: [{ name: 'a', image: ContainerImage.fromRegistry('a:1'), memoryMiB: 32, restartPolicy: RestartPolicy.ALWAYS }] });
    const c = Object.values<any>(JSON.parse(Testing.synth(stack, true)).resource.docker_container)[0];
    expect([c.restart, c.max_retry_count]).toEqual(['always', undefined]);
  });

  test('a secret without a local value, and a duplicate name, are errors', () => {
    const stack = dockerStack();
    const local = new LocalDockerHost(stack, 'dev');
    const secret = errorOf(() => local.addContainer({ name: 's', image: ContainerImage.fromRegistry('s:1'), memoryMiB: 32, secretEnvironment: { TOKEN: '/t' } }));
    expect(secret).toBeInstanceOf(IsolationError);
    expect(secret.message).toBe("local/dev/s: 'secretEnvironment.TOKEN' needs a local value in the LocalDockerHost's secretValues, got \"TOKEN\". " +
      'Pass secretValues: { TOKEN: process.env.TOKEN } (SSM is not read on a developer machine).');
    local.addContainer({ name: 'a', image: ContainerImage.fromRegistry('a:1'), memoryMiB: 32 });
    expect(() => local.addContainer({ name: 'a', image: ContainerImage.fromRegistry('a:1'), memoryMiB: 32 })).toThrow(
      "local/dev/a: 'name' must be unique on local/dev, got \"a\". Give each container its own name.");
  });
});
