/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against a real
 * supervisor with adapter workers: the page lists the workers, "+" adds one, the socket chart
 * shows requests/s under load, a worker killed with SIGKILL is replaced on the page, and a page
 * without the token is read-only. With UPDATE_DOCS=1 it also saves docs/dashboard.png under load.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  browserArgs,
  CHROMIUM,
  dashboardConfig,
  freePort,
  hasChromium,
} from './fixtures/dashboard-setup.js';
import { Daemon, packageDir, sleep, waitFor } from './helpers/daemon.js';
import { startLoad } from './helpers/load.js';

const screenshot = process.env.UPDATE_DOCS === '1';

/** Pids of the process rows the page shows. */
const pagePids = (page: Page) =>
  page.$$eval('#processes tbody tr', (rows) =>
    rows.map((row) => Number(row.getAttribute('data-pid'))),
  );

describe('dashboard in a browser', {
  skip: !hasChromium && `${CHROMIUM} is missing (CI installs Debian's chromium)`,
}, () => {
  let daemon: Daemon;
  let browser: Browser;
  let page: Page;
  let url: string;
  const pageErrors: string[] = [];

  before(async () => {
    daemon = await Daemon.start(dashboardConfig(await freePort()));
    await waitFor(
      '2 ready workers',
      async () => (await daemon.readyPids('web')).length === 2,
      15_000,
    );
    const printed = await daemon.ctlCli('dashboard');
    assert.equal(printed.code, 0, printed.stderr);
    url = printed.stdout.trim();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: browserArgs,
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
  });
  after(async () => {
    await browser?.close();
    await daemon?.stop();
  });

  it('lists the watcher and its workers, with the token taken out of the address bar', async () => {
    const expected = (await daemon.readyPids('web')).sort();
    await waitFor('the page lists 2 workers', async () => (await pagePids(page)).length === 2);
    assert.deepEqual((await pagePids(page)).sort(), expected);
    assert.equal((await page.textContent('[data-testid=count-web]'))?.trim(), '2 / 2');
    assert.ok(!page.url().includes('token'), page.url());
    assert.equal(await page.isEnabled('[data-testid=incr-web]'), true);
    assert.deepEqual(pageErrors, []);
  });

  it('"+" adds a worker: the page and `stackbench-ctl status` both go up', async () => {
    await page.click('[data-testid=incr-web]');
    await waitFor('3 workers on the page', async () => {
      const count = (await page.textContent('[data-testid=count-web]'))?.trim();
      return count === '3 / 3' && (await pagePids(page)).length === 3;
    });
    const status = await daemon.ctlCli('status');
    assert.match(status.stdout, /^web\s+active\s+3\s+3\s/m);
  });

  it('the socket chart shows requests/s while a short load runs', async () => {
    const rpsNow = () =>
      page.evaluate(() => {
        const rows = (
          globalThis as unknown as {
            stackbenchDashboard: { charts: { data(id: string): { t: number; v: number }[] } };
          }
        ).stackbenchDashboard.charts.data('rps');
        return rows.length ? Math.max(...rows.slice(-3).map((r) => r.v)) : 0;
      });
    const started = Date.now();
    const load = startLoad(await daemon.socketPort('web'), { concurrency: 4, maxMs: 20_000 });
    try {
      await waitFor(
        'non-zero requests/s in the socket chart',
        async () => (await rpsNow()) > 0,
        15_000,
      );
      // At least 3 s of load; longer for the README's screenshot, so the charts have a shape.
      await sleep(Math.max(0, (screenshot ? 12_000 : 3000) - (Date.now() - started)));
      if (screenshot) {
        await page.screenshot({ path: join(packageDir, 'docs/dashboard.png'), fullPage: true });
      }
    } finally {
      const counts = await load.stop();
      assert.ok(counts.ok > 0 && counts.failed === 0, JSON.stringify(counts));
    }
    const paths = await page.$$eval(
      '#chart-rps svg path.mark-line, #chart-rps svg .role-mark path',
      (p) => p.length,
    );
    assert.ok(paths > 0, 'the rps chart draws a line');
  });

  it('a worker killed with SIGKILL disappears and its replacement appears, without a reload', async () => {
    const before = await pagePids(page);
    const victim = before[0] as number;
    process.kill(victim, 'SIGKILL');
    await waitFor(
      'the replacement on the page',
      async () => {
        const now = await pagePids(page);
        return now.length === before.length && !now.includes(victim);
      },
      15_000,
    );
    const log = await page.textContent('#events');
    assert.match(log ?? '', new RegExp(`exit web pid=${victim} .*expected=false`));
    assert.deepEqual(pageErrors, []);
  });

  it('a page without the token is read-only and its requests are refused (403)', async () => {
    const context = await browser.newContext();
    try {
      const anonymous = await context.newPage();
      await anonymous.goto(url.replace(/#.*$/, ''));
      await waitFor('rows', async () => (await pagePids(anonymous)).length > 0);
      assert.equal(await anonymous.isDisabled('[data-testid=incr-web]'), true);
      const status = await anonymous.evaluate(async () => {
        const response = await fetch('/api/command', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ command: 'incr', watcher: 'web' }),
        });
        return response.status;
      });
      assert.equal(status, 403);
      assert.equal(
        (await daemon.ctl.request({ command: 'numprocesses', watcher: 'web' })).numprocesses,
        3,
      );
    } finally {
      await context.close();
    }
  });
});
