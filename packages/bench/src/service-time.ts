/**
 * The app's in-process service time, measured once at the start of a matrix (a second or two)
 * for the Little's-law capacity line of the RPS chart. Only the bench app has one.
 */
import { measureServiceTime, readParams } from '@stackbench/app';
import type { ProfileSettings, ServiceTime } from '@stackbench/report';

export async function appServiceTime(settings: ProfileSettings): Promise<ServiceTime | null> {
  if (settings.app !== '@stackbench/app:benchApp') return null;
  const params = readParams({ ...process.env, ...settings.appEnv });
  const perRequestMs = params.sleepMs + 15; // rough, to keep the measurement near 1.5 s
  const samples = Math.max(5, Math.min(30, Math.round(1500 / perRequestMs)));
  const t = await measureServiceTime({ samples, params });
  return {
    samples: t.samples,
    cpuMs: t.cpuMs,
    sleepMs: t.sleepMs,
    writesMs: t.writesMs,
    totalMs: t.totalMs,
    cpuTimeMs: t.cpuTimeMs,
  };
}
