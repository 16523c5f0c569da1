// Settings reach every part of an analysis through the config alone: the frame rate, and the ffmpeg and
// ffprobe named by FFMPEG_PATH / FFPROBE_PATH, used at upload, in the analysis process and in its face
// threads.
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { scratchDir, TOOLS } from './analysis/media-helpers.ts';
import { signUp, startApp, uploadAnswerVideo } from './helpers.ts';

/** A script that notes each call in `log`, then runs the real binary. */
async function loggingWrapper(dir: string, name: string, real: string, log: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\necho "${name} $*" >> '${log}'\nexec '${real}' "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

test('ANALYSIS_FPS, FFMPEG_PATH and FFPROBE_PATH given to the app are the ones the analysis uses', async (t) => {
  const dir = await scratchDir(t);
  const log = join(dir, 'calls.log');
  const { api } = await startApp(t, 'sqlite', {
    ANALYSIS_FPS: '2',
    FACE_WORKERS: '1',
    FFMPEG_PATH: await loggingWrapper(dir, 'ffmpeg', TOOLS.ffmpeg, log),
    FFPROBE_PATH: await loggingWrapper(dir, 'ffprobe', TOOLS.ffprobe, log),
  });
  const user = await signUp(api);
  const uploaded = await uploadAnswerVideo(api, user);
  const probesAtUpload = (await readFile(log, 'utf8')).split('\n').filter((line) => line.startsWith('ffprobe '));
  assert.ok(probesAtUpload.length >= 1, 'the upload was checked with the configured ffprobe');

  const analysed = await api.post(`/api/video/analyze/${uploaded.body.video_id}`, undefined, user.token);
  assert.equal(analysed.status, 200, analysed.text);
  const metadata = analysed.body.metrics.metadata;
  assert.equal(metadata.fps_requested, 2);
  assert.equal(metadata.thresholds.analysis_fps, 2);
  // 5.0 s at 2 frames a second (the default, 5, would give 25).
  assert.equal(metadata.frame_count_total, Math.floor(metadata.duration_sec * 2));
  const calls = (await readFile(log, 'utf8')).trim().split('\n');
  assert.ok(
    calls.filter((line) => line.startsWith('ffprobe ')).length > probesAtUpload.length,
    'probed again to analyse',
  );
  assert.ok(
    calls.some((line) => line.startsWith('ffmpeg ') && line.includes('rawvideo')),
    'frames decoded by the configured ffmpeg',
  );
});
