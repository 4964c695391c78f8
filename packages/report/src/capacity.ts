/**
 * The app's Little's-law capacity at a number of closed-loop users: each user waits `totalMs`
 * per request, and each request costs `cpuTimeMs` of one core (DESIGN: the RPS chart's ceiling).
 * Mirrors `capacityRps` of @stackbench/app, computed here so the report needs only the manifest.
 */
import type { ServiceTime } from './schema.js';

export function capacityRps(time: ServiceTime, users: number, cores: number): number {
  const byUsers = users / (time.totalMs / 1000);
  const cpuMs = time.cpuTimeMs > 0 ? time.cpuTimeMs : time.cpuMs + time.writesMs;
  const byCores = cpuMs > 0 ? cores / (cpuMs / 1000) : Number.POSITIVE_INFINITY;
  return Math.min(byUsers, byCores);
}
