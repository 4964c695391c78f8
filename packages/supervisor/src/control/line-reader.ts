/**
 * Splits a byte stream into newline-terminated lines with a hard cap on a line's length. readline
 * has no cap: 256 MiB without a newline grew the supervisor by 580 MB before any token was
 * checked. Here at most `maxBytes` are ever held for one connection.
 */
export type LineResult = { lines: string[]; overflow: boolean };

export class LineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The complete lines in `chunk` (without `\n`/`\r\n`), or overflow once a line passes the cap. */
  push(chunk: Buffer): LineResult {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      const part = chunk.subarray(start, newline);
      if (this.pendingBytes + part.length > this.maxBytes) return { lines, overflow: true };
      const line = Buffer.concat([...this.pending, part]).toString('utf8');
      this.pending = [];
      this.pendingBytes = 0;
      lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (this.pendingBytes + rest.length > this.maxBytes) return { lines, overflow: true };
    if (rest.length > 0) {
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
    return { lines, overflow: false };
  }
}
