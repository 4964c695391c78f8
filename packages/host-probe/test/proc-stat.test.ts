import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseProcStat, readProcStat, readProcText } from '../src/proc-stat.js';

// a name with spaces and ") " in it, as a process may give itself (prctl PR_SET_NAME)
const TRICKY = 'w) 1 2 (x';

describe('parseProcStat', () => {
  it('splits after the last ") ", so a name with ") " cannot shift the fields', () => {
    const line = `4242 (${TRICKY}) S 7 4242 4242 0 -1 4194560 1 0 0 0 35 12 3 4 20 0 1 0 98765 1000 321 rest`;
    const stat = parseProcStat(line);
    assert.deepEqual(stat, {
      pid: 4242,
      comm: TRICKY,
      state: 'S',
      ppid: 7,
      pgid: 4242,
      utime: 35,
      stime: 12,
      cutime: 3,
      cstime: 4,
      starttime: 98765,
      rssPages: 321,
    });
  });

  it('rejects text that is not a stat line', () => {
    assert.equal(parseProcStat(''), undefined);
    assert.equal(parseProcStat('no parentheses here'), undefined);
  });
});

describe('readProcStat on a live process', () => {
  it('reads a child that renamed itself to a name with ") " and spaces', async () => {
    // the shell renames itself, says so, then waits on stdin: no sleep, no race
    const child = spawn(
      'sh',
      ['-c', `printf '%s' '${TRICKY}' > /proc/$$/comm && echo renamed && read _`],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
        detached: true,
      },
    );
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      assert.equal(chunk.toString().trim(), 'renamed');
      const stat = readProcStat(child.pid as number);
      assert.ok(stat, 'the child is readable');
      assert.equal(stat.comm, TRICKY);
      assert.equal(stat.ppid, process.pid);
      assert.equal(stat.pgid, child.pid, 'detached: it leads its own group');
      assert.ok(stat.starttime > 0 && stat.rssPages > 0);
    } finally {
      process.kill(-(child.pid as number), 'SIGKILL');
    }
  });

  it('is undefined for a pid that does not exist', () => {
    assert.equal(readProcStat(2 ** 22 + 1), undefined);
  });
});

describe('readProcText', () => {
  it('reads a file past its first buffer whole (/proc/stat on a host with many CPUs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-probe-'));
    try {
      const text = `${'x'.repeat(10_000)}\nprocs_running 2\n`;
      writeFileSync(join(dir, 'stat'), text);
      assert.equal(readProcText(join(dir, 'stat')), text);
      // and a small one after it, from the grown buffer
      writeFileSync(join(dir, 'small'), 'small\n');
      assert.equal(readProcText(join(dir, 'small')), 'small\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
