import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { buildBusyboxImage, DockerEngine, requireEngineOrSkip } from './engine';
import { fetchWithRetries } from '../helpers/http';

const PRODUCTION_DAEMON_JSON = JSON.stringify({
  'live-restore': true,
  'log-driver': 'json-file',
  'log-opts': { 'max-size': '10m', 'max-file': '3' },
  'no-new-privileges': true,
});
const TAG = 'cdktf-isolation/busybox:test';

function forwardRules(): string {
  return execFileSync('iptables', ['-w', '-S', 'FORWARD'], { encoding: 'utf8' });
}

const run = requireEngineOrSkip();

(run ? describe : describe.skip)('private Docker engine harness', () => {
  let engine: DockerEngine | undefined;

  beforeAll(() => {
    engine = DockerEngine.start({ daemonJson: PRODUCTION_DAEMON_JSON });
    // Visible in the test output: which driver/bridge worked and how fast.
    console.log(`engine up: ${JSON.stringify(engine.info)}`);
  });

  afterAll(() => {
    engine?.stop();
    engine?.stop(); // idempotent
  });

  test('daemon runs with the production daemon.json and is fenced in', () => {
    const e = engine!;
    const info = JSON.parse(e.docker(['info', '--format', '{{json .}}']).stdout);
    expect(info.LiveRestoreEnabled).toBe(true);
    expect(info.LoggingDriver).toBe('json-file');
    expect(['overlay2', 'vfs']).toContain(info.Driver);
    expect(e.info.storageDriver).toBe(info.Driver);
    expect(fs.existsSync(e.socket)).toBe(true);

    const bridge = e.inspect('bridge');
    expect(bridge.Options['com.docker.network.bridge.name']).toBe(e.info.bridge);
    expect(bridge.IPAM.Config[0].Subnet).toMatch(/^10\.213\.\d+\.0\/24$/);
    expect(forwardRules()).toContain(`-A FORWARD -i ${e.info.bridge} -j DROP`);
  });

  test('builds the busybox image from scratch', () => {
    const e = engine!;
    buildBusyboxImage(e, TAG);
    const image = e.inspect(TAG);
    expect(image.Config.Cmd).toEqual(['/bin/httpd', '-f', '-p', '8080', '-h', '/www']);

    // Symlinked applets, /etc/passwd, and no-new-privileges from daemon.json.
    const out = e.docker([
      'run', '--rm', '--user', 'nobody', TAG,
      'sh', '-c', 'id -u; cat /www/index.html; echo; cat /proc/self/status',
    ]).stdout;
    const [uid, index] = out.split('\n');
    expect(uid).toBe('65534');
    expect(index).toBe('ok');
    expect(out).toMatch(/NoNewPrivs:\s+1/);
  });

  test('serves HTTP on a port published on 127.0.0.1', async () => {
    const e = engine!;
    e.docker(['run', '-d', '--name', 'web', '-p', '127.0.0.1:0:8080', TAG]);
    e.waitFor(() => e.inspect('web').State.Running === true, 30_000, 'container web to run');

    const mapping = e.docker(['port', 'web', '8080/tcp']).stdout.trim().split('\n')[0];
    const match = /^127\.0\.0\.1:(\d+)$/.exec(mapping);
    expect(match).not.toBeNull();
    const port = Number(match![1]);

    const res = await fetchWithRetries(`http://127.0.0.1:${port}/`, 50, 200);
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
  });

  test('waitFor throws naming what it waited for', () => {
    expect(() => engine!.waitFor(() => false, 200, 'godot')).toThrow(/godot/);
  });

  test('stop removes containers, daemon, rule, bridge and dir', () => {
    const e = engine!;
    const { bridge, pid } = e.info;
    e.stop();
    e.stop();
    expect(forwardRules()).not.toContain(bridge);
    expect(() => execFileSync('ip', ['link', 'show', bridge], { stdio: 'ignore' })).toThrow();
    expect(fs.existsSync(e.dir)).toBe(false);
    let alive = false;
    try {
      alive = !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
    } catch {
      alive = false;
    }
    expect(alive).toBe(false);
  });
});
