import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';

async function scratch(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'ip-data-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  return base;
}

test('a read-only database stops the server at start with one line naming the problem', async (t) => {
  const dataDir = await scratch(t);
  const database = join(dataDir, 'interview_app.db');
  const { db } = openDatabase(`sqlite:${database}`);
  await migrateToLatest(db);
  await db.destroy();
  await rm(`${database}-wal`, { force: true });
  await rm(`${database}-shm`, { force: true });
  // Root writes to any file, so as root the server runs as nobody, who owns the (read-only) files.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await chown(dataDir, 65534, 65534);
    await chown(database, 65534, 65534);
  }
  await chmod(database, 0o400);

  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(48), PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => server.on('close', resolve));
  assert.equal(code, 1, stderr);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, /^Cannot use the database sqlite:.*interview_app\.db: attempt to write a readonly database$/);
});
