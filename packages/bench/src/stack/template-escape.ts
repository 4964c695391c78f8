/**
 * Escaping of template values for the format each lands in. A value is data, never syntax: a
 * workspace path with a space, `#` or `;` must reach the program as written, and what cannot be
 * written safely (a newline, NUL) is refused with the placeholder and value named.
 *
 * - argv: each element is one exec(2) argument, no shell: only NUL is impossible.
 * - INI (the supervisor's config, read by the `ini` package): `;`/`#` start comments, `\\`, `\;`,
 *   `\#` are its escapes. In `cmd`/`args`, which the supervisor splits like a shell (shell-quote)
 *   and scans for `$(circus.…)`, every character outside a plain set is backslash-escaped for the
 *   shell first. A newline would start a new key or section: refused.
 * - nginx: string placeholders must sit inside double quotes, where `\\` and `\"` are the
 *   escapes; `$` (variables) and newlines are refused. Numbers are written as they are.
 */
import { TemplateValueError } from '../errors.js';

export type TemplateFormat = 'argv' | 'ini' | 'nginx' | 'text';

/** The format of a rendered config, from its output file name. */
export function formatOf(output: string): TemplateFormat {
  if (output.endsWith('.ini')) return 'ini';
  if (output.endsWith('.conf')) return 'nginx';
  return 'text';
}

/** Where a value lands, for the escaping and for the message if it cannot. */
export interface Slot {
  format: TemplateFormat;
  /** e.g. `supervisor.ini line 12` or `process supervisor argv[2]`. */
  where: string;
  /** The whole template line (INI key, nginx quoting). */
  line: string;
  /** Offset of the placeholder in `line`. */
  offset: number;
}

/** INI keys the supervisor splits into words like a shell. */
const SHELL_KEYS = new Set(['cmd', 'args']);
const SHELL_PLAIN = /[A-Za-z0-9_\-.,/:@%+=]/;

function escapeIni(text: string): string {
  return text.replace(/[\\;#]/g, (c) => `\\${c}`);
}

function escapeShellWord(text: string): string {
  return [...text].map((c) => (SHELL_PLAIN.test(c) ? c : `\\${c}`)).join('');
}

/** True when `offset` in `line` is inside a double-quoted nginx string. */
function insideNginxQuotes(line: string, offset: number): boolean {
  let quoted = false;
  for (let i = 0; i < offset; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') quoted = !quoted;
  }
  return quoted;
}

/** The profile's `app`: MODULE:EXPORT (or EXPORT()), as the adapter and prefork take it. */
const APP_SPEC = /^[^\s:][^\s]*:[A-Za-z_$][\w$]*(\(\))?$/;

export function escapeValue(name: string, raw: string | number, slot: Slot): string {
  const value = String(raw);
  const fail = (problem: string): never => {
    throw new TemplateValueError(slot.where, name, value, problem);
  };
  if (value.includes('\0')) fail('holds a NUL byte, which no program argument or file can');
  if (name === 'app' && !APP_SPEC.test(value)) {
    fail('is not MODULE:EXPORT (e.g. @stackbench/app:benchApp; no blanks or line breaks)');
  }
  if (slot.format === 'argv') return value;
  if (/[\r\n]/.test(value)) {
    fail(`holds a line break, which would change the structure of ${slot.where}; refused`);
  }
  if (typeof raw === 'number') return value;
  switch (slot.format) {
    case 'ini': {
      const key = /^\s*([^=\s[]+)\s*=/.exec(slot.line)?.[1];
      if (key === undefined || slot.line.indexOf('=') > slot.offset) {
        fail('is outside a KEY = VALUE line (placeholders may only stand in values)');
      }
      if (SHELL_KEYS.has(key as string)) return escapeIni(escapeShellWord(value));
      if (/^\s|\s$/.test(value)) fail('starts or ends with blanks, which INI values lose');
      if (/^["']/.test(value)) fail('starts with a quote, which INI would take as quoting');
      return escapeIni(value);
    }
    case 'nginx':
      if (!insideNginxQuotes(slot.line, slot.offset)) {
        fail(`must stand inside double quotes in an nginx config (write "{${name}}…")`);
      }
      if (value.includes('$')) fail('holds $, which nginx would read as a variable; refused');
      return value.replace(/[\\"]/g, (c) => `\\${c}`);
    default:
      return value;
  }
}
