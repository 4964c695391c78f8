/**
 * Accept-queue depth of the listening socket(s) on a port, from /proc/net/tcp: for a socket in
 * LISTEN state the rx_queue column is the number of connections waiting for accept().
 * null where the file cannot be read (not Linux).
 */
import { readFileSync } from 'node:fs';

export function acceptQueueDepth(port: number): number | null {
  let text: string;
  try {
    text = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return null;
  }
  return acceptQueueIn(text, port);
}

/** The same, from the text of a /proc/net/tcp (read here, or on a remote host). */
export function acceptQueueIn(text: string, port: number): number | null {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  let depth = 0;
  let found = false;
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5 || cols[3] !== '0A') continue;
    if (!cols[1]?.endsWith(`:${portHex}`)) continue;
    found = true;
    depth += Number.parseInt(cols[4]?.split(':')[1] ?? '0', 16);
  }
  return found ? depth : null;
}
