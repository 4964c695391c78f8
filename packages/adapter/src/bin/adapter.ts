/**
 * stackbench-adapter: Chaussette for Node. Parses the option table, runs the pre-hook, serves APP
 * with the chosen backend, reports to an IPC parent, and owns signals and exit codes.
 */
import { parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { claimUncaughtFault } from '../backends/node.js';
import { helpText } from '../help.js';
import { loadHook } from '../hooks.js';
import { announce, waitForStop } from '../lifecycle.js';
import { formatTarget } from '../listen-target.js';
import { adapterOptions, listenTargetFrom } from '../options.js';
import { stderrLog as log, serve } from '../serve.js';

const command = 'stackbench-adapter';

/**
 * A throw that escaped every request (a timer callback): with --catch-late-faults it is answered
 * as its request's 500; otherwise the process state is unknown, so log and exit 1 (the
 * supervisor restarts it), as Node itself would.
 */
function handleEscapedFaults(): void {
  process.on('uncaughtException', (error) => {
    if (claimUncaughtFault(error)) return;
    log(`uncaught exception, exiting: ${error.stack ?? error.message}`);
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    log(`unhandled promise rejection (kept serving): ${text}`);
  });
}

async function main(argv: string[]): Promise<number> {
  const { options, positionals, help } = parseCommandLine(adapterOptions, argv);
  if (help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'missing APP (MODULE[:EXPORT], e.g. @stackbench/app:benchApp)'
        : `expected one APP, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const app = positionals[0] as string;
  const listen = listenTargetFrom(options);
  const cwd = process.cwd();
  const preHook = options.preHook ? await loadHook('pre-hook', options.preHook, cwd) : undefined;
  const postHook = options.postHook
    ? await loadHook('post-hook', options.postHook, cwd)
    : undefined;
  await preHook?.({ app, backend: options.backend, address: formatTarget(listen) });

  const server = await serve({
    app,
    backend: options.backend,
    listen,
    backlog: options.backlog,
    threads: options.threads,
    threadConcurrency: options.threadConcurrency,
    keepAliveTimeoutMs: options.keepAliveTimeout * 1000,
    catchLateFaults: options.catchLateFaults,
    cwd,
    log,
  });
  handleEscapedFaults();
  // Handlers first: a supervisor may send SIGTERM the moment it reads the ready line.
  const stop = waitForStop((immediate) => {
    log(`${immediate.why}: exiting at once`);
    process.exit(0);
  });
  const threads = options.backend === 'threads' ? ` × ${options.threads} threads` : '';
  const stopReports = announce(
    server,
    `listening on ${server.address} (backend ${options.backend}${threads}, backlog ${options.backlog}, app ${app})`,
    log,
  );
  const reason = await stop;
  // Close first, then say so: once the line is out, new connections are refused.
  const closed = server.close(options.gracefulTimeout * 1000);
  log(`${reason.why}: closing (in-flight requests get ${options.gracefulTimeout} s)`);
  await closed;
  await stopReports();
  await postHook?.({ app, backend: options.backend, address: server.address });
  log('closed');
  return 0;
}

await runCli(command, main);
// Nothing should outlive main (the IPC channel or a stray app timer would otherwise keep us up).
process.exit(process.exitCode ?? 0);
