/** The piscina worker entry: one task = one shard of one cycle. */
import { runShard } from './shard.js';
import type { ShardResult, ShardSpec } from './shard-types.js';

export default function shardTask(spec: ShardSpec): Promise<ShardResult> {
  return runShard(spec);
}
