import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Emotion, Gaze } from '../../src/analysis/face-features.ts';
import { classifyEmotion, classifyGaze } from '../../src/analysis/face-features.ts';
import {
  adaptiveSmileRatio,
  centerGazeRatio,
  blinkTimes,
  countBlinks,
  countNods,
  nodTimes,
  emotionDistribution,
  faceConfidence,
  faceMetrics,
  gazeAwaySegments,
  primaryEmotion,
  smileRatio,
} from '../../src/analysis/metrics.ts';
import { rejectPoseOutliers, timelineFrame, type TimelineFrame } from '../../src/analysis/timeline.ts';

const FPS = 5;

/** A valid frame at index i (t = i / 5 s) with the given values; the rest neutral. */
function frame(i: number, values: Partial<TimelineFrame> = {}): TimelineFrame {
  return {
    ...timelineFrame(i / FPS, {
      face_confidence: 0.9,
      yaw: 0,
      pitch: 0,
      roll: 0,
      gaze_yaw: 0,
      gaze_pitch: 0,
      gaze: 'CENTER',
      eye_openness: 0.3,
      smile: 0.1,
      emotion: 'neutral',
      emotion_scores: { neutral: 0.9 },
    }),
    ...values,
  };
}
const noFace = (i: number) => timelineFrame(i / FPS, null);
const pitchSeries = (pitches: number[]) => pitches.map((pitch, i) => frame(i, { pitch }));

describe('nods', () => {
  test('clean nods: down by 10° and back up within a second, three times', () => {
    const one = [0, 0, -4, -9, -10, -5, 0, 0];
    assert.equal(countNods(pitchSeries([...one, ...one, ...one])), 3);
    // Each nod starts where the head last stood a full amplitude above its lowest point: frames 1, 9, 17.
    assert.deepEqual(nodTimes(pitchSeries([...one, ...one, ...one])), [1 / FPS, 9 / FPS, 17 / FPS]);
  });

  test('an up-and-down movement (head raised, then lowered) is not a nod until it comes back up', () => {
    assert.equal(countNods(pitchSeries([0, 5, 10, 5, 0, 0])), 0);
    assert.equal(countNods(pitchSeries([0, 0, -4, -9, -9, -9, -9])), 0);
  });

  test('a short nod held for two sampled frames counts; a one-frame dip does not', () => {
    assert.equal(countNods(pitchSeries([0, 0, -8, -8, 0, 0])), 1);
    assert.equal(countNods(pitchSeries([0, 0, -12, 0, 0, 0])), 0);
  });

  test('slow drift down and back over ten seconds is posture, not a nod', () => {
    const down = Array.from({ length: 25 }, (_, i) => -0.6 * i); // to -14.4° over 5 s
    const up = [...down].reverse();
    assert.equal(countNods(pitchSeries([...down, ...up])), 0);
  });

  test('a nod after the head was held up for a long time still counts (the movement is what is timed)', () => {
    const held = Array(20).fill(8);
    assert.equal(countNods(pitchSeries([...held, 2, -3, 2, 8, 8])), 1);
  });

  test('one-frame spikes and small wobbles are not nods', () => {
    assert.equal(countNods(pitchSeries([0, 0, -20, 0, 0, 0, 25, 0, 0])), 0);
    assert.equal(countNods(pitchSeries([0, -4, 0, -4, 0, -4, 0, -4, 0])), 0);
  });

  test('frames without a face or with a rejected pose are skipped, not read as zero', () => {
    const frames = [
      frame(0, { pitch: -10 }),
      noFace(1),
      frame(2, { pitch: null }),
      frame(3, { pitch: -10 }),
      frame(4, { pitch: -10 }),
    ];
    assert.equal(countNods(frames), 0);
    assert.equal(countNods([]), 0);
  });
});

describe('ratios and distributions', () => {
  test('smile ratio uses the absolute threshold; the adaptive figure is the original’s', () => {
    const smiles = [0.1, 0.2, 0.55, 0.9, 0.49, 0.5];
    const frames = [...smiles.map((smile, i) => frame(i, { smile })), noFace(6)];
    assert.equal(smileRatio(frames), 0.5); // 0.55, 0.9, 0.5 of six valid frames
    const mean = smiles.reduce((a, b) => a + b) / 6;
    const std = Math.sqrt(smiles.reduce((a, b) => a + (b - mean) ** 2, 0) / 6);
    const adaptive = adaptiveSmileRatio(frames);
    assert.ok(Math.abs(adaptive.threshold! - (mean + 0.5 * std)) < 1e-4);
    const above = smiles.filter((smile) => smile > mean + 0.5 * std).length;
    assert.equal(above, 1); // only 0.9 exceeds 0.586
    assert.equal(adaptive.ratio, Number((above / 6).toFixed(4)));
  });

  test('a face that never smiles scores 0, though the relative figure still calls a third of it smiling', () => {
    const frames = Array.from({ length: 30 }, (_, i) => frame(i, { smile: 0.05 + 0.01 * (i % 7) }));
    assert.equal(smileRatio(frames), 0);
    assert.ok(adaptiveSmileRatio(frames).ratio! > 0.2);
  });

  test('center gaze ratio counts only frames with a gaze', () => {
    const gazes: Gaze[] = ['CENTER', 'CENTER', 'LEFT', 'DOWN', 'CENTER'];
    const frames = [
      ...gazes.map((gaze, i) => frame(i, { gaze })),
      noFace(5),
      frame(6, { gaze: null, pose_outlier: true }),
    ];
    assert.equal(centerGazeRatio(frames), 0.6);
  });

  test('emotion distribution sums to 1 over valid frames; the primary emotion is the largest share', () => {
    const emotions: Emotion[] = ['happy', 'neutral', 'neutral', 'pleasant', 'neutral', 'concerned', 'happy', 'neutral'];
    const frames = [...emotions.map((emotion, i) => frame(i, { emotion })), noFace(8)];
    const distribution = emotionDistribution(frames);
    assert.deepEqual(distribution, {
      happy: 0.25,
      pleasant: 0.125,
      neutral: 0.5,
      focused: 0,
      concerned: 0.125,
      surprised: 0,
    });
    assert.ok(Math.abs(Object.values(distribution).reduce((a, b) => a + b) - 1) < 1e-9);
    assert.equal(primaryEmotion(distribution), 'neutral');
  });

  test('empty and all-invalid timelines give no ratios and no counts, never NaN', () => {
    for (const frames of [[], [noFace(0), noFace(1), noFace(2)]]) {
      const metrics = faceMetrics(frames, { durationSec: frames.length / FPS, frameIntervalSec: 1 / FPS });
      assert.equal(metrics.center_gaze_ratio, null);
      assert.equal(metrics.smile_ratio, null);
      assert.equal(metrics.nod_count, 0);
      assert.equal(metrics.primary_emotion, null);
      assert.deepEqual(metrics.gaze_away_segments, []);
      assert.equal(metrics.blink_count, 0);
      assert.ok(!JSON.stringify(metrics).includes('NaN'));
      assert.equal(faceConfidence(frames).valid_frame_ratio, frames.length ? 0 : null);
    }
  });
});

describe('gaze-away segments and blinks', () => {
  test('stretches away of at least a second become segments with their main direction', () => {
    const gazes: Gaze[] = [
      'CENTER',
      'CENTER',
      'DOWN',
      'DOWN',
      'DOWN',
      'LEFT',
      'DOWN',
      'DOWN', // 6 frames: 0.4 s → 1.6 s
      'CENTER',
      'RIGHT',
      'RIGHT',
      'RIGHT', // 0.6 s: a glance
      'CENTER',
    ];
    const frames = gazes.map((gaze, i) => frame(i, { gaze }));
    assert.deepEqual(gazeAwaySegments(frames, 1 / FPS), [{ start_sec: 0.4, end_sec: 1.6, direction: 'DOWN' }]);
  });

  test('a frame without a face ends a stretch', () => {
    const frames = [0, 1, 2, 3].map((i) => frame(i, { gaze: 'UP' }));
    frames.push(noFace(4), ...[5, 6, 7].map((i) => frame(i, { gaze: 'UP' })));
    assert.deepEqual(gazeAwaySegments(frames, 1 / FPS), []);
  });

  test('blinks are short closures against the video’s own median openness; long closures are not', () => {
    const openness = [0.3, 0.31, 0.05, 0.3, 0.29, 0.04, 0.06, 0.3, 0.3, 0.02, 0.02, 0.02, 0.02, 0.02, 0.3, 0.31];
    const frames = openness.map((eye_openness, i) => frame(i, { eye_openness }));
    assert.equal(countBlinks(frames), 2); // one frame, two frames; five frames (1 s) is eyes shut
    assert.deepEqual(blinkTimes(frames), [2 / FPS, 5 / FPS], 'each blink at its first closed frame');
  });
});

describe('per-frame rules and pose outliers', () => {
  test('gaze classes by the larger excursion relative to its limit', () => {
    assert.equal(classifyGaze(5, -5), 'CENTER');
    assert.equal(classifyGaze(20, 5), 'RIGHT');
    assert.equal(classifyGaze(-20, 5), 'LEFT');
    assert.equal(classifyGaze(10, -25), 'DOWN');
    assert.equal(classifyGaze(-16, 30), 'UP');
  });

  test('emotion categories: smile first, then surprise, then negative expressions', () => {
    assert.equal(classifyEmotion({ neutral: 0.9 }, 0.8), 'happy');
    assert.equal(classifyEmotion({ surprise: 0.7 }, 0.1), 'surprised');
    assert.equal(classifyEmotion({ neutral: 0.5, happy: 0.4 }, 0.4), 'pleasant');
    assert.equal(classifyEmotion({ sad: 0.4, angry: 0.3 }, 0.1), 'concerned');
    assert.equal(classifyEmotion({ sad: 0.4, neutral: 0.6 }, 0.1), 'focused');
    assert.equal(classifyEmotion({ neutral: 0.8, sad: 0.1 }, 0.1), 'neutral');
  });

  test('implausible angles and one-frame jumps are withheld and flagged; steady frames are kept', () => {
    const frames = Array.from({ length: 12 }, (_, i) => frame(i, { yaw: 2, pitch: 5, roll: 1 }));
    frames[0] = frame(0, { yaw: 2, pitch: 81.3, roll: 1 }); // the original's first-frame artefact
    frames[6] = frame(6, { yaw: 33, pitch: 5, roll: 175 });
    frames[9] = frame(9, { yaw: 2, pitch: 30, roll: 1 }); // plausible, but 25° off its neighbours
    const cleaned = rejectPoseOutliers(frames);
    assert.deepEqual(
      cleaned.map((f) => f.pose_outlier),
      frames.map((_, i) => [0, 6, 9].includes(i)),
    );
    for (const i of [0, 6, 9])
      assert.deepEqual(
        [cleaned[i]!.pitch, cleaned[i]!.yaw, cleaned[i]!.roll, cleaned[i]!.gaze],
        [null, null, null, null],
      );
    assert.equal(cleaned[3]!.pitch, 5);
    assert.equal(faceConfidence(cleaned).pose_outlier_ratio, 0.25);
  });
});
