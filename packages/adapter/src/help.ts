/** `--help` text: the option table plus one line per backend. */
import { formatHelp } from '@stackbench/cli';
import { describeBackends } from './backends/registry.js';
import { adapterCommand, adapterOptions } from './options.js';

export function helpText(): string {
  return formatHelp(
    { ...adapterCommand, epilog: `Backends:\n${describeBackends()}` },
    adapterOptions,
  );
}
