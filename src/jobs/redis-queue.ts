// Jobs across machines, when REDIS_URL is set: BullMQ on Redis carries each job to an analysis worker
// (`npm run worker`, any number of them), and BullMQ's queue events bring its progress back to every
// API server, whose followers hear it as in the embedded mode. The analysis_job table stays the record
// of truth: routes read it, a worker claims the row before it runs the job, and what Redis loses (a
// restart without persistence) is put back from the rows that are still queued or running.
import {
  Queue,
  QueueEvents,
  QueueEventsProducer,
  WaitingError,
  Worker,
  type ConnectionOptions,
  type QueueEventsListener,
} from 'bullmq';
import type { RedisSettings } from '../config.ts';
import type { Db } from '../db/index.ts';
import { Errors } from '../http/errors.ts';
import { JobRecords, MAX_ATTEMPTS, runJob, type Job, type JobHooks, type JobLog, type JobUpdate } from './queue.ts';
import type { Runner } from './runner.ts';

const QUEUE_NAME = 'analysis';
/** A custom queue event: a video's (or user's) jobs are gone; workers stop them, API servers tell followers. */
const DELETED_EVENT = 'jobs-deleted';
/** How long a new analysis waits for Redis before it is refused with 503. */
const SUBMIT_TIMEOUT_MS = 5000;
/** A worker sends progress at most this often (changes of status always go at once). */
const PROGRESS_EVENT_MS = 200;

interface JobData {
  /** The analysis_job row. */
  jobId: string;
}

type Gone = { videoId: string } | { userId: string };
interface DeletedEvent {
  eventName: typeof DELETED_EVENT;
  videoId?: string;
  userId?: string;
}

/** QueueEvents' listeners, with our custom event. */
type Listeners = QueueEventsListener & { [DELETED_EVENT]: (event: DeletedEvent, id: string) => void };

const goneOf = (event: DeletedEvent): Gone | null =>
  event.videoId ? { videoId: event.videoId } : event.userId ? { userId: event.userId } : null;

/** Blocking readers (workers, event listeners) must wait for Redis as long as it takes. */
const listening = (settings: RedisSettings): ConnectionOptions => ({ url: settings.url, maxRetriesPerRequest: null });
/** Writers fail at once while Redis is away, so that a request gets its 503 instead of hanging. */
const writing = (settings: RedisSettings): ConnectionOptions => ({
  url: settings.url,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
});

/** What every API server runs with REDIS_URL: jobs recorded here, run by the workers. */
export class RedisJobQueue extends JobRecords {
  private queue: Queue<JobData> | null = null;
  private producer: QueueEventsProducer | null = null;
  private queueEvents: QueueEvents | null = null;
  private restoring: NodeJS.Timeout | undefined;

  constructor(
    db: Db,
    private readonly settings: RedisSettings,
    private readonly log: JobLog,
  ) {
    super(db);
  }

  async start(): Promise<void> {
    const { prefix } = this.settings;
    this.queue = new Queue<JobData>(QUEUE_NAME, { connection: writing(this.settings), prefix });
    this.producer = new QueueEventsProducer(QUEUE_NAME, { connection: writing(this.settings), prefix });
    const events = new QueueEvents(QUEUE_NAME, { connection: listening(this.settings), prefix });
    this.queueEvents = events;
    // ioredis reconnects by itself; a lost connection is a warning, and new analyses meanwhile get 503.
    const warn = (error: Error) => this.log.warn({ err: error }, 'Redis connection problem');
    this.queue.on('error', warn);
    this.producer.on('error', warn);
    events.on('error', warn);
    events.on('progress', ({ jobId, data }) => this.announce(jobId, data as unknown as JobUpdate));
    events.on('completed', ({ jobId }) => void this.announceRow(jobId));
    events.on('failed', ({ jobId }) => void this.announceRow(jobId));
    events.on<Listeners>(DELETED_EVENT, (event: DeletedEvent) => {
      const gone = goneOf(event);
      if (gone) this.announceDeleted(gone);
    });
    // What Redis should hold is put back now and then (a job it still has is left as it is), so that
    // nothing queued is lost should Redis restart empty.
    await this.restoreJobs();
    this.restoring = setInterval(() => void this.restoreJobs(), this.settings.stallSec * 1000);
    this.restoring.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.restoring);
    await Promise.all([this.queue?.close(), this.producer?.close(), this.queueEvents?.close()]);
  }

  protected async submit(job: Job): Promise<void> {
    const queue = this.queue;
    if (!queue) throw new Errors.QueueUnavailable();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        add(queue, job.id),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis did not answer in time')), SUBMIT_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.log.warn({ err: error, jobId: job.id }, 'could not queue an analysis job in Redis');
      throw new Errors.QueueUnavailable();
    } finally {
      clearTimeout(timer);
    }
  }

  protected cancel(gone: Gone): void {
    void this.producer
      ?.publishEvent({ eventName: DELETED_EVENT, ...gone } satisfies DeletedEvent)
      .catch((error: unknown) => this.log.warn({ err: error }, 'could not tell the workers of deleted jobs'));
  }

  /** Tells followers what the row says now: the record of truth once a worker is done. */
  private async announceRow(jobId: string): Promise<void> {
    const row = await this.get(jobId).catch(() => undefined);
    if (row) {
      const { status, stage, progress, error, error_kind } = row;
      this.announce(jobId, { status, stage, progress, error, error_kind });
    }
  }

  private async restoreJobs(): Promise<void> {
    try {
      const rows = await this.db
        .selectFrom('analysis_job')
        .select('id')
        .where('status', 'in', ['queued', 'running'])
        .execute();
      for (const { id } of rows) await add(this.queue!, id);
    } catch (error) {
      this.log.warn({ err: error }, 'could not put the queued analysis jobs back in Redis');
    }
  }
}

/** Adds the row's job; BullMQ ignores an id it already holds, so adding twice is harmless. */
function add(queue: Queue<JobData>, jobId: string) {
  return queue.add('analyze', { jobId }, { jobId, removeOnComplete: true, removeOnFail: true });
}

export interface AnalysisWorkerOptions {
  db: Db;
  runner: Runner;
  hooks: JobHooks;
  settings: RedisSettings;
  /** Jobs this process runs at once. */
  concurrency: number;
  timeoutSec: number;
  log: JobLog & { info(details: Record<string, unknown>, message: string): void };
}

/**
 * An analysis worker: takes jobs from BullMQ, claims each one's row, runs it, and reports its progress
 * as queue events. A worker that dies stops renewing its jobs' locks; after JOB_STALL_SEC, BullMQ hands
 * them to another worker, which counts the attempt. Returns the function that stops the worker, putting
 * its unfinished jobs back for the others.
 */
export async function startAnalysisWorker({
  db,
  runner,
  hooks,
  settings,
  concurrency,
  timeoutSec,
  log,
}: AnalysisWorkerOptions): Promise<() => Promise<void>> {
  const { prefix } = settings;
  const active = new Map<string, { job: Job; cancel: AbortController }>();
  let stopping = false;

  const events = new QueueEvents(QUEUE_NAME, { connection: listening(settings), prefix });
  events.on('error', (error: Error) => hooks.log.warn({ err: error }, 'Redis connection problem'));
  events.on<Listeners>(DELETED_EVENT, (event: DeletedEvent) => {
    const gone = goneOf(event);
    if (!gone) return;
    for (const { job, cancel } of active.values()) {
      if ('videoId' in gone ? job.video_id === gone.videoId : job.user_id === gone.userId)
        cancel.abort(new Error('the video was deleted'));
    }
  });

  const worker = new Worker<JobData>(
    QUEUE_NAME,
    async (bullJob, token) => {
      // Back to the queue, for another worker (or this one after its restart).
      const putBack = async () => {
        await bullJob.moveToWait(token);
        throw new WaitingError();
      };
      if (stopping) return putBack();
      const job = await claim(db, bullJob.data.jobId);
      if (!job) return; // deleted, or already finished
      log.info({ jobId: job.id, attempt: job.attempts }, 'analysis job started');
      const cancel = new AbortController();
      active.set(job.id, { job, cancel });
      let lastSent = 0;
      try {
        await runJob(job, {
          db,
          runner,
          hooks,
          timeoutSec,
          cancel: cancel.signal,
          stopping: () => stopping,
          announce: (update) => {
            if (update.status === 'running' && Date.now() - lastSent < PROGRESS_EVENT_MS) return;
            lastSent = Date.now();
            bullJob.updateProgress(update as unknown as object).catch(() => {});
          },
        });
      } finally {
        active.delete(job.id);
      }
      if (stopping) {
        // A clean stop is no failed attempt: the row goes back to queued with its attempt returned.
        await db
          .updateTable('analysis_job')
          .set({ status: 'queued', stage: null, attempts: job.attempts - 1 })
          .where('id', '=', job.id)
          .where('attempts', '=', job.attempts)
          .where('status', '=', 'running')
          .execute();
        return putBack();
      }
    },
    {
      connection: listening(settings),
      prefix,
      concurrency,
      lockDuration: settings.stallSec * 1000,
      stalledInterval: settings.stallSec * 1000,
      // The row counts attempts and fails the job after MAX_ATTEMPTS; BullMQ must not give up first.
      maxStalledCount: MAX_ATTEMPTS,
    },
  );
  worker.on('error', (error: Error) => hooks.log.warn({ err: error }, 'analysis worker problem'));
  await worker.waitUntilReady();

  return async () => {
    stopping = true;
    await worker.pause(true); // takes no more jobs
    await runner.close(); // stops the running analyses; their jobs go back to the queue
    await worker.close();
    await events.close();
  };
}

/** Marks the row running and counts the attempt; undefined when it is gone or already ended. */
async function claim(db: Db, jobId: string): Promise<Job | undefined> {
  const row = await db.selectFrom('analysis_job').selectAll().where('id', '=', jobId).executeTakeFirst();
  if (!row || (row.status !== 'queued' && row.status !== 'running')) return undefined;
  const started_at = new Date().toISOString();
  const claimed = { status: 'running', started_at, attempts: row.attempts + 1, progress: 0, stage: 'queued' } as const;
  const { numUpdatedRows } = await db
    .updateTable('analysis_job')
    .set(claimed)
    .where('id', '=', jobId)
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return numUpdatedRows > 0n ? { ...row, ...claimed } : undefined;
}
