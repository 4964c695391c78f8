/**
 * One process of the null server (null-server.ts): receives the listening socket from its
 * parent over IPC, answers on it (null-responder.ts), says `ready`, and exits as soon as the
 * parent's channel closes, so it never outlives the measurement.
 */
import type { Server, Socket } from 'node:net';
import { respondNull } from './null-responder.js';

process.on('message', (message: unknown, handle: unknown) => {
  if (message !== 'server' || !handle) return;
  (handle as Server).on('connection', (socket: Socket) => respondNull(socket));
  process.send?.('ready');
});
process.on('disconnect', () => process.exit(0));
