/**
 * House rule "no import cycles", type-level included: every package's src (and scripts/src) is
 * scanned for relative `import`/`export … from` specifiers, `import type` too, and must form no
 * cycle. Catches what a runtime-only check misses (a type import cycles as well as a value one).
 */
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../../../..');
const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports of each file, resolved to the .ts file they name. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(SPECIFIER)]
      .map((m) => (m[1] ?? m[2]) as string)
      .map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    graph.set(file, targets);
  }
  return graph;
}

/** The cycles a depth-first walk meets (one per back edge), each as a path `a.ts > b.ts > a.ts`. */
function findCycles(graph: Map<string, string[]>, base: string): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        cycles.push(loop.map((f) => relative(base, f)).join(' > '));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

const scratch = mkdtempSync(join(tmpdir(), 'cycles-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('import cycles', () => {
  it('finds a cycle made only of type imports', () => {
    const dir = join(scratch, 'src');
    mkdirSync(join(dir, 'commands'), { recursive: true });
    writeFileSync(
      join(dir, 'supervisor.ts'),
      "import { run } from './commands/index.js';\nexport class S {}\n",
    );
    writeFileSync(
      join(dir, 'commands/index.ts'),
      "import type { S } from '../supervisor.js';\nexport const run = (s: S) => s;\n",
    );
    writeFileSync(join(dir, 'leaf.ts'), 'export const x = 1;\n');
    assert.deepEqual(findCycles(importGraph(dir), dir), [
      'commands/index.ts > supervisor.ts > commands/index.ts',
    ]);
  });

  it('none in any package or in scripts', () => {
    const dirs = [
      ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'src')),
      join(root, 'scripts/src'),
    ];
    const cycles = dirs.flatMap((dir) => findCycles(importGraph(dir), root));
    assert.deepEqual(
      cycles,
      [],
      `import cycles (shared types belong at the bottom):\n${cycles.join('\n')}`,
    );
  });
});
