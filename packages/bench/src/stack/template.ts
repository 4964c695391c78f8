/**
 * `{name}` placeholders in stack argv, URLs and config templates. Only `{identifier}` is a
 * placeholder, so nginx's `server {` blocks pass through; an unknown name is an error. Configs
 * and argv go through `renderConfig`/`renderArgv`, which escape each value for where it lands
 * (template-escape.ts); `render` is for URLs and file paths checked before a run.
 */
import { escapeValue, formatOf, type TemplateFormat } from './template-escape.js';

export type TemplateValues = Record<string, string | number>;

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;

/** Names used in `text` that `values` does not define. */
export function unknownPlaceholders(text: string, known: readonly string[]): string[] {
  return [...text.matchAll(PLACEHOLDER)]
    .map((m) => m[1] as string)
    .filter((name) => !known.includes(name));
}

export function render(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`unknown placeholder ${whole}`);
    return String(value);
  });
}

function lookup(values: TemplateValues, whole: string, name: string): string | number {
  const value = values[name];
  if (value === undefined) throw new Error(`unknown placeholder ${whole}`);
  return value;
}

/** A config template rendered into `output`, each value escaped for the output's format. */
export function renderConfig(text: string, values: TemplateValues, output: string): string {
  const format: TemplateFormat = formatOf(output);
  return text
    .split('\n')
    .map((line, index) =>
      // Comment lines are kept as written: a value there could only do harm (a line break).
      /^\s*[#;]/.test(line)
        ? line
        : line.replace(PLACEHOLDER, (whole, name: string, offset: number) =>
            escapeValue(name, lookup(values, whole, name), {
              format,
              where: `${output} line ${index + 1}`,
              line,
              offset,
            }),
          ),
    )
    .join('\n');
}

/** A process's argv, one exec argument per element (no shell ever sees them). */
export function renderArgv(
  argv: readonly string[],
  values: TemplateValues,
  process: string,
): string[] {
  return argv.map((arg, index) =>
    arg.replace(PLACEHOLDER, (whole, name: string, offset: number) =>
      escapeValue(name, lookup(values, whole, name), {
        format: 'argv',
        where: `process ${process} argv[${index}]`,
        line: arg,
        offset,
      }),
    ),
  );
}

/** A process's environment values, rendered as argv elements are. */
export function renderEnv(
  env: Readonly<Record<string, string>>,
  values: TemplateValues,
  process: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, text]) => [
      key,
      renderArgv([text], values, `${process} env ${key}`)[0] as string,
    ]),
  );
}

/** Every placeholder a stack may use; documented in stacks/README.md. */
export const PLACEHOLDERS = [
  'workers',
  'port',
  'host',
  'internal_port',
  'backlog',
  'timeout',
  'threads',
  'app',
  'node',
  'runtime',
  'root',
  'stacks',
  'tmpdir',
] as const;

/**
 * The placeholders known before any session (template-values.ts `workspaceValues`): all a
 * stack's `requires.files` may use, since requirements are checked before a stack starts.
 */
export const WORKSPACE_PLACEHOLDERS = ['host', 'node', 'runtime', 'root', 'stacks'] as const;
