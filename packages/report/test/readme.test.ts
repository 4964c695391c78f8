import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkReadmeSection, formatOptionsMarkdown } from '@stackbench/cli';
import { compareOptions } from '../src/compare-options.js';

const readme = join(fileURLToPath(import.meta.url), '../../../README.md');

test('README option table of stackbench-compare is current', () => {
  const result = checkReadmeSection(readme, 'options', formatOptionsMarkdown(compareOptions));
  assert.ok(result.current, 'run the tests with UPDATE_DOCS=1 to rewrite it');
});
