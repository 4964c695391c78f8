import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CycleProgress } from '@stackbench/loadgen';
import { createProgress } from '../src/set/progress.js';

const measuring = (elapsedS: number): CycleProgress => ({
  users: 10,
  cycleIndex: 0,
  phase: 'measure',
  elapsedS,
  remainingS: 2 - elapsedS,
  currentRps: 41.6,
  failures: 0,
});

const plan = { windows: 8, rounds: 2, windowS: 3, roundS: 6 };

test('plain lines without a TTY: one per round, window and outcome, with the ETA of the set', () => {
  const lines: string[] = [];
  const p = createProgress({ ...plan, tty: false, write: (t) => lines.push(t) });
  p.roundStart(1, 2, ['prefork-rr', 'supervisor-node']);
  p.windowStart('prefork-rr', '10 CUs', 1);
  p.window('prefork-rr', measuring(1));
  p.windowStart('supervisor-node', '20 CUs', 2);
  p.stackEnd('prefork-rr', 'round 1 done');
  assert.equal(lines.length, 4, 'no line per progress tick without a TTY');
  assert.ok(lines.every((l) => l.endsWith('\n') && !l.includes('\r')));
  // 8 windows × 3 s + 2 rounds × 6 s
  assert.match(
    lines[0] ?? '',
    /^\[round 1\/2, window 0\/8\] starting prefork-rr, supervisor-node \| elapsed 0:00 \| ETA 0:36\n$/,
  );
  assert.match(
    lines[1] ?? '',
    /^\[round 1\/2, window 1\/8\] prefork-rr @ 10 CUs \| elapsed 0:00 \| ETA 0:36\n$/,
  );
  assert.match(lines[2] ?? '', /window 2\/8\] supervisor-node @ 20 CUs \| .* ETA 0:33\n$/);
  assert.match(lines[3] ?? '', /prefork-rr round 1 done/);
});

test('a TTY gets one redrawn line with the window phase and RPS', () => {
  const out: string[] = [];
  const p = createProgress({ ...plan, tty: true, write: (t) => out.push(t) });
  p.roundStart(1, 2, ['s']);
  p.windowStart('s', '10 CUs', 1);
  p.window('s', measuring(1));
  p.stackEnd('s', 'round 1 done');
  assert.ok(out.every((t) => t.startsWith('\r\x1b[K')));
  assert.match(out[1] ?? '', /s @ 10 CUs measure 1\/2 s, 42 RPS/);
  assert.ok(out.at(-1)?.endsWith('\n'));
});
