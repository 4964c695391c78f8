import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkReadmeSection, formatOptionsMarkdown } from '@stackbench/cli';
import { nativeOptions } from '../src/options.js';

const readme = fileURLToPath(new URL('../../README.md', import.meta.url));

test('README option table of the native entries is current', () => {
  const result = checkReadmeSection(readme, 'options', formatOptionsMarkdown(nativeOptions));
  assert.ok(result.current, 'run the tests with UPDATE_DOCS=1 to rewrite it');
});
