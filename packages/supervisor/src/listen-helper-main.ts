/**
 * The listen helper's process (sockets.ts spawns it with the bound socket at its fd 3): it calls
 * listen(2) on that socket with the backlog in argv[2] and exits before its event loop turns, so
 * it never accepts a connection. A listen error is written to stderr with exit code 3.
 */
import { createServer } from 'node:net';

const server = createServer();
server.on('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(error.code || error.message);
  process.exit(3);
});
// (handle, backlog) form: with {fd, backlog} Node 20 ignores the backlog and uses 511.
server.listen({ fd: 3 }, Number(process.argv[2]));
// Exit before the event loop turns, so this helper never accepts a connection.
process.exit(0);
