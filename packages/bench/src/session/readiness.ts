/**
 * Waiting for a stack to serve, and verifying what it serves (TechEmpower's verify step):
 * poll the URL until status and body match, fail early if a process exits, fail with the
 * log's tail on the time limit.
 */
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Verification } from '@stackbench/result';

export interface Probe {
  status: number;
  contentType: string;
  body: string;
}

/**
 * One request on a connection of its own, closed after the answer: a pooled keep-alive
 * connection would stay open on one worker and be counted in the first window's placement.
 */
export function probe(url: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { agent: false, headers: { connection: 'close' }, signal: AbortSignal.timeout(timeoutMs) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
  });
}

export interface ReadyCheck {
  url: string;
  status: number;
  body: RegExp;
  timeoutMs: number;
  /** Non-null when the stack died: stop waiting. */
  exited: () => string | null;
  signal?: AbortSignal;
  /**
   * Processes that each listen on the port with a socket of their own (SO_REUSEPORT): ready only
   * once `want` sockets listen (`count()`, null where they cannot be counted), so no window starts
   * while the kernel still has fewer sockets to spread connections over.
   */
  listeners?: { want: number; count: () => Promise<number | null> };
  /**
   * The stack's processes now, and how many of them are running or waiting for a core (null
   * where that cannot be read): ready only once they have settled (see `SETTLE_MS`), so no
   * window measures workers still booting.
   */
  processes?: () => Promise<{ pids: readonly number[]; runnable: number | null }>;
}

/**
 * A stack has settled when, for this long, its processes stayed the same and none of them was
 * running or runnable (state R) at any reading: a booting worker is (it compiles or imports its
 * app), an idle one sleeps. Not CPU %: on a busy host a booting worker gets little of a core.
 * The first worker answers long before the last one has booted: Gunicorn forks its workers
 * 0–0.1 s apart and each imports the app; rehearsing 100 workers on 2 cores, gunicorn answered
 * after 2 s with 25 of its 100 workers there, and windows measured the rest booting.
 */
export const SETTLE_MS = 500;

/**
 * How long a stack of `workers` workers may take to become ready: the stack file's
 * `ready.timeout_s`, plus 1 s per worker. Workers boot one after another on few cores: 50 Node
 * workers took 7–11 s on a quiet 2-core host and 23–30 s on a busy one (rehearsing the paper
 * profile), past a fixed 30 s. A stack that exits while starting fails at once anyway.
 */
export function readyTimeoutMs(timeoutS: number, workers: number): number {
  return (timeoutS + workers) * 1000;
}

const notReady = (check: ReadyCheck, last: string) =>
  new Error(`not ready within ${check.timeoutMs / 1000} s at ${check.url} (last: ${last})`);

/** Resolves when ready; rejects with a message saying what was last seen. */
export async function waitReady(check: ReadyCheck): Promise<void> {
  const deadline = Date.now() + check.timeoutMs;
  let last = 'no answer yet';
  let answering = false;
  while (!answering && Date.now() < deadline) {
    check.signal?.throwIfAborted();
    const exited = check.exited();
    if (exited) throw new Error(`not ready: ${exited}`);
    try {
      const answer = await probe(check.url, Math.max(100, Math.min(2000, deadline - Date.now())));
      if (answer.status === check.status && check.body.test(answer.body)) {
        const have = check.listeners ? await check.listeners.count() : null;
        answering = !check.listeners || have === null || have >= check.listeners.want;
        last = `${have} of ${check.listeners?.want} processes listening on the port`;
      } else last = `status ${answer.status}, body ${JSON.stringify(answer.body.slice(0, 80))}`;
    } catch (error) {
      last = (error as Error).cause ? String((error as Error).cause) : (error as Error).message;
    }
    if (!answering) await sleep(100);
  }
  if (!answering) throw notReady(check, last);
  if (check.processes) await settle(check, check.processes, deadline);
}

/** Once it answers: wait until the stack's processes have settled (`SETTLE_MS`), reading only them (a probe would wake a worker). */
async function settle(
  check: ReadyCheck,
  processes: NonNullable<ReadyCheck['processes']>,
  deadline: number,
): Promise<void> {
  let since: number | null = null;
  let seen = -1;
  let last = 'answering';
  while (Date.now() < deadline) {
    check.signal?.throwIfAborted();
    const exited = check.exited();
    if (exited) throw new Error(`not ready: ${exited}`);
    const now = await processes();
    const quiet = now.pids.length === seen && (now.runnable ?? 0) === 0;
    seen = now.pids.length;
    since = quiet ? (since ?? Date.now()) : null;
    if (since !== null && Date.now() - since >= SETTLE_MS) return;
    last = `answering, still starting: ${seen} processes, ${now.runnable ?? '?'} of them running`;
    await sleep(100);
  }
  throw notReady(check, last);
}

export interface Expectation {
  status: number;
  contentType: string;
  body: RegExp;
  /** A check of the content beyond its format (a db row against the table): the problem, or null. */
  check?: (body: string) => string | null;
}

/** One request checked for status, content type and body format. */
export async function verify(
  url: string,
  expect: Expectation,
): Promise<{ verification: Verification; problems: string[] }> {
  const answer = await probe(url, 10_000);
  const problems: string[] = [];
  if (answer.status !== expect.status) {
    problems.push(`status ${answer.status}, expected ${expect.status}`);
  }
  if (!answer.contentType.startsWith(expect.contentType)) {
    problems.push(
      `content type ${JSON.stringify(answer.contentType)}, expected ${expect.contentType}`,
    );
  }
  const formatMatches = expect.body.test(answer.body);
  if (!formatMatches) {
    problems.push(
      `body ${JSON.stringify(answer.body.slice(0, 80))} does not match /${expect.body.source}/`,
    );
  }
  const wrong = formatMatches ? (expect.check?.(answer.body) ?? null) : null;
  if (wrong) problems.push(`body ${JSON.stringify(answer.body.slice(0, 80))}: ${wrong}`);
  const bodyMatches = formatMatches && wrong === null;
  return {
    verification: { status: answer.status, contentType: answer.contentType, bodyMatches },
    problems,
  };
}
