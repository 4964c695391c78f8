/**
 * The longest delay a Node timer can hold. Node turns any delay above 2^31 − 1 ms into 1 ms (with
 * a TimeoutOverflowWarning), so an option like `graceful_timeout = 3000000` would silently mean
 * "at once". Every seconds option and config value is checked against this bound at the edge.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** 2147483 s (24.8 days): the largest whole number of seconds a timer can wait. */
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** Why `seconds` cannot be a timer delay, or undefined when it can. */
export function timerSecondsProblem(seconds: number): string | undefined {
  if (seconds > MAX_TIMER_SECONDS) {
    return `must be at most ${MAX_TIMER_SECONDS} seconds (the longest a timer can wait: 2^31-1 ms)`;
  }
  return undefined;
}
