// One pool for work kept off the event loop, in worker threads (the face stage) or in child processes
// (whole analyses: only a process can be stopped at any moment — ending a thread while onnxruntime-node
// runs an inference aborts the whole process, so a pool of face threads is closed only once its tasks
// have settled, and its threads are never aborted mid-task). Each worker runs one task at a time; messages are typed;
// a worker that crashes or exits fails the task it was running with a clear error, and the next task
// starts a fresh one. Workers start with the first task, not with the pool.
import { fork, type ChildProcess } from 'node:child_process';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

/** What the pool sends a worker. */
export interface TaskMessage<Task> {
  id: number;
  task: Task;
}

/** What a worker sends back: any number of events, then a result or an error. */
export type ReplyMessage<Event, Result> =
  | { id: number; type: 'event'; event: Event }
  | { id: number; type: 'done'; result: Result }
  | { id: number; type: 'error'; name: string; message: string; stack: string | undefined };

/** A task that failed in its worker: the worker's error, its class name kept. */
export class WorkerTaskError extends Error {
  constructor(
    readonly remoteName: string,
    message: string,
    stack: string | undefined,
  ) {
    super(message);
    this.name = 'WorkerTaskError';
    if (stack) this.stack = stack;
  }
}

/** The worker was lost while it ran the task (crashed, killed, or failed to start). */
export class WorkerLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerLostError';
  }
}

/** A worker thread or a child process, seen the same way. */
interface Endpoint {
  send(message: TaskMessage<unknown>): void;
  /** Stops the worker at once; resolves when it has gone. */
  stop(): Promise<void>;
}

interface EndpointEvents {
  message(message: unknown): void;
  /** Called once, when the worker has gone or can no longer be used. */
  lost(reason: string): void;
}

type Start = (events: EndpointEvents) => Endpoint;

// Worker threads do not get tsx's loader from the parent: a plain-JS entry loads the TypeScript module.
const TS_WORKER = new URL('./ts-worker.mjs', import.meta.url);

/** Workers as threads of this process running `entry` (a module that calls `serveTasks`). */
export function threadWorkers(entry: URL): Start {
  return (events) => {
    const worker = new Worker(TS_WORKER, { workerData: { entry: entry.href } });
    // Idle threads must not keep a finished program alive.
    worker.unref();
    let lost = false;
    const lose = (reason: string) => {
      if (lost) return;
      lost = true;
      events.lost(reason);
    };
    worker.on('message', events.message);
    worker.on('error', (error) => lose(`crashed: ${error.message}`));
    worker.on('exit', (code) => lose(`exited (code ${code})`));
    return {
      send: (message) => worker.postMessage(message),
      stop: async () => {
        lost = true;
        await worker.terminate();
      },
    };
  };
}

// A child runs TypeScript as this process does; resolved here, so it works from any directory.
const TSX = import.meta.resolve('tsx');

/** Workers as child processes running `entry` (a module that calls `serveTasks`). */
export function processWorkers(entry: URL): Start {
  return (events) => {
    const child: ChildProcess = fork(entry, [], { execArgv: ['--import', TSX], serialization: 'advanced' });
    let lost = false;
    const lose = (reason: string) => {
      if (lost) return;
      lost = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      events.lost(reason);
    };
    child.on('message', events.message);
    child.on('error', (error) => lose(`failed: ${error.message}`));
    child.on('exit', (code, signal) => lose(`exited (${signal ?? `code ${code}`})`));
    return {
      send: (message) => child.send(message),
      stop: async () => {
        lost = true;
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      },
    };
  };
}

interface Job<Task, Event, Result> {
  id: number;
  task: Task;
  onEvent: (event: Event) => void;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

interface Slot<Task, Event, Result> {
  endpoint: Endpoint;
  job: Job<Task, Event, Result> | null;
}

export class WorkerPool<Task, Event, Result> {
  private readonly slots: Array<Slot<Task, Event, Result>> = [];
  private readonly queue: Array<Job<Task, Event, Result>> = [];
  private nextId = 0;
  private closed = false;

  /** `name` starts the errors a lost worker gives its task ("analysis process exited (SIGKILL)"). */
  constructor(
    readonly size: number,
    private readonly start: Start,
    private readonly name: string,
  ) {}

  /** Runs `task` on the next free worker. Once `signal` aborts, rejects with its reason, having stopped the work. */
  run(task: Task, onEvent: (event: Event) => void = () => {}, signal?: AbortSignal): Promise<Result> {
    if (this.closed) return Promise.reject(new WorkerLostError(`the ${this.name} pool is closed`));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Result>((resolve, reject) => {
      const job: Job<Task, Event, Result> = { id: this.nextId++, task, onEvent, resolve, reject };
      if (signal) {
        const abort = () => this.abort(job, signal.reason);
        signal.addEventListener('abort', abort, { once: true });
        job.resolve = (result) => {
          signal.removeEventListener('abort', abort);
          resolve(result);
        };
        job.reject = (error) => {
          signal.removeEventListener('abort', abort);
          reject(error);
        };
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length && !this.closed) {
      let slot = this.slots.find((candidate) => candidate.job === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.endpoint.send({ id: job.id, task: job.task });
    }
  }

  private spawn(): Slot<Task, Event, Result> {
    const slot = {} as Slot<Task, Event, Result>;
    slot.job = null;
    slot.endpoint = this.start({
      message: (message) => this.receive(slot, message as ReplyMessage<Event, Result>),
      lost: (reason) => this.lose(slot, new WorkerLostError(`${this.name} ${reason}`)),
    });
    this.slots.push(slot);
    return slot;
  }

  private receive(slot: Slot<Task, Event, Result>, reply: ReplyMessage<Event, Result>): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    if (reply.type === 'event') return job.onEvent(reply.event);
    slot.job = null;
    if (reply.type === 'done') job.resolve(reply.result);
    else job.reject(new WorkerTaskError(reply.name, reply.message, reply.stack));
    this.dispatch();
  }

  /** Takes a worker out of service and fails the task it had. */
  private lose(slot: Slot<Task, Event, Result>, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = null;
    job?.reject(error);
    this.dispatch();
  }

  private abort(job: Job<Task, Event, Result>, reason: unknown): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return job.reject(reason);
    }
    const slot = this.slots.find((candidate) => candidate.job === job);
    if (!slot) return;
    // Stopping the worker stops everything it runs at once: threads, model inference, ffmpeg's pipes.
    slot.job = null;
    job.reject(reason);
    this.lose(slot, new WorkerLostError(`${this.name} stopped`));
    void slot.endpoint.stop();
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new WorkerLostError(`the ${this.name} pool was closed`);
    for (const job of this.queue.splice(0)) job.reject(error);
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.job?.reject(error);
    await Promise.all(slots.map((slot) => slot.endpoint.stop()));
  }
}

/**
 * The worker side: runs each task the pool sends with `handle`, one at a time, and replies. Call it
 * once from a worker thread's or a child process's entry module.
 */
export function serveTasks<Task, Event, Result>(
  handle: (task: Task, emit: (event: Event) => void) => Promise<Result>,
): void {
  const send: (message: ReplyMessage<Event, Result>) => void = isMainThread
    ? (message) => process.send!(message)
    : (message) => parentPort!.postMessage(message);
  const receive = async ({ id, task }: TaskMessage<Task>) => {
    try {
      const result = await handle(task, (event) => send({ id, type: 'event', event }));
      send({ id, type: 'done', result });
    } catch (error) {
      const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
      send({ id, type: 'error', name, message, stack });
    }
  };
  if (isMainThread) {
    process.on('message', receive);
    // Nothing is left to do for a parent that has gone.
    process.on('disconnect', () => process.exit(0));
  } else parentPort!.on('message', receive);
}
