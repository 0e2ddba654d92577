import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';

/**
 * True under CI: CI systems set `CI` to `true` (GitHub, GitLab, CircleCI),
 * `1` or `True` (others); any value but an empty one, `0`, `false` or `no`
 * counts. There a missing tool fails the run instead of skipping.
 */
export const IN_CI = isCi(process.env.CI);

/** Whether a value of the CI variable means "this is CI". */
export function isCi(value: string | undefined): boolean {
  return value !== undefined && !/^(|0|false|no|off)$/i.test(value.trim());
}

/**
 * Records that a real-tool suite runs (not skips), in the file
 * `CDKTF_ISOLATION_SUITE_LOG` names (.ci/run counts the lines and fails when
 * a real-tool suite did not run).
 */
export function recordSuiteRun(what: string): void {
  const log = process.env.CDKTF_ISOLATION_SUITE_LOG;
  if (!log) return;
  const file = (new Error().stack ?? '').split('\n').map((l) => /\(?([^\s()]+\.test\.ts):\d+/.exec(l)?.[1]).find((f) => f !== undefined) ?? 'unknown';
  appendFileSync(log, `${file.replace(/^.*\/test\//, 'test/')}\t${what}\n`);
}

/** True when `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1" >/dev/null 2>&1', 'sh', command]).status === 0;
}

/**
 * Decides whether a test that needs real tools runs. Present: true. Missing
 * under CI: throws (a missing tool is a failure there). Missing elsewhere:
 * prints a visible SKIPPED line and returns false.
 */
export function requireTools(what: string, commands: string[]): boolean {
  const missing = commands.filter((c) => !hasCommand(c));
  if (missing.length === 0) {
    recordSuiteRun(what);
    return true;
  }
  const message = `${what} needs ${missing.join(', ')} (Debian packages; .ci/run installs them)`;
  if (IN_CI) throw new Error(`CI=true and a required tool is missing: ${message}`);
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** The result of a finished command. */
export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (no shell). */
export function run(command: string, args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync(command, args, { encoding: 'utf8', input: options.input, cwd: options.cwd, env: options.env, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
