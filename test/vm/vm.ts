/**
 * Harness for test/vm/boot.test.ts: a cached Debian 12 VM image, a Docker
 * registry on 127.0.0.1 and a qemu VM that reports its state on a virtio port.
 *
 * Network: qemu user networking with restrict=on, so the guest reaches
 * nothing but two guestfwd rules (the Debian mirror the host uses, port 80,
 * and the host's registry) and the host reaches only a hostfwd to one guest
 * port, bound to 127.0.0.1.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as dns } from 'node:dns';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { httpGet } from '../helpers/http';
import { IN_CI } from '../helpers/tools';

/** Where built images live: outside the repo, one dir per image recipe. */
export const CACHE_ROOT = process.env.CDKTF_ISOLATION_VM_CACHE ?? '/var/cache/cdktf-isolation-vm';
export const MIRROR_HOST = 'deb.debian.org';
/** Guest address qemu forwards (port 80) to the mirror the host uses. */
export const MIRROR_GUEST_IP = '10.0.2.100';
/** Guest address qemu forwards to the host's registry. */
export const REGISTRY_GUEST_IP = '10.0.2.101';
/** Guest port of the registry: 127.0.0.1:5000 inside the VM (proxied to REGISTRY_GUEST_IP). */
export const REGISTRY_GUEST_PORT = 5000;

/** What every VM suite needs on the machine (each adds its own). */
export const VM_TOOLS: readonly string[] = ['qemu-system-x86_64', 'qemu-img', 'debootstrap', 'cloud-localds', 'docker-registry', 'mkfs.ext4', 'socat'];

/**
 * Whether the VM suite `file` runs: with CDKTF_ISOLATION_VM_TEST=1 or in CI.
 * Else it says why it skips (`what` it would do, and how long).
 */
export function vmTestWanted(file: string, what: string): boolean {
  const wanted = process.env.CDKTF_ISOLATION_VM_TEST === '1' || IN_CI;
  if (!wanted) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${file} ${what}; run it with CDKTF_ISOLATION_VM_TEST=1 (CI=true runs it)`);
  }
  return wanted;
}

const HERE = __dirname;
const T0 = Date.now();

/** A progress line with wall clock and seconds since the test file started, shown live. */
export function progress(message: string): void {
  const clock = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[vm-test ${clock} +${Math.round((Date.now() - T0) / 1000)}s] ${message}\n`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL: a process this harness started (negative pid: its process group). */
async function terminate(child: ChildProcess, id: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(id, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  if (!(await waitExit(child, 10_000))) {
    signal('SIGKILL');
    await waitExit(child, 5_000);
  }
}

export interface VmImage {
  readonly dir: string;
  readonly kernel: string;
  readonly initrd: string;
  readonly rootfs: string;
  /** False when it came from the cache. */
  readonly built: boolean;
  readonly buildMs: number;
}

/** The image for this recipe (build script + agent + runner + guest addresses), built once per machine. */
export async function ensureImage(): Promise<VmImage> {
  const env = {
    VM_MIRROR_HOST: MIRROR_HOST,
    VM_MIRROR_GUEST_IP: MIRROR_GUEST_IP,
    VM_REGISTRY_GUEST_IP: REGISTRY_GUEST_IP,
    VM_REGISTRY_PORT: String(REGISTRY_GUEST_PORT),
  };
  const hash = createHash('sha256');
  for (const f of ['build-image.sh', 'vm-agent.py', 'vm-runner.py']) hash.update(fs.readFileSync(path.join(HERE, f)));
  hash.update(JSON.stringify(env));
  const dir = path.join(CACHE_ROOT, `debian12-amd64-${hash.digest('hex').slice(0, 16)}`);
  const files = { kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.img'), rootfs: path.join(dir, 'rootfs.raw') };
  if (fs.existsSync(path.join(dir, 'complete'))) return { dir, ...files, built: false, buildMs: 0 };

  progress(`building the VM image into ${dir} (debootstrap; a few minutes, once per machine)`);
  const started = Date.now();
  const child = spawn('bash', [path.join(HERE, 'build-image.sh'), dir], {
    env: { ...process.env, ...env, PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`build-image.sh failed with status ${code} (its output is above)`);
  return { dir, ...files, built: true, buildMs: Date.now() - started };
}

export interface Accelerator {
  readonly accel: 'kvm' | 'tcg';
  readonly reason: string;
}

/**
 * KVM when /dev/kvm really runs this kernel (some hosts expose a /dev/kvm
 * that cannot, e.g. nested PVM), TCG otherwise. The probe's answer is kept in
 * the image dir until the host reboots. CDKTF_ISOLATION_VM_ACCEL (kvm|tcg)
 * skips the probe.
 */
export async function chooseAccelerator(image: VmImage): Promise<Accelerator> {
  const forced = process.env.CDKTF_ISOLATION_VM_ACCEL;
  if (forced === 'kvm' || forced === 'tcg') return { accel: forced, reason: 'CDKTF_ISOLATION_VM_ACCEL' };
  try {
    fs.accessSync('/dev/kvm', fs.constants.R_OK);
    fs.accessSync('/dev/kvm', fs.constants.W_OK);
  } catch {
    return { accel: 'tcg', reason: 'no usable /dev/kvm' };
  }
  const hostBoot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const cache = path.join(image.dir, 'accel-probe.json');
  try {
    const cached = JSON.parse(fs.readFileSync(cache, 'utf8'));
    if (cached.hostBoot === hostBoot) return { accel: cached.accel, reason: `${cached.reason} (probed earlier since the host booted)` };
  } catch {
    // no probe yet
  }
  const result = await probeKvm(image.kernel);
  fs.writeFileSync(cache, JSON.stringify({ hostBoot, ...result }));
  return result;
}

async function probeKvm(kernel: string): Promise<Accelerator> {
  // Boot the kernel (no disk) under KVM: its first message must appear quickly.
  const child = spawn('qemu-system-x86_64', [
    '-accel', 'kvm', '-cpu', 'host', '-m', '256', '-nodefaults', '-no-user-config', '-display', 'none',
    '-no-reboot', '-kernel', kernel, '-append', 'console=ttyS0 panic=-1', '-serial', 'stdio',
  ], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const seen = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      if (/Linux version/.test(output)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(/Linux version/.test(output));
    });
  });
  const ok = await seen;
  await terminate(child, -child.pid!);
  return ok
    ? { accel: 'kvm', reason: 'the kernel booted under KVM' }
    : { accel: 'tcg', reason: '/dev/kvm exists but the kernel did not boot under KVM within 10 s' };
}

/** A Docker registry (Debian's docker-registry) on 127.0.0.1, storage in `dir`. */
export class Registry {
  public static async start(dir: string, port: number): Promise<Registry> {
    fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
    const config = path.join(dir, 'config.yml');
    fs.writeFileSync(config, [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'storage')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'));
    const log = fs.openSync(path.join(dir, 'registry.log'), 'a');
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const registry = new Registry(child, port, dir);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await httpGet(`http://127.0.0.1:${port}/v2/`)).status === 200) return registry;
      } catch {
        // not yet
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        await registry.stop();
        throw new Error(`docker-registry did not answer on 127.0.0.1:${port}:\n${tail(path.join(dir, 'registry.log'), 20)}`);
      }
      await sleep(200);
    }
  }

  private constructor(private readonly child: ChildProcess, public readonly port: number, public readonly dir: string) {}

  public async stop(): Promise<void> {
    await terminate(this.child, this.child.pid!);
  }
}

/** One line the image's agent (vm-agent.py) writes every second. */
export interface Report {
  readonly seq: number;
  readonly time: number;
  readonly boot_id: string;
  readonly uptime: number;
  readonly cloud_init: {
    readonly status_json: any;
    readonly result_json: any;
    readonly status_long: { rc: number; out: string; err: string } | null;
    readonly boot_finished: string | null;
    readonly sems: Record<string, number>;
    readonly runcmd_runs: number;
  };
  readonly units: Record<string, string>;
  readonly containers: any[] | { error: string } | null;
  /** Host wall clock (ms) when the harness read the line. */
  receivedAt: number;
}

/** The containers of a report, by name (without the leading slash). */
export function containersOf(report: Report | undefined): Record<string, any> {
  const list = report && Array.isArray(report.containers) ? report.containers : [];
  return Object.fromEntries(list.map((c) => [String(c.Name).replace(/^\//, ''), c]));
}

/** What vm-runner.py answers for one request. */
export interface CommandResult {
  readonly id: number;
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Guest seconds the commands ran. */
  readonly seconds: number;
}

export interface VmOptions {
  readonly image: VmImage;
  /** Work dir for the overlay disk, seed, logs and sockets. */
  readonly dir: string;
  readonly accel: 'kvm' | 'tcg';
  /** The user data, byte for byte as EC2 would hand it to cloud-init. */
  readonly userData: Buffer;
  readonly instanceId: string;
  readonly hostname: string;
  /** Address of the Debian mirror the host uses (port 80). */
  readonly mirrorIp: string;
  /** Port of the registry on the host's 127.0.0.1. */
  readonly registryPort: number;
  /** host 127.0.0.1:hostPort -> guest guestPort. */
  readonly forward: { hostPort: number; guestPort: number };
  /**
   * NVMe disks, as EC2 presents EBS volumes on Nitro instances: a raw file,
   * the controller's serial (the volume id without its dash), and whether
   * it is attached at start; one that is not can be hot-plugged (`hotplugNvme`).
   * @default - none
   */
  readonly nvme?: NvmeDisk[];
}

/** An NVMe disk of a VM (see VmOptions.nvme). */
export interface NvmeDisk {
  /** The drive id (QEMU), e.g. dv0. */
  readonly id: string;
  /** A raw image file. */
  readonly file: string;
  /** The NVMe serial, e.g. vol0123456789abcdef0. */
  readonly serial: string;
  /** Attached at start (else only the drive is defined, for a later device_add). */
  readonly attached: boolean;
}

/** A qemu VM booted from a copy-on-write overlay of the cached image, with a NoCloud seed. */
export class Vm {
  public static start(o: VmOptions): Vm {
    fs.mkdirSync(o.dir, { recursive: true });
    const file = (f: string) => path.join(o.dir, f);
    const check = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr ?? r.error}`);
    };
    check('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', o.image.rootfs, '-F', 'raw', file('disk.qcow2')]);
    fs.writeFileSync(file('user-data'), o.userData);
    fs.writeFileSync(file('meta-data'), `instance-id: ${o.instanceId}\nlocal-hostname: ${o.hostname}\n`);
    check('cloud-localds', [file('seed.img'), file('user-data'), file('meta-data')]);

    const netdev = [
      'user', 'id=net0', 'restrict=on',
      // cmd: forwards (one socat per connection); a plain tcp: guestfwd serves only one connection.
      `guestfwd=tcp:${MIRROR_GUEST_IP}:80-cmd:socat - TCP:${o.mirrorIp}:80`,
      `guestfwd=tcp:${REGISTRY_GUEST_IP}:${REGISTRY_GUEST_PORT}-cmd:socat - TCP:127.0.0.1:${o.registryPort}`,
      `hostfwd=tcp:127.0.0.1:${o.forward.hostPort}-:${o.forward.guestPort}`,
    ].join(',');
    const args = [
      // Under TCG the baseline x86-64 model boots faster here than `max`.
      '-accel', o.accel, '-cpu', o.accel === 'kvm' ? 'host' : 'qemu64', '-smp', '2', '-m', '2048',
      '-nodefaults', '-no-user-config', '-display', 'none',
      '-kernel', o.image.kernel, '-initrd', o.image.initrd,
      '-append', `root=/dev/vda rw console=ttyS0${o.accel === 'tcg' ? ' mitigations=off' : ''}`,
      // The overlay is thrown away: flushes need not reach the host's disk.
      '-drive', `file=${file('disk.qcow2')},if=virtio,format=qcow2,cache=unsafe`,
      '-drive', `file=${file('seed.img')},if=virtio,format=raw,readonly=on`,
      '-netdev', netdev, '-device', 'virtio-net-pci,netdev=net0',
      '-serial', `file:${file('console.log')}`,
      '-device', 'virtio-serial-pci',
      '-chardev', `file,id=report,path=${file('report.log')}`,
      '-device', 'virtserialport,chardev=report,name=cdktf.report',
      // The runner (vm-runner.py) reads commands here and answers on the same port.
      '-chardev', `socket,id=command,path=${file('command.sock')},server=on,wait=off`,
      '-device', 'virtserialport,chardev=command,name=cdktf.command',
      '-qmp', `unix:${file('qmp.sock')},server=on,wait=off`,
      ...(o.nvme ?? []).flatMap((d) => [
        '-drive', `file=${d.file},if=none,id=${d.id},format=raw`,
        ...(d.attached ? ['-device', `nvme,drive=${d.id},serial=${d.serial},id=nvme-${d.id}`] : []),
      ]),
    ];
    fs.writeFileSync(file('qemu-command'), ['qemu-system-x86_64', ...args].map((a) => JSON.stringify(a)).join(' ') + '\n');
    const log = fs.openSync(file('qemu.log'), 'a');
    const startedAt = Date.now();
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    return new Vm(child, o.dir, startedAt);
  }

  public readonly reports: Report[] = [];
  private offset = 0;
  private partial = '';
  private stopped = false;
  private commandSeq = 0;

  private constructor(private readonly child: ChildProcess, public readonly dir: string, public readonly startedAt: number) {}

  public get latest(): Report | undefined {
    return this.reports[this.reports.length - 1];
  }

  /** Reads the reports written since the last call. */
  public poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(path.join(this.dir, 'report.log'), 'r');
    } catch {
      return;
    }
    try {
      const buf = Buffer.alloc(1024 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.partial += buf.subarray(0, n).toString('utf8');
      }
    } finally {
      fs.closeSync(fd);
    }
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const text = line.replace(/\r$/, '');
      if (!text.startsWith('{')) continue;
      try {
        this.reports.push({ ...JSON.parse(text), receivedAt: Date.now() });
      } catch {
        // a line cut by a reboot
      }
    }
  }

  /** Polls every 500 ms until `predicate` holds for the latest report; throws with diagnostics after `timeoutMs`. */
  public async waitFor(what: string, timeoutMs: number, predicate: (r: Report) => boolean, onReport?: (r: Report) => void): Promise<Report> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const before = this.reports.length;
      this.poll();
      for (const r of this.reports.slice(before)) onReport?.(r);
      const latest = this.latest;
      if (latest && predicate(latest)) return latest;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`qemu exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}\n${this.diagnostics()}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${this.diagnostics()}`);
      await sleep(500);
    }
  }

  /**
   * The first report the agent began after this call (its guest clock past
   * the guest's time now, asked through the runner), for which `predicate`
   * holds: a report sampled while something was still changing (written
   * before, read after) never passes.
   */
  public async waitForReportAfterNow(what: string, timeoutMs: number, predicate: (r: Report) => boolean): Promise<Report> {
    const now = await this.runCommands(['date +%s.%N'], 30);
    if (now.rc !== 0) throw new Error(`the guest's clock could not be read: ${now.stderr}`);
    const guestNow = Number(now.stdout.trim());
    return this.waitFor(what, timeoutMs, (r) => r.time > guestNow && predicate(r));
  }

  /** Sends one QMP command and returns its result. */
  public qmp(execute: string, args?: object): Promise<any> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(path.join(this.dir, 'qmp.sock'));
      let buffer = '';
      let step = 0;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`QMP ${execute}: no answer`));
      }, 10_000);
      socket.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.on('data', (d) => {
        buffer += d.toString('utf8');
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          const msg = JSON.parse(buffer.slice(0, i));
          buffer = buffer.slice(i + 1);
          if (msg.event) continue;
          if (msg.error) {
            clearTimeout(timer);
            socket.destroy();
            reject(new Error(`QMP ${execute}: ${JSON.stringify(msg.error)}`));
            return;
          }
          // The greeting, then the answer to qmp_capabilities, then the answer to the command.
          if (step === 0) {
            socket.write(JSON.stringify({ execute: 'qmp_capabilities' }) + '\n');
          } else if (step === 1) {
            socket.write(JSON.stringify({ execute, arguments: args }) + '\n');
          } else {
            clearTimeout(timer);
            socket.end();
            resolve(msg.return);
            return;
          }
          step++;
        }
      });
    });
  }

  /**
   * Runs `commands` in the guest as the SSM agent's runShellScript plugin
   * would (vm-runner.py: one `_script.sh`, `sh -c`, as root) and returns what
   * they printed and their exit code. The runner serves one request at a time.
   */
  public runCommands(commands: readonly string[], timeoutSeconds: number): Promise<CommandResult> {
    const id = ++this.commandSeq;
    return new Promise((resolve, reject) => {
      const socket = net.connect(path.join(this.dir, 'command.sock'));
      let buffer = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`the guest runner did not answer request ${id} within ${timeoutSeconds + 60} s\n${this.diagnostics()}`));
      }, (timeoutSeconds + 60) * 1000);
      socket.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.on('connect', () => socket.write(JSON.stringify({ id, commands, timeoutSeconds }) + '\n'));
      socket.on('data', (d) => {
        buffer += d.toString('utf8');
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          const answer = JSON.parse(buffer.slice(0, i));
          buffer = buffer.slice(i + 1);
          // An answer to an earlier request whose caller gave up: not ours.
          if (answer.id !== id) continue;
          clearTimeout(timer);
          socket.end();
          resolve(answer);
          return;
        }
      });
    });
  }

  /**
   * Shuts the guest down cleanly (`systemctl poweroff` through the runner:
   * the image maps the ACPI power button to a reboot; EC2 stops an instance
   * this way before it detaches a volume, its filesystems unmounted), then
   * stops qemu; after `timeoutMs` without poweroff, stops it anyway.
   * @returns whether the guest powered off by itself
   */
  public async powerdown(timeoutMs = 120_000): Promise<boolean> {
    if (this.stopped) return false;
    // A timer, so that the runner answers before the guest goes down.
    const r = await this.runCommands(['systemd-run --quiet --on-active=1 /bin/systemctl poweroff'], 30);
    if (r.rc !== 0) throw new Error(`poweroff could not be scheduled in the guest: ${r.stderr}`);
    const off = await waitExit(this.child, timeoutMs);
    await this.stop();
    return off;
  }

  /** Hot-plugs the NVMe controller of a disk defined with `attached: false` (PCI hot-plug, as an EBS attachment after boot). */
  public hotplugNvme(disk: NvmeDisk): Promise<any> {
    return this.qmp('device_add', { driver: 'nvme', drive: disk.id, serial: disk.serial, id: `nvme-${disk.id}` });
  }

  /** The tail of the serial console and the state of the last report. */
  public diagnostics(): string {
    const r = this.latest;
    const summary = r ? JSON.stringify({
      uptime: r.uptime,
      units: r.units,
      cloud_init: r.cloud_init.status_json?.v1?.stage ?? null,
      result: r.cloud_init.result_json,
      containers: Object.fromEntries(Object.entries(containersOf(r)).map(([n, c]) => [n, `${c.State?.Status}/${c.State?.Health?.Status}`])),
      containersError: r.containers && !Array.isArray(r.containers) ? r.containers : undefined,
    }) : 'no report yet';
    return `last report: ${summary}\nconsole (last 40 lines of ${path.join(this.dir, 'console.log')}):\n${tail(path.join(this.dir, 'console.log'), 40)}`;
  }

  /** Kills qemu and the socat forwards it spawned. Idempotent. */
  public async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pid = this.child.pid!;
    // slirp starts each `cmd:` forward in a session of its own: find them by parent pid first.
    const children = childPids(pid);
    await terminate(this.child, -pid);
    for (const c of children) {
      try {
        process.kill(c, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}

function childPids(parent: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The IPv4 address the host's resolver (getaddrinfo: /etc/hosts, then DNS) gives the mirror, as apt uses it. */
export async function mirrorAddress(): Promise<string> {
  return (await dns.lookup(MIRROR_HOST, { family: 4 })).address;
}
