/**
 * The null server: an HTTP/1.1 server on 127.0.0.1 that costs as little as possible per request
 * (null-responder.ts), in `processes` child processes sharing one listening socket (handed to
 * each over IPC, as node:cluster does without a primary in the way; works on Node 20, which has
 * no `reusePort`). Separate processes so that it never shares an event loop with the driver it
 * measures. `close` ends their process group; so does a failed start.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { CeilingError } from '../errors.js';

export interface NullServer {
  url: string;
  port: number;
  /** Pids of the answering processes. */
  pids: number[];
  close(): Promise<void>;
}

/** How long a child may take to start and take the socket (a loaded 2-core host). */
const READY_TIMEOUT_MS = 15_000;

function endGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function ready(child: ChildProcess, listener: net.Server): Promise<void> {
  const timer = AbortSignal.timeout(READY_TIMEOUT_MS);
  const answered = new Promise<void>((resolve, reject) => {
    child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
    child.once('exit', (code, signal) =>
      reject(new Error(`exited (${signal ?? `code ${code}`}) before it was ready`)),
    );
    timer.addEventListener('abort', () =>
      reject(new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s`)),
    );
  });
  child.send('server', listener);
  await answered;
}

export async function startNullServer(processes = 1): Promise<NullServer> {
  if (!Number.isInteger(processes) || processes < 1) {
    throw new CeilingError(`null-server processes ${processes}: expected a whole number >= 1`);
  }
  const listener = net.createServer();
  // the parent only hands the socket on; a connection it accepted before closing would hang
  listener.on('connection', (socket) => socket.destroy());
  listener.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  await once(listener, 'listening');
  const { port } = listener.address() as net.AddressInfo;
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children) {
      child.disconnect?.();
      endGroup(child);
    }
    await Promise.all(
      children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : once(c, 'exit'))),
    );
  };
  try {
    for (let i = 0; i < processes; i++) {
      const child = fork(new URL('./null-server-main.js', import.meta.url), [], {
        detached: true,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      children.push(child);
      await ready(child, listener);
    }
  } catch (error) {
    await close();
    throw new CeilingError(`a null-server process did not start: ${(error as Error).message}`);
  } finally {
    listener.close();
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    pids: children.map((c) => c.pid as number),
    close,
  };
}
