import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkReadmeSection, formatOptionsMarkdown } from '@stackbench/cli';
import { matrixOptions } from '../src/options.js';
import { abOptions } from '../src/pr/ab-options.js';
import { prCheckOptions } from '../src/pr/pr-check-options.js';
import { provisionOptions } from '../src/targets/ssh/provision-options.js';

const readme = join(fileURLToPath(import.meta.url), '../../../README.md');

test('README option table of stackbench-matrix is current', () => {
  const result = checkReadmeSection(readme, 'options', formatOptionsMarkdown(matrixOptions));
  assert.ok(result.current, 'run the tests with UPDATE_DOCS=1 to rewrite it');
});

test('README option table of stackbench-pr-check is current', () => {
  const result = checkReadmeSection(
    readme,
    'pr-check-options',
    formatOptionsMarkdown(prCheckOptions),
  );
  assert.ok(result.current, 'run the tests with UPDATE_DOCS=1 to rewrite it');
});

test('README option table of stackbench-provision is current', () => {
  const result = checkReadmeSection(
    readme,
    'provision-options',
    formatOptionsMarkdown(provisionOptions),
  );
  assert.ok(result.current, 'run the tests with UPDATE_DOCS=1 to rewrite it');
});

test('README option table of stackbench-ab is current', () => {
  const result = checkReadmeSection(readme, 'ab-options', formatOptionsMarkdown(abOptions));
  assert.ok(result.current, 'run the tests with UPDATE_DOCS=1 to rewrite it');
});
