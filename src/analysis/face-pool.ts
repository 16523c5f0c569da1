// The face stage's worker threads, each with its own face model loaded once and kept, so inference uses
// every core and never blocks the caller's event loop.
import { threadWorkers, WorkerPool } from '../worker-pool.ts';
import type { FaceTask } from './face-stage.ts';
import type { TimelineFrame } from './timeline.ts';

/** Runs face tasks, one stretch of a video each. */
export type FaceWorkerPool = WorkerPool<FaceTask, TimelineFrame, void>;

export function faceWorkerPool(size: number): FaceWorkerPool {
  return new WorkerPool(size, threadWorkers(new URL('./face-worker.ts', import.meta.url)), 'face worker thread');
}
