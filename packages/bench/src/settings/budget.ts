/** `--budget DURATION`: seconds, or a number with a unit as `ms` reads it (15m, 1.5h, 900s). */
import ms from 'ms';
import { BudgetError } from '../errors.js';

const MAX_BUDGET_S = 7 * 24 * 3600;

export function parseBudget(text: string): number {
  const trimmed = text.trim();
  // a bare number is seconds here (ms would read it as milliseconds)
  let millis: number | undefined;
  try {
    millis = /^\d+(\.\d+)?$/.test(trimmed)
      ? Number(trimmed) * 1000
      : (ms as (value: string) => number | undefined)(trimmed);
  } catch {
    // ms throws on an empty or overlong string: not a duration either
    millis = undefined;
  }
  if (typeof millis !== 'number' || !Number.isFinite(millis) || millis < 1000) {
    throw new BudgetError(text);
  }
  const seconds = millis / 1000;
  if (seconds > MAX_BUDGET_S) throw new BudgetError(text);
  return seconds;
}
