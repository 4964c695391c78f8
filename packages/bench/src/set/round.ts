/**
 * One round of a set: its stacks started side by side, warmed up (and, for rates as fractions
 * of capacity, their capacity measured), the round's windows run in their shuffled order, every
 * stack stopped. The order the windows actually ran in goes into the manifest as they run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { axisOf, levelLabel } from '@stackbench/report';
import type { Manifest, SampleWindow } from '@stackbench/result';
import {
  closeSession,
  openSession,
  type RunContext,
  type StackSession,
} from '../session/stack-session.js';
import { warmUp } from '../session/stack-warmup.js';
import type { StackDefinition } from '../stack/stack-def.js';
import { measureCapacity, measureWindow } from '../window/measure-window.js';
import type { PlannedRound } from './schedule.js';

type OrderEntry = Manifest['method']['order'][number];
type Rerun = NonNullable<Manifest['method']['reruns']>[number];

/**
 * What a round recorded for the manifest: the order its windows ran in (as each window names
 * itself: what ran, not what was meant), its re-runs, and the driver as the first window's load
 * document names it. The set appends it once the round has finished; an interrupted round's
 * record is dropped whole (`--resume` runs the round again).
 */
export interface RoundRecord {
  sessions: StackSession[];
  order: OrderEntry[];
  reruns: Rerun[];
  driver: Manifest['driver'] | null;
  /** Stopped by a signal before its last window: nothing of it is kept. */
  interrupted: boolean;
}

/**
 * One round: start its stacks side by side, warm each up, run the round's windows in their
 * shuffled order (a failed stack's windows are left out), stop every stack. `firstSeq` numbers
 * its first window (the windows the set has recorded so far); `position` is the progress count.
 */
export async function runRound(
  round: PlannedRound,
  defs: StackDefinition[],
  ctx: RunContext,
  firstSeq: number,
  position: number,
): Promise<RoundRecord> {
  const sessions = await Promise.all(defs.map((def) => openSession(def, round.round, ctx)));
  const byName = new Map(sessions.map((s) => [s.stack.name, s]));
  const axis = axisOf(ctx.settings);
  const record: RoundRecord = { sessions, order: [], reruns: [], driver: null, interrupted: false };
  const interrupted = () => ({ ...record, interrupted: true });
  const seq = () => firstSeq + record.order.length;
  const recordOrder = (stack: string, window: SampleWindow) => {
    const { cus, level, connection, workload } = window;
    record.order.push({ round: round.round, stack, cus, level, connection, workload });
    record.driver ??= { ...window.load.driver };
  };
  try {
    for (const session of sessions) {
      if (ctx.signal.aborted) return interrupted();
      if (session.failed) ctx.progress.stackEnd(session.stack.name, `FAILED: ${session.run.error}`);
      else {
        const needs = round.windows.filter((w) => w.stack === session.stack.name);
        await warmUp(session, ctx, needs);
        await measureCapacity(session, ctx);
      }
    }
    let n = position;
    for (const w of round.windows) {
      const session = byName.get(w.stack);
      if (!session) continue;
      n++;
      if (session.failed) continue;
      if (ctx.signal.aborted) return interrupted();
      const label = `${w.workload === 'seed' ? '' : `${w.workload}, `}${levelLabel(axis, w.level)}${w.connection === 'close' ? ', close' : ''}`;
      ctx.progress.windowStart(w.stack, label, n);
      const window = await measureWindow(session, w, seq(), ctx, (p) =>
        ctx.progress.window(w.stack, p),
      );
      if (!window) return interrupted();
      recordOrder(w.stack, window);
      // a profile may ask for a disturbed window to be measured again: both are kept, the re-run
      // is the cell's sample, and the manifest says why
      const disturbed = window.noise?.disturbed ?? [];
      if (ctx.settings.disturbance?.rerun && disturbed.length && !session.failed) {
        ctx.progress.note(
          `${w.stack} @ ${label}: window disturbed (${disturbed.join('; ')}), re-run`,
        );
        const again = await measureWindow(session, w, seq(), ctx, (p) =>
          ctx.progress.window(w.stack, p),
        );
        if (!again) return interrupted();
        recordOrder(w.stack, again);
        window.replacedBy = again.seq;
        record.reruns.push({
          round: round.round,
          stack: w.stack,
          seq: window.seq,
          replacedBy: again.seq,
          reason: disturbed.join('; '),
        });
      }
      if (ctx.settings.pauseS > 0) await sleep(ctx.settings.pauseS * 1000);
    }
    return ctx.signal.aborted ? interrupted() : record;
  } finally {
    for (const session of [...sessions].reverse()) await closeSession(session, ctx);
  }
}
