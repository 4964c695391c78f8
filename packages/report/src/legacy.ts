/**
 * Result sets written before sample windows (`stackbench.manifest/1`, `stackbench.stack/1`):
 * each stack ran `repeat` times, every run a sequence of cycles. Read as windows: every cycle of
 * every run is one window (K = the repetitions), with no balance and no recorded order, so old
 * sets still render and compare (with few samples, which the statistics say).
 */
import type { CycleResult, LoadResult } from '@stackbench/loadgen';
import {
  isObject,
  LEGACY_MANIFEST_SCHEMA,
  LEGACY_STACK_RESULT_SCHEMA,
  MANIFEST_SCHEMA,
  type Manifest,
  STACK_RESULT_SCHEMA,
  type StackResult,
  type StackRun,
} from '@stackbench/result';

type Doc = Record<string, unknown>;

export function isLegacyManifest(doc: unknown): doc is Doc {
  return isObject(doc) && doc.schema === LEGACY_MANIFEST_SCHEMA;
}

export function isLegacyStackResult(doc: unknown): doc is Doc {
  return isObject(doc) && doc.schema === LEGACY_STACK_RESULT_SCHEMA;
}

/** The v2 shape of a v1 manifest; what it cannot know is null-free but empty (order, seed 0). */
export function upgradeManifest(doc: Doc): unknown {
  const profile = isObject(doc.profile) ? doc.profile : {};
  const settings = isObject(profile.settings) ? { ...profile.settings } : {};
  const repeat = typeof settings.repeat === 'number' ? settings.repeat : 1;
  delete settings.repeat;
  return {
    ...doc,
    schema: MANIFEST_SCHEMA,
    profile: { ...profile, settings: { ...settings, samples: repeat, interleave: false } },
    method: { interleave: false, samples: repeat, seed: 0, order: [] },
  } satisfies Partial<Record<keyof Manifest, unknown>>;
}

interface LegacyRun extends Omit<StackRun, 'round' | 'windows' | 'server'> {
  repeat: number;
  load: LoadResult | null;
  server: StackRun['server'];
}

export function upgradeStackResult(doc: Doc): unknown {
  const runs = Array.isArray(doc.runs) ? (doc.runs as LegacyRun[]) : [];
  let seq = 0;
  return {
    ...doc,
    schema: STACK_RESULT_SCHEMA,
    runs: runs.map(({ repeat, load, server, ...rest }) => ({
      ...rest,
      round: repeat,
      windows: (load?.cycles ?? []).map((cycle: CycleResult) => ({
        cus: cycle.users,
        seq: seq++,
        startedAt: rest.startedAt,
        load: { ...load, cycles: [cycle] },
        balance: null,
        server: [],
      })),
      server: { summary: server?.summary ?? null },
    })),
  } satisfies Partial<Record<keyof StackResult, unknown>>;
}
