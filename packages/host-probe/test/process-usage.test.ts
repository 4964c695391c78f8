import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { descendantsOf, isAlive, processStartTime, stackPids } from '../src/process-tree.js';
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

  it('counts the processes running or runnable at the reading (state R)', async () => {
    const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const pids = [busy.pid as number, idle.pid as number];
      // a busy loop is R at nearly every reading; an idle one sleeps (S)
      let seen = 0;
      for (let i = 0; i < 20 && seen === 0; i++) seen = new UsageMeter().sample(pids).running;
      assert.equal(seen, 1);
      assert.equal(new UsageMeter().sample([idle.pid as number]).running, 0);
    } finally {
      busy.kill('SIGKILL');
      idle.kill('SIGKILL');
    }
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
      // from the leader: the grandchild in its own group, not the leader itself
      const below = descendantsOf(leader);
      assert.ok(below.includes(grandchild) && !below.includes(leader), `${below}`);
      assert.ok(!descendantsOf(grandchild).includes(leader));
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
