import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/index.ts';

const run = promisify(execFile);
const TSX = join('node_modules', '.bin', 'tsx');

async function cli(script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(TSX, [script, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('db init migrates, db drop refuses without --yes, drops with it; demo-data prints a working login', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ip-cli-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir };
  const tableCount = async () => {
    const { db } = openDatabase(`sqlite:${join(dataDir, 'interview_app.db')}`);
    try {
      return (await db.introspection.getTables()).length;
    } finally {
      await db.destroy();
    }
  };

  const init = await cli('src/cli/db.ts', ['init'], env);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /sqlite: applied 001_initial, 002_analysis_jobs/);
  assert.equal(await tableCount(), 13); // the eleven, analysis_job, capability_evaluation
  assert.match((await cli('src/cli/db.ts', ['init'], env)).stdout, /already up to date/);

  const refused = await cli('src/cli/db.ts', ['drop'], env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  assert.equal(await tableCount(), 13); // the eleven, analysis_job, capability_evaluation

  const demo = await cli('src/cli/demo-data.ts', [], env);
  assert.equal(demo.code, 0, demo.stderr);
  const printed = JSON.parse(demo.stdout);
  for (const key of ['user_id', 'session_id', 'question_id', 'email', 'password', 'access_token']) {
    assert.equal(typeof printed[key], 'string', key);
  }
  const { db } = openDatabase(`sqlite:${join(dataDir, 'interview_app.db')}`);
  const question = await db
    .selectFrom('interview_question')
    .selectAll()
    .where('id', '=', printed.question_id)
    .executeTakeFirstOrThrow();
  const session = await db
    .selectFrom('interview_session')
    .selectAll()
    .where('id', '=', question.session_id)
    .executeTakeFirstOrThrow();
  assert.equal(session.id, printed.session_id);
  assert.equal(session.user_id, printed.user_id);
  await db.destroy();

  const dropped = await cli('src/cli/db.ts', ['drop', '--yes'], env);
  assert.equal(dropped.code, 0, dropped.stderr);
  assert.equal(await tableCount(), 0);
});

test('the server refuses to start on a bad setting and names it', async () => {
  const result = await cli('src/main.ts', [], { PORT: 'abc', DATA_DIR: join(tmpdir(), 'ip-never') });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Invalid PORT/);
});

test('analyze prints the metrics as JSON, the timeline when asked, and a clear error for bad input', async (t) => {
  const video = join('test', 'fixtures', 'video_talking_male_en_5s.mp4');
  const result = await cli('src/cli/analyze.ts', [video, '--no-speech', '--timeline'], {});
  assert.equal(result.code, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.timeline.length, 25);
  assert.equal(output.metrics.metadata.frame_count_total, 25);
  assert.ok(output.metrics.center_gaze_ratio > 0.8);
  assert.match(result.stderr, /face 100%/);

  assert.equal(output.metrics.speech, null);

  // With speech: acoustic measures, and a clear status when no transcription engine is switched on.
  const spoken = await cli('src/cli/analyze.ts', [video], { STT_ENGINE: 'none' });
  assert.equal(spoken.code, 0, spoken.stderr);
  const brief = JSON.parse(spoken.stdout);
  assert.equal(brief.timeline, undefined);
  assert.deepEqual(brief.metrics.emotion_distribution, output.metrics.emotion_distribution);
  assert.equal(brief.metrics.speech.stt_status, 'disabled');
  assert.ok(brief.metrics.speech.speaking_time_sec > 3, JSON.stringify(brief.metrics.speech));
  assert.ok(brief.metrics.speech.voice.pitch_mean_hz > 60);
  assert.equal(brief.transcript, null);
  assert.match(spoken.stderr, /transcript: disabled: Transcription is switched off/);

  const dataDir = await mkdtemp(join(tmpdir(), 'ip-cli-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const bad = await cli('src/cli/analyze.ts', [join('test', 'fixtures', 'speech_en_jfk_11s.wav')], {});
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /NO_VIDEO_STREAM: The file has no video stream/);
  assert.equal(bad.stdout, '');
  assert.equal((await cli('src/cli/analyze.ts', [], {})).code, 2);

  const twoPerSecond = JSON.parse(
    (await cli('src/cli/analyze.ts', [video, '--timeline'], { ANALYSIS_FPS: '2', FACE_WORKERS: '1' })).stdout,
  );
  assert.equal(twoPerSecond.timeline.length, 10);
  assert.equal(twoPerSecond.metrics.metadata.fps_requested, 2);
  const misconfigured = await cli('src/cli/analyze.ts', [video], { FFMPEG_PATH: '/nonexistent/ffmpeg' });
  assert.equal(misconfigured.code, 1);
  assert.match(misconfigured.stderr, /Invalid FFMPEG_PATH/);
});
