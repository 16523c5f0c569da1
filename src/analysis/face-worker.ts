// Worker thread entry: runs face tasks one at a time with this thread's own face model.
import { parentPort } from 'node:worker_threads';
import { runFaceTask, type FaceTask } from './face-stage.ts';
import { runThreadInBackground } from './priority.ts';

export type WorkerRequest = { id: number; task: FaceTask };
export type WorkerReply =
  | { id: number; type: 'frame'; frame: import('./timeline.ts').TimelineFrame }
  | { id: number; type: 'done'; liveTensors: number }
  | { id: number; type: 'error'; message: string };

runThreadInBackground();
const port = parentPort!;
port.on('message', ({ id, task }: WorkerRequest) => {
  const reply = (message: WorkerReply) => port.postMessage(message);
  runFaceTask(task, (frame) => reply({ id, type: 'frame', frame })).then(
    (liveTensors) => reply({ id, type: 'done', liveTensors }),
    (error: unknown) => reply({ id, type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
