/**
 * What the manifest records about the host — OS, governor, the tunables `--tune` changes, the
 * load before the run — read from this machine; and what the main command's set-up step
 * (`provision-host.sh --auto`) does where it cannot install.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { localHostFacts } from '../src/targets/local/host-facts.js';
import { TUNED_SYSCTLS } from '../src/targets/local/host-tunables.js';
import { localTarget } from '../src/targets/local/local-target.js';
import { root } from './cli-run.js';

const script = join(root, 'scripts', 'provision-host.sh');
const scratch = mkdtempSync(join(tmpdir(), 'bench-host-facts-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('host facts', () => {
  test('the tunables recorded are those provision-host.sh --tune sets', () => {
    const listed = [...readFileSync(script, 'utf8').matchAll(/^\s+"([a-z0-9._-]+)\|/gm)].map(
      (m) => m[1],
    );
    assert.deepEqual([...TUNED_SYSCTLS], listed);
  });

  test('this host: OS, tunables and, apart, the load of the second before', async () => {
    const facts = await localHostFacts();
    assert.match(facts.os ?? '', /\S/, 'os-release read');
    assert.equal(facts.tunables?.['net.core.somaxconn'], String(facts.somaxconn));
    assert.equal(facts.loadBefore, null, 'the load is sampled once the inputs are good');
    const load = await localTarget.hostLoad();
    assert.ok(load, 'load sampled');
    assert.equal(load.seconds, 1);
    assert.ok(load.busyPct >= 0 && load.busyPct <= 100, String(load.busyPct));
    assert.ok(load.load1 >= 0 && load.load5 >= 0);
    const governor = facts.governor ?? null;
    assert.ok(governor === null || /^[a-z]+$/.test(governor));
  });
});

describe('provision-host.sh --auto (the set-up step of bench:matrix)', () => {
  test('not root and packages missing: says what and how, changes nothing, exit 0', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run the script as another user');
    // dpkg that knows no package: the host as a fresh machine would be
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    // the scratch dir is 0700 (mkdtemp): the other user must reach the stub
    chmodSync(scratch, 0o755);
    writeFileSync(join(bin, 'dpkg'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(bin, 'dpkg'), 0o755);
    const result = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', script, '--auto'],
      { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` }, timeout: 30_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /missing nginx-light gunicorn python3-gevent util-linux iproute2 postgresql python3-psycopg python3-psycopg-pool; not root, so not installed\. Run: sudo scripts\/provision-host\.sh/,
    );
    assert.doesNotMatch(result.stdout, /installing with apt-get/);
  });

  test('--auto never tunes the kernel', () => {
    const result = spawnSync('bash', [script, '--auto', '--tune'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--auto never changes kernel settings/);
  });
});
