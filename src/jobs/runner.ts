// Analysis threads: each a worker thread running the pipeline, so that model inference never runs on
// the HTTP event loop. Jobs are handed to a free thread.
import { Worker } from 'node:worker_threads';
import type { SpeechSettings } from '../config.ts';
import type { AnalysisResult, ProgressListener } from '../analysis/pipeline.ts';
import type { AnalysisReply, AnalysisRequest } from './analysis-thread.ts';

export class AnalysisFailed extends Error {
  constructor(
    message: string,
    /** The file's fault (not a readable video), rather than ours. */
    readonly expected: boolean,
  ) {
    super(message);
    this.name = 'AnalysisFailed';
  }
}

interface Pending {
  resolve(result: AnalysisResult): void;
  reject(error: Error): void;
  onProgress: ProgressListener;
}

export class AnalysisRunner {
  private threads: Worker[] = [];
  private readonly pending = new Map<number, { thread: Worker } & Pending>();
  private readonly load = new Map<Worker, number>();
  private nextId = 0;

  constructor(
    private readonly size: number,
    private readonly faceWorkers: number,
    private readonly speech: SpeechSettings | undefined,
  ) {}

  private spawn(): Worker {
    const thread = new Worker(new URL('../ts-worker.mjs', import.meta.url), {
      workerData: { entry: new URL('./analysis-thread.ts', import.meta.url).href, faceWorkers: this.faceWorkers },
    });
    this.load.set(thread, 0);
    thread.on('message', (reply: AnalysisReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      if (reply.type === 'progress') return job.onProgress({ stage: reply.stage, progress: reply.progress });
      this.finish(reply.id, thread);
      if (reply.type === 'result') job.resolve(reply.result);
      else job.reject(new AnalysisFailed(reply.message, reply.expected));
    });
    thread.on('error', (error) => {
      // A crashed thread fails its jobs; a fresh one takes its place.
      for (const [id, job] of this.pending) {
        if (job.thread !== thread) continue;
        this.finish(id, thread);
        job.reject(new AnalysisFailed(`analysis thread crashed: ${error.message}`, false));
      }
      this.threads.splice(this.threads.indexOf(thread), 1, this.spawn());
      this.load.delete(thread);
    });
    return thread;
  }

  private finish(id: number, thread: Worker): void {
    this.pending.delete(id);
    this.load.set(thread, (this.load.get(thread) ?? 1) - 1);
  }

  run(file: string, onProgress: ProgressListener): Promise<AnalysisResult> {
    // Threads (and their models) start with the first job, not with the server.
    while (this.threads.length < this.size) this.threads.push(this.spawn());
    const thread = [...this.threads].sort((a, b) => (this.load.get(a) ?? 0) - (this.load.get(b) ?? 0))[0]!;
    const id = this.nextId++;
    this.load.set(thread, (this.load.get(thread) ?? 0) + 1);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { thread, resolve, reject, onProgress });
      thread.postMessage({ id, file, speech: this.speech } satisfies AnalysisRequest);
    });
  }

  async close(): Promise<void> {
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      job.reject(new AnalysisFailed('the server is shutting down', false));
    }
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}
