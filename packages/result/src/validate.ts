/**
 * The validator of the result-set documents, derived from their declaration (manifest.ts,
 * stack-result.ts) plus the few rules a schema cannot say (load-checks.ts). Returns the problems
 * (`path: what is wrong, what is valid`), empty when the document is valid; readers throw on any.
 */
import { loadProblems } from './load-checks.js';
import { ManifestSchema } from './manifest.js';
import { schemaProblems } from './problems.js';
import { StackResultSchema } from './stack-result.js';

export function validateManifest(value: unknown): string[] {
  return schemaProblems(ManifestSchema, value, 'manifest');
}

export function validateStackResult(value: unknown): string[] {
  return [...schemaProblems(StackResultSchema, value, 'stack'), ...loadProblems(value, 'stack')];
}
