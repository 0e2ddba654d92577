// Random documents of the shape CloudConfig.toObject() builds, for the PyYAML
// round trip in test/integration/cloud-init.test.ts.
import * as fc from 'fast-check';

// Pieces that exercise every branch of the yaml package's string rules and
// of the quoting PyYAML needs: indicators, `: ` and ` #`, YAML 1.1
// non-strings, leading and trailing spaces and newlines, quotes of both
// kinds, tabs, non-ASCII text, line separators and control characters.
export const PIECES = ['a', 'Z', '0', '7', '9', '.', 'e', 'x', '_', '-', '+', ':', ' ', ' ', '\n', '\n', '\n\n', '#', '"', "'", '?', '|', '>', '%',
  '@', '`', '[', ']', '{', '}', ',', '~', '<', '<<', '*', '&', '!', '$', '\\', '/', '=', 'y', 'n', 'on', 'No', 'true', 'null', '.inf',
  '0x1f', '0b1', '0o7', '1_000', '1:20', '2001-12-14', '---', '...', 'echo hi', '#!/bin/sh', '\t'];
const RARE = ['é', '\u2028', '\x85', '\x07'];
const piece = fc.oneof({ weight: 400, arbitrary: fc.constantFrom(...PIECES) }, { weight: 20, arbitrary: fc.constantFrom(...RARE) });
const text = fc.array(piece, { maxLength: 14 }).map((ps) => ps.join(''));
const nonEmptyList = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 3 });
const file = fc.record({
  path: text, content: text, owner: text, permissions: fc.oneof(fc.constantFrom('0644', '0755', '0600'), text),
}).chain((f) => fc.boolean().map((defer) => (defer ? { ...f, defer: true } : f)));
export const documentArb: fc.Arbitrary<Record<string, unknown>> = fc.record({
  package_update: fc.constant(true),
  package_upgrade: fc.constant(true),
  packages: nonEmptyList(text),
  write_files: nonEmptyList(file),
  bootcmd: nonEmptyList(nonEmptyList(text)),
  runcmd: nonEmptyList(nonEmptyList(text)),
  final_message: text,
}, { requiredKeys: [] });

