/**
 * Values that are only known at apply (Terraform references: a variable,
 * another resource's attribute, a data source), as the pure layers see
 * them. Core code cannot import cdktf, so the construct layer registers
 * cdktf's token test and the few Terraform functions that quote a value at
 * apply (src/terraform/tokens.ts does, when it is loaded); without that
 * registration (pure tests) nothing is a token.
 *
 * The rule for a token that reaches text (a script, a unit, a YAML
 * document): it is never put inside quoting at synth, where its resolved
 * value could break out. The text is split into literal parts, quoted at
 * synth, and token parts, quoted by Terraform at apply (`replace`,
 * `jsonencode`), with the quoting of the text's language.
 */

/** A part of a string: literal text, or a token (the token's own string, e.g. `${TfToken[TOKEN.1]}`). */
export type TextFragment = { readonly literal: string; readonly token?: undefined } | { readonly token: string; readonly literal?: undefined };

/** What the construct layer provides. */
export interface TokenHooks {
  /** True when `value` is a token or a string, number or list that holds one (not deep: objects are not walked). */
  isUnresolved(value: unknown): boolean;
  /** True when `value` is a list token (a whole list known at apply, e.g. a data source's ids), not a list that holds tokens. */
  isListToken(value: unknown): boolean;
  /** The literal and token parts of a string, in order (empty literals left out). */
  fragments(text: string): TextFragment[];
  /** A number as text: its digits, or, for a number token, a string token of the same reference. */
  numberText(value: number): string;
  /** The smaller of two numbers: a number token (Terraform's `min`) when either is one. */
  min(a: number, b: number): number;
  /** `whenTrue` when `text` starts with `prefix`, else `whenFalse`: a string token (a Terraform conditional) when `text` is one. */
  ifStartsWith(text: string, prefix: string, whenTrue: string, whenFalse: string): string;
  /** `text` without a leading `prefix`: a string token (Terraform's `trimprefix`) when `text` is one. */
  trimPrefix(text: string, prefix: string): string;
  /** A string token that Terraform resolves to `token`'s value with every `search` replaced by `replacement` (plain strings). */
  replaceAll(token: string, search: string, replacement: string): string;
  /** A string token that Terraform resolves to the body (without the quotes) of the JSON string literal of `text`'s value. */
  jsonBody(text: string): string;
  /** A string token that Terraform resolves to the base64 of the gzip of `text`'s value. */
  base64gzip(text: string): string;
  /** A string token that Terraform resolves to the base64 of `text`'s value. */
  base64(text: string): string;
  /** A string token that Terraform resolves to the hex SHA-256 of `text`'s value (UTF-8). */
  sha256(text: string): string;
}

const NO_TOKENS: TokenHooks = {
  isUnresolved: () => false,
  isListToken: () => false,
  min: (a, b) => Math.min(a, b),
  ifStartsWith: (text, prefix, t, f) => (text.startsWith(prefix) ? t : f),
  trimPrefix: (text, prefix) => (text.startsWith(prefix) ? text.slice(prefix.length) : text),
  fragments: (text) => (text === '' ? [] : [{ literal: text }]),
  numberText: (value) => String(value),
  replaceAll: (token) => token,
  jsonBody: (text) => JSON.stringify(text).slice(1, -1),
  base64gzip: (text) => text,
  base64: (text) => text,
  sha256: (text) => text,
};

let hooks: TokenHooks = NO_TOKENS;

/** Registers the construct layer's hooks (src/terraform/tokens.ts does this when it is loaded). */
export function registerTokenHooks(h: TokenHooks): void {
  hooks = h;
}

/**
 * What can be a token, told without asking the engine: a string token, or a
 * string or list that holds one, has `TfToken[` in it (`${TfToken[...]}`,
 * `#{TfToken[...]}`), and a number token is a double below -1e288 (cdktf's
 * marker in its top 16 bits puts it below -2^992; a list token below
 * -2^960). Values that fail this test (almost all that the renderers and
 * validators meet) are answered at once, here and in the engine's hooks
 * (isTokenValue); the others go to the engine's own test
 * (test/terraform/tokens.test.ts holds both to it).
 */
export function mayBeToken(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('TfToken[');
  if (typeof value === 'number') return value < -1e288;
  return value !== undefined && value !== null && typeof value !== 'boolean';
}

/** The registered hooks. */
export const Tokens: TokenHooks = {
  isUnresolved: (v) => mayBeToken(v) && hooks.isUnresolved(v),
  isListToken: (v) => hooks.isListToken(v),
  min: (a, b) => hooks.min(a, b),
  ifStartsWith: (t, p, a, b) => hooks.ifStartsWith(t, p, a, b),
  trimPrefix: (t, p) => hooks.trimPrefix(t, p),
  fragments: (t) => hooks.fragments(t),
  numberText: (v) => (mayBeToken(v) ? hooks.numberText(v) : String(v)),
  replaceAll: (t, s, r) => hooks.replaceAll(t, s, r),
  jsonBody: (t) => hooks.jsonBody(t),
  base64gzip: (t) => hooks.base64gzip(t),
  base64: (t) => hooks.base64(t),
  sha256: (t) => hooks.sha256(t),
};

/**
 * Quotes `text` for a language: literal parts with `quoteLiteral` at synth,
 * token parts with `quoteToken` (a Terraform expression) at apply. The
 * results are concatenated, so both must quote alike: a part's quoting
 * must not depend on its neighbours (true of sh single quotes, systemd
 * double quotes and JSON string bodies).
 */
export function quoteFragments(text: string, quoteLiteral: (literal: string) => string, quoteToken: (token: string) => string): string {
  return Tokens.fragments(text).map((f) => (f.token !== undefined ? quoteToken(f.token) : quoteLiteral(f.literal))).join('');
}

/** Characters some YAML readers (PyYAML, which cloud-init uses) take for line breaks, though JSON leaves them raw. */
const YAML_BREAKS = /[\u0085\u2028\u2029]/g;

/**
 * The body (without quotes) of the JSON string literal of `text`, which is
 * also a YAML double-quoted scalar's body: literal parts escaped here,
 * token parts by Terraform's `jsonencode` at apply.
 */
export function jsonStringBody(text: string): string {
  return quoteFragments(text,
    (literal) => JSON.stringify(literal).slice(1, -1).replace(YAML_BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    (token) => Tokens.jsonBody(token));
}

/**
 * Renders a document whose strings may hold tokens with a serializer that
 * must not see them (JSON.stringify, YAML): every string (value or key)
 * with a token is replaced by a placeholder that the serializer writes as
 * it is, and the placeholder in the output by the string as a
 * double-quoted JSON (and YAML) string, its tokens quoted at apply.
 * Without tokens, `serialize(value)`.
 */
export function serializeWithTokens(value: unknown, serialize: (doc: unknown) => string): string {
  if (!holdsToken(value)) return serialize(value);
  const found: string[] = [];
  const nonce = `${process.pid}${Date.now().toString(36)}`;
  const placeholder = (s: string) => {
    found.push(s);
    return `CDKTFISOLATIONTOKEN${nonce}N${found.length - 1}E`;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return Tokens.isUnresolved(v) ? placeholder(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [Tokens.isUnresolved(k) ? placeholder(k) : k, walk(x)]));
    }
    return v;
  };
  const text = serialize(walk(value));
  return text.replace(new RegExp(`"?CDKTFISOLATIONTOKEN${nonce}N(\\d+)E"?`, 'g'), (_m, i) => `"${jsonStringBody(found[Number(i)])}"`);
}

/** True when a string or number (value or key) of `value` holds a token (objects and arrays walked). */
export function holdsToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Tokens.isUnresolved(value);
  if (value === null || typeof value !== 'object') return false;
  // Loops rather than Object.entries: a host walks every container spec and document it renders.
  if (Array.isArray(value)) {
    for (const v of value) if (holdsToken(v)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) if (Tokens.isUnresolved(k) || holdsToken(record[k])) return true;
  return false;
}
