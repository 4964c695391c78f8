/**
 * Flapping: `maxDeaths` unexpected deaths within `windowMs` mean the command cannot stay up
 * (crash on start, bad config); respawning it forever would only burn CPU and flood the log.
 */
export class FlappingDetector {
  private deaths: number[] = [];

  constructor(
    readonly maxDeaths: number,
    readonly windowMs: number,
  ) {}

  /** Records a death at `now`; true when the watcher is flapping. */
  record(now: number): boolean {
    this.deaths = this.deaths.filter((time) => now - time < this.windowMs);
    this.deaths.push(now);
    return this.deaths.length >= this.maxDeaths;
  }

  reset(): void {
    this.deaths = [];
  }
}
