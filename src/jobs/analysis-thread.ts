// Worker thread entry: runs whole analyses off the HTTP event loop, one at a time, with a face
// worker pool and speech models kept loaded between jobs.
import { parentPort, workerData } from 'node:worker_threads';
import type { SpeechSettings } from '../config.ts';
import { FaceWorkerPool } from '../analysis/face-pool.ts';
import { MediaError } from '../analysis/media.ts';
import { analyze, type AnalysisResult, type Stage } from '../analysis/pipeline.ts';
import { runThreadInBackground } from '../analysis/priority.ts';

export interface AnalysisRequest {
  id: number;
  file: string;
  speech: SpeechSettings | undefined;
}

export type AnalysisReply =
  | { id: number; type: 'progress'; stage: Stage; progress: number }
  | { id: number; type: 'result'; result: AnalysisResult }
  | { id: number; type: 'error'; message: string; expected: boolean };

runThreadInBackground();
const pool = new FaceWorkerPool((workerData as { faceWorkers: number }).faceWorkers);
const port = parentPort!;

// One analysis at a time per thread; the queue decides how many threads there are.
let chain = Promise.resolve();
port.on('message', (request: AnalysisRequest) => {
  chain = chain.then(async () => {
    const reply = (message: AnalysisReply) => port.postMessage(message);
    try {
      const result = await analyze(request.file, { facePool: pool, speech: request.speech }, ({ stage, progress }) =>
        reply({ id: request.id, type: 'progress', stage, progress }),
      );
      reply({ id: request.id, type: 'result', result });
    } catch (error) {
      // Media errors are the file's fault (a clear 422); anything else is ours.
      reply({ id: request.id, type: 'error', message: (error as Error).message, expected: error instanceof MediaError });
    }
  });
});
