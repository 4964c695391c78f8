/**
 * `stackbench-remote VERB [ARGS…]`: what the orchestrator runs on a remote host over ssh, in the
 * workspace it shipped there. Not meant for people: each verb prints one JSON value (or, for
 * `watch`, JSON lines); arguments arrive quoted by the orchestrator (remote/shell-words.ts).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, UsageError } from '@stackbench/cli';
import { facts, makeRunDir, removeRunDir, stackCheck, writeRunFile } from '../remote/host/info.js';
import { probes } from '../remote/host/probe.js';
import { shard } from '../remote/host/shard.js';
import { watch } from '../remote/host/watch.js';

const root = resolve(fileURLToPath(import.meta.url), '../../../../../..');

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

await runCli('stackbench-remote', async (argv) => {
  const [verb, ...args] = argv;
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  switch (verb) {
    case 'facts':
      print(facts(root));
      return 0;
    case 'stack-check':
      print(await stackCheck(root, args[0] ?? '', args[1] ?? '127.0.0.1'));
      return 0;
    case 'mkrundir':
      print(makeRunDir(args[0] ?? 'stack'));
      return 0;
    case 'write':
      writeRunFile(args[0] ?? '', args[1] ?? '', await stdinText());
      return 0;
    case 'rmrundir':
      removeRunDir(args[0] ?? '');
      return 0;
    case 'watch':
      await watch(JSON.parse(args[0] ?? '{}'));
      return new Promise<number>(() => {}); // ends by process.exit when the stack does
    case 'shard':
      await shard(JSON.parse(args[0] ?? '{}'));
      return 0;
    default: {
      const probe = verb === undefined ? undefined : probes[verb];
      if (!probe) {
        throw new UsageError(
          `unknown verb ${verb}; valid: facts, stack-check, mkrundir, write, rmrundir, watch, shard, ${Object.keys(probes).join(', ')}`,
        );
      }
      print(await probe(args));
      return 0;
    }
  }
});
