/**
 * `stackbench-load`: parse, validate (exit 2 on bad input), check the output path, preflight,
 * run the cycles with live progress on a TTY, write the JSON result, print the cycle table.
 * Ctrl-C stops the load and writes the cycles completed so far, marked incomplete (exit 130).
 */
import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { parseCycles } from '../cycles.js';
import { formatCycleTable, formatProgressLine } from '../format.js';
import { loadCommand, loadOptionTable } from '../options.js';
import { checkOutputWritable, writeOutput } from '../output-file.js';
import { preflight } from '../preflight.js';
import type { LoadOptions } from '../result.js';
import { runLoad } from '../run-load.js';
import { validateLoadOptions } from '../validate.js';

/** Whole-host CPU use above which a cycle's figures are bounded by the host. */
const HOST_BUSY_WARN = 95;

async function main(argv: string[]): Promise<number> {
  const { options: o, positionals, help } = parseCommandLine(loadOptionTable, argv);
  if (help) {
    process.stdout.write(formatHelp(loadCommand, loadOptionTable));
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected exactly one URL, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}; see --help`,
    );
  }
  const options: LoadOptions = validateLoadOptions({
    url: positionals[0]!,
    cycles: parseCycles(o.cycles),
    durationS: o.duration,
    warmupS: o.warmup,
    startupDelayS: o.startupDelay,
    cyclePauseS: o.cyclePause,
    sleepTimeS: o.sleepTime,
    connection: o.connection as LoadOptions['connection'],
    timeoutS: o.timeout,
    expectStatus: o.expectStatus,
    ...(o.expectBody === undefined ? {} : { expectBody: o.expectBody }),
    threads: o.threads,
    engine: o.engine as LoadOptions['engine'],
  });
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
  const count = options.cycles.length;
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
            `stackbench-load: warning: the driver was saturated at ${c.users} CUs ` +
              `(CPU ${c.driverCpu.percent}% over ${c.driverCpu.threads} thread(s), ` +
              `event loop ${Math.round(c.driverCpu.maxEventLoopUtilization * 100)}%): ` +
              'try --threads or a bigger driver host\n',
          );
        }
        if (c.hostCpuBusyPercent > HOST_BUSY_WARN) {
          process.stderr.write(
            `stackbench-load: warning: the host's CPUs were ${c.hostCpuBusyPercent}% busy at ` +
              `${c.users} CUs: driver and target compete for them\n`,
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
