/**
 * Ctrl-C (SIGINT) and SIGTERM for the long-running bins: the first aborts the run's signal, so
 * the stack in progress is stopped and what was measured is kept; a second exits at once (130),
 * and exit hooks still kill the stacks' groups and remove run dirs and worktrees.
 */
export function abortOnSignals(bin: string, doing: string): AbortController {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    process.stderr.write(`\n${bin}: ${signal}, ${doing} (again to force)\n`);
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller;
}
