/**
 * `{name}` placeholders in stack argv, URLs and config templates. Only `{identifier}` is a
 * placeholder, so nginx's `server {` blocks pass through; an unknown name is an error.
 */
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

/** Every placeholder a stack may use; documented in stacks/README.md. */
export const PLACEHOLDERS = [
  'workers',
  'port',
  'internal_port',
  'backlog',
  'timeout',
  'threads',
  'app',
  'node',
  'root',
  'stacks',
  'tmpdir',
] as const;
