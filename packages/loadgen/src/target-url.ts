/** The target URL's rules, apart from the rest of validation so that `target.ts` stays low. */
import { LoadOptionError } from './errors.js';

/** Checks a URL: plain http, a host, a port; returns it parsed. */
export function parseTargetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LoadOptionError(
      'url',
      `${JSON.stringify(text)} is not a URL; expected e.g. http://127.0.0.1:8080/`,
    );
  }
  if (url.protocol !== 'http:') {
    throw new LoadOptionError(
      'url',
      `${JSON.stringify(text)}: scheme ${url.protocol} is not supported; only http: is`,
    );
  }
  if (url.hostname === '') throw new LoadOptionError('url', `${JSON.stringify(text)} has no host`);
  if (url.username || url.password) {
    throw new LoadOptionError(
      'url',
      `${JSON.stringify(text)}: credentials in the URL are not supported`,
    );
  }
  return url;
}
