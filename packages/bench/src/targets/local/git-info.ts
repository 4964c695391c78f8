/** The suite's git commit and whether the tree has changes, for the manifest (read-only git). */
import { execa } from 'execa';

export async function suiteRevision(root: string): Promise<{ commit: string; dirty: boolean }> {
  const head = await execa('git', ['rev-parse', 'HEAD'], { cwd: root, reject: false });
  if (head.exitCode !== 0) return { commit: 'unknown', dirty: false };
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: root,
    reject: false,
  });
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}
