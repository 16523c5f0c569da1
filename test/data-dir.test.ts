import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { filesUnder, signUp, startApp, uploadAnswerVideo } from './helpers.ts';

// The usual umask, so that the modes checked below come from the server and not from this process.
process.umask(0o022);

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

async function scratch(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'ip-data-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  return base;
}

test('the data folder, the database, the JWT secret and uploads are readable by their owner only', async (t) => {
  const dataDir = join(await scratch(t), 'data');
  const database = join(dataDir, 'interview_app.db');
  const { api } = await startApp(t, 'sqlite', { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${database}` });
  const user = await signUp(api);
  const uploaded = await uploadAnswerVideo(api, user);

  const video = join(dataDir, uploaded.body.file_path);
  const folders = [
    dataDir,
    join(dataDir, 'uploads'),
    join(dataDir, 'uploads', user.id),
    join(dataDir, 'uploads', user.id, 'videos'),
    join(dataDir, 'tmp'),
  ];
  const files = [database, `${database}-wal`, `${database}-shm`, join(dataDir, 'jwt-secret'), video];
  for (const folder of folders) assert.equal(await modeOf(folder), 0o700, folder);
  for (const file of files) assert.equal(await modeOf(file), 0o600, file);
});

test('temporary files a crash left behind are removed at start', async (t) => {
  const first = await startApp(t, 'sqlite');
  await first.close();
  const leftovers = join(first.dataDir, 'tmp');
  await mkdir(leftovers, { recursive: true });
  await writeFile(join(leftovers, 'a-crashed-upload'), 'partial');
  await writeFile(join(leftovers, 'a-crashed-upload.seekable.webm'), 'partial');
  // Older than any upload or analysis lasts (the defaults: 4000 s of upload, 2700 s of analysis).
  const old = new Date(Date.now() - 2 * 3600_000);
  for (const name of ['a-crashed-upload', 'a-crashed-upload.seekable.webm'])
    await utimes(join(leftovers, name), old, old);
  // Another process sharing the data folder may be receiving this one right now: it stays.
  await writeFile(join(leftovers, 'an-upload-in-progress'), 'partial');
  const second = await startApp(t, 'sqlite', {}, first);
  assert.deepEqual(await filesUnder(leftovers), ['an-upload-in-progress']);
  assert.equal((await second.api.get('/health')).status, 200);
});

test('a read-only database stops the server at start with one line naming the problem', async (t) => {
  const dataDir = await scratch(t);
  const database = join(dataDir, 'interview_app.db');
  const { db } = openDatabase(`sqlite:${database}`);
  await migrateToLatest(db);
  await db.destroy();
  await rm(`${database}-wal`, { force: true });
  await rm(`${database}-shm`, { force: true });
  await chmod(database, 0o400);

  // Root writes to any file: as root the server runs without the capabilities that override file
  // modes (it stays root, so it can still reach a Node or a checkout under /root).
  const asRoot = process.getuid?.() === 0;
  const node = [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const command = asRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner', ...node] : node;
  const server = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(48), PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => server.on('close', resolve));
  assert.equal(code, 1, stderr);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, /^Cannot use the database sqlite:.*interview_app\.db: attempt to write a readonly database$/);
});
