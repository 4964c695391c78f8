/**
 * The null server's whole job: answer every HTTP/1.1 request on a connection with one canned
 * `200`, as cheaply as JavaScript allows. It parses nothing but the end of each request head
 * (`\r\n\r\n`): the driver sends bodiless GETs, and anything more would be work the driver's
 * ceiling is not about. Pipelined requests get one answer each, in one write.
 */
import type { Socket } from 'node:net';

/** The answer to every request: a 2-byte body, kept alive. */
export const NULL_RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\n\r\nok',
);

const END = Buffer.from('\r\n\r\n');

/** Answers the requests that arrive on `socket`; returns nothing, counts nothing. */
export function respondNull(socket: Socket): void {
  socket.setNoDelay(true);
  // a request head cut between two chunks: the last 3 bytes of the one before, prefixed
  let tail: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    const data = tail ? Buffer.concat([tail, chunk]) : chunk;
    let count = 0;
    let from = 0;
    for (;;) {
      const at = data.indexOf(END, from);
      if (at < 0) break;
      count++;
      from = at + END.length;
    }
    const rest = data.length - from;
    tail = rest > 0 ? data.subarray(Math.max(from, data.length - (END.length - 1))) : null;
    if (count === 1) socket.write(NULL_RESPONSE);
    else if (count > 1) socket.write(Buffer.concat(Array(count).fill(NULL_RESPONSE)));
  });
  // a driver that goes away resets its connections: nothing to report
  socket.on('error', () => socket.destroy());
}
