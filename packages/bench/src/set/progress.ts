/**
 * The live display of a matrix on stderr: round, window (n of total), stack, CUs, phase, RPS,
 * elapsed and the ETA for the whole set, on one redrawn line on a TTY and as plain lines (one
 * per window) otherwise.
 */
import type { CycleProgress } from '@stackbench/loadgen';

export interface ProgressSink {
  roundStart(round: number, rounds: number, stacks: readonly string[]): void;
  phase(stack: string, text: string): void;
  /** A window begins (`level`: `20 CUs`, `200 req/s`): its position among all the set's windows. */
  windowStart(stack: string, level: string, position: number): void;
  window(stack: string, progress: CycleProgress): void;
  /** A stack's run ended (`done`, `FAILED: …`, `interrupted`). */
  stackEnd(stack: string, outcome: string): void;
  /** A line of its own: why an adaptive round runs, a re-run window. */
  note(text: string): void;
}

export interface ProgressOptions {
  /** Windows planned in all (what is left when resuming). */
  windows: number;
  rounds: number;
  /** Planned seconds of one window (warm-up, measure, pause). */
  windowS: number;
  /** Allowance per round for starting, warming up and stopping its stacks. */
  roundS: number;
  /**
   * Adaptive sampling: seconds of budget left when the set (re)started. The ETA is then the
   * budget left (adaptive rounds stop within it), or the planned rounds' if those take longer.
   */
  budgetS?: number;
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
  let position = 0;
  let roundsDone = 0;
  let round = '';
  let current = '';
  const elapsed = () => (performance.now() - t0) / 1000;
  const planned = () =>
    Math.max(0, options.windows - Math.max(0, position - 1)) * options.windowS +
    Math.max(0, options.rounds - roundsDone) * options.roundS;
  const eta = () =>
    options.budgetS === undefined ? planned() : Math.max(planned(), options.budgetS - elapsed());
  const total = () => Math.max(options.windows, position);
  const status = (text: string) =>
    `[${round}, window ${position}/${total()}${options.budgetS === undefined ? '' : '+'}] ${[current, text].filter(Boolean).join(' ')} | elapsed ${clock(elapsed())} | ETA ${clock(eta())}`;
  const line = (text: string) => {
    if (options.tty) options.write(`\r\x1b[K${status(text)}`);
    else options.write(`${status(text)}\n`);
  };
  const finish = (text: string) => {
    if (options.tty) options.write(`\r\x1b[K${status(text)}\n`);
    else options.write(`${status(text)}\n`);
  };
  return {
    roundStart(n, rounds, stacks) {
      if (round !== '') roundsDone++;
      round = `round ${n}/${rounds}`;
      current = '';
      finish(`starting ${stacks.join(', ')}`);
    },
    phase(stack, text) {
      current = stack;
      line(text);
    },
    windowStart(stack, level, n) {
      position = n;
      current = `${stack} @ ${level}`;
      if (!options.tty) line('');
    },
    window(_stack, p) {
      if (options.tty) {
        line(
          `${p.phase} ${Math.round(p.elapsedS)}/${Math.round(p.elapsedS + p.remainingS)} s, ${Math.round(p.currentRps)} RPS`,
        );
      }
    },
    stackEnd(stack, outcome) {
      current = stack;
      finish(outcome);
    },
    note(text) {
      if (options.tty) options.write(`\r\x1b[K${text}\n`);
      else options.write(`${text}\n`);
    },
  };
}
