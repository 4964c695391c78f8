/**
 * The attack and bad-input battery of the control surfaces (issue 14), against a real supervisor
 * with a TCP endpoint and a dashboard: each finding of the audit is a test here.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AUTH_TIMEOUT_MS,
  MAX_CONTROL_CONNECTIONS,
  MAX_DASHBOARD_CONNECTIONS,
  MAX_EVENT_STREAMS,
} from '../src/limits.js';
import { freePort, request } from './fixtures/dashboard-setup.js';
import { ctlBin, nodeWorker, run, supervisorBin, waitFor } from './helpers/daemon.js';

const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Connects and collects the lines the server sends until it closes. */
function connectLines(
  port: number,
): Promise<{ socket: net.Socket; lines: string[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const lines: string[] = [];
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const parts = text.split('\n');
      text = parts.pop() ?? '';
      lines.push(...parts);
    });
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, lines, closed }));
    socket.once('error', reject);
  });
}

interface Answer {
  ok: boolean;
  error: { code: string; message: string };
}

async function ask(port: number, line: string): Promise<Answer> {
  const { socket, lines } = await connectLines(port);
  socket.write(`${line}\n`);
  await waitFor('an answer', () => lines.length > 0);
  socket.destroy();
  return JSON.parse(lines[0] as string);
}

describe('hardening: control endpoint and dashboard', () => {
  let dir: string;
  let child: ChildProcess;
  let controlPort: number;
  let dashPort: number;
  let token: string;
  let output = '';
  const victimText = 'do not touch\n';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-harden-'));
    controlPort = await freePort();
    dashPort = await freePort();
    // A token file path pre-placed as a symlink to a victim file.
    writeFileSync(join(dir, 'victim'), victimText, { mode: 0o644 });
    symlinkSync(join(dir, 'victim'), join(dir, 'sup.token'));
    writeFileSync(
      join(dir, 'test.ini'),
      `[supervisor]\nendpoint = tcp://127.0.0.1:${controlPort}\ntoken_file = sup.token\ndashboard = 127.0.0.1:${dashPort}\nstats_interval = 1\ncheck_delay = 0.2\n\n[socket:web]\nport = 0\n\n[watcher:web]\ncmd = ${process.execPath} ${nodeWorker} $(circus.sockets.web)\nnumprocesses = 1\nuse_sockets = true\nstdout = null\n`,
    );
    child = spawn(process.execPath, [supervisorBin, '--quiet', join(dir, 'test.ini')], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c) => (output += c));
    child.stderr?.on('data', (c) => (output += c));
    // the planted link reads as the victim's text until the supervisor replaces it
    token = await waitFor('the token file', () => {
      try {
        const text = readFileSync(join(dir, 'sup.token'), 'utf8').trim();
        return /^[0-9a-f]{64}$/.test(text) ? text : undefined;
      } catch {
        return undefined;
      }
    });
    await waitFor('the endpoint', async () => {
      try {
        return (await ask(controlPort, JSON.stringify({ command: 'list', token }))).ok;
      } catch {
        return false;
      }
    });
  });

  after(() => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the token file without following a planted symlink', () => {
    assert.equal(readFileSync(join(dir, 'victim'), 'utf8'), victimText);
    assert.match(token, /^[0-9a-f]{64}$/);
  });

  it('drops a connection past 64 KiB without a newline, before the token; memory stays bounded', async (t) => {
    const pid = child.pid as number;
    const before = rssBytes(pid);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const floods = await Promise.all([1, 2, 3].map(() => connectLines(controlPort)));
    await Promise.all(
      floods.map(async ({ socket, closed }) => {
        // up to 256 MiB, stopping as soon as the server cuts the connection
        for (let i = 0; i < 256 && !socket.destroyed && socket.writable; i++) {
          if (!socket.write(chunk)) {
            await Promise.race([new Promise((r) => socket.once('drain', r)), closed]);
          }
        }
        await closed;
      }),
    );
    // a flood still sending may see the answer lost to a reset; one that stopped sees it
    const answers = floods.map(({ lines }) => lines[0]).filter((line) => line !== undefined);
    assert.ok(answers.length > 0, 'at least one flood read the refusal');
    for (const line of answers) assert.match(line, /SUPERVISOR_BAD_REQUEST.*over 65536 bytes/);
    const grown = rssBytes(pid) - before;
    t.diagnostic(
      `supervisor RSS ${Math.round(before / 1048576)} MB -> ${Math.round((before + grown) / 1048576)} MB after 3 floods`,
    );
    assert.ok(grown < 64 * 1024 * 1024, `RSS grew by ${Math.round(grown / 1048576)} MB`);
    assert.equal((await ask(controlPort, JSON.stringify({ command: 'list', token }))).ok, true);
  });

  it('holds at most 64 control connections and refuses the next with SUPERVISOR_BUSY', async () => {
    const pid = child.pid as number;
    const fdsBefore = fdCount(pid);
    const idle = await Promise.all(
      Array.from({ length: MAX_CONTROL_CONNECTIONS }, () => connectLines(controlPort)),
    );
    try {
      const extra = await Promise.all(Array.from({ length: 50 }, () => connectLines(controlPort)));
      await Promise.all(extra.map((c) => c.closed));
      for (const c of extra) assert.match(c.lines[0] ?? '', /SUPERVISOR_BUSY.*at most 64/);
      assert.ok(fdCount(pid) <= fdsBefore + MAX_CONTROL_CONNECTIONS + 4, 'fds bounded');
    } finally {
      for (const c of idle) c.socket.destroy();
    }
    await waitFor('the slots to free', async () => {
      try {
        return (await ask(controlPort, JSON.stringify({ command: 'list', token }))).ok;
      } catch {
        return false;
      }
    });
  });

  it('closes a connection that presents no token in time', {
    timeout: AUTH_TIMEOUT_MS + 15_000,
  }, async () => {
    const { lines, closed } = await connectLines(controlPort);
    await closed;
    assert.match(lines[0] ?? '', /SUPERVISOR_TOKEN.*no token in time/);
  });

  const badRequests: [string, RegExp][] = [
    [JSON.stringify({ command: 'constructor', token: '' }), /SUPERVISOR_TOKEN/],
    ['null', /SUPERVISOR_BAD_REQUEST.*JSON object/],
    ['[]', /SUPERVISOR_BAD_REQUEST/],
    ['"list"', /SUPERVISOR_BAD_REQUEST/],
    ['{not json', /SUPERVISOR_BAD_REQUEST.*not JSON/],
    [JSON.stringify({ command: 'list', token: 'é'.repeat(64) }), /SUPERVISOR_TOKEN/],
    [JSON.stringify({ command: 'list', token: { length: 64 } }), /SUPERVISOR_TOKEN/],
    [JSON.stringify({ command: 'list', token: null }), /SUPERVISOR_TOKEN/],
  ];
  for (const [line, expected] of badRequests) {
    it(`answers ${line.slice(0, 40)} with a 4xx-style error, never internal`, async () => {
      const answer = await ask(controlPort, line);
      assert.equal(answer.ok, false);
      assert.match(`${answer.error.code} ${answer.error.message}`, expected);
      assert.notEqual(answer.error.code, 'SUPERVISOR_INTERNAL');
    });
  }

  const badCommands: [Record<string, unknown>, RegExp][] = [
    [{ command: 'constructor' }, /SUPERVISOR_UNKNOWN_COMMAND.*"constructor"/],
    [{ command: '__proto__' }, /SUPERVISOR_UNKNOWN_COMMAND/],
    [{ command: 'toString' }, /SUPERVISOR_UNKNOWN_COMMAND/],
    [
      { command: 'incr', watcher: 'web', n: 1e300 },
      /SUPERVISOR_BAD_REQUEST.*N must be a whole number 1..1024/,
    ],
    [{ command: 'incr', watcher: 'web', n: 2000 }, /SUPERVISOR_BAD_REQUEST.*1..1024/],
    [{ command: 'incr', watcher: 'web', n: '99999999999999999999' }, /SUPERVISOR_BAD_REQUEST/],
    [{ command: 'decr', watcher: 'web', n: -1 }, /SUPERVISOR_BAD_REQUEST/],
    [{ command: 'incr', watcher: 'constructor' }, /SUPERVISOR_UNKNOWN_WATCHER/],
    [
      { command: 'signal', watcher: 'web', signal: { toString: 1 } },
      /SUPERVISOR_BAD_REQUEST.*not a signal/,
    ],
  ];
  for (const [body, expected] of badCommands) {
    it(`refuses ${JSON.stringify(body).slice(0, 60)} by name`, async () => {
      const answer = await ask(controlPort, JSON.stringify({ ...body, token }));
      assert.equal(answer.ok, false);
      assert.match(`${answer.error.code} ${answer.error.message}`, expected);
    });
  }

  it('stackbench-ctl: a prototype name and an overlong --timeout are usage errors (exit 2)', async () => {
    const args = ['--config', join(dir, 'test.ini')];
    const proto = await run(ctlBin, [...args, 'constructor']);
    assert.equal(proto.code, 2, proto.stderr);
    assert.match(proto.stderr, /unknown command "constructor"/);
    assert.doesNotMatch(proto.stderr, /\n\s+at /);
    const timeout = await run(ctlBin, [...args, '--timeout', '3000000', 'list']);
    assert.equal(timeout.code, 2, timeout.stderr);
    assert.match(timeout.stderr, /--timeout \("3000000"\) must be at most 2147483 seconds/);
    assert.doesNotMatch(timeout.stderr, /TimeoutOverflowWarning/);
  });

  const host = () => ({ host: `127.0.0.1:${dashPort}` });

  it('dashboard: a body over 64 KiB is a 413, not a reset connection', async () => {
    const answer = await request(dashPort, '/api/command', {
      method: 'POST',
      headers: { ...host(), 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ command: 'list', pad: 'x'.repeat(70 * 1024) }),
    });
    assert.equal(answer.status, 413);
    assert.match(answer.body, /SUPERVISOR_DASHBOARD_TOO_LARGE.*over 65536 bytes/);
  });

  it('dashboard: malformed tokens are 403, a malformed body 400, a prototype command 400', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      request(dashPort, '/api/command', {
        method: 'POST',
        headers: { ...host(), 'content-type': 'application/json', ...headers },
        body,
      });
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal(
      (await post({ authorization: `Bearer ${'é'.repeat(64)}` }, '{"command":"list"}')).status,
      403,
    );
    assert.equal((await post({ authorization: 'Bearer' }, '{"command":"list"}')).status, 403);
    assert.equal((await post(bearer, 'null')).status, 400);
    assert.equal((await post(bearer, '{"command":"constructor"}')).status, 400);
    assert.equal((await post(bearer, '{"command":"incr","watcher":"web","n":1e300}')).status, 400);
  });

  it('dashboard: the page reads its event stream with the token in a header, never in the URL', async () => {
    const page = await request(dashPort, '/dashboard.js', { headers: host() });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /new EventSource|\?token=/);
    assert.match(page.body, /authorization: `Bearer \$\{token\}`/);
  });

  it('dashboard: at most 32 event streams, then 503', async () => {
    const streams: net.Socket[] = [];
    try {
      for (let i = 0; i < MAX_EVENT_STREAMS; i++) {
        const s = net.connect(dashPort, '127.0.0.1');
        s.on('error', () => {});
        let seen = '';
        s.setEncoding('utf8').on('data', (c: string) => (seen += c));
        s.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${dashPort}\r\n\r\n`);
        await waitFor('the init frame', () => seen.includes('event: init'));
        streams.push(s);
      }
      const refused = await request(dashPort, '/api/events', { headers: host() });
      assert.equal(refused.status, 503);
      assert.match(refused.body, /SUPERVISOR_BUSY.*at most 32/);
    } finally {
      for (const s of streams) s.destroy();
    }
  });

  it('dashboard: at most 64 connections, then a plain 503', async () => {
    const idle: net.Socket[] = [];
    try {
      for (let i = 0; i < MAX_DASHBOARD_CONNECTIONS; i++) {
        const s = net.connect(dashPort, '127.0.0.1');
        s.on('error', () => {});
        await new Promise((r) => s.once('connect', r));
        idle.push(s);
      }
      // the server counts a connection when it accepts it: wait until the next is refused
      const refused = await waitFor('a refusal', async () => {
        const answer = await request(dashPort, '/api/status', { headers: host() }).catch(
          () => undefined,
        );
        return answer?.status === 503 ? answer : undefined;
      });
      assert.match(refused.body, /SUPERVISOR_BUSY.*dashboard connections/);
    } finally {
      for (const s of idle) s.destroy();
    }
    await waitFor('the dashboard to serve again', async () => {
      const answer = await request(dashPort, '/api/status', { headers: host() }).catch(
        () => undefined,
      );
      return answer?.status === 200;
    });
  });

  it('is still alive and serving after all of it', async () => {
    assert.equal(child.exitCode, null, output);
    const status = await ask(controlPort, JSON.stringify({ command: 'status', token }));
    assert.equal(status.ok, true);
  });
});
