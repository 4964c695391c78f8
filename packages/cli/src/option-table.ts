/**
 * One declarative table of options per CLI (Gunicorn's `config.py` idea): each entry has its flag,
 * type, default, validation and description, and parsing, `--help` and README tables all come
 * from it. Parsing uses node:util `parseArgs` (built in, maintained with Node).
 */
import { parseArgs } from 'node:util';
import { messageOf, UsageError } from './errors.js';
import { timerSecondsProblem } from './timer-bound.js';

interface BaseOption {
  /** One line for `--help` and the README. */
  description: string;
  /** Single-letter alias, e.g. `w` for `-w`. */
  short?: string;
  /** Environment variable read when the flag is absent (e.g. `WEB_CONCURRENCY`). */
  env?: string;
  /** Name of the value in help output, e.g. `N`, `FILE`. */
  valueName?: string;
}

export interface IntegerOption extends BaseOption {
  type: 'integer';
  default?: number;
  min?: number;
  max?: number;
}
export interface NumberOption extends BaseOption {
  type: 'number';
  default?: number;
  min?: number;
  max?: number;
  /** When true the value must be strictly greater than `min`. */
  exclusiveMin?: boolean;
  /** A duration that becomes a timer: bounded by MAX_TIMER_SECONDS unless `max` is lower. */
  seconds?: boolean;
}
export interface StringOption extends BaseOption {
  type: 'string';
  default?: string;
  /** The only accepted values, listed in errors and help. */
  choices?: readonly string[];
}
export interface BooleanOption extends BaseOption {
  type: 'boolean';
  default?: boolean;
}
export interface ListOption extends BaseOption {
  type: 'list';
  /** May be repeated; each occurrence adds one string. */
  default?: readonly string[];
}

export type OptionSpec = IntegerOption | NumberOption | StringOption | BooleanOption | ListOption;
export type OptionTable = Record<string, OptionSpec>;

/** A string option with `choices` parses to the union of them (the table is `as const`). */
type ValueOf<S extends OptionSpec> = S extends IntegerOption | NumberOption
  ? number
  : S extends StringOption
    ? S extends { choices: readonly (infer C extends string)[] }
      ? C
      : string
    : S extends BooleanOption
      ? boolean
      : string[];

/** Parsed values: options that have a default are always present, others may be undefined. */
export type OptionValues<T extends OptionTable> = {
  [K in keyof T]: T[K] extends { default: unknown } ? ValueOf<T[K]> : ValueOf<T[K]> | undefined;
};

export interface ParsedCommandLine<T extends OptionTable> {
  options: OptionValues<T>;
  positionals: string[];
  help: boolean;
  /** The keys given on the command line (not a default, not the environment). */
  given: ReadonlySet<keyof T & string>;
}

/** Turns a camelCase key into its `--kebab-case` flag name. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function convert(spec: OptionSpec, raw: string, source: string): number | string {
  const where = `${source} (${raw === '' ? 'empty' : JSON.stringify(raw)})`;
  if (spec.type === 'integer' || spec.type === 'number') {
    const value = Number(raw);
    const isInt = spec.type === 'integer';
    if (raw.trim() === '' || !Number.isFinite(value) || (isInt && !Number.isInteger(value))) {
      throw new UsageError(`${where} must be ${isInt ? 'a whole number' : 'a number'}`);
    }
    const exclusive = spec.type === 'number' && spec.exclusiveMin === true;
    if (spec.min !== undefined && (exclusive ? value <= spec.min : value < spec.min)) {
      throw new UsageError(
        `${where} must be ${exclusive ? 'greater than' : 'at least'} ${spec.min}`,
      );
    }
    if (spec.max !== undefined && value > spec.max) {
      throw new UsageError(`${where} must be at most ${spec.max}`);
    }
    const timer = spec.type === 'number' && spec.seconds ? timerSecondsProblem(value) : undefined;
    if (timer) throw new UsageError(`${where} ${timer}`);
    return value;
  }
  if (spec.type === 'string' && spec.choices && !spec.choices.includes(raw)) {
    throw new UsageError(`${where} must be one of: ${spec.choices.join(', ')}`);
  }
  return raw;
}

/**
 * Parses argv against the table. Unknown flags, missing values and invalid values become a
 * `UsageError` that names the flag and says what is valid. `--help`/`-h` is always accepted.
 */
export function parseCommandLine<T extends OptionTable>(
  table: T,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedCommandLine<T> {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> =
    { help: { type: 'boolean', short: 'h' } };
  for (const [key, spec] of Object.entries(table)) {
    config[flagName(key)] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.type === 'list' ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    const message = messageOf(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const out: Record<string, unknown> = {};
  const onCommandLine = new Set<keyof T & string>();
  for (const [key, spec] of Object.entries(table)) {
    const flag = `--${flagName(key)}`;
    const given = values[flagName(key)];
    if (given !== undefined) onCommandLine.add(key as keyof T & string);
    if (spec.type === 'boolean') {
      out[key] = given ?? spec.default;
      continue;
    }
    if (spec.type === 'list') {
      out[key] = given ?? (spec.default ? [...spec.default] : []);
      continue;
    }
    if (typeof given === 'string') {
      out[key] = convert(spec, given, flag);
    } else if (spec.env && env[spec.env] !== undefined) {
      out[key] = convert(spec, env[spec.env] as string, `environment variable ${spec.env}`);
    } else {
      out[key] = spec.default;
    }
  }
  return {
    options: out as OptionValues<T>,
    positionals: parsed.positionals,
    help: values.help === true,
    given: onCommandLine,
  };
}

function flagLabel(key: string, spec: OptionSpec): string {
  const long = `--${flagName(key)}`;
  const names = spec.short ? `-${spec.short}, ${long}` : long;
  if (spec.type === 'boolean') return names;
  const value =
    spec.valueName ?? (spec.type === 'string' && spec.choices ? spec.choices.join('|') : 'VALUE');
  return `${names} ${value}`;
}

function defaultLabel(spec: OptionSpec): string {
  if (spec.default === undefined) return '';
  if (Array.isArray(spec.default)) return spec.default.length ? spec.default.join(', ') : '';
  return String(spec.default);
}

export interface CommandDescription {
  /** e.g. `stackbench-adapter (--fd N | --host H --port P) [options] APP` */
  usage: string;
  summary: string;
  /** Extra paragraphs after the option list (positionals, examples, backends). */
  epilog?: string;
}

/** `--help` text, generated from the table. */
export function formatHelp(command: CommandDescription, table: OptionTable): string {
  const rows = Object.entries(table).map(([key, spec]) => {
    const extras = [
      defaultLabel(spec) && `default: ${defaultLabel(spec)}`,
      spec.env && `env: ${spec.env}`,
    ].filter(Boolean);
    const tail = extras.length ? ` (${extras.join('; ')})` : '';
    return [flagLabel(key, spec), spec.description + tail] as const;
  });
  rows.push(['-h, --help', 'show this help and exit']);
  const width = Math.min(34, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const lines = rows.map(([flag, text]) =>
    flag.length + 2 > width
      ? `  ${flag}\n  ${' '.repeat(width)}${text}`
      : `  ${flag.padEnd(width)}${text}`,
  );
  const parts = [`Usage: ${command.usage}`, '', command.summary, '', 'Options:', ...lines];
  if (command.epilog) parts.push('', command.epilog);
  return `${parts.join('\n')}\n`;
}

/** The README's option table, generated from the same table as `--help`. */
export function formatOptionsMarkdown(table: OptionTable): string {
  const escapePipes = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| option | default | description |', '|---|---|---|'];
  for (const [key, spec] of Object.entries(table)) {
    const def = defaultLabel(spec);
    const envNote = spec.env ? ` Also from \`${spec.env}\`.` : '';
    lines.push(
      `| \`${escapePipes(flagLabel(key, spec))}\` | ${def ? `\`${escapePipes(def)}\`` : ''} | ${escapePipes(spec.description)}${envNote} |`,
    );
  }
  return lines.join('\n');
}
