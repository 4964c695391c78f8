import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkReadmeSection, formatOptionsMarkdown } from '@stackbench/cli';
import { COMMANDS } from '../src/commands/index.js';
import { ctlOptions, supervisorOptions } from '../src/options.js';
import { packageDir } from './helpers/daemon.js';

const readme = join(packageDir, 'README.md');

/**
 * biome formats Markdown tables (pads cells, widens the `---` rule), so the section is compared
 * cell by cell rather than byte for byte.
 */
function normalize(text: string | undefined): string {
  return (text ?? '')
    .trim()
    .split('\n')
    .map((line) => line.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---'))
    .join('\n');
}

function check(name: string, content: string): void {
  const result = checkReadmeSection(readme, name, content);
  assert.equal(
    normalize(result.actual),
    normalize(result.expected),
    `README ${name} section is stale (UPDATE_DOCS=1 rewrites it)`,
  );
}

describe('README generated sections (UPDATE_DOCS=1 rewrites them)', () => {
  it('stackbench-supervisor options', () => {
    check('options', formatOptionsMarkdown(supervisorOptions));
  });

  it('stackbench-ctl options', () => {
    check('ctl-options', formatOptionsMarkdown(ctlOptions));
  });

  it('control commands', () => {
    const rows = Object.values(COMMANDS).map((c) => `| \`${c.usage}\` | ${c.summary} |`);
    const content = ['| command | what it does |', '|---|---|', ...rows].join('\n');
    check('commands', content);
  });
});
