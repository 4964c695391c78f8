/**
 * The lines of a stack's log kept with a failed run: its last lines, and ahead of them the first
 * lines that say why when the tail no longer does. A master that stops 50 workers logs 50
 * "Worker exiting" lines after the one worker's exception that made it give up; a plain tail of
 * 30 lines kept only those (seen rehearsing the paper profile's 50 workers).
 */

/** Lines that name a failure in the logs of the suite's servers: Gunicorn-style levels, nginx's, stack traces. */
const FAILURE_LINE =
  /\[(ERROR|CRITICAL)\]|\[(emerg|alert|crit|error)\]|Traceback \(most recent call last\)|\bException\b|\b[A-Z][A-Za-z]*Error\b:/;

/** At most this many failure lines from before the tail. */
const FAILURES_KEPT = 10;

/** The last `lines` lines of `text`, preceded by its first failure lines outside them (and how many lines lie between). */
export function logExcerpt(text: string, lines: number): string[] {
  const all = text === '' ? [] : text.split('\n');
  if (all.length <= lines) return all;
  const head = all.slice(0, all.length - lines);
  const failures = head.filter((line) => FAILURE_LINE.test(line)).slice(0, FAILURES_KEPT);
  const tail = all.slice(-lines);
  if (failures.length === 0) return tail;
  return [...failures, `… ${head.length - failures.length} more lines …`, ...tail];
}
