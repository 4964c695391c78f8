/**
 * The derived validator on a committed set's real documents: valid as written, and each kind of
 * fault named by its dotted path and what would be valid.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateManifest, validateStackResult } from '../src/index.js';

const root = resolve(fileURLToPath(import.meta.url), '../../../../..');
const set = join(root, 'results/vm/20261203T185523Z-local');
const read = (name: string) => JSON.parse(readFileSync(join(set, name), 'utf8'));

describe('the derived validator', () => {
  test('a committed set is valid as written', () => {
    const manifest = read('manifest.json');
    assert.deepEqual(validateManifest(manifest), []);
    const written = (manifest.stacks as { name: string }[]).filter((entry) =>
      existsSync(join(set, `${entry.name}.json`)),
    );
    assert.ok(written.length > 1, 'the set has stack files');
    for (const entry of written) {
      assert.deepEqual(validateStackResult(read(`${entry.name}.json`)), [], entry.name);
    }
  });

  test('a fault deep in a window is named by its path, with what is valid', () => {
    const doc = read('prefork-rr.json');
    doc.runs[2].windows[0].load.cycles = [];
    doc.runs[1].windows[1].balance.workers[0].cpuMs = 'lots';
    delete doc.runs[0].lifecycle.killed;
    doc.runs[0].windows[0].connection = 'sometimes';
    assert.deepEqual(validateStackResult(doc), [
      'stack.runs[0].lifecycle.killed: missing; expected true or false',
      'stack.runs[0].windows[0].connection: expected one of "keep-alive", "close", got "sometimes"',
      'stack.runs[1].windows[1].balance.workers[0].cpuMs: expected a finite number, got "lots"',
      'stack.runs[2].windows[0].load.cycles: expected exactly one cycle',
    ]);
  });

  test('a wrong type of a whole record, and a non-finite number, are refused', () => {
    const manifest = read('manifest.json');
    manifest.host = 'vm';
    manifest.method.seed = Number.NaN;
    manifest.profile.settings.cycles = [10, '20'];
    assert.deepEqual(validateManifest(manifest), [
      'manifest.profile.settings.cycles[1]: expected a finite number, got "20"',
      'manifest.host: expected an object, got "vm"',
      'manifest.method.seed: expected a finite number, got null',
    ]);
    assert.deepEqual(validateManifest([]), ['manifest: expected an object, got an array']);
  });

  test('the driver ceiling: optional, and checked field by field when present', () => {
    const manifest = read('manifest.json');
    assert.equal(manifest.driverCeiling, undefined, 'a set from before the ceiling');
    const host = {
      host: 'local',
      perThreadRps: 21587.3,
      rps: 21587.3,
      threads: 1,
      connectionsPerThread: 64,
      durationS: 1.5,
      serverProcesses: 1,
      driverCpuPercent: 99,
      maxEventLoopUtilization: 1,
      hostCpuBusyPercent: 98,
      at: '2026-12-04T16:16:04.600Z',
    };
    manifest.driverCeiling = { boundPct: 70, hosts: [host] };
    assert.deepEqual(validateManifest(manifest), []);
    manifest.driverCeiling.hosts = [{ ...host, perThreadRps: 'fast' }];
    assert.deepEqual(validateManifest(manifest), [
      'manifest.driverCeiling.hosts[0].perThreadRps: expected a finite number, got "fast"',
    ]);
  });
});
