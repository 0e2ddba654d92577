import { ContainerImage } from '../../../src/containers/container-image';
import { ContainerOptions, RestartPolicy } from '../../../src/core/container-options';
import { ContainerSpec } from '../../../src/core/container-spec';
import { Protocol } from '../../../src/core/network';
import { DockerProviderConfig } from '../../../src/core/render/docker-provider';
import { DockerRun } from '../../../src/core/render/docker-run';
import { ContainerUnit } from '../../../src/core/render/systemd';
import { shellJoin, shellQuote } from '../../../src/private/shell';
import { run } from '../../helpers/tools';

/** A spec that sets every option. */
export const FULL: ContainerOptions = {
  name: 'web',
  image: ContainerImage.fromRegistry('registry.example.com/team/web:1.2'),
  entrypoint: ['/bin/sh', '-c'],
  command: ['exec httpd -f -p 8080'],
  environment: { GREETING: "it's $HOME \"q\"\nline2 %s \\ ✓", MODE: 'prod' },
  secretEnvironment: { DB_PASSWORD: '/prod/db/password' },
  ports: [{ containerPort: 8080, hostPort: 18080 }, { containerPort: 53, protocol: Protocol.UDP, hostIp: '0.0.0.0' }, { containerPort: 9090, hostIp: '::1' }],
  memoryMiB: 96,
  cpus: 0.5,
  pidsLimit: 64,
  user: '65534:65534',
  workingDirectory: '/www',
  readOnlyRootFilesystem: true,
  tmpfs: [{ target: '/cache', sizeMiB: 8 }],
  volumes: [{ source: 'data', target: '/data' }, { source: '/srv/static', target: '/static', readOnly: true }],
  capAdd: ['NET_BIND_SERVICE'],
  healthCheck: { command: ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'], intervalSeconds: 2, timeoutSeconds: 1, retries: 2, startPeriodSeconds: 1 },
  restartPolicy: RestartPolicy.ON_FAILURE,
  maxRestarts: 3,
  logOptions: { maxSize: '1m', maxFiles: 2 },
  labels: { team: 'web' },
  stopTimeoutSeconds: 5,
};

describe('DockerRun', () => {
  const spec = ContainerSpec.of(FULL, 'app/web');

  test('argv renders every option of the spec', () => {
    expect(DockerRun.argv(spec)).toEqual([
      'docker', 'run', '--detach', '--name', 'web',
      '--memory', '96m', '--memory-swap', '96m', '--cpus', '0.5', '--cpu-shares', '512', '--pids-limit', '64',
      '--cap-drop', 'ALL', '--cap-add', 'NET_BIND_SERVICE', '--security-opt', 'no-new-privileges=true',
      '--read-only', '--tmpfs', '/tmp:rw,noexec,nosuid,nodev,size=64m', '--tmpfs', '/cache:rw,noexec,nosuid,nodev,size=8m',
      '--volume', 'data:/data', '--volume', '/srv/static:/static:ro',
      '--user', '65534:65534', '--workdir', '/www',
      '--restart', 'on-failure:3', '--stop-timeout', '5',
      '--log-driver', 'json-file', '--log-opt', 'max-size=1m', '--log-opt', 'max-file=2',
      '--publish', '127.0.0.1:18080:8080/tcp', '--publish', '0.0.0.0:53:53/udp', '--publish', '[::1]:9090:9090/tcp',
      '--health-cmd', 'wget -q -O - http://127.0.0.1:8080/', '--health-interval', '2s', '--health-timeout', '1s', '--health-retries', '2', '--health-start-period', '1s',
      '--env', "GREETING=it's $HOME \"q\"\nline2 %s \\ ✓", '--env', 'MODE=prod',
      '--env-file', '/run/cdktf-isolation/web.env',
      '--label', 'cdktf-isolation.container=web', '--label', 'team=web',
      '--entrypoint', '/bin/sh',
      'registry.example.com/team/web:1.2', '-c', 'exec httpd -f -p 8080',
    ]);
  });

  test('unsafe options render as the flags Docker knows', () => {
    const unsafe = ContainerSpec.of({
      name: 'vpn',
      image: ContainerImage.fromRegistry('vpn:1'),
      memoryMiB: 64,
      privileged: true,
      hostNetwork: true,
      hostPid: true,
      hostIpc: true,
      hostUts: true,
      seccompUnconfined: true,
      allowPrivilegeEscalation: true,
      unsafeReason: 'manages the host network stack',
    }, 'x');
    const argv = DockerRun.argv(unsafe);
    expect(argv.slice(argv.indexOf('--pids-limit') + 2, argv.indexOf('--read-only'))).toEqual([
      '--cap-drop', 'ALL', '--security-opt', 'seccomp=unconfined', '--privileged', '--network', 'host', '--pid', 'host', '--ipc', 'host', '--uts', 'host',
    ]);
    expect(argv).not.toContain('no-new-privileges=true');
  });

  test('the command line parses back, through a real shell, to the exact argv', () => {
    const argv = DockerRun.argv(spec);
    const line = DockerRun.commandLine(spec).replace(/^docker /, 'printf "%s\\0" ');
    const out = run('sh', ['-c', line]);
    expect(out.status).toBe(0);
    expect(out.stdout.split('\0').slice(0, -1)).toEqual(argv.slice(1));
  });

  test('shell quoting: bare when safe, single quotes otherwise', () => {
    expect(shellQuote('abc-1.2/x:y=z,@%+')).toBe('abc-1.2/x:y=z,@%+');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellJoin(['a b', 'c'])).toBe("'a b' c");
  });

  test('the systemd unit runs the start script once per boot and never restarts the container itself', () => {
    expect(ContainerUnit.render(spec)).toBe([
      '[Unit]',
      'Description=cdktf-isolation container web',
      'Wants=network-online.target',
      'After=network-online.target docker.service',
      'Wants=docker.service',
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      'TimeoutStartSec=900',
      'Environment=HOME=/root',
      'ExecStart=/usr/bin/flock /run/cdktf-isolation.lock /usr/local/lib/cdktf-isolation/containers/web.sh',
      'ExecStop=/usr/bin/docker stop --time 5 web',
      'ExecStopPost=-/usr/bin/docker rm --force web',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n'));
    expect(ContainerUnit.render(spec)).not.toMatch(/^Restart=/m);
  });

  test('the start script fetches secrets into a root-only file, pulls, replaces and runs', () => {
    const script = DockerRun.startScript(spec);
    const lines = script.split('\n');
    expect(lines.slice(0, 27)).toEqual([
      '#!/bin/sh',
      '# Written by cdktf-isolation: (re)creates container web at boot,',
      "# run by cdktf-container-web.service. Docker's restart policy supervises it.",
      'set -eu',
      'lib="${CDKTF_ISOLATION_LIB:-/usr/local/lib/cdktf-isolation}"',
      '# The digest of this script, as a label: the reconcile compares it with',
      '# the desired definition and leaves a container that runs it alone.',
      'spec_digest=$(sha256sum < "$0")',
      'spec_digest="${spec_digest%% *}"',
      '# A container that already runs this very definition is kept: the reconcile',
      '# created it and then started this unit (at boot, the unit stopped and removed it).',
      '# The reconcile sets CDKTF_ISOLATION_REPLACE=1: it pulled the image, it wants a new one.',
      'replace="${CDKTF_ISOLATION_REPLACE:-}"',
      'if [ -z "$replace" ] && [ "$(docker inspect --format \'{{.State.Running}} {{index .Config.Labels "cdktf-isolation.spec-digest"}}\' web 2>/dev/null)" = "true $spec_digest" ]; then',
      '  exit 0',
      'fi',
      'run="${CDKTF_ISOLATION_RUN:-/run/cdktf-isolation}"',
      'umask 077',
      'mkdir -p "$run"',
      'env_file="$run/web.env"',
      'tmp="$env_file.tmp"',
      ': > "$tmp"',
      '"$lib/ssm-env.sh" "$tmp" DB_PASSWORD /prod/db/password',
      'mv -f "$tmp" "$env_file"',
      '[ -n "$replace" ] || "$lib/pull-image.sh" registry.example.com/team/web:1.2',
      'docker rm --force web >/dev/null 2>&1 || true',
      'exec docker run \\',
    ]);
    expect(script).toContain('  --env-file "$env_file" \\\n');
    expect(script).toContain('  --label cdktf-isolation.container=web \\\n  --label team=web \\\n  --label "cdktf-isolation.spec-digest=$spec_digest" \\\n  --entrypoint /bin/sh \\\n');
    expect(script.endsWith("  registry.example.com/team/web:1.2 -c 'exec httpd -f -p 8080'\n")).toBe(true);
  });

  test('a container without secrets has no env file', () => {
    const plain = ContainerSpec.of({ name: 'p', image: ContainerImage.fromRegistry('p:1'), memoryMiB: 32 }, 'x');
    expect(DockerRun.startScript(plain)).not.toContain('env_file');
    expect(DockerRun.startScript(plain)).not.toContain('CDKTF_ISOLATION_RUN');
    expect(DockerRun.argv(plain)).not.toContain('--env-file');
  });
});

/**
 * Both renderers as one comparable model: what Docker ends up with. The
 * provider's docker_container cannot express the pids limit (listed in
 * DockerProviderConfig.unsupported), so it is compared separately.
 */
function fromArgv(argv: string[]): Record<string, unknown> {
  const m: Record<string, any> = { capDrop: [], capAdd: [], securityOpts: [], tmpfs: {}, volumes: [], ports: [], env: [], labels: [], logOpts: {} };
  let i = 2;
  const next = () => argv[++i];
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) break;
    switch (a) {
      case '--detach': break;
      case '--name': m.name = next(); break;
      case '--memory': m.memoryMiB = parseInt(next(), 10); break;
      case '--memory-swap': m.memorySwapMiB = parseInt(next(), 10); break;
      case '--cpus': m.cpus = next(); break;
      case '--cpu-shares': m.cpuShares = Number(next()); break;
      case '--pids-limit': m.pidsLimit = Number(next()); break;
      case '--cap-drop': m.capDrop.push(next()); break;
      case '--cap-add': m.capAdd.push(next()); break;
      case '--security-opt': m.securityOpts.push(next()); break;
      case '--privileged': m.privileged = true; break;
      case '--network': m.networkMode = next(); break;
      case '--pid': m.pidMode = next(); break;
      case '--ipc': m.ipcMode = next(); break;
      case '--read-only': m.readOnly = true; break;
      case '--tmpfs': { const [p, o] = next().split(/:(.*)/s); m.tmpfs[p] = o; break; }
      case '--volume': { const [s, t, ro] = next().split(':'); m.volumes.push({ source: s, target: t, readOnly: ro === 'ro' }); break; }
      case '--user': m.user = next(); break;
      case '--workdir': m.workingDir = next(); break;
      case '--restart': { const [name, max] = next().split(':'); m.restart = name; m.maxRetryCount = max ? Number(max) : undefined; break; }
      case '--stop-timeout': m.stopTimeout = Number(next()); break;
      case '--log-driver': m.logDriver = next(); break;
      case '--log-opt': { const [k, v] = next().split('='); m.logOpts[k] = v; break; }
      case '--publish': {
        const mm = /^(\[([^\]]+)\]|([^:]+)):(\d+):(\d+)\/(tcp|udp)$/.exec(next())!;
        m.ports.push({ ip: mm[2] ?? mm[3], external: Number(mm[4]), internal: Number(mm[5]), protocol: mm[6] });
        break;
      }
      case '--health-cmd': m.health = { test: ['CMD-SHELL', next()] }; break;
      case '--health-interval': m.health.interval = next(); break;
      case '--health-timeout': m.health.timeout = next(); break;
      case '--health-retries': m.health.retries = Number(next()); break;
      case '--health-start-period': m.health.startPeriod = next(); break;
      case '--env': m.env.push(next()); break;
      case '--env-file': m.envFile = next(); break;
      case '--label': { const [k, v] = next().split(/=(.*)/s); m.labels.push({ label: k, value: v }); break; }
      case '--entrypoint': m.entrypoint = [next()]; break;
      default: throw new Error(`unknown flag ${a}`);
    }
  }
  m.image = argv[i];
  const rest = argv.slice(i + 1);
  // Effective process argv: entrypoint words, then command words.
  m.process = [...(m.entrypoint ?? []), ...rest];
  delete m.entrypoint;
  return m;
}

function fromProvider(c: Record<string, any>, image: string, entrypointInImage: boolean): Record<string, unknown> {
  return {
    name: c.name,
    memoryMiB: c.memory,
    memorySwapMiB: c.memorySwap,
    cpus: c.cpus,
    cpuShares: c.cpuShares,
    capDrop: c.capabilities.drop,
    capAdd: c.capabilities.add,
    securityOpts: c.securityOpts,
    ...(c.privileged ? { privileged: true } : {}),
    ...(c.networkMode ? { networkMode: c.networkMode } : {}),
    ...(c.pidMode ? { pidMode: c.pidMode } : {}),
    ...(c.ipcMode ? { ipcMode: c.ipcMode } : {}),
    ...(c.readOnly ? { readOnly: true } : {}),
    tmpfs: c.tmpfs,
    volumes: c.volumes.map((v: any) => ({ source: v.hostPath ?? v.volumeName, target: v.containerPath, readOnly: v.readOnly })),
    user: c.user,
    workingDir: c.workingDir,
    restart: c.restart,
    maxRetryCount: c.maxRetryCount,
    stopTimeout: c.stopTimeout,
    logDriver: c.logDriver,
    logOpts: c.logOpts,
    ports: c.ports,
    health: c.healthcheck,
    env: c.env,
    labels: c.labels,
    image,
    process: entrypointInImage ? [...(c.command ?? [])] : [...(c.entrypoint ?? []), ...(c.command ?? [])],
  };
}

describe('the two renderers express the same spec, field by field', () => {
  const specs: Array<[string, ContainerOptions]> = [
    ['every option', { ...FULL, secretEnvironment: undefined }],
    ['defaults', { name: 'd', image: ContainerImage.fromRegistry('d:1'), memoryMiB: 32 }],
    ['unsafe and always', {
      name: 'u',
      image: ContainerImage.fromRegistry('u:1'),
      memoryMiB: 64,
      privileged: true,
      hostNetwork: true,
      hostPid: true,
      hostIpc: true,
      seccompUnconfined: true,
      allowPrivilegeEscalation: true,
      capDrop: ['NET_RAW'],
      readOnlyRootFilesystem: false,
      restartPolicy: RestartPolicy.ALWAYS,
      unsafeReason: 'needs the host network stack',
    }],
  ];

  test.each(specs)('%s', (_name, options) => {
    const spec = ContainerSpec.of(options, 'x');
    const cli = fromArgv(DockerRun.argv(spec));
    const provider = DockerProviderConfig.container(spec) as any;
    const providerImage = DockerProviderConfig.image(spec) as any;
    expect(cli.pidsLimit).toBe(spec.pidsLimit);
    delete cli.pidsLimit;
    delete cli.envFile;
    expect(fromProvider(provider, providerImage.name, false)).toEqual(JSON.parse(JSON.stringify(cli)));
    expect(DockerProviderConfig.unsupported(spec)).toEqual(['pidsLimit']);
  });

  test('the provider reports what it cannot express', () => {
    const spec = ContainerSpec.of({ name: 'u', image: ContainerImage.fromRegistry('u:1'), memoryMiB: 64, hostUts: true, unsafeReason: 'sets the hostname' }, 'x');
    expect(DockerProviderConfig.unsupported(spec)).toEqual(['pidsLimit', 'hostUts']);
  });
});
