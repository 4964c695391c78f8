/**
 * One prefork worker (the file node:cluster forks). It serves the app through the adapter, sends
 * `heartbeat` + `stats` from its event loop (a blocked loop goes silent, which is what the
 * master's timeout detects), says `ready` once listening, and ends on the master's signals:
 * TERM graceful, QUIT/INT at once. If the master dies, node:cluster exits the worker on the
 * IPC disconnect.
 */
import { type RunningServer, serve } from '@stackbench/adapter';
import { messageOf } from '@stackbench/cli';
import { sendFinalStats, sendToParent, startReports } from '@stackbench/protocol';
import { APP_LOAD_ERROR, WORKER_BOOT_ERROR } from './errors.js';
import { formatLogLine } from './log.js';
import { decodeWorkerConfig } from './worker-config.js';

const config = decodeWorkerConfig(process.env);
let running: RunningServer | undefined;
let closing = false;
/** How long a closed worker stays on its IPC channel before exiting (see shutdown). */
const lingerMs = 500;

const counters = () => running?.counters() ?? { requests: 0, inFlight: 0, errors: 0 };
// Heartbeat + stats from the event loop; unref'd: the server keeps the worker alive, not this.
const stopReports = startReports(counters, {
  intervalMs: config.heartbeatMs,
  heartbeat: true,
});

async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  if (!running) process.exit(0);
  // The master SIGKILLs after its own graceful timeout; this is the worker's own bound.
  const forced = setTimeout(() => process.exit(0), config.gracefulTimeoutMs + 1000);
  forced.unref();
  try {
    await running.close(config.gracefulTimeoutMs);
    stopReports();
    // worker reports (docs/contracts.md#worker-reports): the master's counts get the requests of the last interval too
    await sendFinalStats(counters);
  } finally {
    // In rr mode the master may have handed us a connection just before it read our server's
    // close; node:cluster acks it as refused and the master re-routes it, but only if we are
    // still here to ack. Exiting at once loses that connection (its client hangs).
    setTimeout(() => process.exit(0), lingerMs);
  }
}

process.on('SIGTERM', () => void shutdown());
process.on('SIGQUIT', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
// SIGHUP/TTIN/TTOU/USR2 are meant for the master; a terminal's HUP may reach the whole group.
for (const signal of ['SIGHUP', 'SIGTTIN', 'SIGTTOU', 'SIGUSR2', 'SIGWINCH'] as const) {
  process.on(signal, () => {});
}

try {
  running = await serve({
    app: config.app,
    backend: config.backend,
    listen: { host: config.host, port: config.port },
    backlog: config.backlog,
    keepAliveTimeoutMs: config.keepAliveTimeoutMs,
    cwd: config.cwd,
    ...(config.threads === undefined ? {} : { threads: config.threads }),
  });
} catch (error) {
  const message = messageOf(error);
  const code = (error as { code?: unknown }).code;
  const appError = typeof code === 'string' && code.startsWith('ADAPTER_APP_');
  process.stderr.write(formatLogLine('ERROR', `Exception in worker process: ${message}`));
  process.exit(appError ? APP_LOAD_ERROR : WORKER_BOOT_ERROR);
}

sendToParent({ type: 'ready', listen: running.address });
