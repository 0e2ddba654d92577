import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { run, RunResult } from './tools';

/** Runs `cloud-init schema --config-file` on a document. */
export function cloudInitSchema(userData: string): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-init-schema-'));
  try {
    const file = join(dir, 'user-data.yaml');
    writeFileSync(file, userData);
    return run('cloud-init', ['schema', '--config-file', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every top-level key cloud-init's own schema defines (cloud-init schema
 * accepts unknown keys silently, so the library's keys are checked against it).
 */
export function cloudInitSchemaKeys(): Set<string> {
  // Ask cloud-init's own interpreter (its shebang), which may not be the python3 on the PATH.
  const bin = run('sh', ['-c', 'command -v cloud-init']).stdout.trim();
  const interpreter = readFileSync(bin, 'utf8').split('\n')[0].replace(/^#!\s*/, '').split(/\s+/)[0];
  const located = run(interpreter, ['-c', 'import cloudinit.config.schemas, os; print(os.path.dirname(cloudinit.config.schemas.__file__))']);
  if (located.status !== 0) throw new Error(`cannot locate cloud-init's schema: ${located.stderr}`);
  const schema = JSON.parse(readFileSync(join(located.stdout.trim(), 'schema-cloud-config-v1.json'), 'utf8'));
  const keys = new Set<string>();
  for (const def of Object.values<any>(schema.$defs)) {
    for (const key of Object.keys(def.properties ?? {})) keys.add(key);
  }
  return keys;
}

/** A shell script found in a cloud-config document. */
export interface FoundScript {
  readonly where: string;
  readonly text: string;
}

/** Shell scripts inside a cloud-config: files with a sh/bash shebang, and `sh -c` / `bash -c` commands. */
export function shellScriptsOf(userData: string): FoundScript[] {
  const doc = parse(userData, { version: '1.1' }) ?? {};
  const scripts: FoundScript[] = [];
  for (const f of doc.write_files ?? []) {
    if (/^#!\s*\/(usr\/)?bin\/(env\s+)?(ba|da)?sh\b/.test(f.content)) scripts.push({ where: f.path, text: f.content });
  }
  for (const key of ['bootcmd', 'runcmd']) {
    (doc[key] ?? []).forEach((cmd: unknown, i: number) => {
      if (typeof cmd === 'string') {scripts.push({ where: `${key}[${i}]`, text: `#!/bin/sh\n${cmd}\n` });} else if (Array.isArray(cmd) && /^(\/bin\/)?(ba)?sh$/.test(cmd[0]) && cmd[1] === '-c') {
        scripts.push({ where: `${key}[${i}]`, text: `#!/bin/${cmd[0].endsWith('bash') ? 'bash' : 'sh'}\n${cmd[2]}\n` });
      }
    });
  }
  return scripts;
}

/** Runs shellcheck on a script (all severities). */
export function shellcheck(text: string): RunResult {
  return run('shellcheck', ['--severity=style', '-'], { input: text });
}
