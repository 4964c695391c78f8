/** Sockets a test binds itself and hands to the adapter, as the supervisor does. */
import { execFileSync } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';

export async function listeningServer(
  options: { port?: number; path?: string; backlog?: number } = {},
): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (options.path) server.listen({ path: options.path, backlog: options.backlog }, resolve);
    else
      server.listen(
        { host: '127.0.0.1', port: options.port ?? 0, backlog: options.backlog },
        resolve,
      );
  });
  return server;
}

export function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not a TCP server');
  return address.port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The backlog the kernel holds for a listening TCP port (ss shows it as Send-Q). */
export function kernelBacklog(port: number): number {
  const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  const line = out.trim().split('\n')[0] ?? '';
  const sendQ = line.trim().split(/\s+/)[2];
  if (sendQ === undefined) throw new Error(`ss shows no listener on port ${port}: ${out}`);
  return Number(sendQ);
}

/** 'open' if a TCP connection to the port is accepted, else the error code (ECONNREFUSED). */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}
