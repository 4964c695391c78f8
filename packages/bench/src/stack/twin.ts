/**
 * The twin: a copy of one stack run beside it as one more stack of the set, `STACK~twin`,
 * optionally with its app's parameters changed. An identical twin must come out tied with its
 * original; a twin doing more work must rank below it where the host is CPU-bound. It proves
 * the method inside the set that asks, on that set's host and noise.
 */
import { paramVariables, readParams } from '@stackbench/app';
import type { TwinOf } from '@stackbench/result';
import { TwinError } from '../errors.js';
import type { StackUnit } from './stack-units.js';

export const TWIN_SUFFIX = '~twin';

/** Only the app's own parameters may differ: anything else would not be the same stack. */
const APP_ENV: readonly string[] = Object.values(paramVariables).map((p) => p.variable);

/** `prefork-rr` or `prefork-rr:STACKBENCH_WRITES=11000,STACKBENCH_SLEEP_MS=100`. */
export function parseTwin(text: string): TwinOf {
  const colon = text.indexOf(':');
  const stack = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!/^[a-z0-9][a-z0-9@.-]*$/.test(stack)) {
    throw new TwinError(
      text,
      `"${stack}" is not a stack name (lowercase letters, digits, -, @RUNTIME)`,
    );
  }
  const env =
    colon < 0
      ? {}
      : parseAppEnv(text.slice(colon + 1), (problem) => {
          throw new TwinError(text, problem);
        });
  return { stack, env };
}

/**
 * `STACKBENCH_WRITES=11000,STACKBENCH_SLEEP_MS=100` → the app parameters, each one the app
 * knows and a value it accepts (it reads them itself; a value it would refuse is refused here,
 * before any load). `fail` throws the caller's error with the problem.
 */
export function parseAppEnv(
  text: string,
  fail: (problem: string) => never,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair.trim() : pair.slice(0, eq).trim();
    if (eq < 0 || !APP_ENV.includes(key)) {
      fail(
        `"${pair}" is not ENV=VALUE with one of the app's parameters (${APP_ENV.join(', ')}), e.g. STACKBENCH_WRITES=11000`,
      );
    }
    if (key in env) fail(`${key} is given twice`);
    env[key] = pair.slice(eq + 1).trim();
  }
  try {
    readParams(env);
  } catch (error) {
    fail((error as Error).message);
  }
  return env;
}

/**
 * The units with the twin of `twin.stack` after each unit it names (the stack file's name twins
 * every runtime's unit of it; `STACK@RUNTIME` one of them). Naming no unit of the set is an error.
 */
export function withTwin(units: StackUnit[], twin: TwinOf | undefined): StackUnit[] {
  if (!twin) return units;
  const out: StackUnit[] = [];
  let found = false;
  for (const unit of units) {
    out.push(unit);
    const s = unit.stack;
    if (s.name !== twin.stack && s.base !== twin.stack) continue;
    found = true;
    out.push({
      ...unit,
      stack: {
        ...s,
        name: `${s.name}${TWIN_SUFFIX}`,
        title: `${s.title} (twin${Object.keys(twin.env).length ? `: ${envText(twin.env)}` : ''})`,
        appEnv: { ...s.appEnv, ...twin.env },
      },
    });
  }
  if (!found) {
    const names = units.map((u) => u.stack.name).join(', ');
    throw new TwinError(twin.stack, `no stack of this set is named so; the set has: ${names}`);
  }
  return out;
}

/** `STACKBENCH_WRITES=11000,STACKBENCH_SLEEP_MS=100`: app parameters as given on the command line. */
export const envText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
