// The package's entry point, lib/index.js, made lazy after jsii compiled it
// (the compile task runs this): each re-export loads its module when it is
// first read, instead of every module of the library loading at require().
// A program that builds VmHosts and containers then loads those modules
// only (about 60 of 112), not the fleets, networks, pools, policy rules and
// renderers it never uses; jsii's runtime (other languages) reads exports by
// name, which the getters serve the same way. aws-cdk-lib does the same to
// its own index (its `lazify` build tool, which it does not publish).
//
// TypeScript writes a named re-export as
//   var vm_host_1 = require("./hosts/vm-host");
//   Object.defineProperty(exports, "VmHost", { enumerable: true, get: function () { return vm_host_1.VmHost; } });
// and this turns the getter into `return require("./hosts/vm-host").VmHost;`
// (the module cache makes every later read a lookup). A module that must
// load for its side effects stays eager (EAGER). Anything else in the file
// fails the transform, so a change in TypeScript's output is seen at once.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Modules the index keeps loading at require(): they register something the rest relies on. */
export const EAGER = [
  // The engine's token test and functions for the pure layers (src/private/tokens.ts): without it a token is taken for text.
  './terraform/tokens',
];

const REQUIRE = /^var (\w+) = require\("(\.[^"]+)"\);$/;
const GETTER = /^Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.(\w+); \} \}\);$/;
const LAZY_GETTER = /^Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return require\("(\.[^"]+)"\)\.(\w+); \} \}\);$/;
const KEPT = [
  /^"use strict";$/,
  /^\/\/.*$/,
  /^$/,
  /^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);$/,
  /^exports\.\w+ = (exports\.\w+ = )*void 0;$/,
  /^require\("(\.[^"]+)"\);$/,
  LAZY_GETTER,
];

/**
 * `source` (TypeScript's CommonJS output of src/index.ts) with lazy
 * re-exports. Line numbers are kept (a removed `require` leaves an empty
 * line), so the source map stays right but for columns in the getters.
 * Idempotent: a lazy index comes back unchanged.
 */
export function lazyIndex(source: string): string {
  const modules = new Map<string, string>();
  const lines = source.split('\n').map((line) => {
    const req = REQUIRE.exec(line);
    if (req) {
      const [, variable, path] = req;
      modules.set(variable, path);
      return EAGER.includes(path) ? `require("${path}");` : '';
    }
    const getter = GETTER.exec(line);
    if (getter) {
      const [, name, variable, member] = getter;
      const path = modules.get(variable);
      if (path === undefined) throw new Error(`lazy-index: export ${name} reads ${variable}, which no require before it defines`);
      return `Object.defineProperty(exports, "${name}", { enumerable: true, get: function () { return require("${path}").${member}; } });`;
    }
    if (!KEPT.some((re) => re.test(line))) throw new Error(`lazy-index: a line TypeScript did not write for a named re-export: ${line}`);
    return line;
  });
  const eagerPresent = lines.filter((l) => /^require\(/.test(l)).map((l) => /^require\("([^"]+)"\);$/.exec(l)![1]);
  // A side-effect module the index does not re-export goes last, before the source map's comment (earlier lines keep their numbers).
  const end = lines.findIndex((l) => l.startsWith('//# sourceMappingURL='));
  for (const path of EAGER) {
    if (!eagerPresent.includes(path)) lines.splice(end < 0 ? lines.length : end, 0, `require("${path}");`);
  }
  return lines.join('\n');
}

/** Rewrites `file` (default lib/index.js) in place. */
export function main(file: string = join(__dirname, '..', 'lib', 'index.js')): void {
  const before = readFileSync(file, 'utf8');
  const after = lazyIndex(before);
  if (after !== before) writeFileSync(file, after);
}

if (require.main === module) main(process.argv[2]);
