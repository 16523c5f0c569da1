// Child process entry: runs whole analyses away from the HTTP server, one at a time, with a face worker
// pool and speech models kept loaded between jobs. A process rather than a worker thread, because only a
// process can be stopped at any moment: ending a worker thread while onnxruntime-node runs an inference
// (voice activity, local Whisper) aborts the whole server.
import { FaceWorkerPool } from '../analysis/face-pool.ts';
import { MediaError } from '../analysis/media.ts';
import { analyze, type AnalysisResult, type Stage } from '../analysis/pipeline.ts';
import { runThreadInBackground } from '../analysis/priority.ts';
import type { SpeechSettings } from '../config.ts';
import type { Fault } from './runner.ts';

export interface AnalysisRequest {
  id: number;
  file: string;
  speech: SpeechSettings | undefined;
}

export type AnalysisReply =
  | { id: number; type: 'progress'; stage: Stage; progress: number }
  | { id: number; type: 'result'; result: AnalysisResult }
  | { id: number; type: 'error'; message: string; fault: Fault; stack: string | undefined };

runThreadInBackground(); // before the face threads start, so that they inherit the lower priority
const pool = new FaceWorkerPool(Number(process.argv[2]));
const reply = (message: AnalysisReply) => process.send!(message);
// Nothing is left to do for a server that has gone.
process.on('disconnect', () => process.exit(0));

// One analysis at a time per process; the queue decides how many processes there are.
let chain = Promise.resolve();
process.on('message', (request: AnalysisRequest) => {
  chain = chain.then(async () => {
    try {
      const result = await analyze(request.file, { facePool: pool, speech: request.speech }, ({ stage, progress }) =>
        reply({ id: request.id, type: 'progress', stage, progress }),
      );
      reply({ id: request.id, type: 'result', result });
    } catch (error) {
      // Media errors are the file's fault (a clear 422); anything else is ours. A reply must not show
      // where the file is stored.
      const message = (error as Error).message.replaceAll(request.file, 'the video');
      reply({
        id: request.id,
        type: 'error',
        message,
        fault: error instanceof MediaError ? 'media' : 'internal',
        stack: (error as Error).stack,
      });
    }
  });
});
