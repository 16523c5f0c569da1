// The metadata block of every result: how it was computed (thresholds, models, frame counts) and how
// far it can be trusted. Its type is what this function returns, so the shape is written once.
import { adaptiveSmileRatio, faceConfidence } from './metrics.ts';
import type { SpeechAnalysis } from './speech/index.ts';
import { SPEECH_THRESHOLDS, type FaceThresholds } from './thresholds.ts';
import type { TimelineFrame } from './timeline.ts';
import { faceModelInfo } from './vision.ts';

export function analysisMetadata({
  timeline,
  durationSec,
  thresholds,
  speech,
}: {
  /** The timeline after pose outliers were rejected. */
  timeline: TimelineFrame[];
  durationSec: number;
  thresholds: FaceThresholds;
  speech: SpeechAnalysis | null;
}) {
  const fps = thresholds.analysis_fps;
  const confidence = faceConfidence(timeline);
  const adaptive = adaptiveSmileRatio(timeline);
  const validCount = timeline.filter((frame) => frame.valid).length;
  const decodedUntil = timeline.length ? timeline[timeline.length - 1]!.t + 1 / fps : 0;
  const warnings: string[] = [];
  if (decodedUntil + 1 / fps < durationSec) {
    warnings.push(
      `Only the first ${decodedUntil.toFixed(1)} s of ${durationSec.toFixed(1)} s could be decoded; the file may be truncated.`,
    );
  }

  return {
    warnings,
    fps_analyzed: durationSec > 0 ? Number((timeline.length / durationSec).toFixed(3)) : null,
    fps_requested: fps,
    duration_sec: durationSec > 0 ? Number(durationSec.toFixed(3)) : null,
    frame_count_total: timeline.length,
    frame_count_valid: validCount,
    frame_count_expected: Math.floor(durationSec * fps),
    thresholds: {
      ...thresholds,
      // The original's keys, for readers that know them.
      smile_threshold: { type: 'absolute', value: thresholds.smile.smiling_threshold },
      nod_pitch_delta_threshold: thresholds.nod.min_amplitude_deg,
      pose_outlier_thresholds: thresholds.pose.outlier_abs_deg,
    },
    models: {
      ...faceModelInfo(),
      vad_model: speech ? SPEECH_THRESHOLDS.vad.model : null,
      stt_engine: speech?.speech.stt_engine ?? null,
      stt_model: speech?.speech.stt_model ?? null,
    },
    speech: speech ? SPEECH_THRESHOLDS : null,
    confidence: {
      valid_frame_ratio: confidence.valid_frame_ratio,
      gaze_confidence_mean: confidence.gaze_confidence_mean,
      face_confidence_std: confidence.face_confidence_std,
    },
    outlier_flags: {
      pose_outlier_ratio: confidence.pose_outlier_ratio,
      pose_outlier_rule: `abs(yaw)>${thresholds.pose.outlier_abs_deg.yaw} or abs(pitch)>${thresholds.pose.outlier_abs_deg.pitch} or abs(roll)>${thresholds.pose.outlier_abs_deg.roll}, or ${thresholds.pose.spike_deg}° away from the median of ${thresholds.pose.spike_window_frames} neighbouring frames`,
    },
    smile_adaptive: {
      ...adaptive,
      note: "The original service's relative threshold (mean + 0.5·std of this video), for comparison only.",
    },
    blink_note: `Blinks shorter than the ${1 / fps} s between sampled frames are missed, so the blink rate is a lower bound.`,
    angle_conventions:
      "Candidate's own view: yaw + = head turned to their right, pitch + = up, roll + = tilted to their right shoulder.",
  };
}

export type AnalysisMetadata = ReturnType<typeof analysisMetadata>;
