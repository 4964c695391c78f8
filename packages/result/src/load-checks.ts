/**
 * What the declaration cannot say about a window's embedded load document: the schemas this
 * reader understands (loadgen declares its own, `LOAD_RESULT_SCHEMAS`) and that a window holds
 * exactly one cycle.
 */
import { LOAD_RESULT_SCHEMAS } from '@stackbench/loadgen';
import { isObject } from './problems.js';

/**
 * The load documents a window may embed: the driver's own list, and `stackbench.load/3` (window
 * sizing), which this report reads whether or not the driver it was built with writes it.
 */
export const READABLE_LOAD_SCHEMAS: readonly string[] = [
  ...new Set<string>([
    ...LOAD_RESULT_SCHEMAS,
    'stackbench.load/1',
    'stackbench.load/2',
    'stackbench.load/3',
  ]),
].sort();

/** Problems of each window's `load` of a stack result that passed the declaration. */
export function loadProblems(doc: unknown, root: string): string[] {
  const problems: string[] = [];
  const runs = isObject(doc) && Array.isArray(doc.runs) ? doc.runs : [];
  runs.forEach((run: unknown, i) => {
    const windows = isObject(run) && Array.isArray(run.windows) ? run.windows : [];
    windows.forEach((w: unknown, j) => {
      if (!isObject(w) || !isObject(w.load)) return;
      const at = `${root}.runs[${i}].windows[${j}].load`;
      const schema = w.load.schema;
      if (!(READABLE_LOAD_SCHEMAS as readonly unknown[]).includes(schema)) {
        problems.push(
          `${at}.schema: ${JSON.stringify(schema) ?? 'missing'} is not a load document this report reads; expected one of ${READABLE_LOAD_SCHEMAS.join(', ')}`,
        );
      }
      if (!Array.isArray(w.load.cycles) || w.load.cycles.length !== 1) {
        problems.push(`${at}.cycles: expected exactly one cycle`);
      }
    });
  });
  return problems;
}
