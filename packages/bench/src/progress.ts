/**
 * The live display of a matrix: stack, cycle, elapsed and ETA for the whole matrix, on one
 * redrawn line on a TTY and as plain lines (one per event) otherwise, on stderr.
 */
import type { CycleProgress } from '@stackbench/loadgen';

export interface ProgressSink {
  stackStart(stack: string, position: number, total: number, repeat: number): void;
  phase(stack: string, text: string): void;
  cycle(stack: string, progress: CycleProgress, cycleCount: number): void;
  stackEnd(stack: string, outcome: string): void;
}

export interface ProgressOptions {
  /** Planned seconds of one stack run (load phases plus an allowance for start and stop). */
  plannedStackS: number;
  runs: number;
  tty: boolean;
  write: (text: string) => void;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function createProgress(options: ProgressOptions): ProgressSink {
  const t0 = performance.now();
  let done = 0;
  let stackT0 = t0;
  let current = '';
  let index = 0;
  let lastCycle = -1;
  const elapsed = () => (performance.now() - t0) / 1000;
  const eta = () => {
    const inStack = Math.min(options.plannedStackS, (performance.now() - stackT0) / 1000);
    return (options.runs - done) * options.plannedStackS - inStack;
  };
  const status = (text: string) =>
    `[${index}/${options.runs}] ${current} ${text} | elapsed ${clock(elapsed())} | ETA ${clock(eta())}`;
  const line = (text: string) => {
    if (options.tty) options.write(`\r\x1b[K${status(text)}`);
    else options.write(`${status(text)}\n`);
  };
  const finish = (text: string) => {
    if (options.tty) options.write(`\r\x1b[K${status(text)}\n`);
    else options.write(`${status(text)}\n`);
  };
  return {
    stackStart(stack, position, total, repeat) {
      current = stack;
      index = position;
      stackT0 = performance.now();
      lastCycle = -1;
      line(`starting (stack ${position}/${total}, run ${repeat})`);
    },
    phase(_stack, text) {
      line(text);
    },
    cycle(_stack, p, cycleCount) {
      const text = `cycle ${p.cycleIndex + 1}/${cycleCount} (${p.users} CUs) ${p.phase} ${Math.round(p.elapsedS)}/${Math.round(p.elapsedS + p.remainingS)} s, ${Math.round(p.currentRps)} RPS`;
      // without a TTY, one line per cycle start keeps logs short
      if (options.tty) line(text);
      else if (p.cycleIndex !== lastCycle) line(text);
      lastCycle = p.cycleIndex;
    },
    stackEnd(_stack, outcome) {
      done++;
      finish(outcome);
    },
  };
}
