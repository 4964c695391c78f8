/** Clear errors from the two CLIs: invalid config, port in use, unknown command, dead endpoint. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ctlBin, Daemon, nodeWorker, run, supervisorBin, waitFor } from './helpers/daemon.js';

describe('stackbench-supervisor errors', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an invalid config: every problem in one message, exit code 2, nothing started', async () => {
    const path = join(dir, 'bad.ini');
    writeFileSync(path, '[watcher:a]\nnumprocesses = many\n[socket:s]\nfamily = AF_X\nport = 1\n');
    const result = await run(supervisorBin, [path]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.ini: 3 problems:\n/);
    assert.match(result.stderr, /\[watcher:a\] cmd: is required/);
    assert.match(result.stderr, /\[watcher:a\] numprocesses: "many" is not valid/);
    assert.match(
      result.stderr,
      /\[socket:s\] family: "AF_X" is not valid; expected one of: AF_INET, AF_INET6, AF_UNIX/,
    );
    assert.doesNotMatch(result.stdout, /spawn/);
  });

  it('--check validates without starting', async () => {
    const path = join(dir, 'ok.ini');
    writeFileSync(path, '[watcher:a]\ncmd = /bin/true\n');
    const result = await run(supervisorBin, ['--check', path]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /ok \(1 watchers, 0 sockets\)/);
  });

  it('a missing config file is a usage error', async () => {
    const result = await run(supervisorBin, [join(dir, 'nope.ini')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read config .*nope\.ini/);
  });

  it('a port in use stops start-up with a clear error and nothing spawned', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const path = join(dir, 'busy.ini');
      writeFileSync(
        path,
        `[socket:web]\nport = ${port}\n[watcher:w]\ncmd = ${process.execPath} ${nodeWorker} $(circus.sockets.web)\nuse_sockets = true\n`,
      );
      const result = await run(supervisorBin, [path]);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(
          `\\[socket:web\\] cannot listen on 127\\.0\\.0\\.1:${port}: address already in use.*nothing was started`,
        ),
      );
      assert.doesNotMatch(result.stdout, /spawn/);
    } finally {
      holder.close();
    }
  });
});

describe('stackbench-ctl errors', () => {
  let daemon: Daemon;
  before(async () => {
    daemon = await Daemon.start(() => '[watcher:idle]\ncmd = /bin/sleep 60\n');
  });
  after(() => daemon.stop());

  it('an unknown command lists the valid ones (exit 2)', async () => {
    const result = await daemon.ctlCli('explode');
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /unknown command "explode"; valid commands: list, status, numprocesses, incr/,
    );
  });

  it('an unknown watcher and a bad N are usage errors', async () => {
    const unknown = await daemon.ctlCli('incr', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown watcher "nope"; watchers: idle/);
    const bad = await daemon.ctlCli('incr', 'idle', 'zero');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /N must be a whole number 1..1024, not "zero"/);
  });

  it('status prints the endpoint and the 0600 token file', async () => {
    const result = await daemon.ctlCli('status');
    assert.equal(result.code, 0, result.stderr);
    const tokenFile = join(daemon.dir, 'test.token');
    assert.match(result.stdout, new RegExp(`token file ${tokenFile}`));
    assert.match(result.stdout, /idle\s+active\s+1\s+1/);
    const { statSync } = await import('node:fs');
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(daemon.dir, 'test.sock')).mode & 0o777, 0o600);
    assert.match(readFileSync(tokenFile, 'utf8'), /^[0-9a-f]{64}\n$/);
  });

  it('events streams lines until interrupted; incr shows up in it', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [ctlBin, '--config', daemon.configPath, 'events'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    try {
      await waitFor('the events stream to open', async () => {
        await daemon.ctl.request({ command: 'numprocesses', watcher: 'idle' });
        const status = await daemon.ctlCli('incr', 'idle');
        return status.code === 0 && /numprocesses idle from=\d+ to=\d+/.test(output);
      });
      assert.match(output, /spawn idle pid=\d+ wid=\d+/);
    } finally {
      child.kill('SIGINT');
    }
  });

  it('a dead endpoint is a clear error', async () => {
    const result = await run(ctlBin, ['--endpoint', join(daemon.dir, 'nobody.sock'), 'status']);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /no supervisor answers at .*nobody\.sock \(ENOENT\); is it running/,
    );
  });

  it('no endpoint at all says how to give one', async () => {
    const result = await run(ctlBin, ['status']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no endpoint: give --endpoint PATH/);
  });
});
