// Analysis jobs. The analysis_job table is the record of truth that every route reads; followers of a
// job hear its updates through an in-process event emitter. How jobs reach an analysis differs:
// - JobQueue (embedded, the default): an in-process loop claims them from the table and runs them in
//   analysis processes; a restart picks up what was queued or running.
// - RedisJobQueue (redis-queue.ts, with REDIS_URL): BullMQ carries them to `npm run worker` processes,
//   and their events come back to every API server.
// Both run a claimed job the same way: runJob() below.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Selectable } from 'kysely';
import type { AnalysisResult, ProgressListener } from '../analysis/pipeline.ts';
import { isUniqueViolation, type Db } from '../db/index.ts';
import type { AnalysisJobTable, JobErrorKind } from '../db/schema.ts';
import type { LocalFile } from '../storage.ts';
import { JobProgress } from './progress.ts';
import { AnalysisFailed, type Runner } from './runner.ts';

export type Job = Selectable<AnalysisJobTable>;

export interface JobLog {
  error(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface JobHooks {
  /** The video to analyse as a file on this machine (throws when it is gone); released after the run. */
  fileOf(videoId: string): Promise<LocalFile>;
  /** Stores the results and marks the job succeeded, in one transaction. */
  save(job: Job, result: AnalysisResult, finishedAt: string): Promise<void>;
  log: JobLog;
}

export interface JobQueueOptions {
  /** Jobs run at the same time. */
  concurrency: number;
  /** A job still running after this long is stopped and fails. */
  timeoutSec: number;
}

export interface JobUpdate {
  status: Job['status'];
  stage: string | null;
  progress: number;
  error: string | null;
  error_kind: JobErrorKind | null;
}

/** What followers of a job hear: its updates, or that it is gone with its video (or user). */
export type JobEvent = JobUpdate | { status: 'deleted' };

/** After this event nothing more is heard of the job. */
export const isLastEvent = (event: JobEvent): boolean =>
  event.status === 'succeeded' || event.status === 'failed' || event.status === 'deleted';

/** A run of a job that another run has taken over (or that ended meanwhile): its outcome is dropped. */
export class JobSuperseded extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is no longer this run's`);
    this.name = 'JobSuperseded';
  }
}

/** Stopped jobs are retried on restart this many times in all. */
export const MAX_ATTEMPTS = 3;
/** Progress is written to the database at most this often; listeners hear every step. */
const PROGRESS_WRITE_MS = 500;

const videoChannel = (videoId: string) => `video:${videoId}`;
const userChannel = (userId: string) => `user:${userId}`;
const updateOf = ({ status, stage, progress, error, error_kind }: Job): JobUpdate => ({
  status,
  stage,
  progress,
  error,
  error_kind,
});

/** The job records and their followers; how the jobs get run is the subclass's. */
export abstract class JobRecords {
  private readonly events = new EventEmitter();

  constructor(protected readonly db: Db) {
    this.events.setMaxListeners(0);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  /** Hands a newly recorded job to whatever runs jobs; throws (and the record is removed) if it cannot. */
  protected abstract submit(job: Job): Promise<void>;
  /** Stops the running jobs that `matches` picks, wherever they run. */
  protected abstract cancel(matches: { videoId: string } | { userId: string }): void;

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
      error_kind: null,
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
    try {
      await this.submit(job);
    } catch (error) {
      await this.db.deleteFrom('analysis_job').where('id', '=', job.id).execute();
      throw error;
    }
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

  /**
   * Calls `listener` with the job's state now, then with every event until the last one (it ended, or
   * its video or user was deleted). Subscribes before reading the job, so that nothing that happens in
   * between is missed. Returns the function that stops listening earlier.
   */
  async follow(
    job: Pick<Job, 'id' | 'video_id' | 'user_id'>,
    listener: (event: JobEvent) => void,
  ): Promise<() => void> {
    const channels = [job.id, videoChannel(job.video_id), userChannel(job.user_id)];
    let reading = true;
    let heard: JobEvent | undefined;
    let over = false;
    const unsubscribe = () => {
      for (const channel of channels) this.events.off(channel, onEvent);
    };
    const deliver = (event: JobEvent) => {
      if (over) return;
      if (isLastEvent(event)) {
        over = true;
        unsubscribe();
      }
      listener(event);
    };
    const onEvent = (event: JobEvent) => {
      if (reading) heard = event;
      else deliver(event);
    };
    for (const channel of channels) this.events.on(channel, onEvent);
    let row: Job | undefined;
    try {
      row = await this.get(job.id);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    reading = false;
    // Progress reaches the row at most every PROGRESS_WRITE_MS, so an event heard while reading is newer,
    // unless the row already says how the job ended.
    deliver(!row ? { status: 'deleted' } : heard && !isLastEvent(updateOf(row)) ? heard : updateOf(row));
    return unsubscribe;
  }

  /** The job once it has succeeded or failed; undefined when its video or user was deleted first. */
  async waitFor(job: Job): Promise<Job | undefined> {
    const last = await new Promise<JobEvent>((resolve, reject) => {
      this.follow(job, (event) => {
        if (isLastEvent(event)) resolve(event);
      }).catch(reject);
    });
    return last.status === 'deleted' ? undefined : this.get(job.id);
  }

  /** Call once the video's rows are deleted: stops its running job and ends whatever follows its jobs. */
  videoDeleted(videoId: string): void {
    this.cancel({ videoId });
    this.announceDeleted({ videoId });
  }

  /** Call once the user's rows are deleted: stops their running jobs and ends whatever follows them. */
  userDeleted(userId: string): void {
    this.cancel({ userId });
    this.announceDeleted({ userId });
  }

  /** Tells this process's followers of the video's (or user's) jobs that they are gone. */
  protected announceDeleted(gone: { videoId: string } | { userId: string }): void {
    const channel = 'videoId' in gone ? videoChannel(gone.videoId) : userChannel(gone.userId);
    this.events.emit(channel, { status: 'deleted' } satisfies JobEvent);
  }

  /** Tells this process's followers of the job what happened to it. */
  protected announce(jobId: string, update: JobUpdate): void {
    this.events.emit(jobId, update);
  }
}

/** Runs jobs in this process: a loop claims them from the table, fairly between users. */
export class JobQueue extends JobRecords {
  /** Slots taken: jobs running, and loops claiming one. */
  private slots = 0;
  /** Set when a job may have been queued while a loop was claiming. */
  private claimAgain = false;
  /** Running jobs, each with what stops it when its video or user is deleted. */
  private readonly active = new Map<string, { job: Job; cancel: AbortController }>();
  private stopped = false;

  constructor(
    db: Db,
    private readonly runner: Runner,
    private readonly hooks: JobHooks,
    private readonly options: JobQueueOptions,
  ) {
    super(db);
  }

  /** Re-queues jobs a previous process left running, then starts working. */
  async start(): Promise<void> {
    await this.db
      .updateTable('analysis_job')
      .set({ status: 'queued', stage: null })
      .where('status', '=', 'running')
      .execute();
    void this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.runner.close();
  }

  protected async submit(): Promise<void> {
    void this.pump();
  }

  protected cancel(matches: { videoId: string } | { userId: string }): void {
    for (const { job, cancel } of this.active.values()) {
      if ('videoId' in matches ? job.video_id === matches.videoId : job.user_id === matches.userId)
        cancel.abort(new Error('the video was deleted'));
    }
  }

  private async pump(): Promise<void> {
    this.claimAgain = true;
    // The slot is taken before claiming: loops started at once must not all pass the check, then claim.
    while (!this.stopped && this.slots < this.options.concurrency) {
      this.slots += 1;
      this.claimAgain = false;
      let job: Job | undefined;
      try {
        job = await this.claim();
      } catch (error) {
        this.slots -= 1;
        this.hooks.log.error({ err: error }, 'could not claim an analysis job');
        return;
      }
      if (!job) {
        this.slots -= 1;
        if (this.claimAgain) continue;
        return;
      }
      const claimed = job;
      void this.execute(claimed)
        .catch((error: unknown) =>
          this.hooks.log.error({ err: error, jobId: claimed.id }, 'could not record the end of an analysis job'),
        )
        .finally(() => {
          this.slots -= 1;
          void this.pump();
        });
    }
  }

  /**
   * Takes a queued job, fairly between users: one of the user with the fewest running jobs, among them
   * the user whose last job started longest ago (or never), and that user's oldest. One user's many
   * uploads thus take turns with everyone else's instead of going first.
   */
  private async claim(): Promise<Job | undefined> {
    for (;;) {
      const users = await this.db
        .selectFrom('analysis_job')
        .select((eb) => [
          'user_id',
          eb.fn.max('started_at').as('last_started'),
          eb.fn.sum<number | string>(eb.case().when('status', '=', 'running').then(1).else(0).end()).as('running'),
          eb.fn.min(eb.case().when('status', '=', 'queued').then(eb.ref('created_at')).end()).as('first_queued'),
        ])
        .where('user_id', 'in', (eb) => eb.selectFrom('analysis_job').select('user_id').where('status', '=', 'queued'))
        .groupBy('user_id')
        .execute();
      const turn = users.sort(
        (a, b) =>
          Number(a.running) - Number(b.running) ||
          (a.last_started ?? '').localeCompare(b.last_started ?? '') ||
          (a.first_queued ?? '').localeCompare(b.first_queued ?? ''),
      )[0];
      if (!turn) return undefined;
      const next = await this.db
        .selectFrom('analysis_job')
        .selectAll()
        .where('status', '=', 'queued')
        .where('user_id', '=', turn.user_id)
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      if (!next) continue;
      const started_at = new Date().toISOString();
      const { numUpdatedRows } = await this.db
        .updateTable('analysis_job')
        .set({ status: 'running', started_at, attempts: next.attempts + 1, progress: 0, stage: 'queued' })
        .where('id', '=', next.id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (numUpdatedRows > 0n) {
        return { ...next, status: 'running', started_at, attempts: next.attempts + 1, progress: 0, stage: 'queued' };
      }
    }
  }

  private async execute(job: Job): Promise<void> {
    const cancel = new AbortController();
    this.active.set(job.id, { job, cancel });
    try {
      await runJob(job, {
        db: this.db,
        runner: this.runner,
        hooks: this.hooks,
        timeoutSec: this.options.timeoutSec,
        cancel: cancel.signal,
        stopping: () => this.stopped,
        announce: (update) => this.announce(job.id, update),
      });
    } finally {
      this.active.delete(job.id);
    }
  }
}

/** What running one claimed job needs. */
export interface RunJobDeps {
  db: Db;
  runner: Runner;
  hooks: JobHooks;
  timeoutSec: number;
  /** Aborted when the job's video or user is deleted. */
  cancel: AbortSignal;
  /** True once this process is stopping: the job is left for the next start (or another worker). */
  stopping(): boolean;
  /** Tells followers, wherever they are, of an update. */
  announce(update: JobUpdate): void;
}

/**
 * Runs a claimed job (status running, attempts counted): the analysis with its progress reported and
 * written to the row, then the results saved, or the failure recorded with whose fault it was.
 */
export async function runJob(job: Job, deps: RunJobDeps): Promise<void> {
  const { db, runner, hooks, timeoutSec } = deps;
  if (job.attempts > MAX_ATTEMPTS) {
    await failJob(
      job,
      { stage: job.stage, progress: job.progress },
      `stopped ${MAX_ATTEMPTS} times before finishing`,
      'internal',
      deps,
    );
    return;
  }
  const timeout = AbortSignal.timeout(timeoutSec * 1000);
  const progress = new JobProgress();
  let shown: { stage: string | null; progress: number } = { stage: job.stage, progress: 0 };
  let lastWrite = 0;
  try {
    const file = await hooks.fileOf(job.video_id);
    const onProgress: ProgressListener = (report) => {
      shown = progress.update(report);
      deps.announce({ status: 'running', ...shown, error: null, error_kind: null });
      if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) {
        lastWrite = Date.now();
        void db
          .updateTable('analysis_job')
          .set(shown)
          .where('id', '=', job.id)
          .execute()
          .catch(() => {});
      }
    };
    let result: AnalysisResult;
    try {
      result = await runner.run(file.path, onProgress, AbortSignal.any([deps.cancel, timeout]));
    } finally {
      await file.release();
    }
    await hooks.save(job, result, new Date().toISOString());
    deps.announce({ status: 'succeeded', stage: 'done', progress: 1, error: null, error_kind: null });
  } catch (error) {
    // Deleted (its followers have been told), the process is stopping (the job runs again later), or
    // another run holds the job now.
    if (deps.cancel.aborted || deps.stopping() || error instanceof JobSuperseded) return;
    const kind: JobErrorKind = timeout.aborted
      ? 'timeout'
      : error instanceof AnalysisFailed && error.fault === 'media'
        ? 'media'
        : 'internal';
    const message =
      kind === 'timeout' ? `The analysis took longer than the limit of ${timeoutSec} s` : (error as Error).message;
    if (!(await failJob(job, shown, message, kind, deps))) return; // the job went with its video meanwhile
    if (kind === 'internal') hooks.log.error({ err: error, jobId: job.id }, 'analysis job failed');
    if (kind === 'timeout') hooks.log.warn({ jobId: job.id, timeoutSec }, 'analysis job stopped at its time limit');
  }
}

/** Records the failure; false when the job is gone (deleted with its video) or another run holds it. */
async function failJob(
  job: Job,
  shown: { stage: string | null; progress: number },
  error: string,
  kind: JobErrorKind,
  { db, announce }: Pick<RunJobDeps, 'db' | 'announce'>,
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('analysis_job')
    .set({ status: 'failed', ...shown, error, error_kind: kind, finished_at: new Date().toISOString() })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (numUpdatedRows === 0n) return false;
  announce({ status: 'failed', ...shown, error, error_kind: kind });
  return true;
}
