/**
 * The public face validates, the engine trusts: `runLoad` and `preflight` pass their options
 * through here once; everything below works with the checked values.
 */
import { MAX_USERS } from './cycles.js';
import { checkEngineSupports } from './engines/pick.js';
import { LoadOptionError } from './errors.js';
import { type AnyLoadOptions, isOpenLoop, type LoadOptions } from './load-options.js';
import { validateOpenLoop } from './open-loop/validate.js';
import { parseTargetUrl } from './target-url.js';

/** Load threads at most (piscina workers). */
export const MAX_THREADS = 64;

/** Largest per-request timeout and phase length, seconds: one day. */
const MAX_SECONDS = 86_400;

function seconds(name: string, value: number, allowZero: boolean): void {
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && value <= MAX_SECONDS;
  if (!ok) {
    throw new LoadOptionError(
      name,
      `${String(value)} is not valid; expected a number of seconds ${allowZero ? '>= 0' : '> 0'} and <= ${MAX_SECONDS}`,
    );
  }
}

/** Largest `adaptive.responsesPerUser` and `minRequests`: far beyond any sensible window. */
const MAX_ADAPTIVE_COUNT = 1_000_000;

/** `adaptive`'s fields, named by their CLI flags; the bounds must not undercut the minimums. */
function validateAdaptive(options: LoadOptions): void {
  const a = options.adaptive;
  if (typeof a !== 'object' || a === null) {
    throw new LoadOptionError(
      'adaptive',
      `${JSON.stringify(a)} is not valid; expected { responsesPerUser, minRequests, maxDurationS, maxWarmupS }`,
    );
  }
  const { responsesPerUser, minRequests } = a;
  if (
    !Number.isFinite(responsesPerUser) ||
    responsesPerUser <= 0 ||
    responsesPerUser > MAX_ADAPTIVE_COUNT
  ) {
    throw new LoadOptionError(
      'responses-per-user',
      `${String(responsesPerUser)} is not valid; expected a number > 0 and <= ${MAX_ADAPTIVE_COUNT}`,
    );
  }
  if (!Number.isInteger(minRequests) || minRequests < 0 || minRequests > MAX_ADAPTIVE_COUNT) {
    throw new LoadOptionError(
      'min-requests',
      `${String(minRequests)} is not valid; expected a whole number in 0..${MAX_ADAPTIVE_COUNT}`,
    );
  }
  seconds('max-duration', a.maxDurationS, false);
  // A warm-up of 0 would size the window without having seen a single response.
  seconds('max-warmup', a.maxWarmupS, false);
  if (a.maxDurationS < options.durationS) {
    throw new LoadOptionError(
      'max-duration',
      `${a.maxDurationS} is below --duration ${options.durationS}; expected a number of seconds >= the duration (it bounds the measured part, whose minimum the duration is)`,
    );
  }
  if (a.maxWarmupS < options.warmupS) {
    throw new LoadOptionError(
      'max-warmup',
      `${a.maxWarmupS} is below --warmup ${options.warmupS}; expected a number of seconds >= the warm-up (it bounds the warm-up, whose minimum --warmup is)`,
    );
  }
}

/** Checks either kind of run (closed-loop `cycles` or open-loop `rates`); returns it as is. */
export function validateLoadOptions<T extends AnyLoadOptions>(options: T): T {
  parseTargetUrl(options.url);
  if (isOpenLoop(options)) {
    validateOpenLoop(options);
  } else {
    if (!Array.isArray(options.cycles) || options.cycles.length === 0) {
      throw new LoadOptionError('cycles', 'expected at least one cycle, e.g. [50, 100]');
    }
    for (const users of options.cycles) {
      if (!Number.isInteger(users) || users < 1 || users > MAX_USERS) {
        throw new LoadOptionError(
          'cycles',
          `${String(users)} users is not valid; expected a whole number in 1..${MAX_USERS}`,
        );
      }
    }
    seconds('startup-delay', options.startupDelayS, true);
    seconds('sleep-time', options.sleepTimeS, true);
  }
  seconds('duration', options.durationS, false);
  seconds('timeout', options.timeoutS, false);
  seconds('warmup', options.warmupS, true);
  seconds('cycle-pause', options.cyclePauseS, true);
  // After the phases: its bounds are checked against them.
  if (!isOpenLoop(options) && options.adaptive !== undefined) validateAdaptive(options);
  if (options.connection !== 'keep-alive' && options.connection !== 'close') {
    throw new LoadOptionError(
      'connection',
      `${JSON.stringify(options.connection)} is not valid; expected keep-alive or close`,
    );
  }
  if (
    !Number.isInteger(options.expectStatus) ||
    options.expectStatus < 100 ||
    options.expectStatus > 599
  ) {
    throw new LoadOptionError(
      'expect-status',
      `${String(options.expectStatus)} is not an HTTP status; expected 100..599`,
    );
  }
  if (options.expectBody !== undefined) {
    try {
      new RegExp(options.expectBody);
    } catch (error) {
      throw new LoadOptionError(
        'expect-body',
        `${JSON.stringify(options.expectBody)} is not a valid regular expression (${(error as Error).message})`,
      );
    }
  }
  if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > MAX_THREADS) {
    throw new LoadOptionError(
      'threads',
      `${String(options.threads)} is not valid; expected a whole number in 1..${MAX_THREADS}`,
    );
  }
  checkEngineSupports(options);
  return options;
}
