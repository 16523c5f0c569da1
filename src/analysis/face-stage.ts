// The face stage for one stretch of a video: frames → face model → timeline entries, in time order.
import { faceFeatures } from './face-features.ts';
import { readFrames, type MediaTools, type VideoInfo } from './media.ts';
import type { FaceThresholds } from './thresholds.ts';
import { timelineFrame, type TimelineFrame } from './timeline.ts';
import { loadFaceModel } from './vision.ts';

export interface FaceTask {
  file: string;
  info: VideoInfo;
  startSec: number;
  /** Exclusive; omitted for "to the end". */
  endSec?: number;
  thresholds: FaceThresholds;
  tools: MediaTools;
}

/** Runs the task, reporting each frame's timeline entry in time order. */
export async function runFaceTask(task: FaceTask, onFrame: (frame: TimelineFrame) => void): Promise<void> {
  const model = await loadFaceModel();
  model.reset(); // a stretch starts with the detector, never with a face box tracked from another video
  const { analysis_fps: fps, frame_max_side_px: maxSide, min_face_confidence: minConfidence } = task.thresholds;
  const options = {
    fps,
    maxSide,
    skipUnreferencedFromRatio: task.thresholds.skip_unreferenced_frames_from_ratio,
    startSec: task.startSec,
    endSec: task.endSec,
    // The chain keeps the previous frame (its scene-change test) and nothing older.
    reuseBuffersAfter: 1,
  };
  const frames = readFrames(task.file, task.info, options, task.tools);
  for await (const frame of frames) {
    const face = await model.detect(frame);
    const features = face && face.confidence >= minConfidence ? faceFeatures(face, task.thresholds) : null;
    onFrame(timelineFrame(frame.t, features));
  }
}
