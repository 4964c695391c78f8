/**
 * Accept-queue depth of the listening socket(s) on a port, from /proc/net/tcp: for a socket in
 * LISTEN state the rx_queue column is the number of connections waiting for accept(); and how
 * many sockets listen there. null where the file cannot be read (not Linux).
 */
import { readFileSync } from 'node:fs';

/** LISTEN entries on the port: `sockets` (one per process bound with SO_REUSEPORT) and `depth`. */
function listenEntries(port: number): { sockets: number; depth: number } | null {
  let text: string;
  try {
    text = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return null;
  }
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  let depth = 0;
  let sockets = 0;
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5 || cols[3] !== '0A') continue;
    if (!cols[1]?.endsWith(`:${portHex}`)) continue;
    sockets++;
    depth += Number.parseInt(cols[4]?.split(':')[1] ?? '0', 16);
  }
  return { sockets, depth };
}

export function acceptQueueDepth(port: number): number | null {
  const entries = listenEntries(port);
  return entries && entries.sockets > 0 ? entries.depth : null;
}

/** Listening sockets on the port (several when processes each bind it with SO_REUSEPORT). */
export function listeningSockets(port: number): number | null {
  return listenEntries(port)?.sockets ?? null;
}
