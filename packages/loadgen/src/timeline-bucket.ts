/** One second of a shard's timeline, below the recorder and the shard specs that both carry it. */
export interface TimelineBucket {
  requests: number;
  failures: number;
  /** Successes of this second, HDR base64, or null when none. */
  histogram: string | null;
}
