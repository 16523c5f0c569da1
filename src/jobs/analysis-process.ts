// Child process entry: runs whole analyses away from the HTTP server, one at a time, with a face worker
// pool and speech models kept loaded between jobs. A process rather than a worker thread, because only a
// process can be stopped at any moment: ending a worker thread while onnxruntime-node runs an inference
// (voice activity, local Whisper) aborts the whole server.
import { faceWorkerPool, type FaceWorkerPool } from '../analysis/face-pool.ts';
import type { AnalysisContext } from '../analysis/context.ts';
import { analyze, type AnalysisResult } from '../analysis/pipeline.ts';
import { runThreadInBackground } from '../analysis/priority.ts';
import { serveTasks } from '../worker-pool.ts';
import type { AnalysisProgress, AnalysisTask } from './runner.ts';

runThreadInBackground(); // before the face threads start, so that they inherit the lower priority

let pool: FaceWorkerPool | null = null;
const facePool = (context: AnalysisContext) => (pool ??= faceWorkerPool(context.faceWorkers));

serveTasks<AnalysisTask, AnalysisProgress, AnalysisResult>(async ({ file, context }, emit) => {
  try {
    return await analyze(file, context, { facePool: facePool(context), onProgress: emit });
  } catch (error) {
    // A reply must not show where the file is stored.
    if (error instanceof Error) error.message = error.message.replaceAll(file, 'the video');
    throw error;
  }
});
