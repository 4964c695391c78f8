import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CycleProgress } from '@stackbench/loadgen';
import { createProgress } from '../src/progress.js';

const cycle = (cycleIndex: number, elapsedS: number): CycleProgress => ({
  users: 10 * (cycleIndex + 1),
  cycleIndex,
  phase: 'measure',
  elapsedS,
  remainingS: 8 - elapsedS,
  currentRps: 41.6,
  failures: 0,
});

test('plain lines without a TTY: one per event and per cycle start, with ETA', () => {
  const lines: string[] = [];
  const p = createProgress({ plannedStackS: 60, runs: 2, tty: false, write: (t) => lines.push(t) });
  p.stackStart('prefork-rr', 1, 2, 1);
  p.cycle('prefork-rr', cycle(0, 1), 4);
  p.cycle('prefork-rr', cycle(0, 2), 4);
  p.cycle('prefork-rr', cycle(1, 1), 4);
  p.stackEnd('prefork-rr', 'done');
  assert.equal(lines.length, 4);
  assert.ok(lines.every((l) => l.endsWith('\n') && !l.includes('\r')));
  assert.match(
    lines[0] ?? '',
    /^\[1\/2\] prefork-rr starting \(stack 1\/2, run 1\) \| elapsed 0:00 \| ETA 2:00\n$/,
  );
  assert.match(lines[1] ?? '', /cycle 1\/4 \(10 CUs\) measure 1\/8 s, 42 RPS/);
  assert.match(lines[2] ?? '', /cycle 2\/4 \(20 CUs\)/);
  assert.match(lines[3] ?? '', /^\[1\/2\] prefork-rr done \| elapsed 0:00 \| ETA 1:00\n$/);
});

test('a TTY gets one redrawn line', () => {
  const out: string[] = [];
  const p = createProgress({ plannedStackS: 10, runs: 1, tty: true, write: (t) => out.push(t) });
  p.stackStart('s', 1, 1, 1);
  p.cycle('s', cycle(0, 1), 1);
  p.cycle('s', cycle(0, 2), 1);
  p.stackEnd('s', 'done');
  assert.equal(out.length, 4);
  assert.ok(out.every((t) => t.startsWith('\r\x1b[K')));
  assert.ok(out.at(-1)?.endsWith('\n'));
});
