/**
 * `stackbench-load --ceiling`: measures the driver's own ceiling against the null server
 * (measure-ceiling.ts) and prints its record as one JSON line on stdout (or `--output`), a
 * human line on stderr. Takes no URL; of the load options only --threads, --connections
 * (in all, default 64 per thread), --duration and --warmup apply.
 */
import { UsageError } from '@stackbench/cli';
import { LoadOptionError } from '../errors.js';
import { checkOutputWritable, writeOutput } from '../output-file.js';
import { DEFAULT_CEILING_OPTIONS, measureCeiling } from './measure-ceiling.js';

export interface CeilingFlags {
  threads: number;
  connections: number | undefined;
  /** Given on the command line: the table's defaults are a load's, not the ceiling's. */
  duration: number | undefined;
  warmup: number | undefined;
  output: string | undefined;
}

/** The seconds a ceiling may take at most: it runs before every set. */
const MAX_CEILING_S = 60;

export async function ceilingCommand(
  flags: CeilingFlags,
  positionals: string[],
  signal: AbortSignal,
): Promise<number> {
  if (positionals.length) {
    throw new UsageError(
      `--ceiling measures against its own null server and takes no URL, got ${positionals.join(' ')}`,
    );
  }
  const connections =
    flags.connections ?? DEFAULT_CEILING_OPTIONS.connectionsPerThread * flags.threads;
  if (connections < flags.threads) {
    throw new LoadOptionError(
      'connections',
      `${connections} with --ceiling: fewer than --threads ${flags.threads}; give at least one connection per thread (default ${DEFAULT_CEILING_OPTIONS.connectionsPerThread} per thread)`,
    );
  }
  const durationS = flags.duration ?? DEFAULT_CEILING_OPTIONS.durationS;
  const warmupS = flags.warmup ?? DEFAULT_CEILING_OPTIONS.warmupS;
  if (durationS + warmupS > MAX_CEILING_S) {
    throw new LoadOptionError(
      'duration',
      `${durationS} s + --warmup ${warmupS} s with --ceiling: at most ${MAX_CEILING_S} s in all`,
    );
  }
  if (flags.output !== undefined) checkOutputWritable(flags.output);
  const c = await measureCeiling(
    { threads: flags.threads, connections, durationS, warmupS },
    signal,
  );
  const json = `${JSON.stringify(c)}\n`;
  if (flags.output !== undefined) writeOutput(flags.output, json);
  else process.stdout.write(json);
  process.stderr.write(
    `driver ceiling: ${Math.round(c.perThreadRps)} req/s per thread (${Math.round(c.rps)} req/s over ${c.threads} thread(s), ${c.connectionsPerThread} connections per thread, against ${c.serverProcesses} null-server process(es); driver CPU ${c.driverCpuPercent}%, event loop ${Math.round(c.maxEventLoopUtilization * 100)}%, host CPU ${c.hostCpuBusyPercent}% busy)\n`,
  );
  return 0;
}
