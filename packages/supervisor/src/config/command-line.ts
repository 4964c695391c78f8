/**
 * Turns a watcher's `cmd` + `args` into an argv, as a shell would split words, but no shell ever
 * runs: quotes and backslashes work, `$VAR` stays literal, and operators (`|`, `>`, `;`, `&&`,
 * `$(…)` other than the Circus forms) are refused. Circus substitutions are replaced first, as
 * text (as Circus does: quote `"$(circus.env.X)"` if the value may hold spaces):
 * `$(circus.sockets.NAME)` → fd number, `$(circus.wid)` → worker id, `$(circus.env.X)` → env value.
 */
import { parse } from 'shell-quote';

export interface SubstitutionContext {
  /** Socket name → fd number in the child; absent when the watcher does not use sockets. */
  sockets: ReadonlyMap<string, number> | undefined;
  wid: number;
  env: Readonly<Record<string, string | undefined>>;
}

const VARIABLE = /\$\(circus\.([A-Za-z0-9_.-]+)\)/g;

/** Replaces the Circus variables; returns the text and the problems (unknown names). */
export function substitute(text: string, context: SubstitutionContext): [string, string[]] {
  const problems: string[] = [];
  const out = text.replace(VARIABLE, (whole, path: string) => {
    const value = lookup(path, context);
    if (typeof value === 'string') return value;
    problems.push(`${whole}: ${value.problem}`);
    return '';
  });
  return [out, problems];
}

function lookup(path: string, context: SubstitutionContext): string | { problem: string } {
  if (path === 'wid') return String(context.wid);
  const [scope, ...rest] = path.split('.');
  const name = rest.join('.');
  if (scope === 'sockets') {
    if (!context.sockets) return { problem: 'the watcher needs use_sockets = true' };
    const fd = context.sockets.get(name);
    if (fd === undefined) {
      const known = [...context.sockets.keys()].join(', ') || '(none)';
      return { problem: `no [socket:${name}]; sockets: ${known}` };
    }
    return String(fd);
  }
  if (scope === 'env') {
    const value = context.env[name];
    return value ?? { problem: `environment variable ${name} is not set for this watcher` };
  }
  return { problem: 'unknown variable; valid: circus.sockets.NAME, circus.wid, circus.env.NAME' };
}

/** The quote left open at the end of `text`, if any (shell-quote would accept it silently). */
function openQuote(text: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quote !== "'") i++;
    else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
  }
  return quote;
}

/** Splits a command line into words; returns the words or the reason it cannot. */
export function splitWords(text: string): string[] | { problem: string } {
  const open = openQuote(text);
  if (open) {
    return {
      problem: `unterminated ${open} quote in ${JSON.stringify(text)} (in INI values, write \\; and \\# for a literal ; or #)`,
    };
  }
  // Returning `$NAME` keeps environment references literal: no shell, no expansion.
  const tokens = parse(text, (name) => `$${name}`);
  const words: string[] = [];
  for (const token of tokens) {
    if (typeof token === 'string') {
      words.push(token);
    } else if ('op' in token && token.op === 'glob') {
      words.push(token.pattern);
    } else if ('comment' in token) {
      break;
    } else {
      return {
        problem: `shell operator ${JSON.stringify(token.op)} is not allowed (no shell runs)`,
      };
    }
  }
  return words;
}

/** Substitutes and splits; throws nothing, returns the argv or the list of problems. */
export function buildArgv(
  commandLine: string,
  context: SubstitutionContext,
): string[] | string[][] {
  const [text, problems] = substitute(commandLine, context);
  if (problems.length > 0) return [problems];
  const words = splitWords(text);
  if (!Array.isArray(words)) return [[words.problem]];
  if (words.length === 0) return [['the command is empty']];
  return words;
}

/** Type guard for the problem form of `buildArgv`. */
export function isProblemList(value: string[] | string[][]): value is string[][] {
  return Array.isArray(value[0]);
}
