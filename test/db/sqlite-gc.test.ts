import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

test('SQLite statements collected by an idle-time GC do not abort the process', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sqlite-gc-'));
  try {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'sqlite-gc.ts'), join(folder, 'db.sqlite')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(child.signal, null, `the process was killed by ${child.signal}: ${child.stderr.slice(0, 400)}`);
    assert.equal(child.status, 0, child.stderr.slice(0, 400));
    assert.match(child.stdout, /survived/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
