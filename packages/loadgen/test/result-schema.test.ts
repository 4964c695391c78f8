/**
 * Contract 4's rule, enforced: the load document's types cannot change without a new
 * `LOAD_RESULT_SCHEMA`. The full shape of `LoadResult` is kept per schema version in
 * `test/fixtures/load-schema/<version>.txt`; a shape that differs from the current version's file
 * fails. After a bump, `UPDATE_DOCS=1` writes the new version's file (never an existing one).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LOAD_RESULT_SCHEMA } from '../src/result.js';
import { typeShape } from './type-shape.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const shapes = join(packageDir, 'test/fixtures/load-schema');
const fileOf = (schema: string) =>
  join(shapes, `${schema.replace(/^stackbench\.load\//, 'v')}.txt`);

describe('load document schema', () => {
  it('LoadResult has the shape recorded for its schema version (bump on any change)', () => {
    const shape = typeShape(join(packageDir, 'src/result.ts'), 'LoadResult');
    const file = fileOf(LOAD_RESULT_SCHEMA);
    if (!existsSync(file) && process.env.UPDATE_DOCS === '1') {
      mkdirSync(shapes, { recursive: true });
      writeFileSync(file, shape);
    }
    assert.ok(
      existsSync(file),
      `${file} is missing: a new schema ${LOAD_RESULT_SCHEMA}? Run the tests with UPDATE_DOCS=1 once`,
    );
    const recorded = readFileSync(file, 'utf8');
    assert.ok(
      shape === recorded,
      `LoadResult changed but LOAD_RESULT_SCHEMA is still ${LOAD_RESULT_SCHEMA}: bump it in ` +
        'src/result.ts (and LOAD_RESULT_SCHEMAS, the README), then run the tests with ' +
        `UPDATE_DOCS=1 to record the new shape. Expected the shape in ${file}, got:\n${shape}`,
    );
  });
});
