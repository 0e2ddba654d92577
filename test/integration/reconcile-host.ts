import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { ContainerSetConfig } from '../../src/core/render/container-set';
import { ReconcileDocument } from '../../src/core/render/reconcile-document';

/**
 * The environment a document runs in on the test's machine: the host's
 * directories moved under `work` (lib, units, lock, log), the private
 * engine, and a systemctl stand-in; `extra` adds to it.
 */
export function hostEnv(work: string, o: { socket: string; lib: string; unitDir: string; systemctl: string },
  extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
    DOCKER_HOST: `unix://${o.socket}`,
    DOCKER_CONFIG: join(work, 'docker-config'),
    CDKTF_ISOLATION_LIB: o.lib,
    CDKTF_ISOLATION_UNIT_DIR: o.unitDir,
    CDKTF_ISOLATION_LOCK: join(work, 'cdktf-isolation.lock'),
    CDKTF_ISOLATION_LOG: join(work, 'log/reconcile.log'),
    CDKTF_ISOLATION_SYSTEMCTL: o.systemctl,
    CDKTF_ISOLATION_PULL_ATTEMPTS: '1',
    // cloud-init finished the first boot.
    CDKTF_ISOLATION_BOOT_FINISHED: join(work, 'root/var/lib/cloud/instance/boot-finished'),
    ...extra,
  };
}

/** The end of a document run. */
export interface Reconciled {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the SSM document's commands of `set` with sh, as the agent does,
 * without blocking the event loop (request loops run meanwhile).
 */
export function runDocument(set: ContainerSetConfig, work: string, env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<Reconciled> {
  const script = join(work, `document-${Date.now()}.sh`);
  writeFileSync(script, `${ReconcileDocument.render(set, 'host').commands.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // The private engine forwards nothing (DESIGN.md), and docker run says so on every start.
      resolve({ status: code ?? -1, stdout, stderr: stderr.replace(/^WARNING: IPv4 forwarding is disabled\. Networking will not work\.\n/gm, '') });
    });
  });
}

/** One request of a loop: when it ended, how long it took, and what it got (or the error). */
export interface Sample {
  readonly endMs: number;
  readonly latencyMs: number;
  readonly status: number;
  readonly body: string;
  readonly error?: string;
}

/** GET on a fresh connection (no keep-alive), 127.0.0.1 only. */
function getOnce(port: number, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * A bounded request loop against 127.0.0.1:`port`: one request every
 * `intervalMs` (20 per second by default), one at a time, until `stop()`
 * or `maxRequests`; a request without an answer within `timeoutMs` (5 s)
 * fails. `done` resolves to every sample, in order.
 */
export function requestLoop(port: number, options: { intervalMs?: number; maxRequests?: number; timeoutMs?: number } = {}):
{ stop: () => void; done: Promise<Sample[]> } {
  const interval = options.intervalMs ?? 50;
  const max = options.maxRequests ?? 6000;
  let stopped = false;
  const t0 = Date.now();
  const done = (async () => {
    const samples: Sample[] = [];
    while (!stopped && samples.length < max) {
      const start = Date.now();
      try {
        const r = await getOnce(port, options.timeoutMs ?? 5000);
        samples.push({ endMs: Date.now() - t0, latencyMs: Date.now() - start, status: r.status, body: r.body });
      } catch (e) {
        samples.push({ endMs: Date.now() - t0, latencyMs: Date.now() - start, status: 0, body: '', error: String(e) });
      }
      const wait = interval - (Date.now() - start);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return samples;
  })();
  return { stop: () => (stopped = true), done };
}

/** What a loop measured: failed requests, the longest time without a good answer, latencies. */
export interface LoopSummary {
  readonly requests: number;
  readonly failed: number;
  /** The longest time from one good answer to the next (a failed request counts as no answer). */
  readonly longestGapMs: number;
  readonly medianLatencyMs: number;
  readonly maxLatencyMs: number;
  /** The bodies of the good answers, with repeats collapsed (['v1', 'v2'] is one switch). */
  readonly versions: string[];
  /** The slowest good answer: when it ended (ms after the loop started), its latency, its body, and the bodies of the answers around it. */
  readonly slowest?: { endMs: number; latencyMs: number; body: string; around: string[] };
}

export function summarize(samples: readonly Sample[]): LoopSummary {
  const good = samples.filter((s) => s.status === 200);
  let gap = 0;
  for (let i = 1; i < good.length; i++) gap = Math.max(gap, good[i].endMs - good[i - 1].endMs);
  const latencies = good.map((s) => s.latencyMs).sort((a, b) => a - b);
  const versions: string[] = [];
  for (const s of good) if (versions[versions.length - 1] !== s.body) versions.push(s.body);
  return {
    requests: samples.length,
    failed: samples.length - good.length,
    longestGapMs: gap,
    medianLatencyMs: latencies.length ? latencies[Math.floor(latencies.length / 2)] : 0,
    maxLatencyMs: latencies.length ? latencies[latencies.length - 1] : 0,
    versions,
    ...(good.length ? { slowest: slowestOf(good) } : {}),
  };
}

function slowestOf(good: readonly Sample[]): { endMs: number; latencyMs: number; body: string; around: string[] } {
  let i = 0;
  good.forEach((s, j) => { if (s.latencyMs > good[i].latencyMs) i = j; });
  return { endMs: good[i].endMs, latencyMs: good[i].latencyMs, body: good[i].body, around: good.slice(Math.max(0, i - 2), i + 3).map((s) => s.body) };
}
