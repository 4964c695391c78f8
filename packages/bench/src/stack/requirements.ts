/**
 * A stack's requirements on the host: commands on PATH, Python modules, files (e.g. a built
 * package). The first missing one is the reason the stack is skipped.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { StackDefinition } from './stack-def.js';
import { render, type TemplateValues } from './template.js';

export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  if (command.includes('/')) return existsSync(command);
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function hasPythonModule(python: string, module: string): Promise<boolean> {
  const result = await execa(python, ['-c', `import ${module}`], {
    reject: false,
    timeout: 15_000,
  });
  return result.exitCode === 0;
}

/**
 * Why the stack cannot run here and, where the stack file says, the command that fixes it; null
 * when everything it needs is present.
 */
export async function missingRequirement(
  stack: StackDefinition,
  /** The workspace's placeholder values (template-values.ts): no session exists yet. */
  values: TemplateValues,
): Promise<string | null> {
  const missing = await firstMissing(stack, values);
  if (missing === null || stack.requires.install === null) return missing;
  return `${missing}; to install it: ${stack.requires.install}`;
}

async function firstMissing(
  stack: StackDefinition,
  values: TemplateValues,
): Promise<string | null> {
  for (const command of stack.requires.commands) {
    if (!onPath(command)) return `command ${command} not found on PATH`;
  }
  // the interpreter that will run the stack (e.g. Debian's gunicorn runs on /usr/bin/python3,
  // while python3 on PATH may be a pyenv without the module)
  const python = stack.requires.python;
  if (stack.requires.pythonModules.length && !onPath(python)) {
    return `command ${python} not found${python.includes('/') ? '' : ' on PATH'} (needed for Python modules)`;
  }
  for (const module of stack.requires.pythonModules) {
    if (!(await hasPythonModule(python, module)))
      return `Python module ${module} not importable by ${python}`;
  }
  for (const file of stack.requires.files) {
    const path = render(file, values);
    if (!existsSync(path)) return `file ${path} not found (is its package built?)`;
  }
  return null;
}
