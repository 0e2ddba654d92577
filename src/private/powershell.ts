import { Tokens } from './tokens';

/**
 * The PowerShell quoting rule of the library: every value that reaches a
 * PowerShell script is an expression that evaluates to the value's exact
 * characters, whatever they are.
 *
 * 1. A value of printable ASCII (0x20-0x7E), tabs and line feeds only is
 *    a single-quoted string, `'...'`, with each `'` doubled. Inside single
 *    quotes PowerShell expands nothing: `$`, `$()`, `${`, backticks and
 *    double quotes are plain characters, and a line feed is a line feed
 *    (a single-quoted string may span lines). The only character that ends
 *    the string is a single quote, and PowerShell reads `''` as one `'`.
 *    (PowerShell also takes the typographic quotes U+2018-U+201B for `'`:
 *    they are not ASCII, so rule 2 takes every value that holds one.)
 * 2. Any other value (a character outside that set: non-ASCII, a carriage
 *    return, another control character), and a value that holds one of
 *    the tags EC2Launch v2 reads (`</powershell>`, `<persist>`, ...), is
 *    its UTF-8 bytes in base64,
 *    decoded when the script runs:
 *    `([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('...')))`.
 *    The script itself stays ASCII, which Windows PowerShell 5.1 (the one
 *    EC2Launch v2 runs) reads alike whatever code page it assumes for a
 *    file without a byte-order mark, and no line ending can be rewritten.
 * 3. A value that holds Terraform references (tokens, known at apply) is
 *    always rule 2, its base64 computed by Terraform (`base64encode`, of
 *    the whole value), so no resolved value can end a string.
 *
 * A Terraform template sequence (`${`, `%{`) in a value is the business of
 * the resource that takes the script (the instance's user data escapes
 * its text), as for every other renderer.
 */
export function powershellQuote(value: string): string {
  if (Tokens.isUnresolved(value)) return fromBase64(Tokens.base64(value));
  if (/^[\x20-\x7e\t\n]*$/.test(value) && !EC2LAUNCH_TAG.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return fromBase64(Buffer.from(value, 'utf8').toString('base64'));
}

/**
 * The tags EC2Launch v2 looks for in user data: a value that holds one
 * (`</powershell>` in a file's content) would end the script there, so it
 * takes rule 2.
 */
const EC2LAUNCH_TAG = /<\s*\/?\s*(powershell|script|persist|detach|runAsLocalSystem)\b/i;

function fromBase64(base64: string): string {
  return `([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${base64}')))`;
}

/** A PowerShell array expression of quoted values: `@('a', 'b')`. */
export function powershellArray(values: string[]): string {
  return `@(${values.map(powershellQuote).join(', ')})`;
}

/**
 * One Windows command-line word, quoted by the rule of
 * `CommandLineToArgvW` and the Microsoft C runtime (what a service's image
 * path and `Start-Process -ArgumentList` are split by): bare when it has
 * no space, tab, line feed or double quote and is not empty; otherwise in
 * double quotes, with each `"` preceded by a backslash and the backslashes
 * before a `"` or the closing quote doubled.
 */
export function windowsArgQuote(word: string): string {
  if (word !== '' && !/[\s"]/.test(word)) return word;
  let out = '"';
  let backslashes = 0;
  for (const c of word) {
    if (c === '\\') {
      backslashes++;
      continue;
    }
    if (c === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(backslashes) + c;
    }
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/** An argv as one Windows command line (each word quoted by `windowsArgQuote`). */
export function windowsCommandLine(argv: string[]): string {
  return argv.map(windowsArgQuote).join(' ');
}
