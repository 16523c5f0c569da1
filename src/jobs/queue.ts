// The embedded durable job queue: jobs live in the analysis_job table, an in-process loop runs them
// on the analysis threads, and a restart picks up what was queued or running.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Selectable } from 'kysely';
import type { AnalysisResult } from '../analysis/pipeline.ts';
import { isUniqueViolation, type Db } from '../db/index.ts';
import type { AnalysisJobTable } from '../db/schema.ts';
import { AnalysisFailed, type AnalysisRunner } from './runner.ts';

export type Job = Selectable<AnalysisJobTable>;

export interface JobHooks {
  /** The absolute path of the video to analyse (throws when it is gone). */
  fileOf(videoId: string): Promise<string>;
  /** Stores the results and marks the job succeeded, in one transaction. */
  save(job: Job, result: AnalysisResult, finishedAt: string): Promise<void>;
  log(message: string, details: Record<string, unknown>): void;
}

export interface JobUpdate {
  status: Job['status'];
  stage: string | null;
  progress: number;
  error: string | null;
}

/** Stopped jobs are retried on restart this many times in all. */
const MAX_ATTEMPTS = 3;
/** Progress is written to the database at most this often; listeners hear every step. */
const PROGRESS_WRITE_MS = 500;

export class JobQueue {
  private readonly events = new EventEmitter();
  private running = 0;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly runner: AnalysisRunner,
    private readonly concurrency: number,
    private readonly hooks: JobHooks,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Re-queues jobs a previous process left running, then starts working. */
  async start(): Promise<void> {
    await this.db.updateTable('analysis_job').set({ status: 'queued', stage: null }).where('status', '=', 'running').execute();
    void this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.runner.close();
  }

  /** The video's queued or running job, or a new one; `created` says which. */
  async enqueue(videoId: string, userId: string, language: string): Promise<{ job: Job; created: boolean }> {
    const active = await this.activeJob(videoId);
    if (active) return { job: active, created: false };
    const job: Job = {
      id: randomUUID(),
      video_id: videoId,
      user_id: userId,
      status: 'queued',
      stage: null,
      progress: 0,
      error: null,
      attempts: 0,
      language,
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
    };
    try {
      await this.db.insertInto('analysis_job').values(job).execute();
    } catch (error) {
      // Another request queued one at the same moment: join it.
      const raced = isUniqueViolation(error) ? await this.activeJob(videoId) : undefined;
      if (raced) return { job: raced, created: false };
      throw error;
    }
    void this.pump();
    return { job, created: true };
  }

  private activeJob(videoId: string): Promise<Job | undefined> {
    return this.db
      .selectFrom('analysis_job')
      .selectAll()
      .where('video_id', '=', videoId)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
  }

  get(jobId: string): Promise<Job | undefined> {
    return this.db.selectFrom('analysis_job').selectAll().where('id', '=', jobId).executeTakeFirst();
  }

  /** The video's most recent job. */
  latestFor(videoId: string): Promise<Job | undefined> {
    return this.db
      .selectFrom('analysis_job')
      .selectAll()
      .where('video_id', '=', videoId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  async depth(): Promise<{ queued: number; running: number }> {
    const rows = await this.db
      .selectFrom('analysis_job')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('status', 'in', ['queued', 'running'])
      .groupBy('status')
      .execute();
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
    return { queued: count('queued'), running: count('running') };
  }

  /** Calls `listener` with every update of the job until it ends; returns the unsubscribe function. */
  subscribe(jobId: string, listener: (update: JobUpdate) => void): () => void {
    this.events.on(jobId, listener);
    return () => this.events.off(jobId, listener);
  }

  /** Resolves with the job once it has succeeded or failed. */
  async waitFor(jobId: string): Promise<Job> {
    const ended = new Promise<void>((resolve) => {
      const unsubscribe = this.subscribe(jobId, (update) => {
        if (update.status === 'succeeded' || update.status === 'failed') {
          unsubscribe();
          resolve();
        }
      });
    });
    const now = await this.get(jobId);
    if (now && (now.status === 'queued' || now.status === 'running')) await ended;
    return (await this.get(jobId))!;
  }

  private async pump(): Promise<void> {
    while (!this.stopped && this.running < this.concurrency) {
      const job = await this.claim();
      if (!job) return;
      this.running += 1;
      void this.execute(job).finally(() => {
        this.running -= 1;
        void this.pump();
      });
    }
  }

  /** Takes the oldest queued job, unless another loop took it first. */
  private async claim(): Promise<Job | undefined> {
    for (;;) {
      const next = await this.db
        .selectFrom('analysis_job')
        .selectAll()
        .where('status', '=', 'queued')
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      if (!next) return undefined;
      const started_at = new Date().toISOString();
      const { numUpdatedRows } = await this.db
        .updateTable('analysis_job')
        .set({ status: 'running', started_at, attempts: next.attempts + 1, progress: 0, stage: 'queued' })
        .where('id', '=', next.id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (numUpdatedRows > 0n) return { ...next, status: 'running', started_at, attempts: next.attempts + 1 };
    }
  }

  private emit(job: Job, update: JobUpdate): void {
    this.events.emit(job.id, update);
  }

  private async execute(job: Job): Promise<void> {
    if (job.attempts > MAX_ATTEMPTS) return this.fail(job, `stopped ${MAX_ATTEMPTS} times before finishing`);
    let lastWrite = 0;
    try {
      const file = await this.hooks.fileOf(job.video_id);
      const result = await this.runner.run(file, ({ stage, progress }) => {
        // Progress runs through the stages: face is most of the work.
        const overall = stage === 'face' ? 0.05 + 0.85 * progress : stage === 'done' ? 1 : stage === 'metrics' ? 0.95 : 0.05 * progress;
        const update: JobUpdate = { status: 'running', stage, progress: Number(overall.toFixed(3)), error: null };
        this.emit(job, update);
        if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) {
          lastWrite = Date.now();
          void this.db.updateTable('analysis_job').set({ stage, progress: update.progress }).where('id', '=', job.id).execute().catch(() => {});
        }
      });
      await this.hooks.save(job, result, new Date().toISOString());
      this.emit(job, { status: 'succeeded', stage: 'done', progress: 1, error: null });
    } catch (error) {
      if (this.stopped) return; // left 'running': the next start re-queues it
      const message = (error as Error).message;
      if (!(error instanceof AnalysisFailed && error.expected)) this.hooks.log('analysis job failed', { jobId: job.id, error: message });
      await this.fail(job, message);
    }
  }

  private async fail(job: Job, error: string): Promise<void> {
    await this.db
      .updateTable('analysis_job')
      .set({ status: 'failed', error, finished_at: new Date().toISOString() })
      .where('id', '=', job.id)
      .execute();
    this.emit(job, { status: 'failed', stage: job.stage, progress: job.progress, error });
  }
}
