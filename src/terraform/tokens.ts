import { Fn, IFragmentConcatenator, Token, Tokenization } from 'cdktf';
import { mayBeToken, registerTokenHooks, TextFragment } from '../private/tokens';

/**
 * A literal string as an argument of a Terraform function. cdktf's
 * `Fn.rawString` escapes `"` and `${` but not `\`, which is doubled here;
 * a literal with `%{`, a control character or a line separator goes in as
 * `base64decode("...")`, which Terraform evaluates at plan and which no
 * quoting can break.
 */
export function literalArg(text: string): string {
  if (/[\x00-\x1f\x7f-\x9f\u2028\u2029]|%\{/.test(text)) return Fn.base64decode(Buffer.from(text, 'utf8').toString('base64'));
  return Fn.rawString(text.replace(/\\/g, '\\\\'));
}

/** A list of fragment values built by `concatenator` (tagged, so a value that is itself an array is not mistaken for one). */
const FRAGMENTS = Symbol('fragments');
type FragmentValues = unknown[] & { [FRAGMENTS]?: true };

function valuesOf(x: unknown): unknown[] {
  if (x === undefined) return [];
  return Array.isArray(x) && (x as FragmentValues)[FRAGMENTS] ? x : [x];
}

/** Joins the fragments of a tokenized string into the list of their values (literal strings and token strings), in order. */
const concatenator: IFragmentConcatenator = {
  join: (left: unknown, right: unknown) => {
    const out: FragmentValues = [...valuesOf(left), ...valuesOf(right)];
    out[FRAGMENTS] = true;
    return out;
  },
};

/** The literal and token parts of `text`. */
export function fragmentsOf(text: string): TextFragment[] {
  if (!Token.isUnresolved(text)) return text === '' ? [] : [{ literal: text }];
  const values = valuesOf(Tokenization.reverseString(text).join(concatenator));
  const out: TextFragment[] = [];
  for (const v of values) {
    if (typeof v === 'string' && Token.isUnresolved(v)) out.push({ token: v });
    else if (Tokenization.isResolvable(v)) out.push({ token: Token.asString(v) });
    else if (v !== undefined && String(v) !== '') out.push({ literal: String(v) });
  }
  return out;
}

/**
 * A Terraform expression (as a string token) that resolves to `text`: the
 * text itself when it is one token, else `join("", [...])` of its literal
 * parts (as literal arguments) and its tokens. Safe to pass to any
 * function, whatever the literal parts hold.
 */
export function expressionOf(text: string): string {
  const parts = fragmentsOf(text);
  if (parts.length === 1 && parts[0].token !== undefined) return parts[0].token;
  if (parts.every((p) => p.literal !== undefined)) return literalArg(text);
  return Fn.join('', parts.map((p) => (p.token !== undefined ? p.token : literalArg(p.literal))));
}

/**
 * `Token.isUnresolved`, answered at once for ordinary numbers and strings
 * (mayBeToken): cdktf's test of a number allocates an ArrayBuffer and two
 * views per call, and the renderers and checks ask thousands of times per
 * host (0.3 s of a 1,000-container synthesis).
 */
export function isTokenValue(value: unknown): boolean {
  return mayBeToken(value) && Token.isUnresolved(value);
}

/**
 * True when `value` is a list token (a whole list known at apply: a
 * variable's or a data source's list), not a list that holds tokens.
 * cdktf keeps a string list token as a list of one string that holds
 * `#{TfToken[` and a number list token as a list of one marked double;
 * `Tokenization.reverseList` finds the first by splitting the string into
 * fragments (an allocation for every one-element list a validator meets:
 * one port, one command word) and throws a TypeError on a list of one
 * number, object, boolean or null, which a plain-JavaScript caller can
 * pass where the library expects strings: such a list is not a list token,
 * and its elements get the validator's own error.
 */
export function isListToken(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 1) return false;
  const only: unknown = value[0];
  if (typeof only === 'string') return only.includes('#{TfToken[') && Tokenization.reverseList(value) !== undefined;
  return typeof only === 'number' && Tokenization.reverseNumberList(value) !== undefined;
}

function isUnresolved(value: unknown): boolean {
  if (isTokenValue(value)) return true;
  return Array.isArray(value) && value.some((v) => isTokenValue(v));
}

registerTokenHooks({
  isUnresolved,
  isListToken,
  min: (a, b) => (isTokenValue(a) || isTokenValue(b) ? Token.asNumber(Fn.min([a, b])) : Math.min(a, b)),
  ifStartsWith: (text, prefix, whenTrue, whenFalse) => (Token.isUnresolved(text)
    ? Token.asString(Fn.conditional(Fn.startswith(expressionOf(text), literalArg(prefix)), expressionOf(whenTrue), expressionOf(whenFalse)))
    : (text.startsWith(prefix) ? whenTrue : whenFalse)),
  trimPrefix: (text, prefix) => (Token.isUnresolved(text) ? Fn.trimprefix(expressionOf(text), literalArg(prefix))
    : (text.startsWith(prefix) ? text.slice(prefix.length) : text)),
  fragments: fragmentsOf,
  numberText: (value) => (isTokenValue(value) ? Token.asString(value) : String(value)),
  replaceAll: (token, search, replacement) => Fn.replace(token, literalArg(search), literalArg(replacement)),
  // JSON leaves U+0085, U+2028 and U+2029 raw; PyYAML (cloud-init's reader) takes them for line breaks in a scalar, so they are escaped too.
  jsonBody: (text) => [['\u0085', '\\u0085'], ['\u2028', '\\u2028'], ['\u2029', '\\u2029']].reduce(
    (body, [from, to]) => Fn.replace(body, literalArg(from), literalArg(to)),
    Fn.trimsuffix(Fn.trimprefix(Fn.jsonencode(expressionOf(text)), literalArg('"')), literalArg('"'))),
  base64gzip: (text) => Fn.base64gzip(expressionOf(text)),
  base64: (text) => Fn.base64encode(expressionOf(text)),
  sha256: (text) => Fn.sha256(expressionOf(text)),
});

/** Loaded for its registration: the modules that create resources import this. */
export const TOKENS_REGISTERED = true;
