// Which engine this install's `cdktf` package is: cdktf itself, or CDK Terrain
// (cdktn) installed under the name `cdktf` (README, "Using CDK Terrain"), and
// the CLI of that engine (`cdktf` from cdktf-cli, `cdktn` from cdktn-cli).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The engine's package name: 'cdktf', or 'cdktn' where cdktn is installed as cdktf. */
export const ENGINE_NAME: 'cdktf' | 'cdktn' = engineName();

/** The engine's version (the manifest of a CLI synthesis records it). */
export const ENGINE_VERSION: string = enginePackage().version;

/** The engine's CLI in the project at `root` (node_modules/.bin/cdktf or node_modules/.bin/cdktn). */
export function engineCli(root: string): string {
  return join(root, 'node_modules', '.bin', ENGINE_NAME);
}

function enginePackage(): { name: string; version: string } {
  return JSON.parse(readFileSync(require.resolve('cdktf/package.json'), 'utf8'));
}

function engineName(): 'cdktf' | 'cdktn' {
  const name = enginePackage().name;
  if (name !== 'cdktf' && name !== 'cdktn') throw new Error(`the package installed as cdktf is ${name}, neither cdktf nor cdktn`);
  return name;
}
