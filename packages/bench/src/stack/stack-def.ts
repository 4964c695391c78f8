/**
 * stacks/<name>.toml → a validated `StackDefinition` (docs/contracts.md#stack-files): how to start the
 * stack (one or more process trees, config templates), how to know it is ready, what it needs
 * on the host, how to stop it. Validated once here; the run trusts it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Runtime } from '@stackbench/runtimes';
import { parse } from 'smol-toml';
import { StackDefinitionError, StacksDirError, UnknownStackError } from '../errors.js';
import { readKeys } from '../settings/key-reader.js';
import { STACK_TABLE } from '../settings/stack-table.js';
import { type Fail, isTable, type Table } from '../settings/toml-fields.js';
import { readStackRuntimes, type StackRuntimes } from './stack-runtimes.js';
import { PLACEHOLDERS, unknownPlaceholders, WORKSPACE_PLACEHOLDERS } from './template.js';

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

const NAME = /^[a-z0-9][a-z0-9-]*$/;

function checkTemplated(
  text: string,
  path: string,
  fail: Fail,
  known: readonly string[] = PLACEHOLDERS,
): void {
  const unknown = unknownPlaceholders(text, known);
  if (unknown.length) {
    fail(
      path,
      `unknown placeholder {${unknown[0]}}; valid: ${known.map((p) => `{${p}}`).join(', ')}`,
    );
  }
}

function readProcess(value: unknown, index: number, fail: Fail): ProcessDefinition {
  const path = `process[${index}]`;
  if (!isTable(value)) fail(path, 'must be a table ([[process]])');
  const p = readKeys(value as Table, STACK_TABLE['process[]'], `${path}.`, fail);
  if (p.argv.length === 0) fail(`${path}.argv`, 'must name a program and its arguments');
  for (const [i, arg] of p.argv.entries()) checkTemplated(arg, `${path}.argv[${i}]`, fail);
  const env = p.env ?? {};
  for (const [k, v] of Object.entries(env)) checkTemplated(v, `${path}.env.${k}`, fail);
  return { name: p.name ?? `process${index + 1}`, argv: p.argv, env };
}

function readConfig(value: unknown, index: number, stacksDir: string, fail: Fail) {
  const path = `config[${index}]`;
  if (!isTable(value)) fail(path, 'must be a table');
  const c = readKeys(value as Table, STACK_TABLE['config[]'], `${path}.`, fail);
  const file = join(stacksDir, c.template);
  if (!existsSync(file)) fail(`${path}.template`, `${file} does not exist`);
  if (c.output.includes('/')) fail(`${path}.output`, 'must be a plain file name');
  checkTemplated(readFileSync(file, 'utf8'), `${path}.template (${c.template})`, fail);
  return { template: file, output: c.output };
}

function readVersions(doc: Table, fail: Fail): StackDefinition['versions'] {
  const v = readKeys((doc.versions ?? {}) as Table, STACK_TABLE.versions, 'versions.', fail);
  const commands: Record<string, string[]> = {};
  for (const [k, argv] of Object.entries((v.commands ?? {}) as Table)) {
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((x) => typeof x === 'string')) {
      fail(`versions.commands.${k}`, 'must be an argv array, e.g. ["nginx", "-v"]');
    }
    commands[k] = argv as string[];
  }
  return { packages: v.packages ?? [], commands };
}

function readReady(doc: Table, fail: Fail): StackDefinition['ready'] {
  const r = readKeys((doc.ready ?? {}) as Table, STACK_TABLE.ready, 'ready.', fail);
  if (r.listeners !== undefined) checkTemplated(r.listeners, 'ready.listeners', fail);
  checkTemplated(r.url, 'ready.url', fail);
  if (r.body !== undefined) {
    try {
      new RegExp(r.body);
    } catch {
      fail('ready.body', 'must be a valid regular expression');
    }
  }
  return {
    url: r.url,
    status: r.status,
    body: r.body ?? null,
    timeoutS: r.timeout_s,
    listeners: r.listeners ?? null,
  };
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
  const top = readKeys(doc, STACK_TABLE[''], '', fail);
  const requires = readKeys((doc.requires ?? {}) as Table, STACK_TABLE.requires, 'requires.', fail);
  // checked before any session exists: only the workspace's placeholders are known then
  for (const [i, f] of (requires.files ?? []).entries()) {
    checkTemplated(f, `requires.files[${i}]`, fail, WORKSPACE_PLACEHOLDERS);
  }
  const configs = ((top.config ?? []) as unknown[]).map((c, i) =>
    readConfig(c, i, stacksDir, fail),
  );
  const processesRaw = (top.process ?? []) as unknown[];
  if (processesRaw.length === 0) {
    fail('process', 'at least one [[process]] with an argv is required');
  }
  const processes = processesRaw.map((p, i) => readProcess(p, i, fail));
  const ready = readReady(doc, fail);
  const stop = readKeys((doc.stop ?? {}) as Table, STACK_TABLE.stop, 'stop.', fail);
  return {
    name,
    file,
    title: top.title,
    description: top.description,
    reference: top.reference,
    requires: {
      commands: requires.commands ?? [],
      python: requires.python,
      pythonModules: requires.python_modules ?? [],
      files: requires.files ?? [],
      install: requires.install ?? null,
    },
    versions: readVersions(doc, fail),
    keepAlive: top.keep_alive ?? {},
    configs,
    processes,
    ready,
    stop: { signal: stop.signal as NodeJS.Signals, graceS: stop.grace_s },
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
