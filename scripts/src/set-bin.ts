/**
 * Runs a bench bin that writes a result set (stackbench-matrix, stackbench-ab) as a child: its
 * progress goes to our stderr, its last stdout line is the set's directory. A non-zero exit is
 * an error naming the command (130 when it was interrupted).
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { StackbenchError } from '@stackbench/cli';

export function runSetBin(
  bin: string,
  args: string[],
  cwd: string,
  code: string,
): Promise<{ dir: string; minutes: number }> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, '--plain', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (exit) => {
      const dir = out.trim().split('\n').at(-1) ?? '';
      if (exit === 0 && dir) done({ dir, minutes: (Date.now() - started) / 60_000 });
      else
        fail(
          new StackbenchError(
            code,
            `${basename(bin, '.js')} ${args.join(' ')} in ${cwd} exited ${exit}; its output is above`,
            { exitCode: exit === 130 ? 130 : 1 },
          ),
        );
    });
  });
}
