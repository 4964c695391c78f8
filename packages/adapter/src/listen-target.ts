/**
 * Where a server listens: an inherited fd (the supervisor's socket handoff), host:port, or a Unix
 * path. Also the one place that formats an address the way reports and logs show it.
 */
export type ListenTarget =
  | { fd: number }
  | {
      host: string;
      port: number;
      /**
       * SO_REUSEPORT (Node >= 22.12): several processes each bind the same host:port with a
       * socket of their own, and the kernel spreads new connections over them by hash.
       */
      reusePort?: boolean;
    }
  | { path: string };

/** `fd:3`, `127.0.0.1:8080`, `[::1]:8080`, `unix:/path`: the `listen` field of the ready report. */
export function formatTarget(target: ListenTarget, boundPort?: number): string {
  if ('fd' in target) return `fd:${target.fd}`;
  if ('path' in target) return `unix:${target.path}`;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${boundPort ?? target.port}`;
}
