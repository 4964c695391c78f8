/**
 * The result-set JSON format: keys sorted, two-space indent (one value per line), and every
 * non-integer number written with exactly `decimals` digits, so a re-run diffs line by line.
 */
export const JSON_DECIMALS = 3;

function formatNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return 'null';
  if (Number.isInteger(value)) return String(value);
  const fixed = value.toFixed(decimals);
  // -0.000 reads as a change where there is none
  return /^-0\.0*$/.test(fixed) ? fixed.slice(1) : fixed;
}

function write(value: unknown, indent: string, decimals: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return formatNumber(value, decimals);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => inner + write(item, inner, decimals));
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return '{}';
    const items = entries.map(
      ([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, inner, decimals)}`,
    );
    return `{\n${items.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(String(value));
}

/** Serialises `value` in the stable format, with a trailing newline. */
export function stableStringify(value: unknown, decimals = JSON_DECIMALS): string {
  return `${write(value, '', decimals)}\n`;
}
