// Section 4, through the constructs: what a user sees when one app is
// inserted in the middle of a pool's declarations, with and without the
// pool's placementFile. For the first portfolios of bench/packing.ts, a
// HostPool of m6i.xlarge hosts with one IsolatedApp per app is synthesized
// (the compiled lib/, as users run it), then synthesized again with the
// newcomer declared in the middle; the hosts whose synthesized user data
// differs between the two are the hosts whose set of containers changed,
// which `cdktf deploy` updates in place (their SSM document; see the README,
// "Deploying a new version"). The baseline is the same pair of syntheses
// without the file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { median, requireCompiledLibrary, ROOT, table } from './common';
import { NEWCOMER, portfolio } from './packing-portfolios';
import type * as Isolation from '../src';
import type { PlacementItem } from '../src/core/placement';

requireCompiledLibrary();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(join(ROOT, 'lib', 'index.js')) as typeof Isolation;
const PORTFOLIOS = 10;

/**
 * User data per host, and the host index per app (`HostPool.placement()`),
 * of one synthesis by a real App (`cdktf synth`): only that writes the
 * placement file (a synthesis under `Testing` reads it and leaves it alone).
 */
function synth(apps: PlacementItem[], placementFile?: string): { userData: Map<string, string>; placement: { [app: string]: number } } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-placement-out-'));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'bench');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const pool = new lib.HostPool(stack, 'pool', { instanceType: 'm6i.xlarge', maxHosts: 1000, placementFile });
    const image = lib.ContainerImage.fromRegistry('ghcr.io/acme/app:1.0');
    for (const a of apps) new lib.IsolatedApp(stack, a.id, { pool, container: { name: a.id, image, memoryMiB: a.memoryMiB, cpus: a.cpus } });
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'bench', 'cdk.tf.json'), 'utf8'));
    const userData = new Map<string, string>();
    for (const instance of Object.values<any>(json.resource.aws_instance)) {
      userData.set(instance.tags.Name, JSON.stringify([instance.user_data, instance.user_data_base64]));
    }
    return { userData, placement: pool.placement() };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const rows: Array<Array<string | number>> = [];
const dir = mkdtempSync(join(tmpdir(), 'bench-placement-file-'));
try {
  const results = { without: { moved: [] as number[], changed: [] as number[] }, with: { moved: [] as number[], changed: [] as number[] } };
  for (let seed = 1; seed <= PORTFOLIOS; seed++) {
    const apps = portfolio(seed);
    const mid = Math.floor(apps.length / 2);
    const inserted = [...apps.slice(0, mid), NEWCOMER, ...apps.slice(mid)];
    for (const variant of ['without', 'with'] as const) {
      const file = variant === 'with' ? join(dir, `placement-${seed}.lock.json`) : undefined;
      const before = synth(apps, file);
      const after = synth(inserted, file);
      results[variant].moved.push(apps.filter((x) => after.placement[x.id] !== before.placement[x.id]).length);
      results[variant].changed.push([...before.userData].filter(([host, text]) => after.userData.get(host) !== text).length);
    }
  }
  for (const variant of ['without', 'with'] as const) {
    const r = results[variant];
    rows.push([variant === 'with' ? 'STABLE + placementFile' : 'STABLE (baseline: no file)', `${r.moved.filter((x) => x > 0).length}/${PORTFOLIOS}`,
      median(r.moved), Math.max(...r.moved), median(r.changed), Math.max(...r.changed)]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`## Insertion through HostPool (first ${PORTFOLIOS} portfolios of section 4, synthesized with lib/)\n`);
console.log(`One app (${NEWCOMER.memoryMiB} MiB, ${NEWCOMER.cpus} vCPU) declared in the middle; a host changes when its synthesized user data does ` +
  '(its set of containers changed: Terraform updates it in place through its SSM document).\n');
console.log(table(['pool', 'portfolios with a move', 'containers moved: median', 'max', 'hosts changed: median', 'max'], rows));
