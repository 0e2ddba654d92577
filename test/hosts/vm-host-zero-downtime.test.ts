import { ContainerImage, ContainerOnVm, ContainerOptions, VmHost } from '../../src';
import { ReverseProxy } from '../../src/core/render/reverse-proxy';
import { cloudInitSchema, shellcheck, shellScriptsOf } from '../helpers/cloud-init';
import { awsStack, onlyResource, synthJson, userDataOf } from '../helpers/synth';
import { requireTools } from '../helpers/tools';
import { runChecks } from '../policy/checks';

const WEB: ContainerOptions = {
  name: 'web',
  image: ContainerImage.fromRegistry('nginx:1.27'),
  memoryMiB: 128,
  ports: [{ containerPort: 8080, hostPort: 80, hostIp: '0.0.0.0' }],
  healthCheck: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] },
  zeroDowntime: { containerPort: 8080, healthPath: '/healthz' },
};

function host(options: ContainerOptions = WEB) {
  const { stack } = awsStack();
  const h = new VmHost(stack, 'host', { subnetId: 'subnet-0123456789abcdef0' });
  new ContainerOnVm(stack, 'web', { host: h, ...options });
  return { stack, h };
}

describe('VmHost with a zeroDowntime container', () => {
  test('the user data installs nginx and writes the proxy\'s configuration, unit, server and first upstream', () => {
    const { stack } = host();
    const userData = userDataOf(onlyResource(synthJson(stack), 'aws_instance'));
    expect(userData).toMatch(/^packages:\n(  - .*\n)*  - nginx\n  - curl\n/m);
    for (const path of ['/etc/cdktf-isolation/proxy/nginx.conf', '/etc/systemd/system/cdktf-isolation-proxy.service',
      '/etc/cdktf-isolation/proxy/sites/web.conf', '/etc/cdktf-isolation/proxy/upstreams/web.conf']) {
      expect(userData).toContain(`path: ${path}\n`);
    }
    expect(userData).toContain('    listen 0.0.0.0:80;\n');
    expect(userData).toContain('server 127.0.0.1:28204 max_fails=0;');
    // The container itself is on loopback only.
    expect(userData).toContain('--publish "127.0.0.1:$port:8080/tcp"');
    expect(userData).not.toContain('--publish 0.0.0.0:80:8080/tcp');
  });

  test('the SSM document delivers the server with the set', () => {
    const { stack } = host();
    const doc = JSON.parse(onlyResource(synthJson(stack), 'aws_ssm_document').content);
    const commands: string[] = doc.mainSteps[0].inputs.runCommand;
    expect(commands).toContain('mkdir "$d/containers" "$d/units" "$d/proxy"');
    expect(commands.some((c) => c.endsWith('> "$d/proxy/web.conf" && chmod 0644 "$d/proxy/web.conf"'))).toBe(true);
  });

  test('IsolationChecks: the rendered proxy passes HOST-PROXY-HARDENED', () => {
    const { stack } = host();
    expect(runChecks(stack).filter((f) => f.ruleId === 'HOST-PROXY-HARDENED')).toEqual([]);
  });

  test('IsolationChecks: a proxy configuration changed through the escape hatch is reported', () => {
    const { stack, h } = host();
    h.cloudConfig.putFile({
      path: ReverseProxy.CONFIG,
      content: ReverseProxy.mainConfig().replace('user cdktf-proxy;', 'user root;').replace('    server_tokens off;\n', ''),
      permissions: '0644',
    });
    const found = runChecks(stack).filter((f) => f.ruleId === 'HOST-PROXY-HARDENED');
    expect(found.map((f) => f.message.replace(/^.*\[HOST-PROXY-HARDENED\] /, ''))).toEqual([
      expect.stringContaining('its workers run as root; server_tokens is not off'),
    ]);
  });
});

const toolsOn = requireTools('zeroDowntime user data checks', ['cloud-init', 'shellcheck']);

(toolsOn ? describe : describe.skip)('the user data of a host with a zeroDowntime container', () => {
  test('passes cloud-init schema, and every shell script in it passes shellcheck', () => {
    const { stack } = host();
    const userData = userDataOf(onlyResource(synthJson(stack), 'aws_instance'));
    const schema = cloudInitSchema(userData);
    expect({ status: schema.status, stderr: schema.stderr }).toEqual({ status: 0, stderr: '' });
    const scripts = shellScriptsOf(userData);
    expect(scripts.map((x) => x.where)).toContain('/usr/local/lib/cdktf-isolation/containers/web.sh');
    for (const script of scripts) {
      const r = shellcheck(script.text);
      expect({ where: script.where, status: r.status, stdout: r.stdout }).toEqual({ where: script.where, status: 0, stdout: '' });
    }
  });
});
