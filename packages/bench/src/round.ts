/**
 * One round of a set: its stacks started side by side, warmed up (and, for rates as fractions
 * of capacity, their capacity measured), the round's windows run in their shuffled order, every
 * stack stopped. The order the windows actually ran in goes into the manifest as they run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { axisOf, levelLabel } from '@stackbench/report';
import type { Manifest, SampleWindow } from '@stackbench/result';
import { measureCapacity, measureWindow } from './measure-window.js';
import type { PlannedRound } from './schedule.js';
import type { StackDefinition } from './stack-def.js';
import {
  closeSession,
  openSession,
  type RunContext,
  type StackSession,
  warmUp,
} from './stack-session.js';

/** The order names each window as the window names itself (what ran, not what was meant). */
function recordOrder(manifest: Manifest, round: number, stack: string, window: SampleWindow): void {
  const { cus, level, connection } = window;
  manifest.method.order.push({ round, stack, cus, level, connection });
  // the driver as the first window's load document names it
  manifest.driver ??= { ...window.load.driver };
}

/**
 * One round: start its stacks side by side, warm each up, run the round's windows in their
 * shuffled order (a failed stack's windows are left out), stop every stack.
 */
export async function runRound(
  round: PlannedRound,
  defs: StackDefinition[],
  ctx: RunContext,
  manifest: Manifest,
  position: number,
): Promise<StackSession[]> {
  const sessions = await Promise.all(defs.map((def) => openSession(def, round.round, ctx)));
  const byName = new Map(sessions.map((s) => [s.stack.name, s]));
  const axis = axisOf(ctx.settings);
  try {
    for (const session of sessions) {
      if (ctx.signal.aborted) return sessions;
      if (session.failed) ctx.progress.stackEnd(session.stack.name, `FAILED: ${session.run.error}`);
      else {
        await warmUp(session, ctx);
        await measureCapacity(session, ctx);
      }
    }
    let n = position;
    for (const w of round.windows) {
      const session = byName.get(w.stack);
      if (!session) continue;
      n++;
      if (session.failed) continue;
      if (ctx.signal.aborted) return sessions;
      const label = `${levelLabel(axis, w.level)}${w.connection === 'close' ? ', close' : ''}`;
      ctx.progress.windowStart(w.stack, label, n);
      const window = await measureWindow(session, w, manifest.method.order.length, ctx, (p) =>
        ctx.progress.window(w.stack, p),
      );
      if (!window) return sessions;
      recordOrder(manifest, round.round, w.stack, window);
      // a profile may ask for a disturbed window to be measured again: both are kept, the re-run
      // is the cell's sample, and the manifest says why
      const disturbed = window.noise?.disturbed ?? [];
      if (ctx.settings.disturbance?.rerun && disturbed.length && !session.failed) {
        ctx.progress.note(
          `${w.stack} @ ${label}: window disturbed (${disturbed.join('; ')}), re-run`,
        );
        const again = await measureWindow(session, w, manifest.method.order.length, ctx, (p) =>
          ctx.progress.window(w.stack, p),
        );
        if (!again) return sessions;
        recordOrder(manifest, round.round, w.stack, again);
        window.replacedBy = again.seq;
        manifest.method.reruns ??= [];
        manifest.method.reruns.push({
          round: round.round,
          stack: w.stack,
          seq: window.seq,
          replacedBy: again.seq,
          reason: disturbed.join('; '),
        });
      }
      if (ctx.settings.pauseS > 0) await sleep(ctx.settings.pauseS * 1000);
    }
    return sessions;
  } finally {
    for (const session of [...sessions].reverse()) await closeSession(session, ctx);
  }
}
