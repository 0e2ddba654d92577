import { quoteFragments, Tokens } from './tokens';

/**
 * Quotes one word for POSIX sh: bare when it holds only safe characters,
 * else in single quotes (a `'` becomes `'\''`). Safe for any bytes but NUL.
 * A word with tokens (values known at apply) is quoted part by part: its
 * literal parts here, its tokens by Terraform's `replace` at apply (a `'`
 * becomes `'"'"'`), so no resolved value can leave the quotes.
 */
export function shellQuote(word: string): string {
  // A word of safe characters first (most are): a token holds '$', '{' and '[', which are not among them.
  if (word !== '' && SAFE.test(word)) return word;
  if (Tokens.isUnresolved(word)) {
    return quoteFragments(word, singleQuoted, (token) => `'${Tokens.replaceAll(token, "'", '\'"\'"\'')}'`);
  }
  return singleQuoted(word);
}

/** Characters a word may hold bare. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** Joins an argv into one shell-safe command line. */
export function shellJoin(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}
