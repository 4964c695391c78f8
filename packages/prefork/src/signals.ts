/**
 * Gunicorn's signal map for the master. Returns a function that removes the handlers. USR1 is
 * not forwarded to workers (Gunicorn does): in Node, USR1 opens the inspector.
 */
import type { Arbiter } from './arbiter.js';
import type { Logger } from './log.js';

export function installSignals(arbiter: Arbiter, log: Logger): () => void {
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGTTIN', () => arbiter.increment()],
    ['SIGTTOU', () => arbiter.decrement()],
    ['SIGHUP', () => arbiter.reload()],
    [
      'SIGTERM',
      () => {
        log.info('Handling signal: term');
        arbiter.stop(true);
      },
    ],
    [
      'SIGINT',
      () => {
        log.info('Handling signal: int');
        arbiter.stop(false);
      },
    ],
    [
      'SIGQUIT',
      () => {
        log.info('Handling signal: quit');
        arbiter.stop(false);
      },
    ],
    [
      'SIGUSR1',
      () => {
        log.reopen();
        log.info('Handling signal: usr1; log file reopened');
      },
    ],
    ['SIGUSR2', () => log.info(`Summary: ${arbiter.summary()}`)],
    ['SIGWINCH', () => {}],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
