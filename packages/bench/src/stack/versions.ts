/** Versions of what a stack runs, for the manifest: its runtime, its packages, external programs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { versionNumber } from '@stackbench/report';
import { execa } from 'execa';
import type { StackDefinition } from './stack-def.js';

function packageVersion(root: string, name: string): string {
  try {
    const file = join(root, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

async function commandVersion(argv: string[]): Promise<string> {
  const result = await execa(argv[0] as string, argv.slice(1), {
    reject: false,
    timeout: 10_000,
    all: true,
  });
  // nginx -v prints on stderr, gunicorn --version on stdout: take the first line of either
  const line = (result.all ?? '').split('\n').find((l) => l.trim() !== '');
  return line === undefined ? `exit code ${result.exitCode}` : versionNumber(line);
}

export async function stackVersions(
  stack: StackDefinition,
  root: string,
): Promise<Record<string, string>> {
  // the Node that runs the stack's Node parts: its runtime's, or the matrix's own (supervisor)
  const runtime = stack.runtime;
  const versions: Record<string, string> = {
    node: runtime?.engine === 'node' ? runtime.version : process.version,
  };
  if (runtime && runtime.engine !== 'node') versions[runtime.engine] = runtime.version;
  for (const name of stack.versions.packages) versions[name] = packageVersion(root, name);
  for (const [name, argv] of Object.entries(stack.versions.commands)) {
    versions[name] = await commandVersion(argv);
  }
  return versions;
}
