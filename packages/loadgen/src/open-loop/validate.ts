/**
 * Checks of an open-loop run's own options (the shared ones are `validateLoadOptions`'s):
 * rates, the pool, arrivals, and the closed-loop options it cannot honour (refused, never
 * ignored: a run asked for both a rate and users would measure neither as asked).
 */
import { MAX_USERS } from '../cycles.js';
import { LoadOptionError } from '../errors.js';
import { ARRIVAL_NAMES, type OpenLoopOptions } from '../load-options.js';
import { badRate, MAX_RATE } from '../rates.js';

function count(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_USERS) {
    throw new LoadOptionError(
      name,
      `${String(value)} is not valid; expected a whole number in ${min}..${MAX_USERS}`,
    );
  }
}

export function validateOpenLoop(options: OpenLoopOptions): void {
  const loose = options as OpenLoopOptions & Partial<Record<string, unknown>>;
  if (loose.cycles !== undefined) {
    throw new LoadOptionError(
      'rate',
      'an open-loop run (rates) cannot also have cycles of users; give either rates ' +
        '(--rate, requests/s) or cycles (--cycles, concurrent users), not both',
    );
  }
  if (loose.adaptive !== undefined) {
    throw new LoadOptionError(
      'responses-per-user',
      'an open-loop run (rates) cannot have an adaptive window (adaptive): it sizes the window ' +
        "by the users' response time, and an open loop has no users; drop it (and " +
        '--responses-per-user, --min-requests, --max-duration, --max-warmup) or use cycles',
    );
  }
  for (const [key, flag] of [
    ['startupDelayS', 'startup-delay'],
    ['sleepTimeS', 'sleep-time'],
  ] as const) {
    const value = loose[key];
    if (value !== undefined && value !== 0) {
      throw new LoadOptionError(
        flag,
        `${String(value)} is not valid with a rate; expected 0 (an open loop has no users ` +
          'to ramp up or to think: requests start at their scheduled times)',
      );
    }
  }
  if (!Array.isArray(options.rates) || options.rates.length === 0) {
    throw new LoadOptionError('rate', 'expected at least one rate, e.g. [100, 200]');
  }
  for (const rate of options.rates) {
    const why = badRate(rate);
    if (why) {
      throw new LoadOptionError(
        'rate',
        `${String(rate)} requests/s is not valid (${why}); expected a number > 0 and <= ${MAX_RATE}`,
      );
    }
  }
  count('connections', options.connections, 1);
  if (options.maxConnections !== undefined) {
    count('max-connections', options.maxConnections, options.connections);
  }
  if (options.arrivals !== undefined && !ARRIVAL_NAMES.includes(options.arrivals)) {
    throw new LoadOptionError(
      'arrivals',
      `${JSON.stringify(options.arrivals)} is not valid; expected one of ${ARRIVAL_NAMES.join(', ')}`,
    );
  }
}
