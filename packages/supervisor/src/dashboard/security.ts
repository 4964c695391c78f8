/**
 * Who may do what on the dashboard. Three checks, all pure functions of the request headers:
 *
 * - Host: its name must be an IP literal or `localhost` and its port the dashboard's. A DNS
 *   rebinding attack needs a hostname of the attacker's that resolves to 127.0.0.1; it fails here.
 * - Origin: when a browser sends one, it must be this very origin (`http://` + Host). Cross-site
 *   pages can neither post commands nor read the event stream.
 * - Token: every state-changing request carries `Authorization: Bearer TOKEN` (the content of
 *   the 0600 token file). Reads are open on loopback and need the token too when the dashboard
 *   was exposed on purpose (`dashboard_allow_remote`).
 */
import { isIP } from 'node:net';
import { splitHostPort } from '@stackbench/cli';
import { tokenMatches } from '../token.js';
import { DashboardForbiddenError } from './errors.js';

export interface RequestHeaders {
  host?: string | undefined;
  origin?: string | undefined;
  authorization?: string | undefined;
}

/** Splits a Host header (`127.0.0.1:8100`, `[::1]:8100`, `localhost:8100`). */
export function parseHostHeader(host: string): { name: string; port: number } | undefined {
  const parsed = splitHostPort(host);
  return parsed && { name: parsed.host, port: parsed.port };
}

export function checkHost(headers: RequestHeaders, port: number): void {
  const parsed = headers.host === undefined ? undefined : parseHostHeader(headers.host);
  if (!parsed || parsed.port !== port) {
    throw new DashboardForbiddenError(
      `Host ${JSON.stringify(headers.host ?? '')} is not this dashboard (expected 127.0.0.1:${port} or localhost:${port})`,
    );
  }
  if (parsed.name !== 'localhost' && isIP(parsed.name) === 0) {
    throw new DashboardForbiddenError(
      `Host ${JSON.stringify(headers.host)} is a domain name; open the dashboard by IP address or localhost`,
    );
  }
}

/** A browser's Origin must be the page's own; requests without one (curl, tests) pass. */
export function checkOrigin(headers: RequestHeaders): void {
  if (headers.origin === undefined) return;
  if (headers.origin !== `http://${headers.host}`) {
    throw new DashboardForbiddenError(
      `cross-site request from Origin ${JSON.stringify(headers.origin)} (only http://${headers.host} may call this API)`,
    );
  }
}

/** Only from the Authorization header: a token in a URL ends up in logs and history. */
export function checkToken(headers: RequestHeaders, token: string): void {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (!tokenMatches(token, bearer)) {
    throw new DashboardForbiddenError(
      'missing or wrong token: open the URL that `stackbench-ctl dashboard` prints (it carries the token from the token file)',
    );
  }
}
