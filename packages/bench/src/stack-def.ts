/**
 * stacks/<name>.toml → a validated `StackDefinition` (DESIGN.md contract 5): how to start the
 * stack (one or more process trees, config templates), how to know it is ready, what it needs
 * on the host, how to stop it. Validated once here; the run trusts it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Runtime } from '@stackbench/runtimes';
import { parse } from 'smol-toml';
import { StackDefinitionError, StacksDirError, UnknownStackError } from './errors.js';
import { readStackRuntimes, type StackRuntimes } from './stack-runtimes.js';
import { PLACEHOLDERS, unknownPlaceholders } from './template.js';
import {
  bool,
  type Fail,
  isTable,
  num,
  onlyKeys,
  str,
  strList,
  strMap,
  subTable,
  type Table,
} from './toml-fields.js';

export interface ProcessDefinition {
  name: string;
  /** Templated argv; the program may be any executable (node, nginx, gunicorn…). */
  argv: string[];
  env: Record<string, string>;
}

export interface StackDefinition {
  name: string;
  file: string;
  title: string;
  description: string;
  /** A reference stack (not stackbench's own), drawn dashed and labelled in the report. */
  reference: boolean;
  /** `python`: the interpreter `pythonModules` are checked with (a command on PATH or a path). */
  requires: {
    commands: string[];
    python: string;
    pythonModules: string[];
    files: string[];
    /** The command that installs what is missing, said with the skip reason; null: none. */
    install: string | null;
  };
  versions: { packages: string[]; commands: Record<string, string[]> };
  /** The stack's own keep-alive settings, as said in `[keep_alive]`, recorded in the manifest. */
  keepAlive: Record<string, string>;
  /** Templates (paths relative to stacks/) rendered into the run's temp dir as `output`. */
  configs: { template: string; output: string }[];
  /** Started in order, each in its own process group; stopped in reverse order. */
  processes: ProcessDefinition[];
  /**
   * `listeners`: how many sockets must listen on the port before the stack is ready (templated,
   * e.g. `{workers}` for N processes each binding it with SO_REUSEPORT); null: the answer suffices.
   */
  ready: {
    url: string;
    status: number;
    body: string | null;
    timeoutS: number;
    listeners: string | null;
  };
  stop: { signal: NodeJS.Signals; graceS: number };
  /** The engines it runs on and why not the others (`[runtimes]`, stack-runtimes.ts). */
  runtimes: StackRuntimes;
  /**
   * Set when the matrix pairs the stack with a runtime (stack-units.ts; `name` is then
   * `STACK@RUNTIME` when the set names its runtimes): the runtime, or null for a stack that runs
   * no JavaScript runtime. Absent: the Node running the matrix.
   */
  runtime?: Runtime | null;
  /** The stack file's own name, when `name` is a (stack, runtime) unit's. */
  base?: string;
  /** A twin's app parameters over the profile's `app_env` (twin.ts). */
  appEnv?: Record<string, string>;
  /**
   * An A/B set's base side (ab-units.ts): the worktree its `{root}` and `{stacks}` are in, built
   * from the base commit. Absent: the workspace running the matrix.
   */
  workspace?: { root: string; stacksDir: string };
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];
const NAME = /^[a-z0-9][a-z0-9-]*$/;

function checkTemplated(text: string, path: string, fail: Fail): void {
  const unknown = unknownPlaceholders(text, PLACEHOLDERS);
  if (unknown.length) {
    fail(
      path,
      `unknown placeholder {${unknown[0]}}; valid: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
    );
  }
}

function readProcess(value: unknown, index: number, fail: Fail): ProcessDefinition {
  const path = `process[${index}]`;
  if (!isTable(value)) fail(path, 'must be a table ([[process]])');
  const t = value as Table;
  onlyKeys(t, `${path}.`, ['name', 'argv', 'env'], fail);
  const argv = strList(t, 'argv', `${path}.argv`, fail);
  if (argv.length === 0) fail(`${path}.argv`, 'must name a program and its arguments');
  for (const [i, arg] of argv.entries()) checkTemplated(arg, `${path}.argv[${i}]`, fail);
  const env = strMap(t, 'env', `${path}.env`, fail);
  for (const [k, v] of Object.entries(env)) checkTemplated(v, `${path}.env.${k}`, fail);
  return { name: str(t, 'name', `${path}.name`, fail, `process${index + 1}`), argv, env };
}

export function parseStackDefinition(
  text: string,
  file: string,
  stacksDir: string,
): StackDefinition {
  const fail: Fail = (key, problem) => {
    throw new StackDefinitionError(file, key, problem);
  };
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (error) {
    throw new StackDefinitionError(file, '(syntax)', (error as Error).message.split('\n')[0] ?? '');
  }
  const name = basename(file, '.toml');
  if (!NAME.test(name)) fail('(file name)', 'must be lowercase letters, digits and dashes');
  onlyKeys(
    doc,
    '',
    [
      'title',
      'description',
      'reference',
      'requires',
      'versions',
      'keep_alive',
      'config',
      'process',
      'ready',
      'stop',
      'runtimes',
    ],
    fail,
  );
  const requires = subTable(doc, 'requires', 'requires', fail);
  onlyKeys(
    requires,
    'requires.',
    ['commands', 'python', 'python_modules', 'files', 'install'],
    fail,
  );
  const versions = subTable(doc, 'versions', 'versions', fail);
  onlyKeys(versions, 'versions.', ['packages', 'commands'], fail);
  const versionCommands: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(subTable(versions, 'commands', 'versions.commands', fail))) {
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) {
      fail(`versions.commands.${k}`, 'must be an argv array, e.g. ["nginx", "-v"]');
    }
    versionCommands[k] = v as string[];
  }
  const configsRaw = doc.config ?? [];
  if (!Array.isArray(configsRaw)) fail('config', 'must be an array of tables ([[config]])');
  const configs = (configsRaw as unknown[]).map((c, i) => {
    if (!isTable(c)) fail(`config[${i}]`, 'must be a table');
    const t = c as Table;
    onlyKeys(t, `config[${i}].`, ['template', 'output'], fail);
    const template = str(t, 'template', `config[${i}].template`, fail);
    const output = str(t, 'output', `config[${i}].output`, fail);
    const path = join(stacksDir, template);
    if (!existsSync(path)) fail(`config[${i}].template`, `${path} does not exist`);
    if (output.includes('/')) fail(`config[${i}].output`, 'must be a plain file name');
    checkTemplated(readFileSync(path, 'utf8'), `config[${i}].template (${template})`, fail);
    return { template: path, output };
  });
  const processesRaw = doc.process;
  if (!Array.isArray(processesRaw) || processesRaw.length === 0) {
    fail('process', 'at least one [[process]] with an argv is required');
  }
  const processes = (processesRaw as unknown[]).map((p, i) => readProcess(p, i, fail));
  const ready = subTable(doc, 'ready', 'ready', fail);
  onlyKeys(ready, 'ready.', ['url', 'status', 'body', 'timeout_s', 'listeners'], fail);
  const listeners =
    ready.listeners === undefined ? null : str(ready, 'listeners', 'ready.listeners', fail);
  if (listeners !== null) checkTemplated(listeners, 'ready.listeners', fail);
  const url = str(ready, 'url', 'ready.url', fail, 'http://127.0.0.1:{port}/');
  checkTemplated(url, 'ready.url', fail);
  const body = ready.body === undefined ? null : str(ready, 'body', 'ready.body', fail);
  if (body !== null) {
    try {
      new RegExp(body);
    } catch {
      fail('ready.body', 'must be a valid regular expression');
    }
  }
  const stop = subTable(doc, 'stop', 'stop', fail);
  onlyKeys(stop, 'stop.', ['signal', 'grace_s'], fail);
  const signal = str(stop, 'signal', 'stop.signal', fail, 'SIGTERM');
  if (!SIGNALS.includes(signal)) fail('stop.signal', `must be one of ${SIGNALS.join(', ')}`);
  return {
    name,
    file,
    title: str(doc, 'title', 'title', fail),
    description: str(doc, 'description', 'description', fail, ''),
    reference: bool(doc, 'reference', 'reference', fail, false),
    requires: {
      commands: strList(requires, 'commands', 'requires.commands', fail),
      python: str(requires, 'python', 'requires.python', fail, 'python3'),
      pythonModules: strList(requires, 'python_modules', 'requires.python_modules', fail),
      files: strList(requires, 'files', 'requires.files', fail),
      install:
        requires.install === undefined ? null : str(requires, 'install', 'requires.install', fail),
    },
    versions: {
      packages: strList(versions, 'packages', 'versions.packages', fail),
      commands: versionCommands,
    },
    keepAlive: strMap(doc, 'keep_alive', 'keep_alive', fail),
    configs,
    processes,
    ready: {
      url,
      status: num(ready, 'status', 'ready.status', fail, {
        fallback: 200,
        integer: true,
        min: 100,
      }),
      body,
      timeoutS: num(ready, 'timeout_s', 'ready.timeout_s', fail, { fallback: 30, min: 0.1 }),
      listeners,
    },
    stop: {
      signal: signal as NodeJS.Signals,
      graceS: num(stop, 'grace_s', 'stop.grace_s', fail, { fallback: 10, min: 0 }),
    },
    runtimes: readStackRuntimes(doc, fail),
  };
}

/** Names of the stacks in `stacksDir` (every `*.toml` except profiles.toml), sorted. */
export function listStacks(stacksDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(stacksDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StacksDirError(
      stacksDir,
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'ENOTDIR'
          ? 'is not a directory'
          : String(code),
    );
  }
  return names
    .filter((f) => f.endsWith('.toml') && f !== 'profiles.toml')
    .map((f) => basename(f, '.toml'))
    .sort();
}

/** Loads the named stacks, in the order given; unknown names fail listing the valid ones. */
export function loadStacks(stacksDir: string, names: string[]): StackDefinition[] {
  const valid = listStacks(stacksDir);
  const unknown = names.filter((n) => !valid.includes(n));
  if (unknown.length) throw new UnknownStackError(unknown, valid);
  return names.map((name) => {
    const file = join(stacksDir, `${name}.toml`);
    return parseStackDefinition(readFileSync(file, 'utf8'), file, stacksDir);
  });
}
