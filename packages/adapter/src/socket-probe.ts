/**
 * Checks that an inherited fd is an open, listening socket before Node adopts it: Node would
 * happily call listen() on an unbound socket (binding a random port) and report other cases as a
 * bare EINVAL. Linux only (reads /proc); elsewhere only the "open" and "socket" checks run.
 */
import { fstatSync, readFileSync, readlinkSync } from 'node:fs';
import { FdNotListeningError, FdNotOpenError, FdNotSocketError } from './errors.js';

const TCP_LISTEN = '0A';
const UNIX_ACCEPTCON = 0x10000;

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isCharacterDevice()) return 'a character device (a terminal or /dev/null?)';
  return 'some other kind of file (an epoll or event fd?)';
}

function readProc(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(1);
  } catch {
    return [];
  }
}

/** 'listening' | 'not-listening' | 'unknown' for a socket inode, from /proc/net tables. */
function listenState(inode: string): {
  state: 'listening' | 'not-listening' | 'unknown';
  detail: string;
} {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readProc(table)) {
      const cols = line.trim().split(/\s+/);
      if (cols[9] !== inode) continue;
      return cols[3] === TCP_LISTEN
        ? { state: 'listening', detail: 'tcp' }
        : { state: 'not-listening', detail: `TCP socket in state 0x${cols[3]}` };
    }
  }
  for (const line of readProc('/proc/net/unix')) {
    const cols = line.trim().split(/\s+/);
    if (cols[6] !== inode) continue;
    const flags = Number.parseInt(cols[3] ?? '0', 16);
    return flags & UNIX_ACCEPTCON
      ? { state: 'listening', detail: 'unix' }
      : { state: 'not-listening', detail: 'Unix socket without listen()' };
  }
  // A socket in none of the tables: UDP, netlink, unbound TCP (not yet in /proc/net/tcp)...
  if (readProc('/proc/net/tcp').length > 0) {
    return { state: 'not-listening', detail: 'not a bound TCP or Unix stream socket' };
  }
  return { state: 'unknown', detail: '/proc/net not readable' };
}

/** Throws a typed error unless `fd` is an open socket that is listening. */
export function assertListeningSocket(fd: number): void {
  let stat: ReturnType<typeof fstatSync>;
  try {
    stat = fstatSync(fd);
  } catch {
    throw new FdNotOpenError(fd);
  }
  if (!stat.isSocket()) throw new FdNotSocketError(fd, kindOf(stat));
  let link: string;
  try {
    link = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return; // no /proc: trust the parent
  }
  const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
  if (!inode) return;
  const { state, detail } = listenState(inode);
  if (state === 'not-listening') throw new FdNotListeningError(fd, detail);
}
