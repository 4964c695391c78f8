/**
 * compare.md of a new set: the comparison with the newest comparable earlier set of the same
 * results root — what a reviewer reads first in a pull request that adds a set — or, when there
 * is none, the sentence that says why.
 */
import { basename, join, relative } from 'node:path';
import { writeFileAtomic } from '@stackbench/cli';
import { compareSets, DEFAULT_COMPARE } from './compare.js';
import { formatComparison } from './compare-format.js';
import { readResultSet } from './read-set.js';
import { newestComparable } from './set-catalog.js';

export interface SetCompare {
  path: string;
  /** The set compared with (its directory), or null when there was none. */
  base: string | null;
}

export function writeSetCompare(dir: string, resultsRoot: string): SetCompare {
  const head = readResultSet(dir);
  const path = join(dir, 'compare.md');
  const { base, reason } = newestComparable(resultsRoot, { dir, manifest: head.manifest });
  if (!base) {
    writeFileAtomic(
      path,
      `# Compared with: nothing\n\nNo set to compare \`${head.manifest.setId}\` with: ${reason}.\n`,
    );
    return { path, base: null };
  }
  const baseSet = readResultSet(base.dir);
  const comparison = compareSets(baseSet, head, DEFAULT_COMPARE);
  // paths as the repository has them (results/<host>/<set-id>), never this machine's
  const under = (d: string) => `${basename(resultsRoot)}/${relative(resultsRoot, d)}`;
  const intro = `# Compared with \`${base.manifest.setId}\`\n\nBase: [\`${base.path}\`](${relative(dir, base.dir)}/report.md), ${reason}. Regenerate with \`npx nx run bench:compare --base ${under(base.dir)} --head ${under(dir)}\`.\n\n`;
  writeFileAtomic(path, `${intro}${formatComparison(baseSet, head, comparison)}`);
  return { path, base: base.dir };
}
