// Analysis processes: each a child process running the pipeline (see analysis-process.ts), so that model
// inference never runs on the HTTP event loop and an analysis can be stopped at any moment.
import { MediaError } from '../analysis/media.ts';
import type { AnalysisContext } from '../analysis/context.ts';
import type { AnalysisResult, ProgressListener, Stage } from '../analysis/pipeline.ts';
import { processWorkers, WorkerPool, WorkerTaskError } from '../worker-pool.ts';

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

/** What an analysis process is sent, and what it reports as it goes. */
export interface AnalysisTask {
  file: string;
  context: AnalysisContext;
}
export interface AnalysisProgress {
  stage: Stage;
  progress: number;
}

export class AnalysisRunner implements Runner {
  private readonly pool: WorkerPool<AnalysisTask, AnalysisProgress, AnalysisResult>;

  constructor(
    size: number,
    private readonly context: AnalysisContext,
  ) {
    this.pool = new WorkerPool(
      size,
      processWorkers(new URL('./analysis-process.ts', import.meta.url)),
      'analysis process',
    );
  }

  async run(file: string, onProgress: ProgressListener, signal: AbortSignal): Promise<AnalysisResult> {
    try {
      return await this.pool.run({ file, context: this.context }, onProgress, signal);
    } catch (error) {
      if (signal.aborted && error === signal.reason) throw error;
      if (error instanceof WorkerTaskError) {
        // Media errors are the file's fault (a clear 422); anything else is ours.
        throw new AnalysisFailed(
          error.message,
          error.remoteName === MediaError.name ? 'media' : 'internal',
          error.stack,
        );
      }
      throw new AnalysisFailed((error as Error).message, 'internal', (error as Error).stack);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
