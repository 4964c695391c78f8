/**
 * The run directory of one cluster, `PARENT/stackbench-db-XXXXXX`: the data directory, the Unix
 * socket and the server's log, owned by the OS user the server runs as. A marker file records
 * who owns it (our pid, later the postmaster's), so that the next start removes what a killed
 * run left (a SIGKILL gives no chance to clean up).
 */
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { processStartTime, readProcStat } from '@stackbench/host-probe';

export const RUN_DIR_PREFIX = 'stackbench-db-';
const MARKER = 'stackbench-db.json';
/** A directory without a marker is stale once it is this old (its creator died before writing). */
const UNMARKED_STALE_MS = 60_000;

export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

/** The `postgres` OS user from /etc/passwd, or null. */
export function lookupUser(name: string, passwd = '/etc/passwd'): ServerUser | null {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined)
      return { name, uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/**
 * The first directory from `dir` up to / that `user` cannot traverse (no x bit for it), or null.
 * Only the primary group is considered: enough to tell the usual 0700 temp dir of another user.
 */
export function unreachableAncestor(dir: string, user: ServerUser): string | null {
  for (let path = dir; ; path = dirname(path)) {
    const st = statSync(path);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return path;
    if (dirname(path) === path) return null;
  }
}

interface Marker {
  owner: number;
  ownerStart: string | null;
  postmaster?: number;
  postmasterStart?: string | null;
}

function alive(pid: number | undefined, start: string | null | undefined): boolean {
  if (pid === undefined) return false;
  const stat = readProcStat(pid);
  // a zombie is dead (its parent has not reaped it yet); a reused pid has another start time
  if (!stat || stat.state === 'Z') return false;
  return start === null || start === undefined || String(stat.starttime) === start;
}

/** Removes the run directories in `parentDir` whose owner and postmaster are both dead. */
export function removeStaleRunDirs(parentDir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parentDir).filter((n) => n.startsWith(RUN_DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(parentDir, name);
    let stale: boolean;
    try {
      const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
      stale =
        !alive(marker.owner, marker.ownerStart) &&
        !alive(marker.postmaster, marker.postmasterStart);
    } catch {
      try {
        stale = Date.now() - statSync(dir).mtimeMs > UNMARKED_STALE_MS;
      } catch {
        stale = false;
      }
    }
    if (stale) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}

export interface RunDir {
  dir: string;
  dataDir: string;
  logFile: string;
  /** Records the postmaster in the marker. */
  recordPostmaster(pid: number): void;
  remove(): void;
}

/** A fresh run directory, 0755 (clients of any user reach the socket), owned by `user`. */
export function createRunDir(parentDir: string, user: ServerUser | null): RunDir {
  const dir = mkdtempSync(join(parentDir, RUN_DIR_PREFIX));
  const markerPath = join(dir, MARKER);
  const marker: Marker = { owner: process.pid, ownerStart: processStartTime(process.pid) };
  writeFileSync(markerPath, JSON.stringify(marker));
  chmodSync(dir, 0o755);
  if (user) chownSync(dir, user.uid, user.gid);
  return {
    dir,
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'postgres.log'),
    recordPostmaster(pid) {
      writeFileSync(
        markerPath,
        JSON.stringify({ ...marker, postmaster: pid, postmasterStart: processStartTime(pid) }),
      );
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
