import { powershellArray, powershellQuote, windowsArgQuote, windowsCommandLine } from '../../src/private/powershell';
import { powershellErrors, powershellStatements, powershellTree } from '../helpers/powershell';
import { HOSTILE_VALUES } from '../invalid/corpus';

/**
 * Reads back a value as PowerShell would, by the language's rules for the
 * two forms the quoting writes: a verbatim (single-quoted) string, where
 * two single quotes are one and nothing else is special, and the base64
 * form, which decodes UTF-8.
 */
function readBack(expression: string): string {
  const b64 = /^\(\[System\.Text\.Encoding\]::UTF8\.GetString\(\[System\.Convert\]::FromBase64String\('([A-Za-z0-9+/=]*)'\)\)\)$/.exec(expression);
  if (b64) return Buffer.from(b64[1], 'base64').toString('utf8');
  if (!/^'([^']|'')*'$/.test(expression)) throw new Error(`not a single-quoted string: ${expression}`);
  return expression.slice(1, -1).replace(/''/g, "'");
}

describe('powershellQuote', () => {
  test('printable ASCII is a single-quoted string with each quote doubled', () => {
    expect(powershellQuote('plain')).toBe("'plain'");
    expect(powershellQuote('')).toBe("''");
    expect(powershellQuote("it's")).toBe("'it''s'");
    expect(powershellQuote("''")).toBe("''''''");
    expect(powershellQuote('$(whoami) `n ${x} "q"')).toBe("'$(whoami) `n ${x} \"q\"'");
    expect(powershellQuote('a\nb\tc')).toBe("'a\nb\tc'");
  });

  test('non-ASCII, carriage returns, control characters and EC2Launch tags are UTF-8 base64', () => {
    const b64 = (s: string) => `([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${Buffer.from(s, 'utf8').toString('base64')}')))`;
    expect(powershellQuote('é')).toBe("([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('w6k=')))");
    expect(powershellQuote('a\r\nb')).toBe(b64('a\r\nb'));
    expect(powershellQuote('\u2019')).toBe(b64('\u2019'));
    expect(powershellQuote('x</powershell>')).toBe(b64('x</powershell>'));
    expect(powershellQuote('<Persist>true')).toBe(b64('<Persist>true'));
    expect(powershellQuote('a < b')).toBe("'a < b'");
  });

  test.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v), v]))('hostile %s reads back byte for byte and stays ASCII', (_name, value) => {
    const q = powershellQuote(value);
    expect(readBack(q)).toBe(value);
    expect(/^[\x20-\x7e\t\n]*$/.test(q)).toBe(true);
    expect(/<\s*\/?\s*powershell/i.test(q)).toBe(false);
  });

  test.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v), v]))('hostile %s parses as one expression, with no error node', async (_name, value) => {
    const q = powershellQuote(value);
    const script = `$value = ${q}\nWrite-Output $value\n`;
    expect(await powershellErrors(script)).toEqual([]);
    const tree = await powershellTree(script);
    // The assignment's right side is the one literal (or the one decoding call), and the second statement follows it.
    expect(tree).toMatch(/^\(program \(statement_list \(pipeline \(assignment_expression /);
    if (q.startsWith("'")) expect(tree).toContain('(string_literal (verbatim_string_characters))');
    expect(await powershellStatements(script)).toEqual([`$value = ${q}`, 'Write-Output $value']);
  });

  test('the parser finds errors (the check can fail)', async () => {
    expect(await powershellErrors("$value = 'it's'\n")).not.toEqual([]);
    expect(await powershellErrors("$value = 'unterminated\n")).not.toEqual([]);
    expect(await powershellErrors('if ($x) { Write-Output 1\n')).not.toEqual([]);
  });

  test('arrays', () => {
    expect(powershellArray(['a', "b'c"])).toBe("@('a', 'b''c')");
    expect(powershellArray([])).toBe('@()');
  });
});

describe('windowsArgQuote (CommandLineToArgvW)', () => {
  test('bare, quoted, and backslashes before quotes', () => {
    expect(windowsArgQuote('C:\\app\\run.exe')).toBe('C:\\app\\run.exe');
    expect(windowsArgQuote('')).toBe('""');
    expect(windowsArgQuote('C:\\Program Files\\app\\run.exe')).toBe('"C:\\Program Files\\app\\run.exe"');
    expect(windowsArgQuote('say "hi"')).toBe('"say \\"hi\\""');
    expect(windowsArgQuote('a\\"b')).toBe('"a\\\\\\"b"');
    expect(windowsArgQuote('dir\\ x\\')).toBe('"dir\\ x\\\\"');
    expect(windowsCommandLine(['C:\\a.exe', '--port', '80 80'])).toBe('C:\\a.exe --port "80 80"');
  });

  /** CommandLineToArgvW's rules (2008 and later), for the words after the program name. */
  function splitArgs(line: string): string[] {
    const args: string[] = [];
    let i = 0;
    while (i < line.length) {
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i >= line.length) break;
      let arg = '';
      let quoted = false;
      for (; i < line.length; i++) {
        const c = line[i];
        if (c === '\\') {
          let n = 0;
          while (line[i] === '\\') { n++; i++; }
          if (line[i] === '"') {
            arg += '\\'.repeat(Math.floor(n / 2));
            if (n % 2 === 1) { arg += '"'; continue; }
            i--;
            continue;
          }
          arg += '\\'.repeat(n);
          i--;
          continue;
        }
        if (c === '"') {
          if (quoted && line[i + 1] === '"') { arg += '"'; i++; continue; }
          quoted = !quoted;
          continue;
        }
        if (!quoted && (c === ' ' || c === '\t')) break;
        arg += c;
      }
      args.push(arg);
    }
    return args;
  }

  test.each(HOSTILE_VALUES.filter((v) => !/[\r\n]/.test(v)).map((v) => [JSON.stringify(v), v]))('hostile %s splits back to itself', (_name, value) => {
    expect(splitArgs(windowsCommandLine(['--x', value, 'last']))).toEqual(['--x', value, 'last']);
  });
});
