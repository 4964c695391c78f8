/**
 * Quoting for the remote shell. ssh joins its command arguments with spaces and hands the string
 * to the login shell of the remote account, so every word is quoted here: POSIX single quotes
 * keep every byte literal (a `'` is closed, escaped and reopened). The remote login shell must be
 * a POSIX one (sh, dash, bash, zsh); that is documented in the README.
 */

const PLAIN = /^[A-Za-z0-9_\-.,/:@%+=]+$/;

export function quoteWord(word: string): string {
  if (word.includes('\0')) throw new Error('a NUL byte cannot be passed to a remote command');
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One command line for the remote shell: each argv element one word, whatever it holds. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}
