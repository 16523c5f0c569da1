// Scale-out: one API server with REDIS_URL on PostgreSQL, then 1 and 2 analysis worker processes
// (`npm run worker`). For each: a burst of 8 uploads analysed, analyses completed per minute, and the
// API's read latency (p50/p99) during the burst. Prints figures; never fails on time.
// Needs PostgreSQL (TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test) and Redis
// (REDIS_URL or redis://127.0.0.1:6379). Usage: npm run bench:scale [-- --uploads 8]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startBenchServer } from './server.ts';

const { values } = parseArgs({ options: { uploads: { type: 'string', default: '8' } } });
const uploads = Number(values.uploads);
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const video = join('test', 'fixtures', 'video_talking_female_en_8s.mp4');

console.log(
  `bench:scale — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}; ` +
    `a burst of ${uploads} uploads of an 8 s answer (no transcription), FACE_WORKERS=1 per worker`,
);

for (const workerCount of [1, 2]) {
  const dir = await mkdtemp(join(tmpdir(), 'ip-bench-scale-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client(postgresUrl);
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const databaseUrl = new URL(postgresUrl);
  databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    STT_ENGINE: 'none',
    FACE_WORKERS: '1',
    ANALYSIS_CONCURRENCY: '1',
  };
  const server = await startBenchServer(dir, env);
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < workerCount; i++) {
      const worker = spawn(process.execPath, ['--import', 'tsx', 'src/cli/worker.ts'], {
        env: { ...process.env, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      workers.push(worker);
      await new Promise<void>((resolve) => {
        let output = '';
        worker.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('analysis worker ready')) resolve();
        });
      });
    }
    const { call } = server;
    const token = await server.signUp();
    const session = await call<{ id: string }>('POST', '/api/interviews/sessions', token, {});
    const question = await call<{ id: string }>('POST', `/api/interviews/sessions/${session.id}/questions`, token, {
      text: '자기소개',
    });
    const bytes = await readFile(video);
    const videoIds: string[] = [];
    for (let i = 0; i < uploads; i++) {
      const form = new FormData();
      form.append('session_id', session.id);
      form.append('question_id', question.id);
      form.append('file', new Blob([bytes]), 'answer.mp4');
      videoIds.push((await call<{ video_id: string }>('POST', '/api/video/upload', token, form)).video_id);
    }

    const started = performance.now();
    const jobIds = await Promise.all(
      videoIds.map(
        async (id) => (await call<{ job_id: string }>('POST', `/api/video/analyze/${id}?async=true`, token)).job_id,
      ),
    );
    // Reads go on until the burst is done (the callback form gives an instance that can be stopped).
    let readsDone: (result: autocannon.Result) => void = () => {};
    const readResult = new Promise<autocannon.Result>((resolve) => (readsDone = resolve));
    const reads = autocannon(
      {
        url: `${server.baseUrl}/api/interviews/sessions/${session.id}`,
        headers: { authorization: `Bearer ${token}` },
        connections: 10,
        duration: 3600,
      },
      (_error, result) => readsDone(result),
    );
    for (;;) {
      const jobs = await Promise.all(
        jobIds.map((id) => call<{ status: string }>('GET', `/api/video/jobs/${id}`, token)),
      );
      if (jobs.every((job) => job.status === 'succeeded' || job.status === 'failed')) {
        const failed = jobs.filter((job) => job.status === 'failed').length;
        if (failed) console.log(`  ${failed} analyses failed`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const minutes = (performance.now() - started) / 60_000;
    reads.stop();
    const latency = (await readResult).latency;
    console.log(
      `${workerCount} worker process${workerCount > 1 ? 'es' : ''}: ${uploads} analyses in ${(minutes * 60).toFixed(1)} s = ` +
        `${(uploads / minutes).toFixed(1)} analyses/min; API reads during the burst p50 ${latency.p50} ms, p99 ${latency.p99} ms`,
    );
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
    await server.stop();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}
