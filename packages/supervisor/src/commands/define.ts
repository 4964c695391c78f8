/**
 * The shape of a control command. Each command is one file in this folder whose doc comment is its
 * documentation; its arguments are declared once (`args`) and drive both the JSON validation of
 * the control endpoint and the positional parsing of `stackbench-ctl`.
 */

import { parseSignal } from '../config/fields.js';
import { BadRequestError } from '../errors.js';
import type { SupervisorApi } from '../supervisor-api.js';

export interface ArgSpec {
  name: 'watcher' | 'n' | 'signal' | 'pid';
  type: 'string' | 'integer' | 'signal';
  required: boolean;
  /** Smallest integer accepted. */
  min?: number;
  /** Largest integer accepted. */
  max?: number;
}

export interface CommandDefinition<Req extends { command: string }, Res> {
  name: Req['command'];
  /** e.g. `incr WATCHER [N]` */
  usage: string;
  summary: string;
  args: readonly ArgSpec[];
  /** Streams over the endpoint instead of answering once (`events`). */
  stream?: 'events';
  run(supervisor: SupervisorApi, request: Req): Promise<Res> | Res;
}

/** Validates the arguments of a JSON request against the command's `args`. */
export function validateArgs(
  command: string,
  args: readonly ArgSpec[],
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { command };
  for (const spec of args) {
    // Own properties only: `{"command":"list","watcher":{}}` is fine, a prototype's is not a value.
    const value = Object.hasOwn(raw, spec.name) ? raw[spec.name] : undefined;
    if (value === undefined || value === null) {
      if (spec.required) {
        throw new BadRequestError(`${command}: missing ${spec.name.toUpperCase()}`);
      }
      continue;
    }
    if (spec.type === 'integer') {
      const n = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
      const min = spec.min ?? 0;
      const max = spec.max ?? Number.MAX_SAFE_INTEGER;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
        throw new BadRequestError(
          `${command}: ${spec.name.toUpperCase()} must be a whole number ${spec.max === undefined ? `>= ${min}` : `${min}..${max}`}, not ${JSON.stringify(value)?.slice(0, 80)}`,
        );
      }
      out[spec.name] = n;
    } else if (spec.type === 'signal') {
      const signal =
        typeof value === 'string' || typeof value === 'number'
          ? parseSignal(String(value))
          : undefined;
      if (!signal) {
        throw new BadRequestError(
          `${command}: ${JSON.stringify(value)} is not a signal; expected e.g. TERM, HUP, USR1, 9`,
        );
      }
      out[spec.name] = signal;
    } else {
      if (typeof value !== 'string' || value === '') {
        throw new BadRequestError(
          `${command}: ${spec.name.toUpperCase()} must be a non-empty string`,
        );
      }
      out[spec.name] = value;
    }
  }
  return out;
}

/** Maps ctl positionals (`incr web 2`) onto the command's argument names. */
export function argsFromPositionals(
  command: string,
  args: readonly ArgSpec[],
  positionals: readonly string[],
): Record<string, unknown> {
  if (positionals.length > args.length) {
    const usage = args.map((a) =>
      a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`,
    );
    throw new BadRequestError(
      `${command}: too many arguments (${positionals.join(' ')}); usage: ${[command, ...usage].join(' ')}`,
    );
  }
  const raw: Record<string, unknown> = {};
  args.forEach((spec, index) => {
    if (positionals[index] !== undefined) raw[spec.name] = positionals[index];
  });
  return validateArgs(command, args, raw);
}
