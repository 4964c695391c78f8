/**
 * An open loop's connections: each is a `User` that sends one request when told and reports
 * itself idle after it. A request whose intended time has come goes to an idle connection (the
 * one idle longest, so load spreads over the pool as wrk2's connections share it), else to a new
 * connection while the pool is below its limit, else it waits in a FIFO queue and the next
 * connection to become idle takes it. Every request is reported with its intended time.
 */
import type { FailureKind } from '../failure-kind.js';
import type { Target } from '../target.js';
import { User } from '../user.js';
import type { OpenLoopRecorder } from './recorder.js';

/** A FIFO of numbers without `Array#shift`'s O(n). */
class Queue {
  private items: number[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(value: number): void {
    this.items.push(value);
  }
  shift(): number {
    const value = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }
  drain(): number[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

interface Connection {
  user: User;
  /** Intended time of its outstanding request; -1 when idle. */
  intendedMs: number;
  /** When that request was written. */
  sentMs: number;
}

export class ConnectionPool {
  private readonly connections: Connection[] = [];
  /** Indices of idle connections, longest idle first. */
  private readonly idle = new Queue();
  private readonly waiting = new Queue();
  private stopped = false;

  constructor(
    private readonly target: Target,
    private readonly recorder: OpenLoopRecorder,
    initial: number,
    private readonly limit: number,
  ) {
    for (let i = 0; i < initial; i++) this.idle.push(this.add(true));
  }

  /** Largest pool size reached (the pool never shrinks). */
  get size(): number {
    return this.connections.length;
  }

  /** A request's intended time has come: send it now, or queue it. */
  submit(intendedMs: number): void {
    this.recorder.onArrival(intendedMs);
    if (this.idle.length > 0) this.send(this.idle.shift(), intendedMs);
    else if (this.connections.length < this.limit) this.send(this.add(false), intendedMs);
    else {
      this.recorder.onDelayed(intendedMs);
      this.waiting.push(intendedMs);
    }
  }

  /**
   * Stops every connection (nothing is sent after this) and returns the intended times of the
   * requests still outstanding or waiting, and how many were waiting.
   */
  stop(): { outstanding: number[]; waiting: number } {
    this.stopped = true;
    const outstanding: number[] = [];
    for (const c of this.connections) {
      if (c.user.stop() >= 0) outstanding.push(c.intendedMs);
    }
    const waiting = this.waiting.drain();
    return { outstanding: outstanding.concat(waiting), waiting: waiting.length };
  }

  private add(connectNow: boolean): number {
    const index = this.connections.length;
    const c: Connection = { user: null as unknown as User, intendedMs: -1, sentMs: -1 };
    const recorder = this.recorder;
    c.user = new User(
      this.target,
      {
        onSent: (sentMs: number) => {
          c.sentMs = sentMs;
          recorder.onWritten(c.intendedMs, sentMs);
        },
        onSuccess: (_sentMs: number, endMs: number) => {
          recorder.onServed(c.intendedMs, c.sentMs, endMs);
        },
        onFailure: (_sentMs: number, endMs: number, kind: FailureKind, detail: string) => {
          recorder.onFailure(c.intendedMs, endMs, kind, detail);
        },
        onBytes: (bytes: number) => recorder.onBytes(bytes),
      },
      false,
      () => this.onIdle(index),
    );
    this.connections.push(c);
    if (connectNow) c.user.open();
    return index;
  }

  private send(index: number, intendedMs: number): void {
    const c = this.connections[index]!;
    c.intendedMs = intendedMs;
    c.user.sendNow();
  }

  private onIdle(index: number): void {
    this.connections[index]!.intendedMs = -1;
    if (this.stopped) return;
    if (this.waiting.length > 0) this.send(index, this.waiting.shift());
    else this.idle.push(index);
  }
}
