/**
 * The command registry and the one dispatcher used by the control endpoint (and, in-process, by
 * the dashboard): a discriminated union of requests, a map of results, `execute`.
 */
import { BadRequestError, UnknownCommandError } from '../errors.js';
import type { StatsSnapshot } from '../stats/types.js';
import type { SupervisorApi } from '../supervisor-api.js';
import { type DecrRequest, decr } from './decr.js';
import { argsFromPositionals, type CommandDefinition, validateArgs } from './define.js';
import { type EventsRequest, events } from './events.js';
import { type IncrRequest, incr } from './incr.js';
import { type ListRequest, type ListResult, list } from './list.js';
import { type CountResult, type NumprocessesRequest, numprocesses } from './numprocesses.js';
import { type QuitRequest, quit } from './quit.js';
import { type ReloadRequest, type ReloadResult, reload } from './reload.js';
import { type RestartRequest, restart } from './restart.js';
import { type SignalRequest, type SignalResult, signal } from './signal.js';
import { type StartRequest, start, type WatchersResult } from './start.js';
import { type StatsRequest, stats } from './stats.js';
import { type StatusRequest, type StatusResult, status } from './status.js';
import { type StopRequest, stop } from './stop.js';

export interface CommandMap {
  list: { request: ListRequest; result: ListResult };
  status: { request: StatusRequest; result: StatusResult };
  numprocesses: { request: NumprocessesRequest; result: CountResult };
  incr: { request: IncrRequest; result: CountResult };
  decr: { request: DecrRequest; result: CountResult };
  start: { request: StartRequest; result: WatchersResult };
  stop: { request: StopRequest; result: WatchersResult };
  restart: { request: RestartRequest; result: WatchersResult };
  reload: { request: ReloadRequest; result: ReloadResult };
  signal: { request: SignalRequest; result: SignalResult };
  stats: { request: StatsRequest; result: StatsSnapshot };
  events: { request: EventsRequest; result: { stream: 'events' } };
  quit: { request: QuitRequest; result: { quitting: true } };
}

export type CommandName = keyof CommandMap;
export type ControlRequest = CommandMap[CommandName]['request'];
export type RequestOf<C extends CommandName> = CommandMap[C]['request'];
export type ResultOf<C extends CommandName> = CommandMap[C]['result'];

type Registry = { [C in CommandName]: CommandDefinition<RequestOf<C>, ResultOf<C>> };

export const COMMANDS: Registry = {
  list,
  status,
  numprocesses,
  incr,
  decr,
  start,
  stop,
  restart,
  reload,
  signal,
  stats,
  events,
  quit,
};

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

function definition(name: unknown): CommandDefinition<{ command: string }, unknown> {
  // Own properties only: `constructor` or `__proto__` are not commands.
  if (typeof name !== 'string' || !Object.hasOwn(COMMANDS, name)) {
    throw new UnknownCommandError(
      typeof name === 'string'
        ? name.slice(0, 80)
        : String(JSON.stringify(name) ?? name).slice(0, 80),
      COMMAND_NAMES,
    );
  }
  return COMMANDS[name as CommandName] as unknown as CommandDefinition<
    { command: string },
    unknown
  >;
}

/** Validates an untrusted request (parsed JSON) into a typed one. */
export function parseRequest(raw: unknown): ControlRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BadRequestError('a request must be a JSON object like {"command":"list"}');
  }
  const record = raw as Record<string, unknown>;
  const command = definition(record.command);
  return validateArgs(command.name, command.args, record) as unknown as ControlRequest;
}

/** Builds a request from `stackbench-ctl COMMAND ARGS…`. */
export function requestFromArgv(name: string, positionals: readonly string[]): ControlRequest {
  const command = definition(name);
  return argsFromPositionals(command.name, command.args, positionals) as unknown as ControlRequest;
}

/** Runs one request against the supervisor: the single dispatcher. */
export async function execute<R extends ControlRequest>(
  supervisor: SupervisorApi,
  request: R,
): Promise<ResultOf<R['command']>> {
  const command = definition(request.command);
  return (await command.run(supervisor, request)) as ResultOf<R['command']>;
}

export function isStreaming(request: ControlRequest): boolean {
  return definition(request.command).stream !== undefined;
}
