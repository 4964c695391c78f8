/**
 * The master's log, in Gunicorn's line format (`[time] [pid] [LEVEL] message`), to stderr or a
 * file that USR1 reopens (for logrotate). Writes are synchronous so lines written just before an
 * exit are not lost.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { LogFileError } from './errors.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

function timestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`;
}

/** One log line; workers use it too for the few lines they write to their inherited stderr. */
export function formatLogLine(level: LogLevel, message: string, pid = process.pid): string {
  return `[${timestamp(new Date())}] [${pid}] [${level}] ${message}\n`;
}

export class Logger {
  private fd: number;

  /** `target` is `-` for stderr or a file path, opened for appending. */
  constructor(private readonly target: string) {
    this.fd = this.open();
  }

  private open(): number {
    if (this.target === '-') return 2;
    try {
      return openSync(this.target, 'a');
    } catch (error) {
      throw new LogFileError(this.target, error);
    }
  }

  log(level: LogLevel, message: string): void {
    try {
      writeSync(this.fd, formatLogLine(level, message));
    } catch {
      // A log that cannot be written must not take the master down with it.
    }
  }

  info(message: string): void {
    this.log('INFO', message);
  }
  warning(message: string): void {
    this.log('WARNING', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
  critical(message: string): void {
    this.log('CRITICAL', message);
  }

  /** USR1: close and reopen the file (a no-op for stderr). Keeps the old fd if reopening fails. */
  reopen(): void {
    if (this.target === '-') return;
    try {
      const fd = openSync(this.target, 'a');
      closeSync(this.fd);
      this.fd = fd;
    } catch (error) {
      this.error(`cannot reopen ${this.target}: ${(error as Error).message}`);
    }
  }

  close(): void {
    if (this.target !== '-') closeSync(this.fd);
  }
}
