// One timeline entry per sampled frame, and the clean-up that needs neighbouring frames (pose outliers).
import type { Emotion, FaceFeatures, Gaze } from './face-features.ts';
import { FACE_THRESHOLDS, type FaceThresholds } from './thresholds.ts';

export interface TimelineFrame {
  /** Seconds from the start of the video. */
  t: number;
  /** A face was found and measured. */
  valid: boolean;
  gaze: Gaze | null;
  smile: number | null;
  emotion: Emotion | null;
  /** Degrees; null when no face or when the value was rejected as an outlier. */
  pitch: number | null;
  yaw: number | null;
  roll: number | null;
  gaze_yaw: number | null;
  gaze_pitch: number | null;
  face_confidence: number | null;
  eye_openness: number | null;
  emotion_scores: Record<string, number> | null;
  /** The head pose of this frame was implausible or a one-frame jump, so it is not reported. */
  pose_outlier: boolean;
}

export function timelineFrame(t: number, features: FaceFeatures | null): TimelineFrame {
  if (!features) {
    return {
      t,
      valid: false,
      gaze: null,
      smile: null,
      emotion: null,
      pitch: null,
      yaw: null,
      roll: null,
      gaze_yaw: null,
      gaze_pitch: null,
      face_confidence: null,
      eye_openness: null,
      emotion_scores: null,
      pose_outlier: false,
    };
  }
  return { t: Number(t.toFixed(3)), valid: true, ...features, pose_outlier: false };
}

const ANGLES = ['yaw', 'pitch', 'roll'] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Marks frames whose head pose is physically implausible, or jumps far from its neighbours for a
 * single frame, as outliers: their angles and the gaze derived from them are withheld, not reported.
 */
export function rejectPoseOutliers(
  frames: TimelineFrame[],
  thresholds: FaceThresholds = FACE_THRESHOLDS,
): TimelineFrame[] {
  const { outlier_abs_deg: limits, spike_deg: spike, spike_window_frames: window } = thresholds.pose;
  const valid = frames.filter((frame) => frame.valid);
  const outliers = new Set<TimelineFrame>();
  valid.forEach((frame, index) => {
    const implausible = ANGLES.some((angle) => Math.abs(frame[angle] ?? 0) > limits[angle]);
    const neighbours = valid.slice(Math.max(0, index - (window >> 1)), index + (window >> 1) + 1);
    const jump =
      neighbours.length >= 3 &&
      ANGLES.some((angle) => Math.abs((frame[angle] ?? 0) - median(neighbours.map((n) => n[angle] ?? 0))) > spike);
    if (implausible || jump) outliers.add(frame);
  });
  return frames.map((frame) =>
    outliers.has(frame)
      ? {
          ...frame,
          pose_outlier: true,
          yaw: null,
          pitch: null,
          roll: null,
          gaze: null,
          gaze_yaw: null,
          gaze_pitch: null,
        }
      : frame,
  );
}
