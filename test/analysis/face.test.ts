// The face pipeline on real footage, and on ffmpeg-made variants whose answer is known.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadSpeechSettings } from '../../src/config.ts';
import { faceWorkerPool, type FaceWorkerPool } from '../../src/analysis/face-pool.ts';
import { MediaError } from '../../src/analysis/media.ts';
import { analyze, type AnalysisResult } from '../../src/analysis/pipeline.ts';
import { FACE_THRESHOLDS } from '../../src/analysis/thresholds.ts';
import {
  CONTEXT,
  ffmpeg,
  filtered,
  fixture,
  median,
  scratchDir,
  sidewaysWithDisplayMatrix,
  TALKING_FEMALE,
  TALKING_MALE,
  WEBCAM_EXPRESSIONS,
} from './media-helpers.ts';

let pool: FaceWorkerPool;
before(() => {
  pool = faceWorkerPool(2);
});
after(() => pool.close());

const run = (file: string, thresholds = FACE_THRESHOLDS) =>
  analyze(file, { ...CONTEXT, thresholds }, { facePool: pool });
const valid = (result: AnalysisResult) => result.timeline.filter((frame) => frame.valid);
const medianOf = (result: AnalysisResult, key: 'yaw' | 'pitch' | 'roll') =>
  median(valid(result).flatMap((frame) => (frame[key] === null ? [] : [frame[key]!])));
const gazeCount = (result: AnalysisResult, gaze: string) =>
  result.timeline.filter((frame) => frame.gaze === gaze).length;

describe('face analysis on talking-head footage', () => {
  for (const file of [TALKING_MALE, TALKING_FEMALE]) {
    test(`a speaker facing the camera: ${file.split('/').pop()}`, async () => {
      const result = await run(file);
      const { metrics } = result;
      const expectedFrames = Math.ceil(result.video.duration_sec * 5 - 1e-6);
      assert.ok(Math.abs(result.timeline.length - expectedFrames) <= 1, `${result.timeline.length} frames`);
      assert.ok(valid(result).length >= 0.95 * result.timeline.length);
      assert.ok(metrics.center_gaze_ratio! >= 0.8, `center gaze ${metrics.center_gaze_ratio}`);
      assert.ok(Math.abs(medianOf(result, 'yaw')) < 15);
      assert.ok(Math.abs(medianOf(result, 'pitch')) < 15);
      assert.equal(
        metrics.metadata.outlier_flags &&
          (metrics.metadata.outlier_flags as { pose_outlier_ratio: number }).pose_outlier_ratio,
        0,
      );
      // Every frame gets its own expression: a frozen expression model would repeat identical scores.
      const scores = new Set(valid(result).map((frame) => JSON.stringify(frame.emotion_scores)));
      assert.ok(scores.size > valid(result).length / 2, `${scores.size} distinct expression results`);
      const sum = Object.values(metrics.emotion_distribution).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-3);
      for (let i = 1; i < result.timeline.length; i++) assert.ok(result.timeline[i]!.t > result.timeline[i - 1]!.t);
    });
  }
});

describe('state between videos', () => {
  test('a video analysed again after another gives the same timeline (nothing tracked across videos)', async () => {
    const first = await run(TALKING_FEMALE);
    await run(TALKING_MALE);
    const again = await run(TALKING_FEMALE);
    assert.deepEqual(again.timeline, first.timeline);
  });
});

describe('known answers from ffmpeg-made variants', () => {
  test('rotating the picture ±15° moves the median roll by that much (+ = counter-clockwise)', async (t) => {
    const dir = await scratchDir(t);
    const original = medianOf(await run(TALKING_FEMALE), 'roll');
    for (const degrees of [15, -15]) {
      const file = join(dir, `roll${degrees}.mp4`);
      // ffmpeg's rotate filter turns clockwise for positive angles.
      await filtered(TALKING_FEMALE, `rotate=${-degrees}*PI/180`, file);
      const rotated = medianOf(await run(file), 'roll');
      assert.ok(Math.abs(rotated - original - degrees) <= 3, `rotated ${degrees}°: roll ${original} → ${rotated}`);
    }
  });

  test('a mirrored video flips the sign of yaw and swaps LEFT and RIGHT', async (t) => {
    const dir = await scratchDir(t);
    const mirrored = join(dir, 'mirrored.mp4');
    await filtered(TALKING_MALE, 'hflip', mirrored, '-crf', '12');
    const before = await run(TALKING_MALE);
    const after = await run(mirrored);
    const gazeYaw = (result: AnalysisResult) => median(valid(result).map((frame) => frame.gaze_yaw!));
    assert.ok(medianOf(before, 'yaw') > 4, `yaw ${medianOf(before, 'yaw')}`);
    assert.ok(
      Math.abs(medianOf(after, 'yaw') + medianOf(before, 'yaw')) < 2,
      `${medianOf(before, 'yaw')} vs ${medianOf(after, 'yaw')}`,
    );
    // The eye term comes from small irises and is less symmetric than the head.
    assert.ok(Math.abs(gazeYaw(after) + gazeYaw(before)) <= 4, `gaze yaw ${gazeYaw(before)} vs ${gazeYaw(after)}`);

    // With a narrow centre and the eye term off, the speaker's slight head turn (about 8°) is RIGHT.
    const headOnly = {
      ...FACE_THRESHOLDS,
      gaze: { ...FACE_THRESHOLDS.gaze, center_max_yaw_deg: 4, iris_offset_at_90_deg: 1e9 },
    };
    const narrowBefore = await run(TALKING_MALE, headOnly);
    const narrowAfter = await run(mirrored, headOnly);
    const counts = ['LEFT', 'RIGHT', 'CENTER']
      .map((g) => `${g} ${gazeCount(narrowBefore, g)}→${gazeCount(narrowAfter, g)}`)
      .join(', ');
    assert.ok(gazeCount(narrowBefore, 'RIGHT') >= 20, counts);
    assert.ok(Math.abs(gazeCount(narrowAfter, 'LEFT') - gazeCount(narrowBefore, 'RIGHT')) <= 2, counts);
    assert.ok(Math.abs(gazeCount(narrowAfter, 'RIGHT') - gazeCount(narrowBefore, 'LEFT')) <= 2, counts);
  });

  test('black frames and frames without a face are not valid and carry no measurements', async (t) => {
    const dir = await scratchDir(t);
    const file = join(dir, 'blackout.mp4');
    await filtered(TALKING_MALE, "drawbox=enable='lt(t,2)':color=black:t=fill", file);
    const result = await run(file);
    for (const frame of result.timeline) {
      if (frame.t < 1.95) {
        assert.equal(frame.valid, false, `t=${frame.t}`);
        assert.deepEqual([frame.gaze, frame.smile, frame.yaw, frame.emotion], [null, null, null, null]);
      } else if (frame.t > 2.05) {
        assert.equal(frame.valid, true, `t=${frame.t}`);
      }
    }
    const wall = join(dir, 'wall.mp4');
    await ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240:rate=25:duration=2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      wall,
    );
    const empty = await run(wall);
    assert.equal(empty.timeline.length, 10);
    assert.equal(empty.metrics.metadata.frame_count_valid, 0);
    assert.equal(empty.metrics.center_gaze_ratio, null);
  });

  test('a video rotated by metadata is analysed upright', async (t) => {
    const result = await run(await sidewaysWithDisplayMatrix(await scratchDir(t)));
    assert.ok(valid(result).length >= 9, `${valid(result).length} of ${result.timeline.length} valid`);
    assert.ok(Math.abs(medianOf(result, 'roll')) < 20, `roll ${medianOf(result, 'roll')}`);
  });

  test('a WebM re-encode gives the same metrics as the MP4, within a small tolerance', async (t) => {
    const file = join(await scratchDir(t), 'answer.webm');
    await ffmpeg(
      '-i',
      TALKING_FEMALE,
      '-c:v',
      'libvpx-vp9',
      '-b:v',
      '1M',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-c:a',
      'libopus',
      file,
    );
    const mp4 = await run(TALKING_FEMALE);
    const webm = await run(file);
    assert.ok(Math.abs(webm.timeline.length - mp4.timeline.length) <= 1);
    assert.ok(Math.abs(webm.metrics.center_gaze_ratio! - mp4.metrics.center_gaze_ratio!) <= 0.1);
    assert.ok(Math.abs(webm.metrics.smile_ratio! - mp4.metrics.smile_ratio!) <= 0.1);
    for (const key of ['yaw', 'pitch', 'roll'] as const) {
      assert.ok(
        Math.abs(medianOf(webm, key) - medianOf(mp4, key)) <= 2,
        `${key}: ${medianOf(mp4, key)} vs ${medianOf(webm, key)}`,
      );
    }
  });
});

describe('smile score', () => {
  const smileOf = async (file: string) => {
    const result = await run(file);
    assert.equal(result.timeline.length, 1);
    return result.timeline[0]!.smile!;
  };

  test('clear smiles score high, a neutral or speaking face low', async () => {
    for (const name of ['face_frontal_smile_a.jpg', 'face_frontal_smile_b.jpg']) {
      assert.ok((await smileOf(fixture(name))) >= 0.6, name);
    }
    for (const name of ['face_frontal_speaking_c.jpg', 'face_frontal_d.jpg']) {
      assert.ok((await smileOf(fixture(name))) <= 0.3, name);
    }
  });

  test('independent of face size and head roll', async (t) => {
    const dir = await scratchDir(t);
    const original = await smileOf(fixture('face_frontal_smile_b.jpg'));
    const small = join(dir, 'small.jpg');
    await ffmpeg('-i', fixture('face_frontal_smile_b.jpg'), '-vf', 'scale=400:400', small);
    const tilted = join(dir, 'tilted.jpg');
    await ffmpeg('-i', fixture('face_frontal_smile_b.jpg'), '-vf', 'rotate=20*PI/180', tilted);
    assert.ok(Math.abs((await smileOf(small)) - original) <= 0.1);
    assert.ok(Math.abs((await smileOf(tilted)) - original) <= 0.1);
  });

  test('the expressions video: smiling frames exist, and the neutral opening is not smiling', async () => {
    const result = await run(WEBCAM_EXPRESSIONS);
    const opening = result.timeline.filter((frame) => frame.t < 2 && frame.valid);
    assert.ok(opening.every((frame) => frame.smile! < FACE_THRESHOLDS.smile.smiling_threshold));
    assert.ok(
      result.metrics.smile_ratio! > 0.05 && result.metrics.smile_ratio! < 0.5,
      String(result.metrics.smile_ratio),
    );
    assert.ok(result.metrics.blink_count >= 1);
  });
});

test('the speech stage runs beside the face stage; a video without sound says so', async (t) => {
  const dir = await scratchDir(t);
  const speech = loadSpeechSettings({ DATA_DIR: dir, STT_ENGINE: 'none' });
  const withSound = await analyze(TALKING_FEMALE, { ...CONTEXT, speech }, { facePool: pool });
  assert.equal(withSound.metrics.speech!.stt_status, 'disabled');
  // SOURCES.md: pauses below -35 dB at about 3.03–3.40, 4.45–4.77 and 6.32–7.27 s; the last one is ~1 s.
  assert.ok(withSound.metrics.speech!.speaking_time_sec! > 5 && withSound.metrics.speech!.speaking_time_sec! < 7.5);
  assert.equal(
    withSound.metrics.metadata.models && (withSound.metrics.metadata.models as { vad_model: string }).vad_model,
    'Silero VAD v5 (ONNX)',
  );
  const silent = join(dir, 'silent.mp4');
  await ffmpeg('-i', TALKING_MALE, '-an', '-c:v', 'copy', silent);
  const noSound = await analyze(silent, { ...CONTEXT, speech }, { facePool: pool });
  assert.equal(noSound.metrics.speech!.stt_status, 'no_audio');
  assert.equal(noSound.metrics.wpm, null);
  assert.ok(noSound.metrics.center_gaze_ratio! > 0.8);
});

test('bad input fails with a clear media error; a truncated file is analysed as far as it goes, with a warning', async (t) => {
  const dir = await scratchDir(t);
  const streamable = join(dir, 'streamable.mp4');
  await ffmpeg('-i', TALKING_MALE, '-c', 'copy', '-movflags', '+faststart', streamable);
  const truncated = join(dir, 'truncated.mp4');
  await writeFile(truncated, (await readFile(streamable)).subarray(0, 200_000));
  const partial = await run(truncated);
  assert.ok(partial.timeline.length > 3 && partial.timeline.length < 20, `${partial.timeline.length} frames`);
  assert.match((partial.metrics.metadata.warnings as string[])[0]!, /could be decoded; the file may be truncated/);
  assert.deepEqual((await run(TALKING_MALE)).metrics.metadata.warnings, []);

  await assert.rejects(
    run(fixture('speech_en_jfk_11s.wav')),
    (error: unknown) => error instanceof MediaError && error.code === 'NO_VIDEO_STREAM',
  );
  await assert.rejects(
    run(join(dir, 'nothing.mp4')),
    (error: unknown) => error instanceof MediaError && error.code === 'UNREADABLE_MEDIA',
  );
});
