/**
 * The kernel settings `scripts/provision-host.sh --tune` changes, as this host has them, and the
 * host's OS and CPU frequency governor: what a reader needs to know the host was set up alike.
 */
import { readFileSync } from 'node:fs';

/** Keep in step with the `settings` list of scripts/provision-host.sh (a test checks it). */
export const TUNED_SYSCTLS = [
  'net.core.somaxconn',
  'net.ipv4.tcp_max_syn_backlog',
  'net.ipv4.ip_local_port_range',
  'fs.file-max',
  'fs.nr_open',
] as const;

function readTrimmed(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim().replace(/\s+/g, ' ');
  } catch {
    return null;
  }
}

/** A sysctl's value as /proc/sys has it (whitespace runs made one space); null where the kernel has none. */
export function sysctl(name: string): string | null {
  return readTrimmed(`/proc/sys/${name.replaceAll('.', '/')}`);
}

/** Each tuned sysctl's current value; absent where the kernel has none. */
export function tunables(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of TUNED_SYSCTLS) {
    const value = sysctl(name);
    if (value !== null) values[name] = value;
  }
  return values;
}

/** The distribution's PRETTY_NAME from os-release, e.g. `Debian GNU/Linux 12 (bookworm)`. */
export function osName(): string | null {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const line = readFileSync(path, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('PRETTY_NAME='));
      if (line) return line.slice('PRETTY_NAME='.length).replace(/^"|"$/g, '');
    } catch {
      // the next candidate
    }
  }
  return null;
}

/** cpu0's frequency governor (`performance`, `powersave`, …); null where not exposed (VMs). */
export function cpuGovernor(): string | null {
  return readTrimmed('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor');
}
