/**
 * Whether an output can be written, checked before the work that produces it (a load run, a
 * benchmark set), so a bad path fails in a second rather than after the run. The answer is the
 * reason it cannot (for the caller's own error class, whose code is its package's), or undefined.
 */
import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * - `file`: `path` is a writable file, or absent in a writable directory; nothing is created.
 * - `directory`: `path` is created (with its parents) and a probe file is made and removed in
 *   it, which proves more than access(2) (a read-only mount, a full quota).
 */
export function outputWriteProblem(path: string, kind: 'file' | 'directory'): string | undefined {
  return kind === 'file' ? fileProblem(path) : directoryProblem(path);
}

function fileProblem(path: string): string | undefined {
  const full = resolve(path);
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(full);
  } catch {
    stat = undefined;
  }
  try {
    if (stat) {
      if (stat.isDirectory()) return 'it is a directory';
      accessSync(full, constants.W_OK);
      return undefined;
    }
    const dir = dirname(full);
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = codeOf(error);
    return code === 'ENOENT' ? 'its directory does not exist' : code;
  }
}

function directoryProblem(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (error) {
    return codeOf(error);
  }
}
