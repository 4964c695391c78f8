/** Each bad input exits 2 with a message naming the culprit (and what would be valid). */
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { fixture, runAdapter } from './helpers/adapter-process.js';
import { closeServer, listeningServer, portOf } from './helpers/sockets.js';

const apps = fixture('apps.js');
const hello = `${apps}:hello`;

async function expectUsage(
  args: string[],
  message: RegExp,
  options: Parameters<typeof runAdapter>[1] = {},
) {
  const result = await runAdapter(args, options);
  assert.equal(result.code, 2, `${args.join(' ')}\n${result.stderr}`);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /unexpected error| {4}at /, 'no stack trace for bad input');
}

const cleanup: (() => unknown)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('bad input exits 2 naming the culprit', () => {
  it('APP module not found, export missing, not a listener, fails to load', async () => {
    await expectUsage(['--port', '0', './nope.js:app'], /APP module "\.\/nope\.js" not found/);
    await expectUsage(['--port', '0', '@nope/nothing:app'], /"@nope\/nothing" not found/);
    await expectUsage(
      ['--port', '0', `${apps}:missing`],
      /no export "missing"; its exports are: .*hello/,
    );
    await expectUsage(
      ['--port', '0', `${apps}:notListener`],
      /notListener" is a number, not a request listener/,
    );
    await expectUsage(['--port', '0', fixture('broken.js')], /failed to load: broken fixture/);
    await expectUsage(
      ['--port', '0', '--backend', 'threads', `${apps}:missing`],
      /no export "missing"/,
    );
  });
  it('unknown backend lists the valid ones', async () => {
    await expectUsage(
      ['--port', '0', '--backend', 'fibers', hello],
      /--backend \("fibers"\) must be one of: node, threads/,
    );
  });
  it('fd not open, not a socket, not listening', async () => {
    await expectUsage(['--fd', '200', hello], /--fd 200: file descriptor 200 is not open/);
    const file = openSync(fixture('apps.js'), 'r');
    cleanup.push(() => closeSync(file));
    await expectUsage(
      ['--fd', '3', hello],
      /--fd 3: file descriptor 3 is a regular file, not a socket/,
      { fd3: file },
    );
    // A connected (not listening) TCP socket.
    const server = await listeningServer();
    cleanup.push(() => closeServer(server));
    const client = connect({ host: '127.0.0.1', port: portOf(server) });
    await new Promise((resolve) => client.once('connect', resolve));
    cleanup.push(() => client.destroy());
    const fd = (client as unknown as { _handle: { fd: number } })._handle.fd;
    await expectUsage(
      ['--fd', '3', hello],
      /--fd 3: the socket at file descriptor 3 is not listening/,
      { fd3: fd },
    );
  });
  it('port in use', async () => {
    const server = await listeningServer();
    cleanup.push(() => closeServer(server));
    const port = portOf(server);
    await expectUsage(
      ['--port', String(port), hello],
      new RegExp(`127\\.0\\.0\\.1:${port}: address already in use`),
    );
  });
  it('invalid numbers, missing APP, missing or double listen target', async () => {
    await expectUsage(
      ['--port', '0', '--backlog', 'lots', hello],
      /--backlog \("lots"\) must be a whole number/,
    );
    await expectUsage(
      ['--port', '0', '--threads', '0', hello],
      /--threads \("0"\) must be at least 1/,
    );
    await expectUsage(['--port', '70000', hello], /--port \("70000"\) must be at most 65535/);
    await expectUsage(['--port', '0', '--graceful-timeout', '-1', hello], /--graceful-timeout/);
    await expectUsage(['--port', '0'], /missing APP/);
    await expectUsage([hello], /say where to listen/);
    await expectUsage(['--fd', '3', '--port', '0', hello], /only one of/);
  });
});
