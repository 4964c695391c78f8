/** Facts about this host for the manifest: what a reader needs to judge the figures. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, hostname, platform, release, totalmem } from 'node:os';
import type { HostFacts } from '@stackbench/result';
import { cpuGovernor, osName, tunables } from './host-tunables.js';

function readNumber(path: string, pattern?: RegExp): number | null {
  try {
    const text = readFileSync(path, 'utf8');
    const match = pattern ? pattern.exec(text) : /^\s*(\d+)/.exec(text);
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** The host's directory name under results/: its hostname, lowercased, dashes only. */
export function hostSlug(name = hostname()): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'host'
  );
}

/**
 * This host's facts. Its load (`loadBefore`) is sampled apart, over the second before the set
 * starts (Target.hostLoad): a run refused for bad input does not wait for it.
 */
export async function localHostFacts(): Promise<HostFacts> {
  return {
    slug: hostSlug(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    kernel: release(),
    platform: platform(),
    node: process.version,
    somaxconn: readNumber('/proc/sys/net/core/somaxconn'),
    openFileLimit: readNumber('/proc/self/limits', /Max open files\s+(\d+)/),
    os: osName(),
    governor: cpuGovernor(),
    tunables: tunables(),
    loadBefore: null,
  };
}
