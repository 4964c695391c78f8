import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The Python 3 port served by the gunicorn reference stack (packages/app/python/bench_app.py).
const pythonDir = join(import.meta.dirname, '..', '..', 'python');
const hasPython = spawnSync('python3', ['--version']).status === 0;

function runPython(code: string, env: Record<string, string>) {
  return spawnSync('python3', ['-c', code], {
    cwd: pythonDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const callApp = `
import bench_app
seen = []
body = b"".join(bench_app.bench_app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda s, h: seen.append((s, h))))
print(seen[0][0]); print(dict(seen[0][1])["Content-Type"]); print(body.decode())
`;

describe('the Python port of the bench app', { skip: !hasPython && 'python3 not on PATH' }, () => {
  it('answers 200 text/plain with the elapsed seconds, honours the sleep, removes its temp file', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bench-py-'));
    try {
      const result = runPython(callApp, {
        TMPDIR: scratch,
        STACKBENCH_SLEEP_MS: '50',
        STACKBENCH_WRITES: '300',
      });
      assert.equal(result.status, 0, result.stderr);
      const [status, type, body] = result.stdout.trim().split('\n');
      assert.equal(status, '200 OK');
      assert.equal(type, 'text/plain');
      assert.match(body ?? '', /^\d+\.\d{4}$/);
      assert.ok(Number(body) >= 0.05);
      assert.deepEqual(readdirSync(scratch), []);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('computes the same CPU chain as the JavaScript app', () => {
    const result = runPython('import bench_app; print(bench_app.cpu_step(1000))', {});
    assert.equal(result.status, 0, result.stderr);
    // Both start from a zero sink in a fresh process; JS ints are signed 32-bit. (A plain write:
    // under nx, FORCE_COLOR makes console.log colour numbers.)
    const fresh = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { cpuStep } from ${JSON.stringify(new URL('../src/cpu-step.js', import.meta.url).href)}; process.stdout.write(String(cpuStep(1000) >>> 0))`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.equal(result.stdout.trim(), fresh.stdout.trim());
  });

  it('refuses a bad parameter at import, naming the variable', () => {
    const result = runPython('import bench_app', { STACKBENCH_WRITES: '-3' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /STACKBENCH_WRITES='-3' is not valid/);
  });
});
