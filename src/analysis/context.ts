// How analyses are set up, built once from the config by whoever runs them (the server, the command
// line, a benchmark) and handed to analyze(); plain data, so it crosses to an analysis process as it is.
// Light on purpose: the server imports it without loading any model.
import type { AnalysisSettings, SpeechSettings } from '../config.ts';
import { mediaTools, type MediaTools } from './media.ts';
import { FACE_THRESHOLDS, type FaceThresholds } from './thresholds.ts';

export interface AnalysisContext {
  /** FACE_THRESHOLDS at the configured frame rate (ANALYSIS_FPS). */
  thresholds: FaceThresholds;
  tools: MediaTools;
  /** Threads for the face model when the call brings no pool of its own (FACE_WORKERS). */
  faceWorkers: number;
  /** How to transcribe; null skips the speech stage. */
  speech: SpeechSettings | null;
}

export function analysisContext(settings: AnalysisSettings, speech: SpeechSettings | null): AnalysisContext {
  return {
    thresholds: { ...FACE_THRESHOLDS, analysis_fps: settings.fps },
    tools: mediaTools(settings),
    faceWorkers: settings.faceWorkers,
    speech,
  };
}
