/**
 * A stack definition with one run's values filled in: its config files' text and its processes'
 * argv and environment, every value escaped for where it lands (template-escape.ts). Pure, so
 * the matrix can check every stack before any load (a value that cannot be written is exit 2
 * naming it), and the run renders the same thing again with its real temp dir and ports.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackDefinitionError } from '../errors.js';
import type { ProcessLaunch } from '../targets/target.js';
import type { StackDefinition } from './stack-def.js';
import { render, renderArgv, renderConfig, renderEnv, type TemplateValues } from './template.js';

export interface RenderedStack {
  configs: { output: string; text: string }[];
  processes: ProcessLaunch[];
  /** Sockets that must listen on the port before the stack is ready; null: not counted. */
  listeners: number | null;
}

function renderListeners(stack: StackDefinition, values: TemplateValues): number | null {
  const text = stack.ready.listeners;
  if (text === null) return null;
  const rendered = render(text, values);
  const n = Number(rendered);
  if (!Number.isInteger(n) || n < 1) {
    throw new StackDefinitionError(
      stack.file,
      'ready.listeners',
      `${JSON.stringify(text)} renders to ${JSON.stringify(rendered)}, not a whole number >= 1`,
    );
  }
  return n;
}

export function renderStack(
  stack: StackDefinition,
  values: TemplateValues,
  appEnv: Readonly<Record<string, string>>,
): RenderedStack {
  return {
    configs: stack.configs.map((config) => ({
      output: config.output,
      text: renderConfig(readFileSync(config.template, 'utf8'), values, config.output),
    })),
    processes: stack.processes.map((p) => ({
      name: p.name,
      argv: renderArgv(p.argv, values, p.name),
      env: { ...appEnv, ...renderEnv(p.env, values, p.name) },
    })),
    listeners: renderListeners(stack, values),
  };
}

/**
 * Throws the TemplateValueError a run of `stack` would meet, before any run: `values` as a run
 * would have them, with a temp dir named as run-dir.ts names them.
 */
export function checkStackRender(
  stack: StackDefinition,
  values: TemplateValues,
  appEnv: Readonly<Record<string, string>>,
): void {
  renderStack(
    stack,
    { ...values, tmpdir: join(tmpdir(), `stackbench-${stack.name}-XXXXXX`) },
    appEnv,
  );
}
