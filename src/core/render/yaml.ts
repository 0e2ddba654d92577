/**
 * The YAML of cloud-config documents, written by the `yaml` package (the
 * one YAML writer of this library) with the options and quoting that
 * PyYAML, cloud-init's reader, needs.
 */
import type { CreateNodeOptions, DocumentOptions, ScalarTag, SchemaOptions, ToStringOptions } from 'yaml';

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * The `yaml` package's options for cloud-config, with three changes for
 * PyYAML, each found by the PyYAML round trip in
 * test/integration/cloud-init.test.ts:
 * - The package writes the string `<<` bare (as its merge key), and `=`
 *   bare; PyYAML takes them for its merge and value types and then refuses
 *   them anywhere but as mapping keys ("could not determine a constructor
 *   for the tag"), so cloud-init would reject the whole user data. Here the
 *   merge tag never claims a string, and both look like non-strings, so
 *   they are quoted.
 * - Double-quoted strings stay on one line (`\n` escapes, no folding).
 * - YAML 1.1, so strings that PyYAML would read as booleans or numbers
 *   (`on`, `yes`, `0644`, `1:20`) are quoted.
 */
export const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
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
 * them, so they are double-quoted: one-line strings with a tab (PyYAML
 * cannot read a tab in a plain scalar), strings of only spaces, tabs and
 * newlines (written as a block, PyYAML reads the spaces as indentation),
 * and strings with a next-line, line or paragraph separator (line breaks
 * to PyYAML, escaped as `\N`, `\L`, `\P`).
 */
export function needsDoubleQuotes(value: string): boolean {
  return (value.includes('\t') && !value.includes('\n'))
    || (value.includes('\n') && /^[ \t\n]*$/.test(value))
    || /[\x85\u2028\u2029]/.test(value);
}

let yamlModule: typeof import('yaml') | undefined;
/** The `yaml` package, loaded on first use (it is most of the library's load time otherwise). */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof import('yaml');
  return yamlModule;
}

/** The YAML text of a cloud-config document object (with a final newline). */
export function stringifyCloudConfig(doc: Record<string, unknown>): string {
  const { Document, Scalar, visit } = yaml();
  const document = new Document(doc, YAML_OPTIONS);
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && needsDoubleQuotes(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  // The package leaves these three raw inside double quotes, where PyYAML
  // folds them with the spaces around them. Every string holding one is
  // double-quoted (needsDoubleQuotes), so each escape lands in a quoted scalar.
  return document.toString(YAML_OPTIONS).replace(/\x85/g, '\\N').replace(/\u2028/g, '\\L').replace(/\u2029/g, '\\P');
}
