// Worker thread entry: runs face tasks one at a time with this thread's own face model.
import { serveTasks } from '../worker-pool.ts';
import { runFaceTask, type FaceTask } from './face-stage.ts';
import { runThreadInBackground } from './priority.ts';
import type { TimelineFrame } from './timeline.ts';

runThreadInBackground();
serveTasks<FaceTask, TimelineFrame, void>(runFaceTask);
