/**
 * Reads and validates a Circus-shaped INI file into a typed `Config`, reporting every problem at
 * once (section, key, what is valid) in one `ConfigError`. Parsing uses the maintained `ini`
 * package; everything after this module trusts the config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ini from 'ini';
import { ConfigError, type ConfigIssue, ConfigReadError } from '../errors.js';
import { buildArgv, isProblemList } from './command-line.js';
import { type RawSection, SectionReader } from './fields.js';
import { readSocket, readSupervisor, readWatcher } from './sections.js';
import type { Config, SocketConfig, WatcherConfig } from './types.js';

/**
 * Socket i of the config is at this fd + i in every process of a `use_sockets` watcher; fd 3 is
 * the IPC channel of worker reports (the `'ipc'` entry of process.ts's stdio).
 */
export const FIRST_SOCKET_FD = 4;

const NAME = /^[A-Za-z0-9_-]+$/;
const KINDS = ['supervisor', 'socket:NAME', 'watcher:NAME', 'env:NAME'];

export function socketFds(sockets: readonly SocketConfig[]): Map<string, number> {
  return new Map(sockets.map((socket, index) => [socket.name, FIRST_SOCKET_FD + index]));
}

export function loadConfig(path: string): Config {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigReadError(file, error);
  }
  return parseConfig(text, file);
}

interface Sections {
  supervisor: RawSection;
  sockets: [string, RawSection][];
  watchers: [string, RawSection][];
  envs: Map<string, RawSection>;
}

function splitSections(parsed: Record<string, unknown>, issues: ConfigIssue[]): Sections {
  const sections: Sections = { supervisor: {}, sockets: [], watchers: [], envs: new Map() };
  for (const [title, value] of Object.entries(parsed)) {
    if (typeof value !== 'object' || value === null) {
      issues.push({ section: '', key: title, message: 'keys must be inside a section' });
      continue;
    }
    const raw = value as RawSection;
    const nested = Object.entries(raw).find(([, v]) => typeof v === 'object' && v !== null);
    if (title === 'supervisor') {
      sections.supervisor = raw;
      continue;
    }
    const [kind, ...rest] = title.split(':');
    const name = rest.join(':');
    if (!['socket', 'watcher', 'env'].includes(kind ?? '') || rest.length === 0) {
      issues.push({ section: title, message: `unknown section; valid: ${KINDS.join(', ')}` });
      continue;
    }
    if (!NAME.test(name) || nested) {
      issues.push({
        section: nested ? `${title}.${nested[0]}` : title,
        message: 'names may use letters, digits, _ and - only (no dots)',
      });
      continue;
    }
    if (kind === 'socket') sections.sockets.push([name, raw]);
    else if (kind === 'watcher') sections.watchers.push([name, raw]);
    else sections.envs.set(name, raw);
  }
  return sections;
}

function readEnvSection(name: string, raw: RawSection, issues: ConfigIssue[]) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      issues.push({ section: `env:${name}`, key, message: 'is not a valid variable name' });
    } else env[key] = String(value);
  }
  return env;
}

function checkWatcher(watcher: WatcherConfig, sockets: SocketConfig[], issues: ConfigIssue[]) {
  const section = `watcher:${watcher.name}`;
  const fds = watcher.useSockets ? socketFds(sockets) : undefined;
  // A missing cmd is already reported; "the command is empty" would only repeat it.
  if (watcher.commandLine.trim() === '') return;
  const argv = buildArgv(watcher.commandLine, { sockets: fds, wid: 1, env: watcher.env });
  if (isProblemList(argv)) {
    for (const problem of argv.flat()) issues.push({ section, key: 'cmd', message: problem });
  }
  if (watcher.stdout.kind === 'file' && !existsSync(resolve(watcher.stdout.path, '..'))) {
    issues.push({
      section,
      key: 'stdout',
      message: `folder of ${watcher.stdout.path} does not exist`,
    });
  }
  if (!existsSync(watcher.workingDir)) {
    issues.push({ section, key: 'working_dir', message: `${watcher.workingDir} does not exist` });
  }
}

function checkSockets(sockets: SocketConfig[], issues: ConfigIssue[]) {
  const seen = new Map<string, string>();
  for (const socket of sockets) {
    const key =
      socket.family === 'AF_UNIX'
        ? socket.path
        : socket.port
          ? `${socket.host}:${socket.port}`
          : '';
    if (!key) continue;
    const other = seen.get(key);
    if (other) {
      issues.push({
        section: `socket:${socket.name}`,
        message: `same address as [socket:${other}]`,
      });
    }
    seen.set(key, socket.name);
  }
}

/** Validates INI text; `file` names it in messages and anchors relative paths. */
export function parseConfig(text: string, file: string): Config {
  const issues: ConfigIssue[] = [];
  const sections = splitSections(ini.parse(text), issues);
  const supervisor = readSupervisor(
    new SectionReader('supervisor', sections.supervisor, issues),
    file,
  );
  const sockets = sections.sockets.map(([name, raw]) =>
    readSocket(name, new SectionReader(`socket:${name}`, raw, issues), file),
  );
  checkSockets(sockets, issues);
  const watcherNames = new Set(sections.watchers.map(([name]) => name));
  for (const name of sections.envs.keys()) {
    if (!watcherNames.has(name)) {
      issues.push({ section: `env:${name}`, message: `there is no [watcher:${name}]` });
    }
  }
  if (sections.watchers.length === 0) {
    issues.push({ section: 'watcher:NAME', message: 'at least one watcher is required' });
  }
  const watchers = sections.watchers.map(([name, raw]) => {
    const envRaw = sections.envs.get(name) ?? {};
    const env = readEnvSection(name, envRaw, issues);
    return readWatcher(name, new SectionReader(`watcher:${name}`, raw, issues), file, env);
  });
  for (const watcher of watchers) checkWatcher(watcher, sockets, issues);
  if (issues.length > 0) throw new ConfigError(file, issues);
  // Stable sort: equal priorities keep file order.
  watchers.sort((a, b) => b.priority - a.priority);
  return { file, supervisor, sockets, watchers };
}
