import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AUDIO_SAMPLE_RATE, frameSize, MediaError, probe, readAudio, readFrames } from '../../src/analysis/media.ts';
import {
  ffmpeg,
  fixture,
  scratchDir,
  sidewaysWithDisplayMatrix,
  TALKING_FEMALE,
  TALKING_MALE,
  TOOLS,
  WEBCAM_EXPRESSIONS,
} from './media-helpers.ts';

async function collect(file: string, fps = 5, maxSide = 640) {
  const info = await probe(file, TOOLS);
  const frames = [];
  for await (const frame of readFrames(file, info, { fps, maxSide }, TOOLS))
    frames.push({ ...frame, rgb: frame.rgb.length });
  return { info, frames };
}

describe('media', () => {
  test('probe reads duration, frame rate, displayed size and streams', async () => {
    const male = await probe(TALKING_MALE, TOOLS);
    assert.ok(Math.abs(male.durationSec - 5.0) < 0.1, String(male.durationSec));
    assert.equal(male.fps, 25);
    assert.deepEqual([male.width, male.height, male.rotationDeg, male.hasAudio], [844, 844, 0, true]);
    // Coded 512×480 with sample aspect ratio 15:16: displayed 480×480.
    const webcam = await probe(WEBCAM_EXPRESSIONS, TOOLS);
    assert.deepEqual([webcam.width, webcam.height], [480, 480]);
  });

  test('frames: one per 0.2 s slot with real timestamps, scaled, as raw RGB', async () => {
    const { frames } = await collect(TALKING_MALE, 5, 320);
    assert.equal(frames.length, 25);
    assert.deepEqual([frames[0]!.width, frames[0]!.height, frames[0]!.rgb], [320, 320, 320 * 320 * 3]);
    frames.forEach((frame, i) => {
      // Source frames are 0.04 s apart, so each slot starts exactly on a frame.
      assert.ok(Math.abs(frame.t - i * 0.2) < 1e-6, `${i}: ${frame.t}`);
    });
  });

  test('skipping unreferenced frames still gives every slot a frame: eight B-frames in a row, no pyramid', async (t) => {
    // At 25 fps a 0.2 s slot holds 5 frames; runs of 8 unreferenced B-frames leave some slots with none
    // decoded, and those are decoded again in full.
    const file = join(await scratchDir(t), 'long-b-runs.mp4');
    const x264 = 'bframes=8:b-adapt=0:b-pyramid=none';
    await ffmpeg('-i', TALKING_FEMALE, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-x264-params', x264, file);
    const info = await probe(file, TOOLS);
    const read = async (skipUnreferencedFromRatio?: number) => {
      const times: number[] = [];
      const options = { fps: 5, maxSide: 320, skipUnreferencedFromRatio };
      for await (const frame of readFrames(file, info, options, TOOLS)) times.push(frame.t);
      return times;
    };
    const all = await read();
    const skipping = await read(5);
    const slots = (times: number[]) => times.map((time) => Math.floor(time * 5 + 1e-6));
    assert.equal(all.length, 40);
    assert.deepEqual(slots(skipping), slots(all), 'one frame per slot, in order');
    for (const [i, time] of skipping.entries()) assert.ok(time >= all[i]!, `slot ${i}: ${time} before ${all[i]}`);
  });

  test('reused frame buffers: the frame a consumer keeps stays intact, through slow reading and slots decoded again', async (t) => {
    // Long B-runs: some slots are decoded by a second ffmpeg while the first holds a finished frame.
    const file = join(await scratchDir(t), 'long-b-runs.mp4');
    const x264 = 'bframes=8:b-adapt=0:b-pyramid=none';
    await ffmpeg('-i', TALKING_FEMALE, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-x264-params', x264, file);
    const info = await probe(file, TOOLS);
    const options = { fps: 5, maxSide: 320, skipUnreferencedFromRatio: 5 };
    const digest = (rgb: Buffer) => createHash('sha1').update(rgb).digest('hex');
    const expected: string[] = [];
    for await (const frame of readFrames(file, info, options, TOOLS)) expected.push(digest(frame.rgb));
    assert.equal(expected.length, 40);
    assert.ok(new Set(expected).size > 30, 'frames differ from one another');

    const seen: string[] = [];
    let kept: { rgb: Buffer; digest: string } | undefined;
    for await (const frame of readFrames(file, info, { ...options, reuseBuffersAfter: 1 }, TOOLS)) {
      if (kept) assert.equal(digest(kept.rgb), kept.digest, `frame ${seen.length - 1} changed while kept`);
      kept = { rgb: frame.rgb, digest: digest(frame.rgb) };
      seen.push(kept.digest);
      // A slow consumer: ffmpeg is made to wait and reading stops and starts again.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.deepEqual(seen, expected);
  });

  test('frames from a 23.976 fps source carry their own times, one per slot', async (t) => {
    const dir = await scratchDir(t);
    const file = join(dir, 'ntsc.mp4');
    await ffmpeg(
      '-i',
      TALKING_MALE,
      '-t',
      '3',
      '-r',
      '24000/1001',
      '-an',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      file,
    );
    const { frames } = await collect(file);
    assert.equal(frames.length, 15);
    for (const [i, frame] of frames.entries()) {
      // The first source frame at or after i × 0.2 s: a multiple of 1001/24000 s.
      const expected = Math.ceil((i * 0.2 * 24000) / 1001 - 1e-9) * (1001 / 24000);
      assert.ok(Math.abs(frame.t - expected) < 0.002, `frame ${i}: ${frame.t} vs ${expected}`);
    }
  });

  test('rotation metadata is honoured: a sideways-stored video decodes upright', async (t) => {
    const file = await sidewaysWithDisplayMatrix(await scratchDir(t));
    const info = await probe(file, TOOLS);
    // Stored turned 90° clockwise; its display matrix turns it back, 90° counter-clockwise.
    assert.equal(info.rotationDeg, 270);
    assert.deepEqual([info.width, info.height], [320, 240]);
    const { frames } = await collect(file);
    assert.deepEqual([frames[0]!.width, frames[0]!.height], [320, 240]);
  });

  test('browser-style WebM without a duration in its header still gets one', async (t) => {
    const dir = await scratchDir(t);
    const file = join(dir, 'recording.webm');
    await ffmpeg(
      '-i',
      TALKING_MALE,
      '-t',
      '3',
      '-c:v',
      'libvpx',
      '-b:v',
      '500k',
      '-deadline',
      'realtime',
      '-c:a',
      'libopus',
      '-live',
      '1',
      '-f',
      'webm',
      file,
    );
    const info = await probe(file, TOOLS);
    assert.ok(Math.abs(info.durationSec - 3) < 0.15, String(info.durationSec));
    assert.equal(info.codec, 'vp8');
    const { frames } = await collect(file);
    assert.equal(frames.length, 15);
  });

  test('audio: the whole track as 16 kHz mono floats, or null without one', async (t) => {
    const info = await probe(TALKING_MALE, TOOLS);
    const audio = await readAudio(TALKING_MALE, info, TOOLS);
    assert.ok(audio);
    assert.ok(Math.abs(audio.length / AUDIO_SAMPLE_RATE - info.durationSec) < 0.05);
    assert.ok(
      audio.some((sample) => Math.abs(sample) > 0.05),
      'speech should not be silent',
    );
    assert.ok(audio.every((sample) => Math.abs(sample) <= 1.0001));

    const dir = await scratchDir(t);
    const silent = join(dir, 'video-only.mp4');
    await ffmpeg('-i', TALKING_MALE, '-t', '1', '-an', '-c:v', 'copy', silent);
    assert.equal(await readAudio(silent, await probe(silent, TOOLS), TOOLS), null);
  });

  test('audio is read without holding it twice: memory rises by about one copy of the samples', async (t) => {
    const dir = await scratchDir(t);
    const long = join(dir, 'long.flac'); // an hour of silence: 230 MB as samples, a few KB as FLAC
    await ffmpeg('-f', 'lavfi', '-i', `anullsrc=r=${AUDIO_SAMPLE_RATE}:cl=mono`, '-t', '3600', '-c:a', 'flac', long);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'audio-memory.ts'), long, '3600'],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    assert.equal(child.status, 0, child.stderr.slice(0, 400));
    const { samplesBytes, rise } = JSON.parse(child.stdout) as { samplesBytes: number; rise: number };
    assert.equal(samplesBytes, 3600 * AUDIO_SAMPLE_RATE * 4);
    // Holding the pieces and the joined copy at once would double it; garbage pieces awaiting collection
    // add some tens of MB at most.
    assert.ok(
      rise < 1.5 * samplesBytes,
      `memory rose by ${(rise / 2 ** 20).toFixed(0)} MB for ${(samplesBytes / 2 ** 20).toFixed(0)} MB of samples`,
    );
  });

  test('bad input: clear errors, no crash', async (t) => {
    const dir = await scratchDir(t);
    const text = join(dir, 'notes.mp4');
    await writeFile(text, 'this is not a video at all\n'.repeat(100));
    const empty = join(dir, 'empty.mp4');
    await writeFile(empty, '');
    const truncated = join(dir, 'truncated.mp4');
    // The fixture keeps its index at the end, so the first part alone cannot be read.
    await writeFile(truncated, (await readFile(TALKING_MALE)).subarray(0, 100_000));

    const expectations: Array<[string, MediaError['code']]> = [
      [text, 'UNREADABLE_MEDIA'],
      [empty, 'UNREADABLE_MEDIA'],
      [truncated, 'UNREADABLE_MEDIA'],
      [fixture('speech_en_jfk_11s.wav'), 'NO_VIDEO_STREAM'],
      [join(dir, 'missing.mp4'), 'UNREADABLE_MEDIA'],
    ];
    for (const [file, code] of expectations) {
      await assert.rejects(probe(file, TOOLS), (error: unknown) => {
        assert.ok(error instanceof MediaError, String(error));
        assert.equal(error.code, code, `${file}: ${error.message}`);
        return true;
      });
    }
  });

  test('frame size keeps the aspect ratio, fits the limit and has even sides', () => {
    assert.deepEqual(frameSize(1920, 1080, 640), { width: 640, height: 360 });
    assert.deepEqual(frameSize(1080, 1920, 640), { width: 360, height: 640 });
    assert.deepEqual(frameSize(300, 201, 640), { width: 300, height: 202 });
    assert.deepEqual(frameSize(844, 844, 640), { width: 640, height: 640 });
  });
});
