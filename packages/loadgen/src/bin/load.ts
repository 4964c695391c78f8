/**
 * `stackbench-load`: parse, validate (exit 2 on bad input), check the output path, preflight,
 * run the cycles with live progress on a TTY, write the JSON result, print the cycle table.
 * Ctrl-C stops the load and writes the cycles completed so far, marked incomplete (exit 130).
 * `--ceiling` measures the driver's own ceiling instead (ceiling/ceiling-command.ts).
 */
import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { ceilingCommand } from '../ceiling/ceiling-command.js';
import { parseCycles } from '../cycles.js';
import { LoadOptionError } from '../errors.js';
import { cycleLabel, formatCycleTable, formatProgressLine } from '../format.js';
import type {
  AnyLoadOptions,
  ArrivalName,
  CommonLoadOptions,
  LoadOptions,
} from '../load-options.js';
import { DEFAULT_OPEN_LOOP_OPTIONS } from '../open-loop/defaults.js';
import { ADAPTIVE_DEFAULTS, DEFAULT_CYCLES, loadCommand, loadOptionTable } from '../options.js';
import { checkOutputWritable, writeOutput } from '../output-file.js';
import { preflight } from '../preflight.js';
import { parseRates } from '../rates.js';
import { runLoad } from '../run-load.js';
import { validateLoadOptions } from '../validate.js';

/** Whole-host CPU use above which a cycle's figures are bounded by the host. */
const HOST_BUSY_WARN = 95;

async function main(argv: string[]): Promise<number> {
  const { options: o, positionals, help, given } = parseCommandLine(loadOptionTable, argv);
  if (help) {
    process.stdout.write(formatHelp(loadCommand, loadOptionTable));
    return 0;
  }
  if (o.ceiling) {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // the table's --duration and --warmup defaults are a load's; the ceiling has its own
    return ceilingCommand(
      {
        threads: o.threads,
        connections: o.connections,
        duration: given.has('duration') ? o.duration : undefined,
        warmup: given.has('warmup') ? o.warmup : undefined,
        output: o.output,
      },
      positionals,
      controller.signal,
    );
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected exactly one URL, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}; see --help`,
    );
  }
  const common: CommonLoadOptions = {
    url: positionals[0]!,
    durationS: o.duration,
    warmupS: o.warmup,
    cyclePauseS: o.cyclePause,
    connection: o.connection,
    timeoutS: o.timeout,
    expectStatus: o.expectStatus,
    ...(o.expectBody === undefined ? {} : { expectBody: o.expectBody }),
    threads: o.threads,
    engine: o.engine,
  };
  const thinking = { startupDelayS: o.startupDelay, sleepTimeS: o.sleepTime };
  // --responses-per-user turns the adaptive window on; its bounds mean nothing without it.
  let adaptive: Pick<LoadOptions, 'adaptive'> = {};
  if (o.responsesPerUser !== undefined) {
    adaptive = {
      adaptive: {
        responsesPerUser: o.responsesPerUser,
        minRequests: o.minRequests ?? ADAPTIVE_DEFAULTS.minRequests,
        maxDurationS: o.maxDuration ?? ADAPTIVE_DEFAULTS.maxDurationFactor * o.duration,
        maxWarmupS: o.maxWarmup ?? Math.max(ADAPTIVE_DEFAULTS.maxWarmupS, o.warmup),
      },
    };
  } else {
    for (const [flag, value] of [
      ['min-requests', o.minRequests],
      ['max-duration', o.maxDuration],
      ['max-warmup', o.maxWarmup],
    ] as const) {
      if (value !== undefined) {
        throw new LoadOptionError(
          flag,
          `${String(value)}: applies to an adaptive window only; add --responses-per-user N, or drop --${flag}`,
        );
      }
    }
  }
  let options: AnyLoadOptions;
  if (o.rate !== undefined) {
    // Validation refuses --cycles, --startup-delay, --sleep-time and adaptive next to a rate.
    options = validateLoadOptions({
      ...common,
      ...thinking,
      ...adaptive,
      ...(o.cycles === undefined ? {} : { cycles: parseCycles(o.cycles) }),
      rates: parseRates(o.rate),
      connections: o.connections ?? DEFAULT_OPEN_LOOP_OPTIONS.connections,
      ...(o.maxConnections === undefined ? {} : { maxConnections: o.maxConnections }),
      ...(o.arrivals === undefined ? {} : { arrivals: o.arrivals as ArrivalName }),
    });
  } else {
    for (const [flag, value] of [
      ['connections', o.connections],
      ['max-connections', o.maxConnections],
      ['arrivals', o.arrivals],
    ] as const) {
      if (value !== undefined) {
        throw new LoadOptionError(
          flag,
          `${String(value)}: applies to an open loop only; add --rate R (requests/s), or drop --${flag} (closed-loop cycles have one connection per user)`,
        );
      }
    }
    options = validateLoadOptions({
      ...common,
      ...thinking,
      ...adaptive,
      cycles: parseCycles(o.cycles ?? DEFAULT_CYCLES),
    });
  }
  if (o.output !== undefined) checkOutputWritable(o.output);
  await preflight(options);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130); // second Ctrl-C: give up at once
    process.stderr.write('\nstackbench-load: interrupted, stopping the load\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const tty = process.stderr.isTTY === true;
  const count = 'rates' in options ? options.rates.length : options.cycles.length;
  try {
    const result = await runLoad(options, {
      signal: controller.signal,
      onProgress: tty
        ? (p) => process.stderr.write(`\r${formatProgressLine(p, count)}\x1b[K`)
        : undefined,
      onCycle: (c) => {
        if (tty) process.stderr.write('\r\x1b[K');
        if (c.driverSaturated) {
          process.stderr.write(
            `stackbench-load: warning: the driver was saturated at ${cycleLabel(c)} ` +
              `(CPU ${c.driverCpu.percent}% over ${c.driverCpu.threads} thread(s), ` +
              `event loop ${Math.round(c.driverCpu.maxEventLoopUtilization * 100)}%): ` +
              'try --threads or a bigger driver host\n',
          );
        }
        if (c.hostCpuBusyPercent > HOST_BUSY_WARN) {
          process.stderr.write(
            `stackbench-load: warning: the host's CPUs were ${c.hostCpuBusyPercent}% busy at ` +
              `${cycleLabel(c)}: driver and target compete for them\n`,
          );
        }
        if (c.openLoop && !c.openLoop.rateAchieved) {
          process.stderr.write(
            `stackbench-load: warning: offered ${c.openLoop.offeredRps} requests/s, achieved ` +
              `${c.openLoop.achievedRps} (${c.openLoop.written} of ${c.openLoop.scheduled} ` +
              `scheduled requests written; ${c.openLoop.delayed} waited for one of ` +
              `${c.openLoop.connections.limit} connections): try --max-connections or --threads\n`,
          );
        }
      },
    });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (o.output !== undefined) writeOutput(o.output, json);
    else process.stdout.write(json);
    process.stderr.write(`\n${formatCycleTable(result)}`);
    return result.complete ? 0 : 130;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

await runCli('stackbench-load', main);
