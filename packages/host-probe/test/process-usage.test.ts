import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { isAlive, processStartTime, stackPids } from '../src/process-tree.js';
import { cpuSecondsOf, sampleProcesses, UsageMeter } from '../src/process-usage.js';

/** Burns CPU of this process for `ms` of wall time. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) Math.sqrt(Math.random());
}

describe('sampleProcesses', () => {
  it('reads CPU seconds and RSS of live pids and skips dead ones', () => {
    const samples = sampleProcesses([process.pid, 2 ** 22 + 1]);
    const own = samples.get(process.pid);
    assert.ok(own);
    const rss = process.memoryUsage.rss();
    assert.ok(own.rssBytes > rss / 2 && own.rssBytes < rss * 2, `${own.rssBytes} vs ${rss}`);
    assert.ok(own.cpuSeconds > 0);
    assert.equal(samples.has(2 ** 22 + 1), false);
  });

  it('counts CPU this process burns (user + system, in clock ticks)', () => {
    const before = cpuSecondsOf(process.pid) ?? 0;
    spin(300);
    const used = (cpuSecondsOf(process.pid) ?? 0) - before;
    // at least some ticks even on a loaded host; never more than wall time on one thread + slack
    assert.ok(used > 0 && used < 5, `${used} s`);
  });
});

describe('UsageMeter', () => {
  it('reports % of a core between calls and forgets pids that are gone', () => {
    const meter = new UsageMeter();
    const first = meter.sample([process.pid, 2 ** 22 + 1]);
    assert.deepEqual(first.pids, [process.pid]);
    assert.ok(first.cpuPct >= 0 && first.rssBytes > 0);
    spin(400);
    const second = meter.sample([process.pid]);
    // this thread spun for most of the interval: a share of a core, not of the whole lifetime
    assert.ok(second.cpuPct > 5 && second.cpuPct <= 250, `${second.cpuPct} %`);
  });
});

describe('process tree', () => {
  it('finds a group and its descendants, and sees them die', async () => {
    // sh leads a group; its child moves to a group of its own, and is still found as a descendant
    const child = spawn('sh', ['-c', "setsid sh -c 'echo $$; exec sleep 60' & wait"], {
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
    });
    const leader = child.pid as number;
    let grandchild = 0;
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      grandchild = Number(chunk.toString().trim());
      const pids = stackPids([leader]);
      assert.ok(pids.includes(leader) && pids.includes(grandchild), `${pids} / ${grandchild}`);
      assert.ok(isAlive(grandchild));
      assert.match(processStartTime(grandchild) ?? '', /^\d+$/);
      process.kill(grandchild, 'SIGKILL');
      await once(child, 'exit');
      assert.equal(isAlive(grandchild), false);
      assert.equal(processStartTime(2 ** 22 + 1), null);
    } finally {
      for (const pid of [-leader, grandchild]) {
        try {
          if (pid !== 0) process.kill(pid, 'SIGKILL');
        } catch {}
      }
    }
  });
});
