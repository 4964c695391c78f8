/**
 * `HOST:PORT` as written on command lines, in config files and in Host headers: `127.0.0.1:8080`,
 * `localhost:8080`, `[::1]:8080`. Only the shape is checked here; what hosts and ports are
 * acceptable (loopback only, port in range) is each caller's rule, with its own message.
 */
export interface HostPort {
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/;

/** Splits `HOST:PORT` (IPv6 in brackets); undefined when the text has another shape. */
export function splitHostPort(text: string): HostPort | undefined {
  const match = HOST_PORT.exec(text);
  if (!match) return undefined;
  return { host: (match[1] ?? match[2]) as string, port: Number(match[3]) };
}
