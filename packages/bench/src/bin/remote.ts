/**
 * `stackbench-remote VERB [ARGS…]`: what the orchestrator runs on a remote host over ssh, in the
 * workspace it shipped there. Not meant for people: each verb prints one JSON value (or, for
 * `watch`, JSON lines); arguments arrive quoted by the orchestrator (targets/ssh/shell-words.ts).
 * Each verb imports only what it needs: the sampler's verbs run every second on the target.
 */
import { runCli, UsageError, workspaceRoot } from '@stackbench/cli';

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const PROBES = ['port-free', 'free-port', 'workers', 'established', 'budget-facts'];

await runCli('stackbench-remote', async (argv) => {
  const [verb, ...args] = argv;
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const info = () => import('../targets/ssh/host/info.js');
  switch (verb) {
    case 'snapshot':
      print(
        (await import('../targets/ssh/host/readings.js')).snapshot(JSON.parse(args[0] ?? '[]')),
      );
      return 0;
    case 'cpu':
      print(
        await (await import('../targets/ssh/host/readings.js')).cpuAt(
          JSON.parse(args[0] ?? '[]'),
          args[1],
        ),
      );
      return 0;
    case 'facts':
      print(await (await info()).facts(workspaceRoot()));
      return 0;
    case 'stack-check':
      print(
        await (await info()).stackCheck(workspaceRoot(), args[0] ?? '', args[1] ?? '127.0.0.1'),
      );
      return 0;
    case 'mkrundir':
      print((await info()).makeRunDir(args[0] ?? 'stack'));
      return 0;
    case 'write':
      (await info()).writeRunFile(args[0] ?? '', args[1] ?? '', await stdinText());
      return 0;
    case 'rmrundir':
      (await info()).removeRunDir(args[0] ?? '');
      return 0;
    case 'watch':
      // exits at once when the watchdog is done: the stack's handles must not keep it up
      return process.exit(
        await (await import('../targets/ssh/host/watch.js')).watch(JSON.parse(args[0] ?? '{}')),
      );
    case 'shard':
      // exits at once: a load aborted by the channel's end must not finish its cycle first
      return process.exit(
        await (await import('../targets/ssh/host/shard.js')).shard(JSON.parse(args[0] ?? '{}')),
      );
    default: {
      if (verb === undefined || !PROBES.includes(verb)) {
        throw new UsageError(
          `unknown verb ${verb}; valid: snapshot, cpu, facts, stack-check, mkrundir, write, rmrundir, watch, shard, ${PROBES.join(', ')}`,
        );
      }
      const { probes } = await import('../targets/ssh/host/probe.js');
      print(await (probes[verb] as (a: string[]) => unknown)(args));
      return 0;
    }
  }
});
