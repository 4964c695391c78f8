/**
 * Structural checks of result-set documents against the types in schema.ts. Returns the list of
 * problems (path: what is wrong), empty when the document is valid; readers throw on any.
 */
import { LOAD_RESULT_SCHEMAS } from '@stackbench/loadgen';
import { MANIFEST_SCHEMA, STACK_RESULT_SCHEMA } from './schema.js';
import {
  arrayOf,
  bool,
  type Check,
  checkFields,
  checkOptional,
  isObject,
  nullable,
  num,
  oneOf,
  optional,
  runtimeInfo,
  str,
} from './validate-checks.js';
import {
  abStackFields,
  checkAb,
  checkMethodExtras,
  checkSettingsExtras,
  noiseFields,
  twinFields,
} from './validate-extras.js';

export { isObject } from './validate-checks.js';

/**
 * The load documents a window may embed: the driver's own list, and `stackbench.load/3` (window
 * sizing), which this report reads whether or not the driver it was built with writes it.
 */
export const READABLE_LOAD_SCHEMAS: readonly string[] = [
  ...new Set<string>([
    ...LOAD_RESULT_SCHEMAS,
    'stackbench.load/1',
    'stackbench.load/2',
    'stackbench.load/3',
  ]),
].sort();

export function validateManifest(value: unknown): string[] {
  const problems: string[] = [];
  const ok = checkFields(
    value,
    'manifest',
    {
      schema: (v) => v === MANIFEST_SCHEMA,
      setId: str,
      suite: isObject,
      profile: isObject,
      overrides: isObject,
      host: isObject,
      placement: isObject,
      serviceTime: nullable(isObject),
      method: isObject,
      stacks: Array.isArray,
      startedAt: str,
      endedAt: nullable(str),
      complete: bool,
    },
    problems,
  );
  if (!ok) return problems;
  const m = value as Record<string, unknown>;
  checkFields(m.suite, 'manifest.suite', { commit: str, dirty: bool }, problems);
  if (checkFields(m.profile, 'manifest.profile', { name: str, hash: str }, problems)) {
    checkFields(
      (m.profile as Record<string, unknown>).settings,
      'manifest.profile.settings',
      {
        workers: num,
        cycles: arrayOf(num),
        durationS: num,
        warmupS: num,
        cycleWarmupS: num,
        pauseS: num,
        backlog: num,
        threads: num,
        loadThreads: num,
        requestTimeoutS: num,
        timeout: num,
        samples: num,
        interleave: bool,
        stacks: arrayOf(str),
        app: str,
        appEnv: isObject,
      },
      problems,
    );
    checkSettingsExtras((m.profile as Record<string, unknown>).settings, problems);
  }
  checkFields(
    m.host,
    'manifest.host',
    { slug: str, cpuModel: str, cores: num, memoryMb: num, kernel: str, node: str },
    problems,
  );
  checkFields(m.placement, 'manifest.placement', { pinned: bool, reason: str }, problems);
  // optional since the first /2 sets: checked when present
  if (m.driver !== undefined) {
    checkFields(
      m.driver,
      'manifest.driver',
      { name: str, version: str, engine: str, node: str },
      problems,
    );
  }
  if (m.topology !== undefined) {
    checkFields(m.topology, 'manifest.topology', { kind: oneOf('local', 'remote') }, problems);
  }
  checkFields(
    m.method,
    'manifest.method',
    { interleave: bool, samples: num, seed: num, order: Array.isArray },
    problems,
  );
  checkMethodExtras(m.method, problems);
  checkAb(m.ab, problems);
  (Array.isArray(m.stacks) ? m.stacks : []).forEach((s, i) => {
    checkFields(
      s,
      `manifest.stacks[${i}]`,
      {
        name: str,
        title: str,
        reference: bool,
        status: oneOf('complete', 'failed', 'skipped', 'pending'),
        reason: nullable(str),
        versions: isObject,
        runtime: optional(nullable(runtimeInfo)),
      },
      problems,
    );
    if (isObject(s)) {
      checkOptional(s.twin, `manifest.stacks[${i}].twin`, twinFields, problems);
      checkOptional(s.ab, `manifest.stacks[${i}].ab`, abStackFields, problems);
    }
  });
  return problems;
}

const sampleFields: Record<string, Check> = {
  t: num,
  cpuPct: num,
  rssMb: num,
  processes: num,
  restarts: num,
  acceptQueue: nullable(num),
};

export function validateStackResult(value: unknown): string[] {
  const problems: string[] = [];
  const ok = checkFields(
    value,
    'stack',
    { schema: (v) => v === STACK_RESULT_SCHEMA, stack: isObject, runs: Array.isArray },
    problems,
  );
  if (!ok) return problems;
  const doc = value as Record<string, unknown>;
  checkFields(
    doc.stack,
    'stack.stack',
    {
      name: str,
      title: str,
      description: str,
      reference: bool,
      runtime: optional(nullable(runtimeInfo)),
    },
    problems,
  );
  (doc.runs as unknown[]).forEach((run, i) => {
    const path = `stack.runs[${i}]`;
    const fine = checkFields(
      run,
      path,
      {
        round: num,
        status: oneOf('complete', 'failed'),
        error: nullable(str),
        logTail: arrayOf(str),
        startedAt: str,
        lifecycle: isObject,
        verification: nullable(isObject),
        windows: Array.isArray,
        server: isObject,
      },
      problems,
    );
    if (!fine) return;
    for (const [j, w] of ((run as Record<string, unknown>).windows as unknown[]).entries()) {
      const at = `${path}.windows[${j}]`;
      if (
        !checkFields(
          w,
          at,
          {
            cus: num,
            seq: num,
            startedAt: str,
            load: isObject,
            balance: nullable(isObject),
            replacedBy: optional(num),
          },
          problems,
        )
      )
        continue;
      const window = w as Record<string, unknown>;
      checkOptional(window.noise, `${at}.noise`, noiseFields, problems);
      const loadSchema = (window.load as Record<string, unknown>).schema;
      if (!(READABLE_LOAD_SCHEMAS as readonly unknown[]).includes(loadSchema)) {
        problems.push(
          `${at}.load.schema: ${JSON.stringify(loadSchema) ?? 'missing'} is not a load document this report reads; expected one of ${READABLE_LOAD_SCHEMAS.join(', ')}`,
        );
      }
      const cycles = (window.load as Record<string, unknown>).cycles;
      if (!Array.isArray(cycles) || cycles.length !== 1) {
        problems.push(`${at}.load.cycles: expected exactly one cycle`);
      }
      if (!Array.isArray(window.server)) problems.push(`${at}.server: expected an array`);
      else
        for (const [k, s] of window.server.entries()) {
          checkFields(s, `${at}.server[${k}]`, sampleFields, problems);
        }
    }
  });
  return problems;
}
