import { quoteFragments, Tokens } from './tokens';

/**
 * Quotes one word for POSIX sh: bare when it holds only safe characters,
 * else in single quotes (a `'` becomes `'\''`). Safe for any bytes but NUL.
 * A word with tokens (values known at apply) is quoted part by part: its
 * literal parts here, its tokens by Terraform's `replace` at apply (a `'`
 * becomes `'"'"'`), so no resolved value can leave the quotes.
 */
export function shellQuote(word: string): string {
  if (Tokens.isUnresolved(word)) {
    return quoteFragments(word, singleQuoted, (token) => `'${Tokens.replaceAll(token, "'", '\'"\'"\'')}'`);
  }
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return singleQuoted(word);
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** Joins an argv into one shell-safe command line. */
export function shellJoin(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}
