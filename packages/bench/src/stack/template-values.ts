/**
 * The placeholder values a stack file is rendered with (template.ts), in two parts: the
 * workspace's, known before any stack starts (where the files and binaries are: what a stack's
 * requirements are checked with), and a session's (the profile's settings, its ports, its run
 * dir).
 */
import type { ProfileSettings } from '@stackbench/result';
import type { Runtime } from '@stackbench/runtimes';
import type { Target } from '../targets/target.js';
import type { StackDefinition } from './stack-def.js';
import type { TemplateValues } from './template.js';

/** Where a stack's files are and where it listens. */
export interface StackWhere {
  root: string;
  stacksDir: string;
  /** The Node of the target's workspace (absent: this process's). */
  node?: string;
  /** The address stacks listen on (absent: 127.0.0.1). */
  host?: string;
}

/**
 * Where a stack's files are: the target's workspace, or this process's; an A/B set's base
 * stack, the base commit's worktree.
 */
export function whereOf(
  ctx: { target: Target; root: string; stacksDir: string },
  stack?: Pick<StackDefinition, 'workspace'>,
): Required<StackWhere> {
  return {
    root: stack?.workspace?.root ?? ctx.target.workspace?.root ?? ctx.root,
    stacksDir: stack?.workspace?.stacksDir ?? ctx.target.workspace?.stacksDir ?? ctx.stacksDir,
    node: ctx.target.workspace?.node ?? process.execPath,
    host: ctx.target.listenHost,
  };
}

/**
 * `{root}`, `{stacks}`, `{host}`, `{node}`, `{runtime}`. `{runtime}` is the binary of the stack's
 * runtime; `{node}` is that binary when the runtime is a Node, else (Bun, Deno, none) the Node of
 * the workspace, which then runs only the stack's own tooling (the supervisor).
 */
export function workspaceValues(where: StackWhere, runtime?: Runtime | null): TemplateValues {
  const node = where.node ?? process.execPath;
  const binary = runtime?.binary ?? node;
  return {
    node: runtime?.engine === 'node' ? binary : node,
    runtime: binary,
    host: where.host ?? '127.0.0.1',
    root: where.root,
    stacks: where.stacksDir,
  };
}

/** `{workers}`, `{port}`, `{internal_port}`, `{backlog}`, `{timeout}`, `{threads}`, `{app}`, `{tmpdir}`. */
export function sessionValues(
  s: ProfileSettings,
  port: number,
  internalPort: number,
  dir: string,
): TemplateValues {
  return {
    workers: s.workers,
    port,
    internal_port: internalPort,
    backlog: s.backlog,
    timeout: s.timeout,
    threads: s.threads,
    app: s.app,
    tmpdir: dir,
  };
}
