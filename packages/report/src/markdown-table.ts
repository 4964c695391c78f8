/** A GitHub Markdown table; `align` per column, right-aligned by default (numbers). */
export function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => ((align?.[i] ?? 'r') === 'l' ? '---' : '---:'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}
