/**
 * Every key of a stack file (stacks/<name>.toml), by section: type, bounds, default and doc.
 * stack-def.ts and stack-runtimes.ts read the file through it; the README's key table of stack
 * files is generated from it. Relations (a template that exists, placeholders that are known)
 * stay with the code that reads the values.
 */
import { ENGINES } from '@stackbench/runtimes';
import type { KeyTable } from './key-reader.js';

export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];

export const STACK_TABLE = {
  '': {
    title: { type: 'string', required: true, doc: 'the stack in the report' },
    description: { type: 'string', default: '', doc: 'one paragraph for the report' },
    reference: {
      type: 'boolean',
      default: false,
      doc: "a reference stack (not stackbench's own), drawn dashed and labelled",
    },
    requires: {
      type: 'section',
      doc: 'what the host needs; the first missing one skips the stack',
    },
    versions: { type: 'section', doc: 'versions recorded in the manifest' },
    keep_alive: { type: 'map', doc: 'what keep-alive means for this stack, per part (free text)' },
    config: { type: 'sections', doc: "templates rendered into the run's temp dir" },
    process: {
      type: 'sections',
      doc: 'one or more process trees, started in order, each its own group, stopped in reverse order',
    },
    ready: { type: 'section', doc: 'how to know the stack is ready' },
    stop: { type: 'section', doc: 'how to stop it' },
    runtimes: {
      type: 'section',
      doc: `the engines it runs on (${ENGINES.join(', ')}); default: node`,
    },
  },
  requires: {
    commands: { type: 'strings', doc: 'commands on PATH' },
    python: {
      type: 'string',
      default: 'python3',
      doc: 'the interpreter python_modules are checked with',
    },
    python_modules: { type: 'strings', doc: 'Python modules the stack imports' },
    files: { type: 'strings', doc: 'files that must exist (templated)' },
    install: {
      type: 'string',
      doc: 'the command that installs what is missing, said with the skip reason',
    },
  },
  versions: {
    packages: {
      type: 'strings',
      doc: 'packages whose version (node_modules/NAME/package.json) is recorded',
    },
    commands: { type: 'section', doc: 'NAME = argv whose first output line holds a version' },
  },
  'config[]': {
    template: { type: 'string', required: true, doc: 'a template beside the stack file' },
    output: { type: 'string', required: true, doc: "its file name in the run's temp dir" },
  },
  'process[]': {
    name: { type: 'string', defaultDoc: 'processN', doc: 'its name in logs and the manifest' },
    argv: { type: 'strings', required: true, doc: 'program and arguments, templated, no shell' },
    env: { type: 'map', doc: "environment added to the profile's app_env, templated" },
  },
  ready: {
    url: { type: 'string', default: 'http://127.0.0.1:{port}/', doc: 'polled until it answers' },
    status: {
      type: 'number',
      integer: true,
      min: 100,
      default: 200,
      doc: 'the status it must answer',
    },
    body: {
      type: 'string',
      defaultDoc: "the app's body format",
      doc: 'a regular expression the body must match',
    },
    timeout_s: {
      type: 'number',
      min: 0.1,
      default: 30,
      doc: 'plus 1 s per worker (workers boot one after another); on timeout the stack fails with its log tail',
    },
    listeners: {
      type: 'string',
      doc: 'also wait until this many sockets listen on the port (templated, e.g. {workers})',
    },
  },
  stop: {
    signal: {
      type: 'string',
      choices: STOP_SIGNALS,
      default: 'SIGTERM',
      doc: 'sent to every group; SIGKILL after grace_s',
    },
    grace_s: { type: 'number', min: 0, default: 10, doc: 'seconds before SIGKILL' },
  },
  runtimes: {
    supported: {
      type: 'strings',
      defaultDoc: '[] (no [runtimes] table: ["node"])',
      doc: 'engines it runs on; [] = no JavaScript runtime: one entry per set',
    },
    min_version: { type: 'string', doc: "the runtime's lowest version, as 22.12" },
    min_version_why: { type: 'string', doc: 'why (required with min_version)' },
    unsupported: { type: 'map', doc: 'ENGINE = why not, for every engine not supported' },
  },
} as const satisfies Record<string, KeyTable>;
