// Analysis processes: each a child process running the pipeline, so that model inference never runs on
// the HTTP event loop and an analysis can be stopped at any moment (see analysis-process.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SpeechSettings } from '../config.ts';
import type { AnalysisResult, ProgressListener } from '../analysis/pipeline.ts';
import type { AnalysisReply, AnalysisRequest } from './analysis-process.ts';

/** Whose fault a failed analysis is: the file's (not a readable video) or ours. */
export type Fault = 'media' | 'internal';

export class AnalysisFailed extends Error {
  constructor(
    message: string,
    readonly fault: Fault,
    /** The stack where it failed, in the analysis process. */
    processStack?: string,
  ) {
    super(message);
    this.name = 'AnalysisFailed';
    if (processStack) this.stack = processStack;
  }
}

/** Runs analyses; what the job queue needs of the analysis processes. */
export interface Runner {
  /** Rejects with `signal.reason` once `signal` aborts, having stopped the work. */
  run(file: string, onProgress: ProgressListener, signal: AbortSignal): Promise<AnalysisResult>;
  close(): Promise<void>;
}

interface Pending {
  worker: ChildProcess;
  resolve(result: AnalysisResult): void;
  reject(error: unknown): void;
  onProgress: ProgressListener;
}

const ENTRY = fileURLToPath(new URL('./analysis-process.ts', import.meta.url));
// The child runs TypeScript as this process does; resolved here, so it works from any directory.
const TSX = import.meta.resolve('tsx');

export class AnalysisRunner implements Runner {
  private workers: ChildProcess[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    private readonly size: number,
    private readonly faceWorkers: number,
    private readonly speech: SpeechSettings | undefined,
  ) {}

  private spawn(): ChildProcess {
    const worker = fork(ENTRY, [String(this.faceWorkers)], { execArgv: ['--import', TSX], serialization: 'advanced' });
    worker.on('message', (reply: AnalysisReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      if (reply.type === 'progress') return job.onProgress({ stage: reply.stage, progress: reply.progress });
      this.pending.delete(reply.id);
      if (reply.type === 'result') job.resolve(reply.result);
      else job.reject(new AnalysisFailed(reply.message, reply.fault, reply.stack));
    });
    // A process that fails to start or dies fails what it was running; the next run starts a fresh one.
    worker.on('error', (error) =>
      this.retire(worker, new AnalysisFailed(`analysis process failed: ${error.message}`, 'internal', error.stack)),
    );
    worker.on('exit', (code, signal) =>
      this.retire(worker, new AnalysisFailed(`analysis process exited (${signal ?? `code ${code}`})`, 'internal')),
    );
    return worker;
  }

  /** Takes a process out of service, stops it, and fails the jobs it still had. */
  private retire(worker: ChildProcess, reason: Error): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    for (const [id, job] of this.pending) {
      if (job.worker !== worker) continue;
      this.pending.delete(id);
      job.reject(reason);
    }
  }

  private load(worker: ChildProcess): number {
    let jobs = 0;
    for (const job of this.pending.values()) if (job.worker === worker) jobs += 1;
    return jobs;
  }

  run(file: string, onProgress: ProgressListener, signal: AbortSignal): Promise<AnalysisResult> {
    if (signal.aborted) return Promise.reject(signal.reason);
    // Processes (and their models) start with the first job, not with the server.
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    const worker = [...this.workers].sort((a, b) => this.load(a) - this.load(b))[0]!;
    const id = this.nextId++;
    return new Promise<AnalysisResult>((resolve, reject) => {
      // Killing the process stops everything at once: face threads, model inference, ffmpeg's pipes.
      const stop = () => {
        const job = this.pending.get(id);
        if (!job) return;
        this.pending.delete(id);
        job.reject(signal.reason);
        this.retire(worker, new AnalysisFailed('its analysis process was stopped to end another analysis', 'internal'));
      };
      signal.addEventListener('abort', stop, { once: true });
      const settled = () => signal.removeEventListener('abort', stop);
      this.pending.set(id, {
        worker,
        onProgress,
        resolve: (result) => {
          settled();
          resolve(result);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
      });
      worker.send({ id, file, speech: this.speech } satisfies AnalysisRequest);
    });
  }

  async close(): Promise<void> {
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      job.reject(new AnalysisFailed('the server is shutting down', 'internal'));
    }
    const workers = this.workers;
    this.workers = [];
    await Promise.all(
      workers.map(async (worker) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return;
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.kill('SIGKILL');
        await exited;
      }),
    );
  }
}
