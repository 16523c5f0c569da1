// The face model: MediaPipe's face detector, 478-point face mesh with irises, and Human's expression model,
// run by the face chain on ONNX Runtime; loaded once per process (or worker thread) and reused.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DetectedFace } from './face-features.ts';
import { FACE_CHAIN_CONFIG, loadFaceChain } from './face/chain.ts';
import type { Frame } from './media.ts';

const require = createRequire(import.meta.url);

export interface FaceModel {
  /** The most confident face in the frame, or null when there is none. Frames come in time order. */
  detect(frame: Frame): Promise<DetectedFace | null>;
  /** Starts a new stretch of video: nothing is tracked from the frames before. */
  reset(): void;
}

const packageVersion = (name: string) =>
  (
    JSON.parse(readFileSync(join(dirname(require.resolve(name)), '..', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/** What the timeline's face figures come from, for the result's metadata. */
let versions: { human: string; onnxruntime: string } | undefined;

export function faceModelInfo() {
  // Read once: status requests and every analysis ask for it.
  versions ??= { human: packageVersion('@vladmandic/human'), onnxruntime: packageVersion('onnxruntime-node') };
  return {
    vision_model: 'MediaPipe face mesh (478 points with irises), models of Human',
    vision_version: versions.human,
    vision_backend: `onnxruntime-node ${versions.onnxruntime} (CPU)`,
    vision_config: {
      max_faces: 1,
      detector_min_confidence: FACE_CHAIN_CONFIG.minConfidence,
      cache_sensitivity: FACE_CHAIN_CONFIG.cacheSensitivity,
      detector_every_frames: FACE_CHAIN_CONFIG.detectorEveryFrames,
      expressions_every_frame: true,
    },
    emotion_model: 'Human expression model (7 classes) mapped to the original categories with the smile score',
  };
}

let shared: Promise<FaceModel> | undefined;

/** The process's face model, loaded on first use. */
export function loadFaceModel(): Promise<FaceModel> {
  shared ??= loadFaceChain().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
