/** Reads a result set directory: the manifest and each stack file it names, validated. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  LEGACY_MANIFEST_SCHEMA,
  LEGACY_STACK_RESULT_SCHEMA,
  MANIFEST_SCHEMA,
  type Manifest,
  STACK_RESULT_SCHEMA,
  type StackResult,
  validateManifest,
  validateStackResult,
} from '@stackbench/result';
import { ResultSetError } from './errors.js';
import {
  isLegacyManifest,
  isLegacyStackResult,
  upgradeManifest,
  upgradeStackResult,
} from './legacy.js';

export interface ResultSet {
  dir: string;
  manifest: Manifest;
  /** Stack files present, in manifest order. */
  stacks: StackResult[];
}

/** Refuses a document of a schema this version cannot read, saying which it reads. */
function checkSchema(path: string, doc: unknown, reads: string[]): void {
  const schema = (doc as { schema?: unknown } | null)?.schema;
  if (typeof schema === 'string' && schema.startsWith('stackbench.') && !reads.includes(schema)) {
    throw new ResultSetError(
      `${path}: schema ${schema} is not one this version reads (${reads.join(', ')}); rebuild the report with the stackbench version that wrote it`,
    );
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ResultSetError(`${path}: not readable JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

export function stackFileName(stack: string): string {
  return `${stack}.json`;
}

export function readStackResult(path: string): StackResult {
  let doc = readJson(path);
  checkSchema(path, doc, [STACK_RESULT_SCHEMA, LEGACY_STACK_RESULT_SCHEMA]);
  if (isLegacyStackResult(doc)) doc = upgradeStackResult(doc);
  const problems = validateStackResult(doc);
  if (problems.length) {
    throw new ResultSetError(`${path}: not a stack result:\n  ${problems.join('\n  ')}`);
  }
  return doc as StackResult;
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ResultSetError(
      `${dir}: no such result set directory (expected results/<host>/<set-id>/)`,
    );
  }
  if (!existsSync(path)) {
    throw new ResultSetError(`${dir}: no manifest.json, so not a result set`);
  }
  let doc = readJson(path);
  checkSchema(path, doc, [MANIFEST_SCHEMA, LEGACY_MANIFEST_SCHEMA]);
  if (isLegacyManifest(doc)) doc = upgradeManifest(doc);
  const problems = validateManifest(doc);
  if (problems.length) {
    throw new ResultSetError(`${path}: not a result-set manifest:\n  ${problems.join('\n  ')}`);
  }
  return doc as Manifest;
}

export function readResultSet(dir: string): ResultSet {
  const manifest = readManifest(dir);
  const stacks: StackResult[] = [];
  for (const entry of manifest.stacks) {
    const path = join(dir, stackFileName(entry.name));
    if (existsSync(path)) stacks.push(readStackResult(path));
  }
  return { dir, manifest, stacks };
}
