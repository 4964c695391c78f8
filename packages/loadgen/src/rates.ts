/**
 * An open loop's rate list: `100:200:400` is three cycles at 100, 200 and 400 requests/s (the
 * shape of Funkload's `--cycles`). Fractions are allowed (`0.5` is one request every 2 s).
 */
import { RatesError } from './errors.js';

/** Highest rate of one cycle, requests/s: far beyond one host's loopback, a typo guard. */
export const MAX_RATE = 1_000_000;

/** Why `rate` is not a valid rate, or null when it is. */
export function badRate(rate: number): string | null {
  if (!Number.isFinite(rate)) return 'not a number';
  if (rate <= 0) return 'must be greater than 0';
  if (rate > MAX_RATE) return `must be at most ${MAX_RATE}`;
  return null;
}

export function parseRates(text: string): number[] {
  if (text.trim() === '') throw new RatesError(text, '', 'empty list', MAX_RATE);
  return text.split(':').map((raw) => {
    const token = raw.trim();
    if (!/^(\d+\.?\d*|\.\d+)$/.test(token))
      throw new RatesError(text, raw, 'not a number', MAX_RATE);
    const rate = Number(token);
    const why = badRate(rate);
    if (why) throw new RatesError(text, raw, why, MAX_RATE);
    return rate;
  });
}
