/**
 * The version number in a tool's version line: `nginx version: nginx/1.22.1` → `1.22.1`,
 * `gunicorn (version 20.1.0)` → `20.1.0`, `Python 3.11.2` → `3.11.2`, `v20.20.2` → `20.20.2`;
 * the line itself when it holds none. bench records versions through it; the report applies it
 * again so that sets written before show plain numbers too.
 */
export function versionNumber(line: string): string {
  const match = /\d+(?:\.\d+)+(?:[-+][0-9A-Za-z.]+)?/.exec(line);
  return match ? match[0] : line.trim();
}
