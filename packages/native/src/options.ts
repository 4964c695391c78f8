/** Option table shared by the native-server entries: one table for parsing, help and the README. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const nativeOptions = {
  host: {
    type: 'string',
    default: '127.0.0.1',
    valueName: 'HOST',
    description: 'address to bind (loopback by default)',
  },
  port: {
    type: 'integer',
    min: 0,
    max: 65535,
    valueName: 'PORT',
    description: 'TCP port to bind (required; 0: any free port)',
  },
  backlog: {
    type: 'integer',
    min: 1,
    max: 65535,
    default: 2048,
    valueName: 'N',
    description:
      'listen(2) backlog where the runtime takes one (Deno.serve tcpBacklog; Bun.serve has no such option and uses its own)',
  },
  reusePort: {
    type: 'boolean',
    default: false,
    description:
      'bind with SO_REUSEPORT, so that N processes each listen on the same host:port and the kernel spreads connections over them',
  },
  gracefulTimeout: {
    type: 'number',
    seconds: true,
    min: 0,
    default: 30,
    valueName: 'S',
    description: 'on SIGTERM, seconds in-flight requests get to finish before the process exits',
  },
} as const satisfies OptionTable;

export function nativeCommand(entry: string, server: string): CommandDescription {
  return {
    usage: `${entry} --port PORT [options] APP`,
    summary: `Serve the fetch face of APP (MODULE[:EXPORT], e.g. @stackbench/app:benchApp) with ${server}.`,
    epilog:
      'Exit codes: 0 after SIGTERM/SIGINT; 2 bad input (options, APP without a fetch face, wrong runtime, port in use).',
  };
}
