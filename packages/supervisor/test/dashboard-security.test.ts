/** The dashboard's request checks (Host, Origin, token) and the URL `stackbench-ctl` prints. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusResult } from '../src/commands/status.js';
import { browserAddress, dashboardUrl } from '../src/dashboard/ctl-url.js';
import {
  DashboardForbiddenError,
  DashboardNotConfiguredError,
  TokenFileError,
} from '../src/dashboard/errors.js';
import { checkHost, checkOrigin, checkToken, parseHostHeader } from '../src/dashboard/security.js';

const forbidden = (pattern: RegExp) => (error: unknown) =>
  error instanceof DashboardForbiddenError &&
  error.code === 'SUPERVISOR_DASHBOARD_FORBIDDEN' &&
  pattern.test(error.message);

describe('dashboard security checks', () => {
  it('parses Host headers with IPv4, IPv6 and names', () => {
    assert.deepEqual(parseHostHeader('127.0.0.1:8100'), { name: '127.0.0.1', port: 8100 });
    assert.deepEqual(parseHostHeader('[::1]:8100'), { name: '::1', port: 8100 });
    assert.deepEqual(parseHostHeader('localhost:8100'), { name: 'localhost', port: 8100 });
    assert.equal(parseHostHeader('127.0.0.1'), undefined);
    assert.equal(parseHostHeader('::1:8100'), undefined);
  });

  it('Host: IP literals and localhost on our port pass; names (DNS rebinding) do not', () => {
    for (const host of ['127.0.0.1:8100', 'localhost:8100', '[::1]:8100', '10.0.0.5:8100']) {
      assert.doesNotThrow(() => checkHost({ host }, 8100), host);
    }
    assert.throws(() => checkHost({ host: 'evil.example:8100' }, 8100), forbidden(/domain name/));
    assert.throws(
      () => checkHost({ host: '127.0.0.1:9999' }, 8100),
      forbidden(/not this dashboard/),
    );
    assert.throws(() => checkHost({}, 8100), forbidden(/not this dashboard/));
  });

  it('Origin: absent or our own passes; any other is cross-site', () => {
    const host = '127.0.0.1:8100';
    assert.doesNotThrow(() => checkOrigin({ host }));
    assert.doesNotThrow(() => checkOrigin({ host, origin: 'http://127.0.0.1:8100' }));
    for (const origin of [
      'http://evil.example',
      'http://localhost:8100',
      'null',
      'https://127.0.0.1:8100',
    ]) {
      assert.throws(() => checkOrigin({ host, origin }), forbidden(/cross-site/), origin);
    }
  });

  it('token: only the exact bearer token (or query token where allowed) passes', () => {
    const token = 'ab'.repeat(32);
    assert.doesNotThrow(() => checkToken({ authorization: `Bearer ${token}` }, token));
    assert.throws(() => checkToken({}, token), forbidden(/stackbench-ctl dashboard/));
    assert.throws(
      () => checkToken({ authorization: `Bearer ${'cd'.repeat(32)}` }, token),
      forbidden(/token/),
    );
    assert.throws(() => checkToken({ authorization: token }, token), forbidden(/token/));
    assert.throws(() => checkToken({ authorization: 'Bearer ' }, token), forbidden(/token/));
  });

  it('the printed URL is one a browser can open', () => {
    assert.equal(browserAddress('127.0.0.1:8100'), '127.0.0.1:8100');
    assert.equal(browserAddress('::1:8100'), '[::1]:8100');
    assert.equal(browserAddress('[::1]:8100'), '[::1]:8100');
    assert.equal(browserAddress('0.0.0.0:8100'), '127.0.0.1:8100');
    assert.equal(browserAddress(':::8100'), '[::1]:8100');
  });

  it('the URL needs a configured dashboard and a readable token file', () => {
    const status = {
      dashboard: null,
      config: '/srv/web.ini',
      tokenFile: '/nonexistent/web.token',
    } as unknown as StatusResult;
    assert.throws(
      () => dashboardUrl(status),
      (error) =>
        error instanceof DashboardNotConfiguredError &&
        error.exitCode === 2 &&
        /\/srv\/web\.ini.*dashboard = 127\.0\.0\.1:8100/.test(error.message),
    );
    assert.throws(
      () => dashboardUrl({ ...status, dashboard: '127.0.0.1:8100' }),
      (error) => error instanceof TokenFileError && /web\.token \(ENOENT\)/.test(error.message),
    );
  });
});
