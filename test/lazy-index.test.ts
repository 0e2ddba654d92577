import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { EAGER, lazyIndex } from '../projenrc/lazy-index';
import { IN_CI } from './helpers/tools';

const ROOT = join(__dirname, '..');
const LIB_INDEX = join(ROOT, 'lib', 'index.js');

/** src/index.ts as TypeScript writes it for lib/ (CommonJS, the compile options of tsconfig.json). */
function eagerIndex(): string {
  return ts.transpileModule(readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

describe('the lazy index (projenrc/lazy-index.ts, run by the compile task)', () => {
  const sample = [
    '"use strict";',
    '// The public surface.',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'exports.B = exports.A = void 0;',
    'var a_1 = require("./hosts/a");',
    'Object.defineProperty(exports, "A", { enumerable: true, get: function () { return a_1.A; } });',
    'Object.defineProperty(exports, "B", { enumerable: true, get: function () { return a_1.Bee; } });',
    '//# sourceMappingURL=index.js.map',
  ].join('\n');

  test('each getter requires its module when read; lines keep their numbers; the side-effect module loads at require()', () => {
    expect(lazyIndex(sample).split('\n')).toEqual([
      '"use strict";',
      '// The public surface.',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'exports.B = exports.A = void 0;',
      '',
      'Object.defineProperty(exports, "A", { enumerable: true, get: function () { return require("./hosts/a").A; } });',
      'Object.defineProperty(exports, "B", { enumerable: true, get: function () { return require("./hosts/a").Bee; } });',
      'require("./terraform/tokens");',
      '//# sourceMappingURL=index.js.map',
    ]);
    expect(EAGER).toEqual(['./terraform/tokens']);
  });

  test('idempotent: a lazy index comes back as it is', () => {
    const once = lazyIndex(sample);
    expect(lazyIndex(once)).toBe(once);
  });

  test('a line it does not know (TypeScript wrote the index otherwise) fails the transform instead of passing through', () => {
    expect(() => lazyIndex(`${sample}\nexports.X = 1;`)).toThrow('lazy-index: a line TypeScript did not write for a named re-export: exports.X = 1;');
    expect(() => lazyIndex(sample.replace('var a_1 = require("./hosts/a");\n', ''))).toThrow('lazy-index: export A reads a_1, which no require before it defines');
  });

  test('TypeScript\'s output for src/index.ts transforms, and every runtime export of it stays an export', () => {
    const eager = eagerIndex();
    const lazy = lazyIndex(eager);
    const names = (code: string) => [...code.matchAll(/Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true/g)].map((m) => m[1]).sort();
    expect(names(lazy)).toEqual(names(eager));
    expect(names(lazy).length).toBeGreaterThan(30);
    expect(lazy).not.toMatch(/^var \w+ = require/m);
  });
});

// The compiled library (CI compiles it before `npm test`), each check in a fresh Node.js process.
const compiled = existsSync(LIB_INDEX) && readFileSync(LIB_INDEX, 'utf8').includes('return require(');
if (!compiled && IN_CI) throw new Error(`CI=true and ${LIB_INDEX} is missing or not lazy: run 'npx projen compile' first (.ci/run does)`);
// eslint-disable-next-line no-console
if (!compiled) console.warn(`SKIPPED: the compiled library's lazy index (${LIB_INDEX} is missing or eager: run 'npx projen compile')`);
const describeCompiled = compiled ? describe : describe.skip;

/** Runs `code` in a fresh node with `lib` the compiled index; its stdout as JSON. */
function inFreshNode(code: string): any {
  const r = spawnSync(process.execPath, ['-e', `const cdktf = require('cdktf'); const before = new Set(Object.keys(require.cache));
const loaded = () => Object.keys(require.cache).filter((k) => !before.has(k) && k.startsWith(${JSON.stringify(join(ROOT, 'lib'))})).map((k) => k.slice(${join(ROOT, 'lib').length + 1})).sort();
const lib = require(${JSON.stringify(LIB_INDEX)});
${code}`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describeCompiled('lib/index.js, compiled', () => {
  test('require() loads the index and the token hooks only; a construct loads its own modules when first read', () => {
    const result = inFreshNode(`const atRequire = loaded(); void lib.VmHost; void lib.ContainerOnVm; void lib.ContainerImage; const vmHost = loaded();
for (const k of Object.keys(lib)) void lib[k];
console.log(JSON.stringify({ atRequire, vmHost: vmHost.length, all: loaded().length }));`);
    expect(result.atRequire).toEqual(['index.js', 'private/tokens.js', 'terraform/tokens.js']);
    expect(result.vmHost).toBeGreaterThan(30);
    expect(result.vmHost).toBeLessThan(result.all);
  });

  test('every export is its module\'s own (the same class or enum object)', () => {
    const exportsOf = (source: string) => [...source.matchAll(/Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return require\("(\.[^"]+)"\)\.(\w+);/g)];
    const pairs = exportsOf(readFileSync(LIB_INDEX, 'utf8')).map(([, name, path, member]) => [name, path, member]);
    const result = inFreshNode(`const pairs = ${JSON.stringify(pairs)};
console.log(JSON.stringify(pairs.filter(([name, path, member]) => lib[name] === undefined || lib[name] !== require(require('path').join(${JSON.stringify(join(ROOT, 'lib'))}, path))[member]).map(([n]) => n)));`);
    expect(pairs.length).toBeGreaterThan(30);
    expect(result).toEqual([]);
  });

  test('a token reaching the pure layers is seen as one when nothing but the index was required (the hooks are registered)', () => {
    const result = inFreshNode(`const { Tokens } = require(${JSON.stringify(join(ROOT, 'lib', 'private', 'tokens.js'))});
const token = cdktf.Token.asString(cdktf.Lazy.stringValue({ produce: () => 'x' }));
console.log(JSON.stringify([Tokens.isUnresolved(token), Tokens.isUnresolved('plain')]));`);
    expect(result).toEqual([true, false]);
  });
});
