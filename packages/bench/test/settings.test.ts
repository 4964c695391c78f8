import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkReadmeSection } from '@stackbench/cli';
import type { Manifest } from '@stackbench/result';
import { listProfiles, profileHash, resolveProfile } from '../src/profile/profiles.js';
import { setOverrides } from '../src/profile/set-flags.js';
import { HOSTS_TABLE } from '../src/settings/hosts-table.js';
import { keysMarkdown, sectionRows } from '../src/settings/key-reader.js';
import { profileKeysMarkdown } from '../src/settings/profile-keys.js';
import { STACK_TABLE } from '../src/settings/stack-table.js';
import { root } from './cli-run.js';

const stacksDir = join(root, 'stacks');
const readme = join(stacksDir, 'README.md');
const again = 'run the tests with UPDATE_DOCS=1 to rewrite it';

describe('key tables in stacks/README.md', () => {
  test('profile keys', () => {
    assert.ok(checkReadmeSection(readme, 'profile-keys', profileKeysMarkdown()).current, again);
  });
  test('stack-file keys', () => {
    const md = keysMarkdown(sectionRows(STACK_TABLE));
    assert.ok(checkReadmeSection(readme, 'stack-keys', md).current, again);
  });
  test('hosts-file keys', () => {
    const md = keysMarkdown(sectionRows(HOSTS_TABLE));
    assert.ok(checkReadmeSection(readme, 'hosts-keys', md).current, again);
  });
});

/**
 * The newest committed manifest of each profile, under results/HOST/SET/; with `plain`, of the
 * sets run without overrides (a `--budget 30m` set measures what the profile does).
 */
function newestManifests(plain = false): Map<string, Manifest> {
  const newest = new Map<string, { set: string; manifest: Manifest }>();
  const results = join(root, 'results');
  for (const host of readdirSync(results, { withFileTypes: true })) {
    if (!host.isDirectory()) continue;
    for (const set of readdirSync(join(results, host.name))) {
      let manifest: Manifest;
      try {
        manifest = JSON.parse(readFileSync(join(results, host.name, set, 'manifest.json'), 'utf8'));
      } catch {
        continue;
      }
      if (plain && Object.keys(manifest.overrides ?? {}).length > 0) continue;
      const seen = newest.get(manifest.profile.name);
      if (!seen || seen.set < set) newest.set(manifest.profile.name, { set, manifest });
    }
  }
  return new Map([...newest].map(([name, { manifest }]) => [name, manifest]));
}

describe('profile hash: committed result sets stay comparable', () => {
  const manifests = newestManifests();

  test('the newest set of each profile: its recorded settings hash to its recorded hash', () => {
    assert.ok(manifests.size >= 2, 'results/ holds sets of local and open');
    for (const [name, m] of manifests) {
      assert.equal(profileHash(m.profile.settings), m.profile.hash, name);
    }
  });

  test("a profile as it reads today, on that set's host, has the hash that set recorded", () => {
    // only where the profile is unchanged since that set (local: yes, but for the plaintext
    // workload it measures since; with --workloads seed it measures what that set did)
    const local = newestManifests(true).get('local');
    assert.ok(local, 'results/ holds a set of local without overrides');
    assert.deepEqual(local.overrides, {}, 'a set without overrides');
    const seedOnly = local.profile.settings.workloads === undefined;
    const today = resolveProfile(
      stacksDir,
      'local',
      local.host.cores,
      seedOnly ? { workloads: ['seed'] } : {},
      ['x'],
    );
    assert.equal(today.hash, local.profile.hash);
  });

  test('every profile of stacks/profiles.toml keeps the hash it had before the settings table', () => {
    // computed by the reader before settings/ (commit 95867d7), on 2 and 8 cores; local as it
    // was then is local with --workloads seed (below); the profiles after it: their first hashes
    const before: Record<string, [string, string]> = {
      paper: ['113ff352518f', '113ff352518f'],
      'paper-rehearsal': ['c7cb538e9199', 'c7cb538e9199'],
      local: ['ccb117aa0ffb', '9f264697eebe'],
      tfb: ['5e19b4f30063', '48858437f291'],
      'smoke-workloads': ['67143c2c9c3a', '67143c2c9c3a'],
      pr: ['018fc3825335', 'a5b9cfdda9a8'],
      smoke: ['3b16ea9ea89d', '3b16ea9ea89d'],
      open: ['dea4bc338a59', '0435ad5fdfd7'],
      'smoke-open': ['cfc178b2b53d', 'cfc178b2b53d'],
    };
    const { names } = listProfiles(stacksDir);
    assert.deepEqual(
      [...names].sort(),
      Object.keys(before).sort(),
      'a new profile: add its hashes',
    );
    for (const name of names) {
      const hashes = [2, 8].map((cores) => resolveProfile(stacksDir, name, cores, {}, ['x']).hash);
      assert.deepEqual(hashes, before[name], name);
    }
    const seedOnly = [2, 8].map(
      (cores) => resolveProfile(stacksDir, 'local', cores, { workloads: ['seed'] }, ['x']).hash,
    );
    assert.deepEqual(seedOnly, ['50e612114cf1', '43638241a169'], 'local --workloads seed');
  });
});

describe('override flags come from the table', () => {
  test('each flag sets its override and is recorded as typed', () => {
    const { overrides, overridesText } = setOverrides({
      duration: 2,
      sequential: true,
      connections: 'close',
      budget: '5m',
      plain: true,
    });
    assert.deepEqual(overrides, {
      connections: ['close'],
      durationS: 2,
      interleave: false,
      budgetS: 300,
    });
    assert.deepEqual(overridesText, {
      connections: 'close',
      duration: '2',
      sequential: 'true',
      budget: '5m',
    });
  });

  test('--connections is checked like the profile key', () => {
    assert.throws(() => setOverrides({ connections: 'close,close' }), {
      message: '--connections close,close: give keep-alive and/or close, each once',
    });
  });
});
