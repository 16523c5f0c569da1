// The embedded job queue on its own, on SQLite and PostgreSQL, with a runner the test drives by hand:
// how many jobs run at once, whose job runs next, following a job, deletion, failure kinds, progress.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AnalysisResult, ProgressListener, Stage } from '../../src/analysis/pipeline.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/index.ts';
import { JobProgress } from '../../src/jobs/progress.ts';
import {
  isLastEvent,
  JobQueue,
  type Job,
  type JobEvent,
  type JobHooks,
  type JobQueueOptions,
} from '../../src/jobs/queue.ts';
import { AnalysisFailed, type Runner } from '../../src/jobs/runner.ts';
import { DIALECTS, freshDatabase, type Dialect } from '../helpers.ts';

/** The queue only hands results to its save hook, which here ignores them. */
const RESULT = {} as AnalysisResult;

interface Run {
  videoId: string;
  signal: AbortSignal;
  onProgress: ProgressListener;
  finish(): void;
  fail(error: Error): void;
}

/** Analyses that last until the test ends them; remembers what ran, and how many at once. */
class HandRunner implements Runner {
  readonly runs: Run[] = [];
  running = 0;
  mostAtOnce = 0;
  private waiters: Array<(run: Run) => void> = [];

  run(file: string, onProgress: ProgressListener, signal: AbortSignal): Promise<AnalysisResult> {
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    return new Promise<AnalysisResult>((resolve, reject) => {
      const run: Run = { videoId: file, signal, onProgress, finish: () => resolve(RESULT), fail: reject };
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      this.runs.push(run);
      this.waiters.shift()?.(run);
    }).finally(() => {
      this.running -= 1;
    });
  }

  /** The run with this index (0 = the first ever started), once it has started. */
  async started(index: number): Promise<Run> {
    while (this.runs.length <= index) await new Promise<Run>((resolve) => this.waiters.push(resolve));
    return this.runs[index]!;
  }

  async close(): Promise<void> {}
}

interface Logged {
  level: 'error' | 'warn';
  details: Record<string, unknown>;
  message: string;
}

async function setUp(t: TestContext, dialect: Dialect['name'], options: Partial<JobQueueOptions> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ip-jobs-'));
  const database = await freshDatabase(dialect, dataDir);
  const { db } = openDatabase(database.url);
  await migrateToLatest(db);
  const runner = new HandRunner();
  const logged: Logged[] = [];
  const hooks: JobHooks = {
    fileOf: async (videoId) => ({ path: videoId, release: async () => {} }),
    save: async (job, _result, finishedAt) => {
      await db
        .updateTable('analysis_job')
        .set({ status: 'succeeded', stage: 'done', progress: 1, finished_at: finishedAt })
        .where('id', '=', job.id)
        .execute();
    },
    log: {
      error: (details, message) => logged.push({ level: 'error', details, message }),
      warn: (details, message) => logged.push({ level: 'warn', details, message }),
    },
  };
  const queue = new JobQueue(db, runner, hooks, { concurrency: 1, timeoutSec: 3600, ...options });
  t.after(async () => {
    await queue.stop();
    await db.destroy();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  await queue.start();
  return { db, queue, runner, logged };
}

/** A user with one session and question, and `count` videos of theirs. */
async function userWithVideos(db: Db, count: number): Promise<{ userId: string; videoIds: string[] }> {
  const now = new Date().toISOString();
  const userId = randomUUID();
  const sessionId = randomUUID();
  const questionId = randomUUID();
  await db
    .insertInto('user')
    .values({
      id: userId,
      email: `${userId}@example.com`,
      password_hash: 'x',
      name: 'U',
      role: null,
      level: null,
      github_username: null,
      github_token: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('interview_session')
    .values({
      id: sessionId,
      user_id: userId,
      portfolio_id: null,
      job_posting_id: null,
      title: null,
      status: 'in_progress',
      completed_at: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('interview_question')
    .values({
      id: questionId,
      session_id: sessionId,
      order: 1,
      text: 'Q',
      type: 'general',
      source: 'user',
      parent_question_id: null,
      created_at: now,
    })
    .execute();
  const videoIds = Array.from({ length: count }, () => randomUUID());
  for (const id of videoIds) {
    await db
      .insertInto('interview_video')
      .values({
        id,
        user_id: userId,
        session_id: sessionId,
        question_id: questionId,
        video_url: `${id}.mp4`,
        audio_url: null,
        duration_sec: 5,
        created_at: now,
      })
      .execute();
  }
  return { userId, videoIds };
}

/** Every event of a job, from now until its last. */
async function eventsOf(queue: JobQueue, job: Job): Promise<{ events: JobEvent[]; ended: Promise<JobEvent[]> }> {
  const events: JobEvent[] = [];
  let done!: (events: JobEvent[]) => void;
  const ended = new Promise<JobEvent[]>((resolve) => (done = resolve));
  await queue.follow(job, (event) => {
    events.push(event);
    if (isLastEvent(event)) done(events);
  });
  return { events, ended };
}

for (const dialect of DIALECTS) {
  describe(`job queue (${dialect.name})`, { skip: dialect.skip }, () => {
    test('jobs queued all at once still run one at a time with a concurrency of 1', async (t) => {
      const { db, queue, runner } = await setUp(t, dialect.name);
      const alice = await userWithVideos(db, 3);
      const bob = await userWithVideos(db, 3);
      const jobs = await Promise.all([
        ...alice.videoIds.map((id) => queue.enqueue(id, alice.userId, 'ko')),
        ...bob.videoIds.map((id) => queue.enqueue(id, bob.userId, 'ko')),
      ]);
      for (let i = 0; i < jobs.length; i++) {
        const run = await runner.started(i);
        await nextTurn(); // let any other loop claim as well, should one be able to
        assert.equal(runner.running, 1, `${runner.running} analyses at once`);
        run.finish();
      }
      for (const { job } of jobs) assert.equal((await queue.waitFor(job))?.status, 'succeeded');
      assert.equal(runner.mostAtOnce, 1);
    });

    test("one user's queued jobs take turns with another user's instead of going first", async (t) => {
      const { db, queue, runner } = await setUp(t, dialect.name);
      const alice = await userWithVideos(db, 3);
      const bob = await userWithVideos(db, 1);
      for (const id of alice.videoIds) await queue.enqueue(id, alice.userId, 'ko');
      await queue.enqueue(bob.videoIds[0]!, bob.userId, 'ko');
      const order: string[] = [];
      for (let i = 0; i < 4; i++) {
        const run = await runner.started(i);
        order.push(bob.videoIds.includes(run.videoId) ? 'bob' : 'alice');
        run.finish();
      }
      assert.deepEqual(order, ['alice', 'bob', 'alice', 'alice']);
    });

    test('following a job hears its end even when it ends while the job is being read', async (t) => {
      const { db, queue, runner } = await setUp(t, dialect.name);
      const { userId, videoIds } = await userWithVideos(db, 1);
      const { job } = await queue.enqueue(videoIds[0]!, userId, 'ko');
      const run = await runner.started(0);
      // The job ends after its row was read as running, before the read returns.
      const racing = Object.create(queue) as JobQueue;
      racing.get = async (jobId) => {
        const row = await queue.get(jobId);
        const { ended } = await eventsOf(queue, job);
        run.finish();
        await ended;
        return row;
      };
      const heard: JobEvent[] = [];
      await racing.follow(job, (event) => heard.push(event));
      assert.equal(heard.at(-1)?.status, 'succeeded', JSON.stringify(heard));
    });

    test('deleting a video stops its running job, and ends whoever waits for it or for a queued one', async (t) => {
      const { db, queue, runner, logged } = await setUp(t, dialect.name);
      const alice = await userWithVideos(db, 2);
      const bob = await userWithVideos(db, 1);
      const [running, queued] = [
        (await queue.enqueue(alice.videoIds[0]!, alice.userId, 'ko')).job,
        (await queue.enqueue(alice.videoIds[1]!, alice.userId, 'ko')).job,
      ];
      const bobs = (await queue.enqueue(bob.videoIds[0]!, bob.userId, 'ko')).job;
      const first = await runner.started(0);
      const waits = [running, queued, bobs].map((job) => queue.waitFor(job));
      const followed = await eventsOf(queue, running);

      await db.deleteFrom('interview_video').where('id', '=', queued.video_id).execute();
      queue.videoDeleted(queued.video_id);
      assert.equal(await waits[1], undefined);

      await db.deleteFrom('interview_video').where('id', '=', running.video_id).execute();
      queue.videoDeleted(running.video_id);
      assert.equal(first.signal.aborted, true, 'the running analysis was stopped');
      assert.equal(await waits[0], undefined);
      assert.deepEqual((await followed.ended).at(-1), { status: 'deleted' });

      // Bob's job runs next; deleting bob stops it too.
      const second = await runner.started(1);
      assert.equal(second.videoId, bobs.video_id);
      await db.deleteFrom('user').where('id', '=', bob.userId).execute();
      queue.userDeleted(bob.userId);
      assert.equal(second.signal.aborted, true);
      assert.equal(await waits[2], undefined);
      assert.equal(runner.runs.length, 2, 'the deleted queued job never ran');
      assert.deepEqual(logged, []);
      assert.deepEqual(await queue.depth(), { queued: 0, running: 0 });
    });

    test("failures keep their kind: the file's (media), ours (internal, logged with its stack)", async (t) => {
      const { db, queue, runner, logged } = await setUp(t, dialect.name);
      const { userId, videoIds } = await userWithVideos(db, 2);
      const media = (await queue.enqueue(videoIds[0]!, userId, 'ko')).job;
      (await runner.started(0)).fail(new AnalysisFailed('Not a readable media file: Invalid data found', 'media'));
      const failed = await queue.waitFor(media);
      assert.deepEqual(
        [failed?.status, failed?.error_kind, failed?.error],
        ['failed', 'media', 'Not a readable media file: Invalid data found'],
      );
      assert.equal(logged.length, 0, 'a bad file is not our fault: nothing logged');

      const ours = (await queue.enqueue(videoIds[1]!, userId, 'ko')).job;
      const crash = new TypeError("Cannot read properties of undefined (reading 'length')");
      (await runner.started(1)).fail(crash);
      const crashed = await queue.waitFor(ours);
      assert.deepEqual([crashed?.status, crashed?.error_kind], ['failed', 'internal']);
      assert.equal(logged.length, 1);
      assert.equal(logged[0]!.level, 'error');
      assert.equal(logged[0]!.details.err, crash, 'logged with the error itself, stack included');
    });

    test('a job still running at its time limit is stopped and fails as a timeout', async (t) => {
      const { db, queue, runner, logged } = await setUp(t, dialect.name, { timeoutSec: 0.05 });
      const { userId, videoIds } = await userWithVideos(db, 1);
      const { job } = await queue.enqueue(videoIds[0]!, userId, 'ko');
      const run = await runner.started(0); // and never finished
      // AbortSignal.timeout's timer does not keep the process alive, and a hand-driven runner has
      // nothing else pending: without this, Node 22's test runner ends the test as abandoned.
      const keepAlive = setInterval(() => {}, 1000);
      t.after(() => clearInterval(keepAlive));
      const failed = await queue.waitFor(job);
      assert.equal(run.signal.aborted, true, 'the analysis was stopped');
      assert.deepEqual(
        [failed?.status, failed?.error_kind, failed?.error],
        ['failed', 'timeout', 'The analysis took longer than the limit of 0.05 s'],
      );
      assert.deepEqual(
        logged.map((entry) => entry.level),
        ['warn'],
      );
    });
  });
}

test('progress with the speech stage beside the face stage never goes back, and says what is running', () => {
  const progress = new JobProgress();
  const reports: Array<[Stage, number]> = [
    ['probe', 0],
    ['speech', 0],
    ['face', 0],
    ['face', 0.2],
    ['face', 0.5],
    ['speech', 1],
    ['face', 0.6],
    ['face', 1],
    ['metrics', 0],
    ['done', 1],
  ];
  const seen = reports.map(([stage, value]) => progress.update({ stage, progress: value }));
  const values = seen.map((step) => step.progress);
  assert.ok(
    values.every((value, i) => i === 0 || value >= values[i - 1]!),
    values.join(' '),
  );
  assert.deepEqual([values[0], values.at(-1)], [0, 1]);
  assert.deepEqual(
    seen.map((step) => step.stage),
    ['probe', 'face', 'face', 'face', 'face', 'face', 'face', 'face', 'metrics', 'done'],
  );

  // Transcription still running after the faces are done: the stage shown is speech.
  const slowSpeech = new JobProgress();
  for (const [stage, value] of [
    ['probe', 0],
    ['speech', 0],
    ['face', 0.5],
    ['face', 1],
  ] as Array<[Stage, number]>) {
    slowSpeech.update({ stage, progress: value });
  }
  assert.equal(slowSpeech.update({ stage: 'face', progress: 1 }).stage, 'speech');
});
