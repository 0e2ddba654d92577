// The library's cloud-config YAML writer against the `yaml` package (its
// baseline and fallback), on the same documents: the 100 hosts' cloud-configs
// of the 1,000-container synth stack. Both must give the same text; each
// round times both in alternating order in this process, after the check
// of equal output has run both once on every document.
import { App, TerraformStack } from 'cdktf';
import { stringify } from 'yaml';
import { median, requireCompiledLibrary, ROOT, runs, table } from './common';
import { benchHosts, STACK_ID } from './portfolio';
import { buildWithLibrary, IsolationModule } from './programs/library-program';

requireCompiledLibrary();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(`${ROOT}/lib/index.js`) as IsolationModule & { VmHost: typeof import('../src').VmHost };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const writer = require(`${ROOT}/lib/core/cloud-config-yaml.js`) as typeof import('../src/core/cloud-config-yaml');

const app = new App();
const stack = new TerraformStack(app, STACK_ID);
buildWithLibrary(lib, stack, benchHosts(1000, 10));
const docs = stack.node.children.filter((c): c is InstanceType<typeof lib.VmHost> => c instanceof lib.VmHost).map((h) => h.cloudConfig.toObject());

let bytes = 0;
for (const doc of docs) {
  const ours = writer.writeCloudConfigYaml(doc);
  if (ours === undefined || ours !== stringify(doc, writer.YAML_OPTIONS)) {
    throw new Error('the writer and the yaml package disagree on a benchmark document: run test/core/cloud-config-yaml.test.ts');
  }
  bytes += ours.length;
}

function time(render: (doc: Record<string, unknown>) => unknown): number {
  const t0 = process.hrtime.bigint();
  for (const doc of docs) render(doc);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const byWriter = (doc: Record<string, unknown>) => writer.writeCloudConfigYaml(doc);
const byPackage = (doc: Record<string, unknown>) => stringify(doc, writer.YAML_OPTIONS);

const n = runs(15);
const warm = { writer: [] as number[], pkg: [] as number[] };
for (let i = 0; i < n; i++) {
  if (i % 2 === 0) {
    warm.writer.push(time(byWriter));
    warm.pkg.push(time(byPackage));
  } else {
    warm.pkg.push(time(byPackage));
    warm.writer.push(time(byWriter));
  }
}
const w = median(warm.writer);
const p = median(warm.pkg);
console.log(`## Cloud-config YAML writer against the yaml package (${docs.length} documents, ${(bytes / 1024).toFixed(0)} KiB of YAML; median of ${n} alternating rounds)\n`);
console.log(table(['what', `all ${docs.length} documents`, 'per document'], [
  ['yaml package (baseline)', `${p.toFixed(1)} ms`, `${(p / docs.length * 1000).toFixed(0)} us`],
  ['library writer', `${w.toFixed(1)} ms`, `${(w / docs.length * 1000).toFixed(0)} us`],
  ['writer / package', `${(w / p).toFixed(2)}x`, '-'],
]));
console.log('\nSame text from both for every document (checked before timing).');
