/**
 * A YAML writer for the one document shape `CloudConfig.toObject()` builds
 * (a map of booleans, strings, lists of strings, lists of string lists and
 * a list of flat string maps), whose output is byte for byte what the
 * `yaml` package writes with `CloudConfig`'s options (YAML 1.1, plain style
 * by default, no line folding). It exists for speed: the `yaml` package
 * builds a document tree for every render, which was a fifth of a
 * synthesis of the benchmark stack and all of the library's overhead over
 * the hand-written program; this writer takes about 0.16x its time
 * (bench/RESULTS.md, bench/yaml-writer.ts). It handles strings of printable ASCII,
 * tabs and newlines; for anything else (other control characters, non-ASCII
 * text, whitespace-only last lines) it returns `undefined` and
 * `CloudConfig.render()` falls back to the `yaml` package. Both paths
 * depart from the package's defaults where PyYAML (cloud-init's reader)
 * would misread its output (YAML_OPTIONS, needsDoubleQuotes).
 *
 * test/core/cloud-config-yaml.test.ts compares it with the `yaml` package
 * on random documents, and holds the YAML 1.1 resolvers below against the
 * package's own schema.
 */

import type { CreateNodeOptions, DocumentOptions, ScalarTag, SchemaOptions, ToStringOptions } from 'yaml';

/** A document value the writer understands. */
type Value = boolean | string | string[] | string[][] | Array<Record<string, string | boolean>>;

/** Printable ASCII, tabs and newlines: the strings this writer renders itself. */
const HANDLED = /^[\x20-\x7e\t\n]*$/;

/**
 * Strings that cannot be plain scalars: the `yaml` package's test
 * (stringifyString.js, plainString): indicator characters at the start,
 * `: ` or ` #` inside, a space or `:` at the end.
 */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/**
 * Plain scalars a YAML 1.1 reader (PyYAML, so cloud-init) would take for
 * something other than a string: null, booleans, integers (binary, octal,
 * decimal, hex, sexagesimal), floats, the merge key, timestamps and the
 * value key `=`. Such strings are quoted. The same expressions, in the same order, as the
 * `yaml` package's YAML 1.1 schema with `YAML_OPTIONS` (a test compares them).
 */
export const YAML_1_1_NON_STRING_SCALARS: readonly RegExp[] = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^<<$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
  /^=$/,
];

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * The `yaml` package's options for cloud-config, with three changes for
 * PyYAML (cloud-init's reader), each found by the PyYAML round trip in
 * test/integration/cloud-init.test.ts:
 * - The package writes the string `<<` bare (as its merge key), and `=`
 *   bare; PyYAML takes them for its merge and value types and then refuses
 *   them anywhere but as mapping keys ("could not determine a constructor
 *   for the tag"), so cloud-init would reject the whole user data. Here the
 *   merge tag never claims a string, and both look like non-strings, so
 *   they are quoted.
 * - Double-quoted strings stay on one line (`\n` escapes, no folding).
 */
export const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
  // Quote strings that YAML 1.1 readers (cloud-init uses PyYAML) would
  // take for booleans or numbers, e.g. `on`, `yes`, `0644`.
  defaultStringType: 'PLAIN',
  version: '1.1',
  doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
  customTags: (tags) => [
    ...tags.map((t): typeof t => (typeof t === 'object' && t.tag === MERGE_TAG
      ? { tag: MERGE_TAG, default: true, test: /^<<$/, resolve: (t as ScalarTag).resolve, identify: () => false }
      : t)),
    { tag: 'tag:yaml.org,2002:value', default: true, test: /^=$/, resolve: (v: string) => v, identify: () => false },
  ],
};

/**
 * Strings PyYAML would misread in the style the `yaml` package picks for
 * them, so both paths double-quote them: one-line strings with a tab
 * (PyYAML cannot read a tab in a plain scalar), strings of only spaces,
 * tabs and newlines (written as a block, PyYAML reads the spaces as
 * indentation), and strings with a next-line, line or paragraph separator
 * (line breaks to PyYAML, escaped as `\N`, `\L`, `\P`).
 */
function needsDoubleQuotes(value: string): boolean {
  return (value.includes('\t') && !value.includes('\n'))
    || (value.includes('\n') && /^[ \t\n]*$/.test(value))
    || /[\x85\u2028\u2029]/.test(value);
}

let yamlModule: typeof import('yaml') | undefined;
/**
 * The `yaml` package, loaded on first use: it is only needed for documents
 * this writer does not handle, and loading it was the largest part of the
 * library's load time (bench/RESULTS.md).
 */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof import('yaml');
  return yamlModule;
}

/**
 * The YAML text of a `CloudConfig.toObject()` document: this module's
 * writer when it handles every value, else the `yaml` package with
 * `YAML_OPTIONS` (the same text either way).
 */
export function stringifyCloudConfig(doc: Record<string, unknown>): string {
  return writeCloudConfigYaml(doc) ?? stringifyWithYamlPackage(doc);
}

/** `value` with every string that `needsDoubleQuotes` as a double-quoted scalar, for the `yaml` package. */
function withDoubleQuotes(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!needsDoubleQuotes(value)) return value;
    const { Scalar } = yaml();
    const quotedScalar = new Scalar(value);
    quotedScalar.type = Scalar.QUOTE_DOUBLE;
    return quotedScalar;
  }
  if (Array.isArray(value)) return value.map(withDoubleQuotes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDoubleQuotes(v)]));
  }
  return value;
}

/**
 * What the `yaml` package writes for `doc` with `YAML_OPTIONS` and the
 * strings that need double quotes marked (the fallback of
 * `stringifyCloudConfig`, and the reference its writer is tested against).
 */
export function stringifyWithYamlPackage(doc: Record<string, unknown>): string {
  // The package leaves these three raw inside double quotes, where PyYAML
  // folds them with the spaces around them. Every string holding one is
  // double-quoted (needsDoubleQuotes), so each escape lands in a quoted scalar.
  return yaml().stringify(withDoubleQuotes(doc), YAML_OPTIONS)
    .replace(/\x85/g, '\\N').replace(/\u2028/g, '\\L').replace(/\u2029/g, '\\P');
}

/** The first characters (or emptiness) of every match of YAML_1_1_NON_STRING_SCALARS: a cheap test first. */
const MAY_NOT_BE_A_STRING = /^(?:$|[-+.0-9~<=EeNnYyTtFfOo])/;

/** Thrown inside the writer when a string is outside what it handles. */
class Unhandled extends Error {}

/**
 * The YAML text of `doc` (with a final newline), or `undefined` when a
 * value is outside what this writer handles.
 */
export function writeCloudConfigYaml(doc: Record<string, unknown>): string | undefined {
  try {
    if (Object.keys(doc).length === 0) throw new Unhandled();
    let out = '';
    for (const key of Object.keys(doc)) out += pair(key, doc[key] as Value);
    return out;
  } catch (e) {
    if (e instanceof Unhandled) return undefined;
    throw e;
  }
}

/** One top-level `key: value`. */
function pair(key: string, value: Value): string {
  if (typeof value === 'boolean' || typeof value === 'string') return `${key}: ${scalar(value, '  ')}\n`;
  if (!Array.isArray(value) || value.length === 0) throw new Unhandled();
  let out = `${key}:\n`;
  for (const item of value) {
    if (typeof item === 'string') {
      out += `  - ${scalar(item, '    ')}\n`;
    } else if (Array.isArray(item)) {
      if (item.length === 0) throw new Unhandled();
      for (let i = 0; i < item.length; i++) out += `${i === 0 ? '  - ' : '    '}- ${scalar(item[i], '      ')}\n`;
    } else if (item !== null && typeof item === 'object') {
      const keys = Object.keys(item);
      if (keys.length === 0) throw new Unhandled();
      for (let i = 0; i < keys.length; i++) {
        out += `${i === 0 ? '  - ' : '    '}${keys[i]}: ${scalar(item[keys[i]], '      ')}\n`;
      }
    } else {
      throw new Unhandled();
    }
  }
  return out;
}

/** A scalar as the value of a pair or an item of a list; `indent` is its block indentation. */
function scalar(value: string | boolean, indent: string): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || !HANDLED.test(value)) throw new Unhandled();
  if (value.includes('\n')) return literalBlock(value, indent);
  if (value.includes('\t')) return JSON.stringify(value);
  if (NOT_PLAIN.test(value) || (MAY_NOT_BE_A_STRING.test(value) && YAML_1_1_NON_STRING_SCALARS.some((r) => r.test(value)))) return quoted(value);
  return value;
}

/** A one-line string in quotes: single quotes when it holds `"` but no `'`, else double. */
function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

/**
 * A literal block scalar (`|`), with the `yaml` package's chomping and
 * indentation indicators (stringifyString.js, blockString).
 */
function literalBlock(text: string, indent: string): string {
  // Trailing whitespace-only lines and "keep" chomping take paths this writer does not copy.
  if (/\n[\t ]+$/.test(text)) throw new Unhandled();
  let endStart = text.length;
  while (endStart > 0 && (text[endStart - 1] === '\n' || text[endStart - 1] === ' ' || text[endStart - 1] === '\t')) endStart--;
  let end = text.substring(endStart);
  const endNl = end.indexOf('\n');
  if (endNl !== -1 && (text === end || endNl !== end.length - 1)) throw new Unhandled();
  const chomp = endNl === -1 ? '-' : '';
  let value = text;
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
