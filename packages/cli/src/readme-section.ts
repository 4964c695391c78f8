/**
 * Keeps generated text (option tables) inside a README between markers
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`, so docs cannot drift from the code.
 * Tests call `checkReadmeSection`; with `UPDATE_DOCS=1` it rewrites the section instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface ReadmeSectionResult {
  /** True when the README already held exactly `content`. */
  current: boolean;
  expected: string;
  actual: string | undefined;
}

function markers(name: string): [string, string] {
  return [`<!-- generated:${name} -->`, `<!-- /generated:${name} -->`];
}

export function checkReadmeSection(
  readmePath: string,
  name: string,
  content: string,
  update = process.env.UPDATE_DOCS === '1',
): ReadmeSectionResult {
  const text = readFileSync(readmePath, 'utf8');
  const [open, close] = markers(name);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const expected = `\n${content.trim()}\n`;
  if (start < 0 || end < start) {
    throw new Error(`${readmePath}: markers ${open} … ${close} not found`);
  }
  const actual = text.slice(start + open.length, end);
  if (actual !== expected && update) {
    writeFileSync(readmePath, text.slice(0, start + open.length) + expected + text.slice(end));
    return { current: true, expected, actual: expected };
  }
  return { current: actual === expected, expected, actual };
}
