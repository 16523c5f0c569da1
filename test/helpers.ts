// Test harness: the real app on a real port, on SQLite or on PostgreSQL (each app in a database of its own).
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { buildApp, type AppDeps } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { migrateToLatest, openDatabase, type Db } from '../src/db/index.ts';
import { TALKING_MALE } from './analysis/media-helpers.ts';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers; a busy machine gets a few tries before the answer is no. */
async function postgresReachable(tries = 3): Promise<boolean> {
  for (let attempt = 1; attempt <= tries; attempt++) {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      return true;
    } catch {
      // tried again below
    } finally {
      await client.end().catch(() => {});
    }
  }
  return false;
}

const postgresUp = await postgresReachable();
if (!postgresUp && process.env.CI) {
  throw new Error(`PostgreSQL is required on CI but ${POSTGRES_URL} does not answer`);
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** Set when the dialect cannot run here (PostgreSQL down on a developer machine). */
  skip: string | false;
}

/** Every test suite of the API runs once per dialect. */
export const DIALECTS: Dialect[] = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: postgresUp ? false : `PostgreSQL not reachable at ${POSTGRES_URL}` },
];

/** PostgreSQL's "database is being accessed by other users". */
const OBJECT_IN_USE = '55006';

/**
 * A fresh database; `drop` removes it. On PostgreSQL each one is a database of its own, not a schema:
 * test files run side by side, and schemas share one catalogue, which a migration in one file could
 * read while another file dropped its schema.
 */
export async function freshDatabase(
  dialect: Dialect['name'],
  dataDir: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') return { url: `sqlite:${join(dataDir, 'test.db')}`, drop: async () => {} };
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client(POSTGRES_URL);
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      // PostgreSQL gives the database's other connections 5 s to go before it refuses: a pool that has
      // just ended is still closing its own. Cutting them at once (FORCE) would raise an error in the
      // test's process; FORCE only for connections still there after that, a killed server's say.
      try {
        await admin(`DROP DATABASE ${name}`);
      } catch (error) {
        if ((error as { code?: string }).code !== OBJECT_IN_USE) throw error;
        await admin(`DROP DATABASE ${name} WITH (FORCE)`);
      }
    },
  };
}

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Api {
  baseUrl: string;
  request<T = any>(
    method: string,
    path: string,
    options?: { json?: unknown; token?: string; body?: BodyInit; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
  get<T = any>(path: string, token?: string): Promise<Reply<T>>;
  post<T = any>(path: string, json: unknown, token?: string): Promise<Reply<T>>;
  patch<T = any>(path: string, json: unknown, token?: string): Promise<Reply<T>>;
  delete<T = any>(path: string, token?: string): Promise<Reply<T>>;
}

export interface TestApp {
  api: Api;
  db: Db;
  config: Config;
  dataDir: string;
  /** Stops the app (as a server shutdown would); cleanup still happens after the test. */
  close(): Promise<void>;
}

/**
 * Builds the app on a new data folder and database (or on another app's, to restart it), listens on
 * a free port, and cleans up after `t`. `options` are buildApp's besides the config and database.
 */
export async function startApp(
  t: TestContext,
  dialect: Dialect['name'],
  env: Record<string, string> = {},
  reuse?: Pick<TestApp, 'dataDir' | 'config'>,
  options: Omit<AppDeps, 'config' | 'db'> = {},
): Promise<TestApp> {
  const dataDir = reuse?.dataDir ?? (await mkdtemp(join(tmpdir(), 'ip-test-')));
  const database = reuse
    ? { url: reuse.config.databaseUrl, drop: async () => {} }
    : await freshDatabase(dialect, dataDir);
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    STT_ENGINE: 'none',
    ...env,
  });
  const { db } = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const app = await buildApp({ config, db, ...options });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await db.destroy().catch(() => {});
  };
  t.after(async () => {
    await close();
    if (!reuse) {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
  return { api: client(address), db, config, dataDir, close };
}

/** A client of the API at `baseUrl`. */
export function client(baseUrl: string): Api {
  const request: Api['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(baseUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as any, text };
  };
  return {
    baseUrl,
    request,
    get: (path, token) => request('GET', path, { token }),
    post: (path, json, token) => request('POST', path, { json, token }),
    patch: (path, json, token) => request('PATCH', path, { json, token }),
    delete: (path, token) => request('DELETE', path, { token }),
  };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

let userCounter = 0;
/** Signs a new user up and logs them in. */
export async function signUp(api: Api, fields: Record<string, unknown> = {}): Promise<TestUser> {
  userCounter += 1;
  const email = `user${userCounter}-${randomBytes(3).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  const created = await api.post('/api/users/', { email, password, name: `User ${userCounter}`, ...fields });
  assert.equal(created.status, 201, created.text);
  const login = await api.post('/api/users/login', { email, password });
  assert.equal(login.status, 200, login.text);
  return { id: created.body.id, email, password, token: login.body.access_token };
}

/** Asserts the one error shape, its status and its stable code. */
export function expectError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, `expected ${status} ${code}, got ${reply.status}: ${reply.text}`);
  assert.equal(reply.body.code, code, reply.text);
  assert.equal(typeof reply.body.detail, 'string');
  assert.ok(!/at .*\.ts:\d+|SELECT|INSERT/i.test(reply.text), `reply leaks internals: ${reply.text}`);
}

/** Asserts a 422 validation error naming the field. */
export function expectValidationError(reply: Reply, field: string): void {
  expectError(reply, 422, 'VALIDATION_ERROR');
  assert.ok(
    reply.body.errors.some((error: { loc: string }) => error.loc === field || error.loc.startsWith(`${field}.`)),
    `no error for ${field}: ${reply.text}`,
  );
}

/** Row counts of every table, to prove a refused request changed nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    'user',
    'portfolio',
    'job_posting',
    'interview_session',
    'interview_question',
    'interview_answer',
    'interview_video',
    'interview_transcript',
    'nonverbal_metrics',
    'nonverbal_timeline',
    'feedback',
    'analysis_job',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** Every file under a folder, relative paths, sorted (missing folder → none). */
export async function filesUnder(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** An HS256 JWT made by hand, independent of the server's JWT library. */
export function handMadeJwt(payload: Record<string, unknown>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/**
 * The 5 s talking-head answer (or `file`) uploaded to a new session with one question, or to
 * `to`'s question (another attempt at it): the upload's reply.
 */
export async function uploadAnswerVideo(
  api: Api,
  user: TestUser,
  to?: { sessionId: string; questionId: string },
  file = TALKING_MALE,
): Promise<Reply> {
  let target = to;
  if (!target) {
    const session = (await api.post('/api/interviews/sessions', { title: 'answer' }, user.token)).body;
    const question = (await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Q' }, user.token))
      .body;
    target = { sessionId: session.id, questionId: question.id };
  }
  const form = new FormData();
  form.append('session_id', target.sessionId);
  form.append('question_id', target.questionId);
  form.append('file', new Blob([await readFile(file)]), 'answer.mp4');
  const uploaded = await api.request('POST', '/api/video/upload', { body: form, token: user.token });
  assert.equal(uploaded.status, 200, uploaded.text);
  return uploaded;
}
