import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerImage } from '../../../src/containers/container-image';
import { ContainerOptions } from '../../../src/core/container-options';
import { ContainerSpec } from '../../../src/core/container-spec';
import { Protocol } from '../../../src/core/network';
import { OsFamily } from '../../../src/core/os-family';
import { CloudConfig } from '../../../src/core/render/cloud-config';
import { ContainerSet } from '../../../src/core/render/container-set';
import { ContainerSetup } from '../../../src/core/render/container-setup';
import { DockerRun } from '../../../src/core/render/docker-run';
import { ReconcileDocument } from '../../../src/core/render/reconcile-document';
import { ReverseProxy } from '../../../src/core/render/reverse-proxy';
import { shellcheck } from '../../helpers/cloud-init';
import { systemdRoot, systemdVerify } from '../../helpers/host-root';
import { errorOf } from '../../helpers/synth';
import { requireTools } from '../../helpers/tools';

const WEB: ContainerOptions = {
  name: 'web',
  image: ContainerImage.fromRegistry('nginx:1.27'),
  memoryMiB: 64,
  ports: [{ containerPort: 8080, hostPort: 80, hostIp: '0.0.0.0' }, { containerPort: 9090, hostPort: 9090 }],
  zeroDowntime: { containerPort: 8080, healthPath: '/healthz', drainSeconds: 5, maxRequestBodyMiB: 2, timeoutSeconds: 30 },
};
const spec = (o: Partial<ContainerOptions> = {}) => ContainerSpec.of({ ...WEB, ...o }, 's/web');

describe('zeroDowntime in the container spec', () => {
  test('is resolved with the published address, the defaults and two loopback ports from the name', () => {
    expect(spec().zeroDowntime).toEqual({
      containerPort: 8080, hostIp: '0.0.0.0', hostPort: 80, healthPath: '/healthz', drainSeconds: 5, maxRequestBodyMiB: 2, timeoutSeconds: 30, upstreamPorts: [28204, 28205],
    });
    expect(spec({ zeroDowntime: { containerPort: 8080 } }).zeroDowntime).toMatchObject({ healthPath: '/', drainSeconds: 10, maxRequestBodyMiB: 10, timeoutSeconds: 60 });
    expect(spec({ name: 'api' }).zeroDowntime!.upstreamPorts).not.toEqual([28204, 28205]);
    expect(spec({ zeroDowntime: undefined }).zeroDowntime).toBeUndefined();
  });

  test('a UDP port is a clear synth error: the proxy cuts over HTTP only', () => {
    const e = errorOf(() => spec({ ports: [{ containerPort: 8080, protocol: Protocol.UDP }], zeroDowntime: { containerPort: 8080 } }));
    expect(e.message).toBe("s/web: 'zeroDowntime.containerPort' must be an HTTP port, but ports[0] publishes 8080 over udp " +
      '(the proxy cuts over HTTP only, not TCP or UDP services), got 8080. ' +
      'Remove zeroDowntime (an update of a udp port stops the old container before it starts the new one), or publish the HTTP port over TCP.');
  });

  test('a port the container does not publish is an error naming it', () => {
    expect(errorOf(() => spec({ zeroDowntime: { containerPort: 3000 } })).message).toBe(
      "s/web: 'zeroDowntime.containerPort' must be one of the container's published ports (ports[].containerPort, over TCP), got 3000. " +
      "Publish the HTTP port, e.g. ports: [{ containerPort: 3000, hostPort: 80, hostIp: '0.0.0.0' }].");
  });

  test('a health path with a blank, a drain out of range', () => {
    expect(errorOf(() => spec({ zeroDowntime: { containerPort: 8080, healthPath: '/a b' } })).message).toBe(
      "s/web: 'zeroDowntime.healthPath' must be an absolute URL path (letters, digits and . _ ~ / ? = & % + -; at most 201 characters), got \"/a b\". " +
      "Give the path of the app's health endpoint, e.g. '/healthz'.");
    expect(errorOf(() => spec({ zeroDowntime: { containerPort: 8080, drainSeconds: 301 } })).message).toMatch(/^s\/web: 'zeroDowntime\.drainSeconds' must be .*, got 301\. /);
  });
});

describe('ReverseProxy', () => {
  test('the server of a container listens only on its published address and forwards to its upstream file', () => {
    expect(ReverseProxy.site(spec())).toBe(`# Written by cdktf-isolation: the proxy's server for container web.
upstream cdktf_web {
    include upstreams/web.conf;
    keepalive 16;
}

server {
    listen 0.0.0.0:80;
    client_max_body_size 2m;
    location / {
        proxy_pass http://cdktf_web;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 5s;
        proxy_send_timeout 30s;
        proxy_read_timeout 30s;
    }
}
`);
    expect(ReverseProxy.site(spec({ ports: [{ containerPort: 8080, hostPort: 8443, hostIp: '::1' }] }))).toContain('\n    listen [::1]:8443;\n');
    expect(ReverseProxy.upstream(28204)).toBe('# Written by cdktf-isolation: the version that serves now (the reconcile switches it).\nserver 127.0.0.1:28204 max_fails=0;\n');
  });

  test('the main configuration: own user, no server tokens, limits and timeouts, the host\'s paths', () => {
    const conf = ReverseProxy.mainConfig();
    for (const line of ['user cdktf-proxy;', 'pid /run/cdktf-isolation-proxy.pid;', 'error_log /var/log/cdktf-isolation/proxy-error.log warn;',
      'worker_shutdown_timeout 330s;', '    server_tokens off;', '    client_max_body_size 10m;', '    client_header_timeout 30s;', '    client_body_timeout 60s;',
      '    send_timeout 60s;', '    keepalive_timeout 15s;', '    client_body_temp_path /var/lib/cdktf-isolation/proxy/client-body;', '    include sites/*.conf;']) {
      expect(conf.split('\n')).toContain(line);
    }
    expect(conf).not.toMatch(/listen/);
  });

  test('the start script publishes the HTTP port on the loopback port of its upstream file, the other ports as asked; shellcheck-clean', () => {
    const script = DockerRun.startScript(spec());
    expect(script).toContain('  --publish "127.0.0.1:$port:8080/tcp" \\\n  --publish 127.0.0.1:9090:9090/tcp \\\n');
    expect(script).toContain('\ncase "$port" in\n  28204 | 28205) ;;\n  *) port=28204 ;;\nesac\n');
    expect(script).toContain('\ndocker rm --force "$name" >/dev/null 2>&1 || true\n');
    expect(DockerRun.argv(spec())).toContain('127.0.0.1:28204:8080/tcp');
    if (requireTools('zero-downtime start script shellcheck', ['shellcheck'])) {
      const r = shellcheck(script);
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
    }
  });

  test('the desired set carries the server and a cutover line; the document makes the proxy directory', () => {
    const set = ContainerSet.render([spec(), ContainerSpec.of({ name: 'db', image: ContainerImage.fromRegistry('postgres:16'), memoryMiB: 256 }, 's/db')], {}, 's/host');
    expect(set.manifest.split('\n').slice(-2)).toEqual(['cutover web 28204 28205 5 /healthz', '']);
    expect(set.files.map((f) => f.path)).toEqual([
      'set', 'containers/db.sh', 'units/cdktf-container-db.service', 'containers/web.sh', 'units/cdktf-container-web.service', 'proxy/web.conf',
    ]);
    expect(set.files.find((f) => f.path === 'proxy/web.conf')!.content).toBe(ReverseProxy.site(spec()));
    const doc = ReconcileDocument.render(set, 's/host');
    expect(doc.commands).toContain('mkdir "$d/containers" "$d/units" "$d/proxy"');
  });

  test('two containers whose loopback ports meet are a synth error that names both', () => {
    const other = ContainerSpec.of({ name: 'other', image: ContainerImage.fromRegistry('nginx:1.27'), memoryMiB: 64, ports: [{ containerPort: 80, hostPort: 28205 }] }, 's/other');
    expect(errorOf(() => ContainerSet.render([other, spec()], {}, 's/host')).message).toBe(
      "s/host: 'containers' must not give loopback port 28205 to two containers: zero-downtime container web runs its versions on 28204 and 28205, " +
      'and other (its published port) has it, got "web". Rename one of the two containers (the pair of loopback ports comes from the name), or publish the other on another port.');
  });

  test('first boot: nginx and curl installed, the package\'s own service disabled, the proxy\'s user, unit, configuration, server and upstream', () => {
    const config = new CloudConfig();
    ContainerSetup.apply(config, spec(), OsFamily.DEBIAN_12);
    expect(config.listPackages()).toEqual(['nginx', 'curl']);
    expect(config.listRunCommands()).toEqual([
      ['systemctl', 'disable', '--now', 'nginx.service'],
      ['sh', '-c', 'id -u cdktf-proxy >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin cdktf-proxy'],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'cdktf-isolation-proxy.service'],
      ['systemctl', 'enable', '--now', 'cdktf-container-web.service'],
    ]);
    const files = Object.fromEntries(config.listFiles().map((f) => [f.path, f.content]));
    expect(files['/etc/cdktf-isolation/proxy/nginx.conf']).toBe(ReverseProxy.mainConfig());
    expect(files['/etc/systemd/system/cdktf-isolation-proxy.service']).toBe(ReverseProxy.unit());
    expect(files['/etc/cdktf-isolation/proxy/sites/web.conf']).toBe(ReverseProxy.site(spec()));
    expect(files['/etc/cdktf-isolation/proxy/upstreams/web.conf']).toBe(ReverseProxy.upstream(28204));
  });
});

const systemdOn = requireTools('reverse proxy unit check', ['systemd-analyze', 'nginx']);

(systemdOn ? describe : describe.skip)('the proxy\'s unit', () => {
  test('passes systemd-analyze verify (warnings count)', () => {
    const root = systemdRoot('');
    try {
      mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
      mkdirSync(join(root, 'usr/sbin'), { recursive: true });
      writeFileSync(join(root, 'etc/systemd/system/cdktf-isolation-proxy.service'), ReverseProxy.unit());
      // verify checks that the programs exist: the package's nginx.
      copyFileSync('/usr/sbin/nginx', join(root, 'usr/sbin/nginx'));
      const r = systemdVerify(root, 'cdktf-isolation-proxy.service');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
