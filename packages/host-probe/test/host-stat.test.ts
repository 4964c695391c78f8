import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCpuCount, parseCpuLine, parseProcsRunning, readHostStat } from '../src/host-stat.js';

// a 2-CPU VM's /proc/stat, shortened: user nice system idle iowait irq softirq steal guest guest_nice
const STAT = `cpu  1000 50 300 8000 100 20 30 400 70 0
cpu0 500 25 150 4000 50 10 15 200 35 0
cpu1 500 25 150 4000 50 10 15 200 35 0
intr 12345 0 9 0 0 0 0 0 0 0 0 0
ctxt 999
btime 1796301498
processes 4321
procs_running 3
procs_blocked 0
softirq 555 0 1 2 3 4 5 6 7 8 9
`;

describe('/proc/stat parsers', () => {
  it('the cpu line: busy without idle, iowait, steal or guest (inside user already)', () => {
    // busy 1000 + 50 + 300 + 20 + 30; total adds idle 8000, iowait 100 and steal 400
    assert.deepEqual(parseCpuLine(STAT), { busy: 1400, steal: 400, total: 9900 });
  });

  it('an old kernel without steal counts it as 0; text without a cpu line is undefined', () => {
    assert.deepEqual(parseCpuLine('cpu  10 0 5 85\n'), { busy: 15, steal: 0, total: 100 });
    assert.equal(parseCpuLine('cpu0 1 2 3 4\nprocs_running 1\n'), undefined);
    assert.equal(parseCpuLine('cpu  x y z w\n'), undefined);
  });

  it('cores: the cpuN lines', () => {
    assert.equal(parseCpuCount(STAT), 2);
    assert.equal(parseCpuCount('nothing here'), 0);
  });

  it('procs_running, not procs_blocked', () => {
    assert.equal(parseProcsRunning(STAT), 3);
    assert.equal(parseProcsRunning('cpu  1 2 3 4\nprocs_blocked 2\n'), undefined);
  });

  it('reads the live file whole', () => {
    const text = readHostStat();
    assert.ok(text, 'Linux: /proc/stat is readable');
    assert.ok(parseCpuLine(text) && parseCpuCount(text) >= 1);
    // the reader itself is running while it reads
    assert.ok((parseProcsRunning(text) ?? 0) >= 1);
  });
});
