/**
 * The reaper process (see stack-reaper.ts). Reads `+g PGID`, `-g PGID`, `+d DIR`, `-d DIR` lines
 * from stdin; on end of input, SIGKILLs the listed groups and removes the listed dirs. Dirs are
 * only ever the orchestrator's own run dirs (it registers them at creation).
 */
import { rmSync } from 'node:fs';

const groups = new Set<number>();
const dirs = new Set<string>();
let pending = '';

// Signals meant for the orchestrator's terminal must not end us before it is done.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM', 'SIGQUIT'] as const)
  process.on(signal, () => {});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  for (const text of lines) {
    const op = text.slice(0, 2);
    const arg = text.slice(3);
    if (op === '+g' || op === '-g') {
      const pgid = Number(arg);
      if (!Number.isSafeInteger(pgid) || pgid <= 1) continue;
      if (op === '+g') groups.add(pgid);
      else groups.delete(pgid);
    } else if (op === '+d') dirs.add(arg);
    else if (op === '-d') dirs.delete(arg);
  }
});
process.stdin.on('close', () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
  // a killed process's children may still be writing (a database's backends notice their
  // postmaster's death a moment later): retry a directory that filled again while removed
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    } catch {}
  }
  process.exit(0);
});
