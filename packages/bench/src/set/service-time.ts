/**
 * The app's in-process service time, measured once at the start of a matrix (a second or two)
 * for the Little's-law capacity line of the RPS chart. Only the bench app has one.
 */
import { measureServiceTime, readParams } from '@stackbench/app';
import type { ProfileSettings, ServiceTime } from '@stackbench/result';

export async function appServiceTime(settings: ProfileSettings): Promise<ServiceTime | null> {
  if (settings.app !== '@stackbench/app:benchApp') return null;
  const params = readParams({ ...process.env, ...settings.appEnv });
  // About 2 s: a warm-up, 1.5 s of back-to-back CPU and write steps, five sleeps.
  const t = await measureServiceTime({ params, budgetMs: 1500 });
  return {
    samples: t.samples,
    cpuMs: t.cpuMs,
    sleepMs: t.sleepMs,
    writesMs: t.writesMs,
    totalMs: t.totalMs,
    cpuTimeMs: t.cpuTimeMs,
  };
}
