/**
 * One reader per section kind: `[supervisor]`, `[socket:NAME]`, `[watcher:NAME]`. Each reads its
 * keys with defaults (Circus's where Circus has one) and records problems instead of throwing.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { MAX_PROCESSES } from '../limits.js';
import { parseDashboard, parseEndpoint } from './addresses.js';
import { splitWords } from './command-line.js';
import type { SectionReader } from './fields.js';
import type {
  Endpoint,
  SocketConfig,
  StreamTarget,
  SupervisorSettings,
  WatcherConfig,
} from './types.js';

export const SUPERVISOR_KEYS = [
  'endpoint',
  'stats_interval',
  'check_delay',
  'dashboard',
  'dashboard_allow_remote',
  'token_file',
] as const;

/** Default endpoint and token file sit next to the config: `web.ini` → `web.sock`, `web.token`. */
function besideConfig(file: string, extension: string): string {
  return file.replace(/(\.ini)?$/, extension);
}

export function readSupervisor(reader: SectionReader, file: string): SupervisorSettings {
  const endpointText = reader.string('endpoint', besideConfig(file, '.sock'));
  let endpoint: Endpoint = { kind: 'unix', path: besideConfig(file, '.sock') };
  const parsed = parseEndpoint(endpointText, file);
  if (typeof parsed === 'string') reader.issue('endpoint', parsed);
  else endpoint = parsed;
  const allowRemote = reader.boolean('dashboard_allow_remote', false);
  const dashboardText = reader.string('dashboard');
  let dashboard: SupervisorSettings['dashboard'];
  if (dashboardText !== undefined) {
    const address = parseDashboard(dashboardText, allowRemote);
    if (typeof address === 'string') reader.issue('dashboard', address);
    else dashboard = address;
  }
  const tokenFile = reader.string('token_file', besideConfig(file, '.token'));
  const settings: SupervisorSettings = {
    endpoint,
    statsIntervalMs: reader.seconds('stats_interval', 1, 0.1),
    checkDelayMs: reader.seconds('check_delay', 1),
    dashboard,
    tokenFile: isAbsolute(tokenFile) ? tokenFile : resolve(dirname(file), tokenFile),
  };
  reader.finish(SUPERVISOR_KEYS);
  return settings;
}

export const SOCKET_KEYS = ['host', 'port', 'backlog', 'family', 'path', 'umask'] as const;

export function readSocket(name: string, reader: SectionReader, file: string): SocketConfig {
  const backlog = reader.integer('backlog', 2048, 1, 65535);
  const path = reader.string('path');
  const family = reader.choice('family', path ? 'AF_UNIX' : 'AF_INET', [
    'AF_INET',
    'AF_INET6',
    'AF_UNIX',
  ] as const);
  if (family === 'AF_UNIX') {
    if (path === undefined) reader.issue('path', 'is required for family = AF_UNIX');
    if (reader.has('port')) reader.issue('port', 'is not used with a Unix socket path');
    const umaskText = reader.string('umask', '077');
    const umask = Number.parseInt(umaskText, 8);
    if (!/^[0-7]{1,4}$/.test(umaskText)) {
      reader.issue('umask', `${JSON.stringify(umaskText)} is not an octal mode like 077 or 022`);
    }
    reader.finish(SOCKET_KEYS);
    const full = path === undefined ? '' : isAbsolute(path) ? path : resolve(dirname(file), path);
    return { name, family, path: full, umask: Number.isNaN(umask) ? 0o77 : umask, backlog };
  }
  if (path !== undefined) reader.issue('path', `is only for family = AF_UNIX, not ${family}`);
  const host = reader.string('host', family === 'AF_INET6' ? '::1' : '127.0.0.1');
  if (!reader.has('port')) reader.issue('port', 'is required (0 lets the system pick a free port)');
  const port = reader.integer('port', 0, 0, 65535);
  reader.finish(SOCKET_KEYS);
  return { name, family, host, port, backlog };
}

export const WATCHER_KEYS = [
  'cmd',
  'args',
  'numprocesses',
  'use_sockets',
  'warmup_delay',
  'graceful_timeout',
  'respawn',
  'max_retry',
  'flapping_window',
  'stop_signal',
  'working_dir',
  'env',
  'stdout',
  'stderr',
  'priority',
  'singleton',
  'readiness',
  'ready_timeout',
] as const;

function readStream(reader: SectionReader, key: string, dir: string): StreamTarget {
  const value = reader.string(key, 'inherit');
  if (value === 'inherit') return { kind: 'inherit' };
  if (value === 'null') return { kind: 'null' };
  return { kind: 'file', path: isAbsolute(value) ? value : resolve(dir, value) };
}

/** `env = A=1 B="two words"`: shell-like words of KEY=VALUE. */
function readInlineEnv(reader: SectionReader): Record<string, string> {
  const text = reader.string('env');
  if (text === undefined) return {};
  const words = splitWords(text);
  if (!Array.isArray(words)) {
    reader.issue('env', words.problem);
    return {};
  }
  const env: Record<string, string> = {};
  for (const word of words) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word);
    if (match) env[match[1] as string] = match[2] as string;
    else reader.issue('env', `${JSON.stringify(word)} is not KEY=VALUE`);
  }
  return env;
}

/** Reads a watcher; `sectionEnv` is its `[env:NAME]` section, already read. */
export function readWatcher(
  name: string,
  reader: SectionReader,
  file: string,
  sectionEnv: Record<string, string>,
): WatcherConfig {
  const configDir = dirname(file);
  const cmd = reader.required('cmd', 'the program to run, e.g. cmd = python3 worker.py');
  const args = reader.string('args', '');
  const workingDir = reader.string('working_dir', configDir);
  const singleton = reader.boolean('singleton', false);
  const numprocesses = reader.integer('numprocesses', 1, 0, MAX_PROCESSES);
  if (singleton && numprocesses > 1) {
    reader.issue('numprocesses', `is ${numprocesses} but singleton = true allows at most 1`);
  }
  const watcher: WatcherConfig = {
    name,
    commandLine: args ? `${cmd} ${args}` : cmd,
    numprocesses,
    useSockets: reader.boolean('use_sockets', false),
    warmupDelayMs: reader.seconds('warmup_delay', 0),
    gracefulTimeoutMs: reader.seconds('graceful_timeout', 30),
    respawn: reader.boolean('respawn', true),
    maxRetry: reader.integer('max_retry', 5, 1),
    flappingWindowMs: reader.seconds('flapping_window', 10, 0.1),
    stopSignal: reader.signal('stop_signal', 'SIGTERM'),
    workingDir: isAbsolute(workingDir) ? workingDir : resolve(configDir, workingDir),
    env: {},
    stdout: readStream(reader, 'stdout', configDir),
    stderr: readStream(reader, 'stderr', configDir),
    priority: reader.integer('priority', 0, Number.MIN_SAFE_INTEGER),
    singleton,
    readiness: reader.choice('readiness', 'delay', ['ipc', 'delay'] as const),
    readyTimeoutMs: reader.seconds('ready_timeout', 30, 0.1),
  };
  const inline = readInlineEnv(reader);
  watcher.env = { ...(process.env as Record<string, string>), ...inline, ...sectionEnv };
  reader.finish(WATCHER_KEYS);
  return watcher;
}
