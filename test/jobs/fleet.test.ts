// Scale-out with REDIS_URL: API servers and analysis workers as separate processes on PostgreSQL and
// Redis (BullMQ), with their files in a bucket of a local S3 server (each process with a data folder of
// its own, as on separate machines). A job uploaded through one server is run by a worker and followed
// through another server; a worker killed mid-job loses nothing; Redis going away refuses new analyses
// with 503 and loses no queued job when it comes back.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import { faceWorkerPool } from '../../src/analysis/face-pool.ts';
import { analyze } from '../../src/analysis/pipeline.ts';
import { CONTEXT, TALKING_MALE } from '../analysis/media-helpers.ts';
import { client, DIALECTS, freshDatabase, signUp, uploadAnswerVideo, type Api, type TestUser } from '../helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Function declarations below are hoisted: redisAnswers is the one Redis probe of this file.
const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp && process.env.CI) throw new Error(`Redis is required on CI but ${REDIS_URL} does not answer`);
const postgres = DIALECTS.find((dialect) => dialect.name === 'postgres')!;
const skip = !redisUp ? `Redis not reachable at ${REDIS_URL}` : postgres.skip;

interface Fleet {
  env: Record<string, string>;
  dataDir: string;
}

/** A data folder, a PostgreSQL database and a Redis key prefix of the test's own, removed after it. */
async function fleet(t: TestContext, redisUrl = REDIS_URL): Promise<Fleet> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ip-fleet-'));
  const database = await freshDatabase('postgres', dataDir);
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  t.after(async () => {
    // The servers and workers first: their connections would hold the database.
    await stopProcesses();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${prefix}:*`).catch(() => []);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    JWT_SECRET: 'x'.repeat(48),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    JOB_STALL_SEC: '2',
    STT_ENGINE: 'none',
    FACE_WORKERS: '1',
    ANALYSIS_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
  };
  return { env, dataDir };
}

const BUCKET = 'fleet';
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

/**
 * A local S3 server with the bucket; the settings that put a process's files there, with a data folder
 * of the process's own (for temporary files only); and the keys in the bucket.
 */
async function bucket(t: TestContext) {
  const directory = await mkdtemp(join(tmpdir(), 'ip-fleet-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  // s3rver's own credentials, read by the AWS SDK from the environment as in production.
  const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: credentials.AWS_ACCESS_KEY_ID,
      secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY,
    },
  });
  const dataDirs: string[] = [];
  t.after(async () => {
    client.destroy();
    await server.close();
    for (const dir of [directory, ...dataDirs]) await rm(dir, { recursive: true, force: true });
  });
  return {
    /** The settings of one process: the bucket, and a data folder of its own. */
    async env(): Promise<Record<string, string>> {
      const dataDir = await mkdtemp(join(tmpdir(), 'ip-fleet-node-'));
      dataDirs.push(dataDir);
      return { STORAGE_URL: `s3://${BUCKET}`, S3_ENDPOINT: endpoint, ...credentials, DATA_DIR: dataDir };
    },
    async keys(): Promise<string[]> {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    },
  };
}

interface Proc {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the first output line that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** The servers and workers still running (the tests of this file run one at a time). */
const running = new Set<ChildProcess>();

async function stopProcesses(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      return exited;
    }),
  );
}

function start(t: TestContext, entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = output.split('\n').find((candidate) => pattern.test(candidate));
        if (line) return line;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${output}`);
        if (child.exitCode !== null) throw new Error(`${entry} exited (${child.exitCode}):\n${output}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    },
  };
}

async function apiServer(t: TestContext, env: Record<string, string>): Promise<{ api: Api; proc: Proc }> {
  const proc = start(t, 'src/main.ts', env);
  const line = await proc.waitFor(/Server listening at http:\/\/127\.0\.0\.1:\d+/);
  return { api: client(/(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!), proc };
}

async function worker(t: TestContext, env: Record<string, string>): Promise<Proc> {
  const proc = start(t, 'src/cli/worker.ts', env);
  await proc.waitFor(/analysis worker ready/);
  return proc;
}

const uploadAnswer = async (api: Api, user: TestUser): Promise<string> =>
  (await uploadAnswerVideo(api, user)).body.video_id;

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(200);
  }
}

/** The job, once `ready` says so of it. */
function jobWhen(api: Api, jobId: string, token: string, what: string, ready: (job: any) => boolean): Promise<any> {
  return until(`job ${jobId}: ${what}`, async () => {
    const job = (await api.get(`/api/video/jobs/${jobId}`, token)).body;
    return ready(job) ? job : undefined;
  });
}

/** Reads a job's event stream to its end. */
async function eventsOf(api: Api, jobId: string, token: string): Promise<Array<{ event: string; data: any }>> {
  const response = await fetch(`${api.baseUrl}/api/video/jobs/${jobId}/events`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)![1]!,
      data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!),
    }));
}

describe('scale-out: API servers and workers on PostgreSQL and Redis', { skip }, () => {
  test('uploaded through one server, run by a worker, followed and read through another: the same results as run directly', async (t) => {
    const { env } = await fleet(t);
    const files = await bucket(t);
    const [first, second] = [
      await apiServer(t, { ...env, ...(await files.env()) }),
      await apiServer(t, { ...env, ...(await files.env()) }),
    ];
    await Promise.all([worker(t, { ...env, ...(await files.env()) }), worker(t, { ...env, ...(await files.env()) })]);
    const user = await signUp(first.api);
    const videoId = await uploadAnswer(first.api, user);
    assert.deepEqual(
      (await files.keys()).map((key) => key.replace(/[0-9a-f-]{36}/g, 'ID')),
      ['uploads/ID/videos/ID.mp4'],
      'the upload is in the bucket',
    );

    const started = await first.api.post(`/api/video/analyze/${videoId}?async=true`, undefined, user.token);
    assert.equal(started.status, 202, started.text);
    const events = await eventsOf(second.api, started.body.job_id, user.token);
    assert.equal(events.at(-1)!.event, 'end');
    assert.equal(events.at(-1)!.data.status, 'succeeded');
    assert.ok(
      events.some((e) => e.data.status === 'running' && e.data.progress > 0 && e.data.progress < 1),
      'progress came through the other server',
    );

    const results = (await second.api.get(`/api/video/results/${videoId}`, user.token)).body;
    const pool = faceWorkerPool(1);
    t.after(() => pool.close());
    const direct = await analyze(TALKING_MALE, CONTEXT, { facePool: pool });
    for (const key of ['center_gaze_ratio', 'smile_ratio', 'nod_count', 'primary_emotion', 'blink_count'] as const)
      assert.deepEqual(results.metrics[key], direct.metrics[key], key);
    // The synchronous call works through either server too, and shares nothing with the job above.
    const again = await second.api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.metrics.center_gaze_ratio, direct.metrics.center_gaze_ratio);
  });

  test('a worker killed mid-analysis: another one finishes the job, on its second attempt, with one set of results', async (t) => {
    const { env } = await fleet(t);
    const files = await bucket(t);
    const { api } = await apiServer(t, { ...env, ...(await files.env()) });
    const workers = [
      await worker(t, { ...env, ...(await files.env()) }),
      await worker(t, { ...env, ...(await files.env()) }),
    ];
    const user = await signUp(api);
    const videoId = await uploadAnswer(api, user);
    const started = await api.post(`/api/video/analyze/${videoId}?async=true`, undefined, user.token);
    const jobId: string = started.body.job_id;

    await jobWhen(api, jobId, user.token, 'it is under way', (job) => job.status === 'running' && job.progress > 0.1);
    const running = workers.find((w) => w.output().includes(jobId))!;
    const other = workers.find((w) => w !== running)!;
    running.child.kill('SIGKILL');

    const done = await jobWhen(
      api,
      jobId,
      user.token,
      'it ends',
      (job) => job.status === 'succeeded' || job.status === 'failed',
    );
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.match(other.output(), new RegExp(`"jobId":"${jobId}","attempt":2`));
    const results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
    assert.equal(results.analysis.attempts, 2);
    assert.equal(typeof results.metrics.center_gaze_ratio, 'number');
    const pg = await import('pg');
    const db = new pg.default.Client(env.DATABASE_URL);
    await db.connect();
    const { rows } = await db.query('SELECT count(*)::int AS n FROM nonverbal_metrics WHERE video_id = $1', [videoId]);
    await db.end();
    assert.equal(rows[0].n, 1);
  });

  test('a worker stopped with SIGTERM mid-analysis puts the job back without spending an attempt', async (t) => {
    const { env } = await fleet(t);
    const { api } = await apiServer(t, env);
    const first = await worker(t, env);
    const user = await signUp(api);
    const videoId = await uploadAnswer(api, user);
    const started = await api.post(`/api/video/analyze/${videoId}?async=true`, undefined, user.token);
    const jobId: string = started.body.job_id;
    await jobWhen(api, jobId, user.token, 'it is under way', (job) => job.status === 'running' && job.progress > 0.1);
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const waiting = (await api.get(`/api/video/jobs/${jobId}`, user.token)).body;
    assert.deepEqual([waiting.status, waiting.attempts], ['queued', 0]);

    const second = await worker(t, env);
    const done = await jobWhen(
      api,
      jobId,
      user.token,
      'it ends',
      (job) => job.status === 'succeeded' || job.status === 'failed',
    );
    assert.deepEqual([done.status, done.attempts], ['succeeded', 1]);
    assert.match(second.output(), new RegExp(`"jobId":"${jobId}","attempt":1`));
  });

  test('login and sign-up limits are counted in Redis, so they hold across API servers', async (t) => {
    const { env } = await fleet(t);
    const servers = [(await apiServer(t, env)).api, (await apiServer(t, env)).api];
    const user = await signUp(servers[0]!);
    // 10 attempts a minute per address and account (signUp logged in once): alternating the servers
    // gains nothing.
    for (let i = 0; i < 9; i++) {
      const reply = await servers[i % 2]!.post('/api/users/login', { email: user.email, password: 'wrong password' });
      assert.equal(reply.status, 401, `attempt ${i + 1}`);
    }
    for (const api of servers) {
      const limited = await api.post('/api/users/login', { email: user.email, password: user.password });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    }
    // 20 sign-ups an hour per address, over both servers (one made above).
    for (let i = 1; i < 20; i++) {
      const reply = await servers[i % 2]!.post('/api/users/', {
        email: `limit${i}-${randomBytes(3).toString('hex')}@example.com`,
        password: 'long enough password',
        name: 'n',
      });
      assert.equal(reply.status, 201, `sign-up ${i + 1}`);
    }
    const refused = await servers[0]!.post('/api/users/', {
      email: 'one-more@example.com',
      password: 'long enough password',
      name: 'n',
    });
    assert.equal(refused.status, 429);
  });

  test('Redis away: new analyses get 503 and nothing is recorded; back (empty): queued jobs run, new ones are taken', async (t) => {
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    const redis = startRedis(t, port);
    await waitForRedis(redisUrl);
    const { env } = await fleet(t, redisUrl);
    const { api } = await apiServer(t, env);
    const user = await signUp(api);
    const [queuedVideo, laterVideo] = [await uploadAnswer(api, user), await uploadAnswer(api, user)];
    // Queued while no worker runs, so it is still waiting in Redis when Redis goes.
    const queued = await api.post(`/api/video/analyze/${queuedVideo}?async=true`, undefined, user.token);
    assert.equal(queued.status, 202, queued.text);

    redis.kill('SIGKILL');
    await until('Redis is gone', async () => ((await redisAnswers(redisUrl)) ? undefined : true));
    const refused = await api.post(`/api/video/analyze/${laterVideo}?async=true`, undefined, user.token);
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.body.code, 'QUEUE_UNAVAILABLE');
    assert.equal((await api.get(`/api/video/results/${laterVideo}`, user.token)).body.analysis, null);
    assert.equal((await api.get('/health')).status, 200);

    startRedis(t, port); // empty: it kept nothing on disk
    await waitForRedis(redisUrl);
    await worker(t, env);
    const restored = await jobWhen(api, queued.body.job_id, user.token, 'it ran', (job) => job.status === 'succeeded');
    assert.equal(restored.attempts, 1);
    const accepted = await until('new analyses are taken again', async () => {
      const reply = await api.post(`/api/video/analyze/${laterVideo}`, undefined, user.token);
      return reply.status === 503 ? undefined : reply;
    });
    assert.equal(accepted.status, 200, accepted.text);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A Redis of the test's own, keeping nothing on disk. */
function startRedis(t: TestContext, port: number): ChildProcess {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function waitForRedis(url: string): Promise<void> {
  await until('Redis answers', async () => ((await redisAnswers(url)) ? true : undefined), 10_000);
}
