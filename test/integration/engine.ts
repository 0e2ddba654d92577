/**
 * Harness for integration tests that need a real Docker engine.
 *
 * Each `DockerEngine` is a private dockerd started by `docker-engine.sh`
 * (see DESIGN.md, "Safe local Docker engine for tests"): its own socket,
 * data root, exec root and bridge under a temp dir, no iptables/NAT/forwarding
 * and a FORWARD DROP rule for its bridge. Containers are reachable only via
 * ports published on 127.0.0.1. No registry is reachable: build test images
 * locally with `buildBusyboxImage`.
 *
 * Usage:
 *   const run = requireEngineOrSkip();
 *   (run ? describe : describe.skip)('...', () => {
 *     let engine: DockerEngine;
 *     beforeAll(() => { engine = DockerEngine.start(); });
 *     afterAll(() => engine?.stop());
 *   });
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IN_CI, recordSuiteRun } from '../helpers/tools';

const SCRIPT = path.join(__dirname, 'docker-engine.sh');
const DOCKERD = '/usr/sbin/dockerd';
/** Always this client: /usr/local/bin/docker may be an incompatible 28.x. */
const DOCKER = '/usr/bin/docker';
const BUSYBOX = '/bin/busybox';
const SBIN_PATH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Commands every busybox test image links to /bin/busybox. */
export const BUSYBOX_APPLETS: readonly string[] = [
  'sh', 'httpd', 'wget', 'sleep', 'cat', 'echo', 'env', 'id', 'nc', 'true',
  'false', 'ls', 'mkdir', 'printf', 'kill',
];

export interface EngineStatus {
  readonly available: boolean;
  readonly reason: string;
}

/** What `docker-engine.sh start` reported. */
export interface EngineInfo {
  /** Storage driver actually in use (overlay2, or vfs as fallback). */
  readonly storageDriver: string;
  /** Bridge created for this engine (dkt + hash of its dir). */
  readonly bridge: string;
  /** Subnet of the bridge; 10.213.0.0/24 unless another engine holds it. */
  readonly subnet: string;
  /** dockerd pid. */
  readonly pid: number;
  /** Wall time from `start` until `docker info` answered, in ms. */
  readonly startupMs: number;
  /** Whether the engine runs its own containerd (system one present). */
  readonly privateContainerd: boolean;
}

export interface DockerResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

export interface DockerOptions {
  /** Written to the command's stdin. */
  readonly input?: string;
  /** Return a non-zero status instead of throwing. */
  readonly allowFailure?: boolean;
  /** Kill the command after this long (default 120 s). */
  readonly timeoutMs?: number;
}

export interface DockerEngineOptions {
  /** daemon.json content, passed to dockerd with --config-file. */
  readonly daemonJson?: string;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findInPath(cmd: string): string | undefined {
  const dirs = [...SBIN_PATH, ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    if (dir && isExecutable(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return undefined;
}

/** True when `file` is an ELF executable without a program interpreter. */
export function isStaticElf(file: string): boolean {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return false;
  }
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const phoff = is64
    ? Number(le ? buf.readBigUInt64LE(32) : buf.readBigUInt64BE(32))
    : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  if (phoff === 0 || phnum === 0) return false;
  for (let i = 0; i < phnum; i++) {
    const off = phoff + i * phentsize;
    if (off + 4 > buf.length) return false;
    if (u32(off) === 3 /* PT_INTERP */) return false;
  }
  return true;
}

/** Whether this machine can run a private Docker engine, and if not, why. */
export function engineStatus(): EngineStatus {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push(`linux (platform is ${process.platform})`);
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    missing.push('root privileges');
  }
  if (!isExecutable(DOCKERD)) missing.push(DOCKERD);
  if (!isExecutable(DOCKER)) missing.push(DOCKER);
  for (const cmd of ['iptables', 'ip', 'containerd', 'runc', 'flock', 'setsid', 'bash']) {
    if (!findInPath(cmd)) missing.push(cmd);
  }
  if (!isStaticElf(BUSYBOX)) missing.push(`static busybox at ${BUSYBOX} (busybox-static)`);
  if (!fs.existsSync(SCRIPT)) missing.push(SCRIPT);
  if (missing.length > 0) {
    return { available: false, reason: `missing: ${missing.join(', ')}` };
  }
  return { available: true, reason: 'root, dockerd, docker client, iptables and static busybox present' };
}

/**
 * True when a Docker engine can be started. Otherwise: in CI
 * (`CI=true`) throws, since a missing tool there is a failure; locally
 * warns visibly and returns false so the suite can be skipped.
 */
export function requireEngineOrSkip(): boolean {
  const status = engineStatus();
  if (status.available) {
    recordSuiteRun('a private Docker engine');
    return true;
  }
  if (IN_CI) {
    throw new Error(`Docker engine integration tests cannot run in CI: ${status.reason}`);
  }
  console.warn(`SKIPPED (no Docker engine): ${status.reason}`);
  return false;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function mountsUnder(dir: string): string[] {
  try {
    return fs.readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1])
      .filter((m): m is string => !!m && (m === dir || m.startsWith(dir + '/')));
  } catch {
    return [];
  }
}

function runScript(args: string[]): DockerResult & { error?: Error } {
  const r = spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    env: { ...process.env, PATH: [...SBIN_PATH, process.env.PATH ?? ''].join(':') },
  });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status ?? -1, error: r.error };
}

function parseInfo(stdout: string): EngineInfo {
  const kv: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return {
    storageDriver: kv.storage_driver ?? '',
    bridge: kv.bridge ?? '',
    subnet: kv.subnet ?? '',
    pid: Number(kv.pid ?? NaN),
    startupMs: Number(kv.startup_ms ?? NaN),
    privateContainerd: kv.private_containerd === 'true',
  };
}

/** A private dockerd; see the module comment. */
export class DockerEngine {
  /**
   * Start a private engine in a fresh temp dir (synchronous). Throws with
   * the daemon log tail when it does not come up; nothing is left running.
   */
  public static start(options: DockerEngineOptions = {}): DockerEngine {
    let base = os.tmpdir();
    // Unix socket paths are limited to 108 bytes; the deepest is containerd's.
    if (base.length > 50) base = '/tmp';
    const dir = fs.mkdtempSync(path.join(base, 'cdktf-engine-'));
    const args = ['start', dir];
    if (options.daemonJson !== undefined) {
      const config = path.join(dir, 'daemon.json');
      fs.writeFileSync(config, options.daemonJson);
      args.push(config);
    }
    const r = runScript(args);
    if (r.error || r.status !== 0) {
      // The script cleans up after a failed start; make sure regardless.
      runScript(['stop', dir]);
      throw new Error(
        `docker-engine.sh start failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}) ` +
        `in ${dir}:\n${r.stdout}\n${r.stderr}`,
      );
    }
    return new DockerEngine(dir, parseInfo(r.stdout));
  }

  /** Path of the daemon's unix socket. */
  public readonly socket: string;
  /** The engine's temp dir (daemon log: `${dir}/dockerd.log`). */
  public readonly dir: string;
  public readonly info: EngineInfo;
  private stopped = false;

  private constructor(dir: string, info: EngineInfo) {
    this.dir = dir;
    this.socket = path.join(dir, 'docker.sock');
    this.info = info;
    fs.mkdirSync(this.clientConfigDir, { recursive: true });
  }

  private get clientConfigDir(): string {
    return path.join(this.dir, 'client-config');
  }

  /**
   * Run `/usr/bin/docker -H unix://<socket> ...args`. Throws with stderr on
   * a non-zero status unless `allowFailure`.
   */
  public docker(args: string[], opts: DockerOptions = {}): DockerResult {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DOCKER_BUILDKIT: '0',
      // Keep the user's ~/.docker (contexts, credential helpers) out of it.
      DOCKER_CONFIG: this.clientConfigDir,
    };
    for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) delete env[k];
    const r = spawnSync(DOCKER, ['-H', `unix://${this.socket}`, ...args], {
      input: opts.input,
      encoding: 'utf8',
      env,
      maxBuffer: 256 * 1024 * 1024,
      timeout: opts.timeoutMs ?? 120_000,
    });
    if (r.error) {
      throw new Error(`docker ${args.join(' ')} could not run: ${r.error.message}\n${r.stderr ?? ''}`);
    }
    const result: DockerResult = { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status ?? -1 };
    if (result.status !== 0 && !opts.allowFailure) {
      throw new Error(
        `docker ${args.join(' ')} failed (status ${result.status}${r.signal ? `, ${r.signal}` : ''}):\n${result.stderr}`,
      );
    }
    return result;
  }

  /** First element of `docker inspect nameOrId`, parsed. */
  public inspect(nameOrId: string): any {
    const parsed = JSON.parse(this.docker(['inspect', nameOrId]).stdout);
    if (!Array.isArray(parsed) || parsed.length === 0) {
      throw new Error(`docker inspect ${nameOrId} returned nothing`);
    }
    return parsed[0];
  }

  /**
   * Poll `predicate` (every 100 ms, synchronously) until it returns true;
   * throws naming `what` after `timeoutMs`. A throwing predicate counts as
   * false; its last error is included in the timeout message.
   */
  public waitFor(predicate: () => boolean, timeoutMs: number, what: string): void {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        if (predicate()) return;
        lastError = undefined;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() >= deadline) {
        const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
      }
      sleepMs(Math.min(100, Math.max(1, deadline - Date.now())));
    }
  }

  /**
   * Remove all containers, stop the daemon, remove its iptables rule,
   * mounts and bridge, then delete its temp dir (kept when
   * DOCKER_ENGINE_KEEP_DIR=1). Idempotent.
   */
  public stop(): void {
    if (this.stopped) return;
    const r = runScript(['stop', this.dir]);
    if (r.error || r.status !== 0) {
      throw new Error(
        `docker-engine.sh stop failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}) ` +
        `in ${this.dir}:\n${r.stdout}\n${r.stderr}`,
      );
    }
    this.stopped = true;
    if (process.env.DOCKER_ENGINE_KEEP_DIR !== '1' && mountsUnder(this.dir).length === 0) {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/**
 * Build `tag` FROM scratch: static busybox at /bin/busybox with the
 * BUSYBOX_APPLETS symlinked in /bin, /www/index.html = "ok", /etc/passwd and
 * /etc/group with root and nobody (65534), /tmp (1777), and
 * CMD ["/bin/httpd","-f","-p","8080","-h","/www"]. Needs no network.
 */
export function buildBusyboxImage(engine: DockerEngine, tag: string): void {
  if (!isStaticElf(BUSYBOX)) {
    throw new Error(`${BUSYBOX} is not a static binary; install busybox-static`);
  }
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-busybox-'));
  try {
    const root = path.join(ctx, 'rootfs');
    for (const d of ['bin', 'etc', 'www', 'tmp', 'root']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.chmodSync(path.join(root, 'tmp'), 0o1777);
    fs.chmodSync(path.join(root, 'root'), 0o700);
    fs.copyFileSync(BUSYBOX, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const applet of BUSYBOX_APPLETS) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
    fs.writeFileSync(path.join(root, 'www', 'index.html'), 'ok');
    fs.writeFileSync(
      path.join(root, 'etc', 'passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    );
    fs.writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\nnogroup:x:65534:\n');
    fs.writeFileSync(
      path.join(ctx, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY rootfs/ /',
        'ENV PATH=/bin',
        'CMD ["/bin/httpd","-f","-p","8080","-h","/www"]',
        '',
      ].join('\n'),
    );
    engine.docker(['build', '--quiet', '--tag', tag, ctx], { timeoutMs: 300_000 });
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}

/** Builds image `tag` from a Dockerfile and the files beside it (a throw-away context directory). */
export function buildImage(engine: DockerEngine, tag: string, dockerfile: string, files: Record<string, string> = {}): void {
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-image-'));
  try {
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile);
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(ctx, name), content);
    engine.docker(['build', '--quiet', '--tag', tag, ctx], { timeoutMs: 300_000 });
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}
