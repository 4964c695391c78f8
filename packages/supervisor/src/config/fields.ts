/**
 * Readers for one INI value each. They never throw: a bad value adds an issue (naming the section,
 * the key and what is valid) and returns the default, so that every problem is reported at once.
 */
import { constants } from 'node:os';
import { MAX_TIMER_SECONDS } from '@stackbench/cli';
import type { ConfigIssue } from '../errors.js';

/** What the `ini` parser gives for a value: strings, and booleans for bare true/false. */
export type RawValue = unknown;
export type RawSection = Record<string, RawValue>;

export class SectionReader {
  private readonly used = new Set<string>();

  constructor(
    readonly section: string,
    private readonly raw: RawSection,
    private readonly issues: ConfigIssue[],
  ) {}

  issue(key: string | undefined, message: string): void {
    this.issues.push({ section: this.section, ...(key ? { key } : {}), message });
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  private text(key: string): string | undefined {
    this.used.add(key);
    const value = this.raw[key];
    if (value === undefined) return undefined;
    // The ini parser turns a bare `null` into null (and true/false into booleans).
    if (value === null) return 'null';
    if (typeof value === 'object') {
      this.issue(key, 'must be a single value (keys with [] or dots are not supported)');
      return undefined;
    }
    return String(value).trim();
  }

  string(key: string, fallback: string): string;
  string(key: string): string | undefined;
  string(key: string, fallback?: string): string | undefined {
    const value = this.text(key);
    return value === undefined || value === '' ? fallback : value;
  }

  required(key: string, what: string): string {
    const value = this.string(key);
    if (value === undefined) this.issue(key, `is required (${what})`);
    return value ?? '';
  }

  integer(key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.text(key);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
      this.issue(key, `${JSON.stringify(value)} is not valid; expected a whole number ${range}`);
      return fallback;
    }
    return n;
  }

  /**
   * Seconds in the file, milliseconds out. Bounded by what a timer can hold: Node runs a longer
   * delay after 1 ms, so `graceful_timeout = 3000000` would kill at once.
   */
  seconds(key: string, fallbackSeconds: number, minSeconds = 0): number {
    const value = this.text(key);
    if (value === undefined) return fallbackSeconds * 1000;
    const n = Number(value);
    if (value === '' || !Number.isFinite(n) || n < minSeconds || n > MAX_TIMER_SECONDS) {
      this.issue(
        key,
        `${JSON.stringify(value)} is not valid; expected seconds ${minSeconds}..${MAX_TIMER_SECONDS} (the longest a timer can wait is 2^31-1 ms)`,
      );
      return fallbackSeconds * 1000;
    }
    return Math.round(n * 1000);
  }

  boolean(key: string, fallback: boolean): boolean {
    this.used.add(key);
    const value = this.raw[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    const text = String(value).trim().toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(text)) return true;
    if (['false', 'no', 'off', '0'].includes(text)) return false;
    this.issue(key, `${JSON.stringify(value)} is not valid; expected true or false`);
    return fallback;
  }

  choice<T extends string>(key: string, fallback: T, choices: readonly T[]): T {
    const value = this.text(key);
    if (value === undefined) return fallback;
    if ((choices as readonly string[]).includes(value)) return value as T;
    this.issue(
      key,
      `${JSON.stringify(value)} is not valid; expected one of: ${choices.join(', ')}`,
    );
    return fallback;
  }

  signal(key: string, fallback: NodeJS.Signals): NodeJS.Signals {
    const value = this.text(key);
    if (value === undefined) return fallback;
    const parsed = parseSignal(value);
    if (parsed) return parsed;
    this.issue(
      key,
      `${JSON.stringify(value)} is not a signal; expected e.g. TERM, SIGINT, QUIT, 15`,
    );
    return fallback;
  }

  /** Reports keys nobody read: a typo must not be silently ignored. */
  finish(known: readonly string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (!this.used.has(key)) {
        this.issue(key, `unknown key; valid keys: ${known.join(', ')}`);
      }
    }
  }
}

/** `TERM`, `SIGTERM`, `term` or `15` → `SIGTERM`; undefined when it is no signal. */
export function parseSignal(value: string): NodeJS.Signals | undefined {
  const signals = constants.signals as Record<string, number>;
  const text = value.trim().toUpperCase();
  if (/^\d+$/.test(text)) {
    const found = Object.entries(signals).find(([, number]) => number === Number(text));
    return found ? (found[0] as NodeJS.Signals) : undefined;
  }
  const name = text.startsWith('SIG') ? text : `SIG${text}`;
  return name in signals ? (name as NodeJS.Signals) : undefined;
}
