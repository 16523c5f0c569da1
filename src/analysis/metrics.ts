// Pure functions: timeline → the nonverbal metrics. No I/O, no models.
import type { Emotion, Gaze } from './face-features.ts';
import { FACE_THRESHOLDS, type FaceThresholds } from './thresholds.ts';
import type { TimelineFrame } from './timeline.ts';

export const EMOTIONS: Emotion[] = ['happy', 'pleasant', 'neutral', 'focused', 'concerned', 'surprised'];

const round = (value: number, digits = 4) => Number(value.toFixed(digits));
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const std = (values: number[]) => {
  const average = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
};
/** Share of `count` in `total`, or null when there is nothing to measure. */
const share = (count: number, total: number) => (total === 0 ? null : round(count / total));
const perMinute = (count: number, durationSec: number) =>
  durationSec > 0 ? round((count * 60) / durationSec, 2) : null;

/** Frames looking at the camera, over valid frames with a gaze. */
export function centerGazeRatio(frames: TimelineFrame[]): number | null {
  const withGaze = frames.filter((frame) => frame.valid && frame.gaze !== null);
  return share(withGaze.filter((frame) => frame.gaze === 'CENTER').length, withGaze.length);
}

/** Frames whose calibrated smile score reaches the absolute threshold, over valid frames. */
export function smileRatio(frames: TimelineFrame[], thresholds: FaceThresholds = FACE_THRESHOLDS): number | null {
  const smiles = validValues(frames, 'smile');
  return share(smiles.filter((smile) => smile >= thresholds.smile.smiling_threshold).length, smiles.length);
}

/**
 * The original service's figure, kept for comparison only: frames above mean + 0.5·std of the same
 * video, which is about 0.31 for any roughly normal series, smiling or not.
 */
export function adaptiveSmileRatio(frames: TimelineFrame[]): { threshold: number | null; ratio: number | null } {
  const smiles = validValues(frames, 'smile');
  if (smiles.length === 0) return { threshold: null, ratio: null };
  const threshold = mean(smiles) + 0.5 * std(smiles);
  return {
    threshold: round(threshold),
    ratio: share(smiles.filter((smile) => smile > threshold).length, smiles.length),
  };
}

function validValues(frames: TimelineFrame[], key: 'smile' | 'pitch' | 'eye_openness'): number[] {
  return frames.flatMap((frame) => (frame.valid && frame[key] !== null ? [frame[key]!] : []));
}

interface Sample {
  t: number;
  v: number;
}

function medianOf3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/**
 * Nods: the head goes down by at least the threshold and comes back up by at least the threshold,
 * all within a bounded time. Pitch is median-smoothed first (one-frame spikes vanish) and followed
 * with hysteresis (small wobbles do not count); a slow drift takes too long to count.
 */
export function countNods(frames: TimelineFrame[], thresholds: FaceThresholds = FACE_THRESHOLDS): number {
  return nodTimes(frames, thresholds).length;
}

/** When each nod began (the head starting down), in seconds. */
export function nodTimes(frames: TimelineFrame[], thresholds: FaceThresholds = FACE_THRESHOLDS): number[] {
  const { min_amplitude_deg: amplitude, max_duration_sec: maxDuration } = thresholds.nod;
  const raw: Sample[] = frames.flatMap((frame) =>
    frame.valid && frame.pitch !== null ? [{ t: frame.t, v: frame.pitch }] : [],
  );
  const samples = raw.map((sample, i) =>
    i === 0 || i === raw.length - 1 ? sample : { t: sample.t, v: medianOf3(raw[i - 1]!.v, sample.v, raw[i + 1]!.v) },
  );

  const nods: number[] = [];
  let descending = false;
  let high = 0; // index of the highest sample since the head last came up
  let low = 0; // index of the lowest sample of the current descent
  samples.forEach((sample, i) => {
    if (!descending) {
      if (sample.v >= samples[high]!.v) high = i;
      else if (samples[high]!.v - sample.v >= amplitude) [descending, low] = [true, i];
      return;
    }
    if (sample.v <= samples[low]!.v) {
      low = i;
    } else if (sample.v - samples[low]!.v >= amplitude) {
      // Back up by a full amplitude. The movement began when the head was last a full amplitude above
      // its lowest point; holding the head up beforehand does not count towards its duration.
      let start = low;
      while (start > 0 && samples[start]!.v < samples[low]!.v + amplitude) start -= 1;
      if (sample.t - samples[start]!.t <= maxDuration) nods.push(samples[start]!.t);
      [descending, high] = [false, i];
    }
  });
  return nods;
}

export function emotionDistribution(frames: TimelineFrame[]): Record<Emotion, number> {
  const emotions = frames.flatMap((frame) => (frame.valid && frame.emotion ? [frame.emotion] : []));
  return Object.fromEntries(
    EMOTIONS.map((emotion) => [
      emotion,
      emotions.length ? round(emotions.filter((e) => e === emotion).length / emotions.length) : 0,
    ]),
  ) as Record<Emotion, number>;
}

export function primaryEmotion(distribution: Record<Emotion, number>): Emotion | null {
  let best: Emotion | null = null;
  for (const emotion of EMOTIONS) if (distribution[emotion] > (best ? distribution[best] : 0)) best = emotion;
  return best;
}

/**
 * Blinks: short runs of frames whose eye openness falls below a fraction of the video's median.
 * At 5 frames a second many blinks fall between frames, so this is a lower bound.
 */
export function countBlinks(frames: TimelineFrame[], thresholds: FaceThresholds = FACE_THRESHOLDS): number {
  return blinkTimes(frames, thresholds).length;
}

/** When each blink closed the eyes, in seconds (the first closed frame). */
export function blinkTimes(frames: TimelineFrame[], thresholds: FaceThresholds = FACE_THRESHOLDS): number[] {
  const openness = validValues(frames, 'eye_openness');
  if (openness.length === 0) return [];
  const sorted = [...openness].sort((a, b) => a - b);
  const closedBelow = sorted[sorted.length >> 1]! * thresholds.blink.closed_fraction_of_median;
  const blinks: number[] = [];
  let runStart: number | null = null;
  let runEnd = 0;
  const endRun = () => {
    if (runStart !== null && runEnd - runStart <= thresholds.blink.max_blink_sec) blinks.push(runStart);
    runStart = null;
  };
  for (const frame of frames) {
    if (!frame.valid || frame.eye_openness === null) {
      endRun();
    } else if (frame.eye_openness < closedBelow) {
      runStart ??= frame.t;
      runEnd = frame.t;
    } else {
      endRun();
    }
  }
  endRun();
  return blinks;
}

export interface GazeAwaySegment {
  start_sec: number;
  end_sec: number;
  direction: Exclude<Gaze, 'CENTER'>;
}

/** Stretches of consecutive frames looking away from the camera, at least the minimum long. */
export function gazeAwaySegments(
  frames: TimelineFrame[],
  frameIntervalSec: number,
  thresholds: FaceThresholds = FACE_THRESHOLDS,
): GazeAwaySegment[] {
  const segments: GazeAwaySegment[] = [];
  let run: TimelineFrame[] = [];
  const endRun = () => {
    if (run.length > 0) {
      const start = run[0]!.t;
      const end = run[run.length - 1]!.t + frameIntervalSec;
      if (end - start >= thresholds.gaze_away.min_segment_sec) {
        const counts = new Map<Gaze, number>();
        for (const frame of run) counts.set(frame.gaze!, (counts.get(frame.gaze!) ?? 0) + 1);
        const direction = [...counts].sort((a, b) => b[1] - a[1])[0]![0] as GazeAwaySegment['direction'];
        segments.push({ start_sec: round(start, 2), end_sec: round(end, 2), direction });
      }
    }
    run = [];
  };
  for (const frame of frames) {
    if (frame.valid && frame.gaze !== null && frame.gaze !== 'CENTER') run.push(frame);
    else endRun();
  }
  endRun();
  return segments;
}

export interface Stretch {
  start_sec: number;
  end_sec: number;
}

/**
 * The longest runs of consecutive frames in a state, for feedback to point at (a strength's example, a
 * habit's clearest moment). A frame without a face breaks every run but `face_missing`'s: nothing is
 * known of its gaze or smile. Ties go to the earliest run.
 */
export interface LongestStretches {
  eye_contact: Stretch | null;
  smiling: Stretch | null;
  not_smiling: Stretch | null;
  face_missing: Stretch | null;
}

/** The longest run of consecutive frames that pass `test`, from its first frame to the end of its last. */
export function longestRun(
  frames: TimelineFrame[],
  test: (frame: TimelineFrame) => boolean,
  frameIntervalSec: number,
): Stretch | null {
  let best: Stretch | null = null;
  let start: number | null = null;
  let last = 0;
  const endRun = () => {
    if (start !== null && (best === null || last + frameIntervalSec - start > best.end_sec - best.start_sec + 1e-9)) {
      best = { start_sec: round(start, 2), end_sec: round(last + frameIntervalSec, 2) };
    }
    start = null;
  };
  for (const frame of frames) {
    if (test(frame)) {
      start ??= frame.t;
      last = frame.t;
    } else endRun();
  }
  endRun();
  return best;
}

export function longestStretches(
  frames: TimelineFrame[],
  frameIntervalSec: number,
  thresholds: FaceThresholds = FACE_THRESHOLDS,
): LongestStretches {
  const smiling = (frame: TimelineFrame) => frame.smile! >= thresholds.smile.smiling_threshold;
  return {
    eye_contact: longestRun(frames, (f) => f.valid && f.gaze === 'CENTER', frameIntervalSec),
    smiling: longestRun(frames, (f) => f.valid && f.smile !== null && smiling(f), frameIntervalSec),
    not_smiling: longestRun(frames, (f) => f.valid && f.smile !== null && !smiling(f), frameIntervalSec),
    face_missing: longestRun(frames, (f) => !f.valid, frameIntervalSec),
  };
}

export interface FaceMetrics {
  center_gaze_ratio: number | null;
  smile_ratio: number | null;
  nod_count: number;
  nod_rate_per_min: number | null;
  /** When each nod began, so a reader can see them. */
  nod_times_sec: number[];
  emotion_distribution: Record<Emotion, number>;
  primary_emotion: Emotion | null;
  blink_count: number;
  blink_rate_per_min: number | null;
  blink_times_sec: number[];
  gaze_away_segments: GazeAwaySegment[];
  longest_stretches: LongestStretches;
}

export interface FaceMetricsContext {
  durationSec: number;
  frameIntervalSec: number;
}

export function faceMetrics(
  frames: TimelineFrame[],
  { durationSec, frameIntervalSec }: FaceMetricsContext,
  thresholds: FaceThresholds = FACE_THRESHOLDS,
): FaceMetrics {
  const distribution = emotionDistribution(frames);
  const nods = nodTimes(frames, thresholds);
  const blinks = blinkTimes(frames, thresholds);
  return {
    center_gaze_ratio: centerGazeRatio(frames),
    smile_ratio: smileRatio(frames, thresholds),
    nod_count: nods.length,
    nod_rate_per_min: perMinute(nods.length, durationSec),
    nod_times_sec: nods,
    emotion_distribution: distribution,
    primary_emotion: primaryEmotion(distribution),
    blink_count: blinks.length,
    blink_rate_per_min: perMinute(blinks.length, durationSec),
    blink_times_sec: blinks,
    gaze_away_segments: gazeAwaySegments(frames, frameIntervalSec, thresholds),
    longest_stretches: longestStretches(frames, frameIntervalSec, thresholds),
  };
}

/** Reliability figures for the metadata block. */
export function faceConfidence(frames: TimelineFrame[]) {
  const valid = frames.filter((frame) => frame.valid);
  const confidences = valid.map((frame) => frame.face_confidence ?? 0);
  return {
    valid_frame_ratio: share(valid.length, frames.length),
    gaze_confidence_mean: confidences.length ? round(mean(confidences)) : null,
    face_confidence_std: confidences.length ? round(std(confidences)) : null,
    pose_outlier_ratio: share(valid.filter((frame) => frame.pose_outlier).length, valid.length),
  };
}
