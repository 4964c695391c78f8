/**
 * Accept-queue depth of listening sockets: the kernel's count of connections that completed the
 * handshake and wait for accept(2) (Recv-Q of a LISTEN socket; Send-Q is the backlog). When it
 * grows, workers are not keeping up and the backlog is filling: the seed's question.
 *
 * One method, `ss -ltnH` (iproute2): it asks the kernel over netlink (sock_diag) with a state
 * filter, so only listening sockets are walked and returned, at a cost independent of how many
 * connections the host has, and it is the only interface that also reports Unix sockets' queues.
 * /proc/net/tcp was the alternative: it lists every connection (TIME_WAIT included), so it grows
 * with the load it measures, and /proc/net/unix has no queue column.
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

/** Parses `ss -l -H` output with a netid column. */
export function parseSs(output: string): ListenQueue[] {
  const rows: ListenQueue[] = [];
  for (const line of output.split('\n')) {
    const [netid, state, recvQ, sendQ, local] = line.trim().split(/\s+/);
    if (state !== 'LISTEN' || local === undefined) continue;
    rows.push({ netid: netid as string, local, queued: Number(recvQ), backlog: Number(sendQ) });
  }
  return rows;
}

export interface ListenQueueQuery {
  /** Unix sockets too (default: TCP only). */
  unix?: boolean;
  /** Only TCP sockets bound to this local port (filtered in the kernel). */
  port?: number;
}

/** Listening sockets, or null if ss is unavailable or fails. */
function querySs(query: ListenQueueQuery): Promise<ListenQueue[] | null> {
  // -t and -x together make ss print the netid column; with -t alone we add it.
  const args = query.unix ? ['-ltxnH'] : ['-ltnH'];
  if (query.port !== undefined) args.push(`( sport = :${Math.trunc(query.port)} )`);
  return new Promise((resolve) => {
    execFile('ss', args, { timeout: 2000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve(null);
      const text = query.unix ? stdout : stdout.replace(/^(?=\S)/gm, 'tcp ');
      resolve(parseSs(text));
    });
  });
}

/** Listening sockets; an empty list if ss is unavailable or fails. */
export async function readListenQueues(query: ListenQueueQuery = {}): Promise<ListenQueue[]> {
  return (await querySs(query)) ?? [];
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

/**
 * Connections waiting in the accept queues of every TCP socket listening on a port (IPv4 and
 * IPv6, or several SO_REUSEPORT listeners), or null when none is seen.
 */
export async function acceptQueueDepth(port: number): Promise<number | null> {
  return queuedOnPort(await readListenQueues({ port }), port);
}

/**
 * TCP sockets listening on a port: one per process that binds it with SO_REUSEPORT (and one per
 * address family), or null when ss cannot be run.
 */
export async function listeningSockets(port: number): Promise<number | null> {
  const rows = await querySs({ port });
  return rows === null ? null : rows.filter((q) => q.local.endsWith(`:${port}`)).length;
}

/** The accept-queue depth on a port from `ss -ltnH` output, read here or on another host. */
export function acceptQueueInSs(output: string, port: number): number | null {
  return queuedOnPort(parseSs(output.replace(/^(?=\S)/gm, 'tcp ')), port);
}

/** The queued connections of the sockets listening on `port`, summed; null when there are none. */
function queuedOnPort(queues: readonly ListenQueue[], port: number): number | null {
  const rows = queues.filter((q) => q.local.endsWith(`:${port}`));
  return rows.length ? rows.reduce((sum, q) => sum + q.queued, 0) : null;
}
