// PostgreSQL ending the server's idle connections (a restart, a failover, an administrator) loses
// nothing: the pool drops them and opens new ones, and the process goes on answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DIALECTS, POSTGRES_URL, signUp, startApp } from '../helpers.ts';

const postgres = DIALECTS.find((dialect) => dialect.name === 'postgres')!;

test(
  'idle connections ended by PostgreSQL are replaced, and the server answers on',
  { skip: postgres.skip },
  async (t) => {
    const { api, config } = await startApp(t, 'postgres');
    const user = await signUp(api); // the pool now holds idle connections
    const database = new URL(config.databaseUrl).pathname.slice(1);

    const admin = new pg.Client(POSTGRES_URL);
    await admin.connect();
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    await admin.end();
    assert.ok(rows.length > 0, 'the server held no connection to end');
    await sleep(200); // the pool hears of it

    assert.equal((await api.get('/health')).status, 200);
    const me = await api.get('/api/users/me', user.token);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.id, user.id);
  },
);
