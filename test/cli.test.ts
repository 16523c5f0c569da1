import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase } from '../src/db/index.ts';

const run = promisify(execFile);
const TSX = join('node_modules', '.bin', 'tsx');

async function cli(script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(TSX, [script, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('db init migrates, db drop refuses without --yes, drops with it; demo-data prints a working login', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ip-cli-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir };
  const tableCount = async () => {
    const { db } = openDatabase(`sqlite:${join(dataDir, 'interview_app.db')}`);
    try {
      return (await db.introspection.getTables()).length;
    } finally {
      await db.destroy();
    }
  };

  const init = await cli('src/cli/db.ts', ['init'], env);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /sqlite: applied 001_initial/);
  assert.equal(await tableCount(), 11);
  assert.match((await cli('src/cli/db.ts', ['init'], env)).stdout, /already up to date/);

  const refused = await cli('src/cli/db.ts', ['drop'], env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  assert.equal(await tableCount(), 11);

  const demo = await cli('src/cli/demo-data.ts', [], env);
  assert.equal(demo.code, 0, demo.stderr);
  const printed = JSON.parse(demo.stdout);
  for (const key of ['user_id', 'session_id', 'question_id', 'email', 'password', 'access_token']) {
    assert.equal(typeof printed[key], 'string', key);
  }
  const { db } = openDatabase(`sqlite:${join(dataDir, 'interview_app.db')}`);
  const question = await db.selectFrom('interview_question').selectAll().where('id', '=', printed.question_id).executeTakeFirstOrThrow();
  const session = await db.selectFrom('interview_session').selectAll().where('id', '=', question.session_id).executeTakeFirstOrThrow();
  assert.equal(session.id, printed.session_id);
  assert.equal(session.user_id, printed.user_id);
  await db.destroy();

  const dropped = await cli('src/cli/db.ts', ['drop', '--yes'], env);
  assert.equal(dropped.code, 0, dropped.stderr);
  assert.equal(await tableCount(), 0);
});

test('the server refuses to start on a bad setting and names it', async () => {
  const result = await cli('src/main.ts', [], { PORT: 'abc', DATA_DIR: join(tmpdir(), 'ip-never') });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Invalid PORT/);
});
