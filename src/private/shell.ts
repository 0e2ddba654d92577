/**
 * Quotes one word for POSIX sh: bare when it holds only safe characters,
 * else in single quotes (a `'` becomes `'\''`). Safe for any bytes but NUL.
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** Joins an argv into one shell-safe command line. */
export function shellJoin(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}
