// A fixed set of worker threads, each with its own face model loaded once and kept, so inference uses
// every core and never blocks the caller's event loop.
import { Worker } from 'node:worker_threads';
import type { FaceTask } from './face-stage.ts';
import type { WorkerReply } from './face-worker.ts';
import type { TimelineFrame } from './timeline.ts';

interface Job {
  id: number;
  task: FaceTask;
  onFrame: (frame: TimelineFrame) => void;
  /** With the tensors the thread's face model holds after the task. */
  resolve: (liveTensors: number) => void;
  reject: (error: Error) => void;
}

export class FaceWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('../ts-worker.mjs', import.meta.url), {
      workerData: { entry: new URL('./face-worker.ts', import.meta.url).href },
    });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const job = this.running.get(worker);
      if (!job || job.id !== reply.id) return;
      if (reply.type === 'frame') return job.onFrame(reply.frame);
      this.running.delete(worker);
      if (reply.type === 'done') job.resolve(reply.liveTensors);
      else job.reject(new Error(reply.message));
      this.release(worker);
    });
    worker.on('error', (error) => {
      // A crashed thread fails its job and is replaced.
      const job = this.running.get(worker);
      this.running.delete(worker);
      job?.reject(error);
      if (!this.closed) this.release(this.spawn());
    });
    return worker;
  }

  private release(worker: Worker): void {
    const next = this.queue.shift();
    if (!next) {
      this.idle.push(worker);
      return;
    }
    this.running.set(worker, next);
    worker.postMessage({ id: next.id, task: next.task });
  }

  /** Resolves with the tensors the thread's face model holds after the task. */
  run(task: FaceTask, onFrame: (frame: TimelineFrame) => void): Promise<number> {
    if (this.closed) return Promise.reject(new Error('The face worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, onFrame, resolve, reject });
      const worker = this.idle.pop();
      if (worker) this.release(worker);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle, ...this.running.keys()];
    for (const job of this.running.values()) job.reject(new Error('The face worker pool was closed'));
    this.running.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
