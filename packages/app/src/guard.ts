/**
 * The app never crashes its process: a throw or a rejected promise becomes a 500 with a short
 * body, and one log line per failed request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { messageOf } from '@stackbench/cli';

export type AsyncListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type Logger = (line: string) => void;

const defaultLogger: Logger = (line) => process.stderr.write(`${line}\n`);

export function guardListener(
  name: string,
  listener: AsyncListener,
  log: Logger = defaultLogger,
): (req: IncomingMessage, res: ServerResponse) => void {
  const fail = (res: ServerResponse, error: unknown) => {
    const reason = messageOf(error);
    log(`${name}: internal error: ${reason}`);
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': '22' });
      res.end('Internal Server Error\n');
    } else {
      res.destroy();
    }
  };
  return (req, res) => {
    try {
      const done = listener(req, res);
      if (done) done.catch((error: unknown) => fail(res, error));
    } catch (error) {
      fail(res, error);
    }
  };
}
