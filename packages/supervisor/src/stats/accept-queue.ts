/**
 * Accept-queue depth of listening sockets: the kernel's count of connections that completed the
 * handshake and wait for accept(2) (Recv-Q of a LISTEN socket; Send-Q is the backlog). When it
 * grows, workers are not keeping up and the backlog is filling: the seed's question.
 *
 * Read with `ss -ltnH` (netlink with a state filter, so only listening sockets are returned, at a
 * cost independent of how many connections the host has; /proc/net/tcp lists every connection and
 * gets large under load).
 */
import { execFile } from 'node:child_process';

export interface ListenQueue {
  /** `tcp` or `u_str`. */
  netid: string;
  /** Local address as ss prints it: `127.0.0.1:8080`, `[::1]:8080`, `/path/web.sock`. */
  local: string;
  queued: number;
  backlog: number;
}

export function parseSs(output: string): ListenQueue[] {
  const rows: ListenQueue[] = [];
  for (const line of output.split('\n')) {
    const [netid, state, recvQ, sendQ, local] = line.trim().split(/\s+/);
    if (state !== 'LISTEN' || local === undefined) continue;
    rows.push({
      netid: netid as string,
      local,
      queued: Number(recvQ),
      backlog: Number(sendQ),
    });
  }
  return rows;
}

/** Listening sockets (TCP, plus Unix when asked); an empty list if ss is unavailable. */
export function readListenQueues(unix: boolean): Promise<ListenQueue[]> {
  // -t and -x together make ss print the netid column; with -t alone we add it.
  const args = unix ? ['-ltxnH'] : ['-ltnH'];
  return new Promise((resolve) => {
    execFile('ss', args, { timeout: 2000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve([]);
      const text = unix ? stdout : stdout.replace(/^(?=\S)/gm, 'tcp ');
      resolve(parseSs(text));
    });
  });
}

/** Finds the queue of one bound socket: by path for Unix, by port for TCP. */
export function findQueue(
  queues: readonly ListenQueue[],
  socket: { unixPath?: string; port?: number },
): ListenQueue | undefined {
  if (socket.unixPath !== undefined) {
    return queues.find((q) => q.netid === 'u_str' && q.local === socket.unixPath);
  }
  return queues.find((q) => q.netid === 'tcp' && q.local.endsWith(`:${socket.port}`));
}
