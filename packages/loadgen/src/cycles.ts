/** Funkload's cycle list: `50:100:150` is three cycles of 50, 100 and 150 concurrent users. */
import { CyclesError } from './errors.js';

/** Largest number of users in one cycle: each is a socket, and fds are finite. */
export const MAX_USERS = 20_000;

export function parseCycles(text: string): number[] {
  if (text.trim() === '') throw new CyclesError(text, '', 'empty list');
  return text.split(':').map((raw) => {
    const token = raw.trim();
    if (!/^\d+$/.test(token)) throw new CyclesError(text, raw, 'not a whole number');
    const users = Number(token);
    if (users < 1) throw new CyclesError(text, raw, 'must be at least 1');
    if (users > MAX_USERS) throw new CyclesError(text, raw, `must be at most ${MAX_USERS}`);
    return users;
  });
}
