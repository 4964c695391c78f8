/**
 * The stack reaper: a tiny detached process that outlives the orchestrator by a moment. The
 * orchestrator tells it, over the reaper's stdin, which process groups run and which temp dirs
 * exist; when that pipe closes (the orchestrator exited, however: SIGKILL included) the reaper
 * SIGKILLs the groups still listed, removes the dirs still listed, and exits. This covers what
 * the parent-death signal cannot: the whole group (nginx's or prefork's workers) and the files.
 * It is in its own process group, so a Ctrl-C or a group kill of the orchestrator spares it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Reaper {
  killOnDeath(pgid: number): void;
  removeOnDeath(dir: string): void;
  forget(item: number | string): void;
  /** The reaper's pid (tests), or undefined when it could not start. */
  readonly pid: number | undefined;
}

const main = fileURLToPath(new URL('./reaper-main.js', import.meta.url));
let instance: Reaper | undefined;

function line(child: ChildProcess, text: string): void {
  // A reaper that died leaves only the orderly paths; nothing here may throw into a run.
  if (child.stdin?.writable) child.stdin.write(`${text}\n`);
}

export function reaper(): Reaper {
  if (instance) return instance;
  const child = spawn(process.execPath, [main, String(process.pid)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  // Neither the child nor its pipe keeps the orchestrator alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  instance = {
    pid: child.pid,
    killOnDeath: (pgid) => line(child, `+g ${pgid}`),
    removeOnDeath: (dir) => line(child, `+d ${dir}`),
    forget: (item) => line(child, typeof item === 'number' ? `-g ${item}` : `-d ${item}`),
  };
  return instance;
}
