/**
 * Engine by name, and the options an engine cannot honour. autocannon is loaded only when it is
 * picked (it pulls in many modules, in every load thread).
 */
import { EngineUnsupportedError, LoadOptionError } from '../errors.js';
import { type AnyLoadOptions, isOpenLoop } from '../load-options.js';
import type { LoadEngine } from './engine.js';
import { DEFAULT_ENGINE, ENGINE_NAMES, type EngineName } from './engine-name.js';
import { nativeEngine } from './native.js';

/** autocannon's `timeout` option: whole client timeout, at least 1 s (its validation). */
const AUTOCANNON_MIN_TIMEOUT_S = 1;

const unknownEngine = (name: unknown) =>
  new LoadOptionError(
    'engine',
    `${JSON.stringify(name)} is not an engine; expected one of ${ENGINE_NAMES.join(', ')}`,
  );

/** The engine a run uses (default `native`); an unknown name is a `LoadOptionError`. */
export function engineName(options: Pick<AnyLoadOptions, 'engine'>): EngineName {
  const name = options.engine ?? DEFAULT_ENGINE;
  if (!(ENGINE_NAMES as readonly string[]).includes(name)) throw unknownEngine(name);
  return name;
}

/** Throws `EngineUnsupportedError` for the first option the engine cannot honour exactly. */
export function checkEngineSupports(options: AnyLoadOptions): void {
  if (engineName(options) !== 'autocannon') return;
  const refuse = (option: string, value: string, why: string) => {
    throw new EngineUnsupportedError('autocannon', option, value, why);
  };
  if (isOpenLoop(options)) {
    refuse(
      'rate',
      options.rates.join(':'),
      "its rate limit spends each second's budget in a burst at the second's start",
    );
    return;
  }
  if (options.sleepTimeS > 0) {
    refuse('sleep-time', String(options.sleepTimeS), 'its clients send the next request at once');
  }
  if (options.connection === 'close') {
    refuse('connection', 'close', 'it always sends Connection: keep-alive');
  }
  if (options.startupDelayS > 0) {
    refuse('startup-delay', String(options.startupDelayS), 'it opens all connections at once');
  }
  if (options.timeoutS < AUTOCANNON_MIN_TIMEOUT_S) {
    refuse('timeout', String(options.timeoutS), 'its timeout must be at least 1 s');
  }
}

export async function loadEngine(name: EngineName): Promise<LoadEngine> {
  switch (name) {
    case 'native':
      return nativeEngine;
    case 'autocannon':
      return (await import('./autocannon.js')).autocannonEngine;
    default:
      throw unknownEngine(name satisfies never);
  }
}
