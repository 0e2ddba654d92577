import { chmodSync, cpSync, linkSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { run, RunResult } from './tools';

/**
 * Writes every `write_files` entry of a cloud-config under `root`, as
 * cloud-init would on the host (same bytes, same permissions).
 */
export function materialize(userData: string, root: string): string[] {
  const doc = parse(userData, { version: '1.1' }) ?? {};
  const written: string[] = [];
  for (const f of doc.write_files ?? []) {
    const target = join(root, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content ?? '');
    chmodSync(target, parseInt(f.permissions ?? '0644', 8));
    written.push(f.path);
  }
  return written;
}

/**
 * A root for `systemd-analyze verify --root`: the machine's own systemd
 * units, docker and flock binaries (verify checks that ExecStart/ExecStop programs
 * exist), plus the host's files from the cloud-config.
 */
export function systemdRoot(userData: string): string {
  const root = mkdtempSync(join(tmpdir(), 'systemd-root-'));
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  cpSync('/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true, dereference: false, verbatimSymlinks: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  // The units run docker, and flock for the lock they share with the reconcile.
  for (const program of ['docker', 'flock']) {
    try {
      linkSync(`/usr/bin/${program}`, join(root, 'usr/bin', program));
    } catch {
      cpSync(`/usr/bin/${program}`, join(root, 'usr/bin', program));
    }
  }
  materialize(userData, root);
  return root;
}

/** `systemd-analyze verify` of one unit in a root; its warnings are in stderr. */
export function systemdVerify(root: string, unit: string): RunResult {
  return run('systemd-analyze', ['verify', `--root=${root}`, unit]);
}
