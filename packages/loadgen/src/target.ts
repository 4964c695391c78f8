/**
 * What every simulated user needs to know about the target, computed once per run from the
 * validated options: address, the request bytes (built once, written as is), the success rule.
 */
import type { AnyLoadOptions } from './load-options.js';
import { parseTargetUrl } from './target-url.js';

export interface Target {
  /** The URL as given (the autocannon engine builds its own request from it). */
  url: string;
  host: string;
  port: number;
  /** The whole request, ready to write. */
  request: Buffer;
  /** `close`: one connection per request. */
  closeEach: boolean;
  expectStatus: number;
  /** Source of the body regex; compiled by each thread (RegExp does not cross threads). */
  expectBody: string | undefined;
  timeoutMs: number;
  sleepMs: number;
}

export function buildTarget(options: AnyLoadOptions): Target {
  const url = parseTargetUrl(options.url);
  const port = url.port === '' ? 80 : Number(url.port);
  const hostHeader = url.port === '' ? url.hostname : `${url.hostname}:${url.port}`;
  const connection = options.connection === 'close' ? 'close' : 'keep-alive';
  const request =
    `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${hostHeader}\r\n` +
    `User-Agent: stackbench-load\r\nAccept: */*\r\nConnection: ${connection}\r\n\r\n`;
  return {
    url: options.url,
    // URL keeps IPv6 literals bracketed; net.connect wants them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    request: Buffer.from(request, 'latin1'),
    closeEach: options.connection === 'close',
    expectStatus: options.expectStatus,
    expectBody: options.expectBody,
    timeoutMs: options.timeoutS * 1000,
    // An open loop has no think time: its connections send when the schedule says.
    sleepMs: 'sleepTimeS' in options ? options.sleepTimeS * 1000 : 0,
  };
}
