import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { faceWorkerPool } from '../../src/analysis/face-pool.ts';
import { analyze } from '../../src/analysis/pipeline.ts';
import { FEEDBACK_RULES } from '../../src/analysis/feedback/index.ts';
import { CONTEXT, ffmpeg, fixture, scratchDir, TALKING_FEMALE, TALKING_MALE } from '../analysis/media-helpers.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, expectError, filesUnder, rowCounts, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

const MALE_BYTES = await readFile(TALKING_MALE);

async function sessionWithQuestion(api: Api, user: TestUser) {
  const session = (await api.post('/api/interviews/sessions', { title: 'video test' }, user.token)).body;
  const question = (
    await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: '자기소개를 해 주세요.' }, user.token)
  ).body;
  return { sessionId: session.id as string, questionId: question.id as string };
}

function upload(
  api: Api,
  token: string,
  fields: Record<string, string>,
  file: { bytes: Uint8Array | string; name: string } | null,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file)
    form.append('file', new Blob([typeof file.bytes === 'string' ? file.bytes : Buffer.from(file.bytes)]), file.name);
  return api.request('POST', '/api/video/upload', { body: form, token });
}

async function uploadFixture(api: Api, user: TestUser) {
  const { sessionId, questionId } = await sessionWithQuestion(api, user);
  const reply = await upload(
    api,
    user.token,
    { session_id: sessionId, question_id: questionId, user_id: user.id },
    { bytes: MALE_BYTES, name: 'answer.MP4' },
  );
  assert.equal(reply.status, 200, reply.text);
  return { videoId: reply.body.video_id as string, sessionId, questionId, upload: reply.body };
}

/** Reads a server-sent-events stream to its end. */
async function readEvents(api: Api, path: string, token: string): Promise<Array<{ event: string; data: any }>> {
  const response = await fetch(api.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block && !block.startsWith(':')) // keep-alive comments, every 15 s of a slow analysis
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      return { event, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) };
    });
}

type EventBlock = { comment: string } | { event: string; data: any };

/** Opens a job's event stream to read it as it comes: `next` gives each event or comment, null at the end. */
async function openEvents(api: Api, path: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(api.baseUrl + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    response,
    async next(): Promise<EventBlock | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) return { comment: block.slice(1).trim() };
          return { event: /^event: (.*)$/m.exec(block)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) };
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += value;
      }
    },
    close: () => reader.cancel(),
  };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

const TRANSCRIPTION = {
  task: 'transcribe',
  language: 'english',
  duration: 5,
  text: ' Well, I think so.',
  segments: [{ id: 0, seek: 0, start: 0.4, end: 2.1, text: ' Well, I think so.', tokens: [], temperature: 0 }],
  words: [
    ['Well,', 0.4, 0.8],
    ['I', 0.9, 1.0],
    ['think', 1.0, 1.5],
    ['so.', 1.5, 2.1],
  ].map(([word, start, end]) => ({ word, start, end })),
};

/**
 * An OpenAI-compatible transcription server that holds every request until released, so that an
 * analysis is known to be running (`asked`); `hungUp` settles when a client goes away unanswered,
 * which is what a stopped analysis thread does.
 */
async function heldTranscriber(t: TestContext) {
  const asked = deferred();
  const released = deferred();
  const hungUp = deferred();
  const server = await fakeServer(t, (_request, response) => {
    asked.resolve();
    response.on('close', () => {
      if (!response.writableEnded) hungUp.resolve();
    });
    void released.promise.then(() => sendJson(response, 200, TRANSCRIPTION));
  });
  return {
    env: { STT_ENGINE: 'openai', STT_OPENAI_URL: `${server.url}/v1`, STT_LANGUAGE: 'en' },
    asked: asked.promise,
    hungUp: hungUp.promise,
    release: () => released.resolve(),
    requests: server.requests,
  };
}

async function jobOf(api: Api, videoId: string, token: string): Promise<string> {
  return (await api.get(`/api/video/results/${videoId}`, token)).body.analysis.job_id;
}

async function pollUntilDone(api: Api, jobId: string, token: string) {
  for (let i = 0; i < 600; i++) {
    const job = (await api.get(`/api/video/jobs/${jobId}`, token)).body;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('job did not finish');
}

for (const dialect of DIALECTS) {
  describe(`video analysis API (${dialect.name})`, { skip: dialect.skip }, () => {
    test('upload → analyse (waiting) → results: the original’s shapes, and the same metrics as the analyze command', async (t) => {
      const { api, dataDir } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { videoId, sessionId, questionId, upload: uploaded } = await uploadFixture(api, user);
      assert.equal(uploaded.filename, 'answer.MP4');
      assert.ok(Math.abs(uploaded.duration_sec - 5.015) < 0.02);
      assert.match(uploaded.file_path, new RegExp(`^uploads/${user.id}/videos/[0-9a-f-]{36}\\.mp4$`));
      assert.deepEqual(await readFile(join(dataDir, uploaded.file_path)), MALE_BYTES);

      const analysed = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
      assert.equal(analysed.status, 200, analysed.text);
      const reply = analysed.body;
      assert.deepEqual(Object.keys(reply).sort(), [
        'alerts',
        'database_records',
        'feedback',
        'feedback_mode',
        'metrics',
        'transcript',
        'video_id',
      ]);
      assert.equal(reply.feedback_mode, 'rule-based');
      assert.ok(reply.feedback.length >= 3 && reply.feedback.every((item: unknown) => typeof item === 'string'));
      assert.equal(reply.database_records.feedback_ids.length, reply.feedback.length);
      for (const key of ['center_gaze_ratio', 'smile_ratio', 'nod_rate_per_min'])
        assert.equal(typeof reply.metrics[key], 'number', key);
      assert.equal(typeof reply.metrics.nod_count, 'number');
      assert.equal(reply.metrics.metadata.frame_count_total, 25);

      // The same pipeline run directly on the same file, with as many face threads (each stretch of the
      // video starts untracked), gives the same numbers.
      const pool = faceWorkerPool(CONTEXT.faceWorkers);
      t.after(() => pool.close());
      const direct = await analyze(TALKING_MALE, CONTEXT, { facePool: pool });
      for (const key of ['center_gaze_ratio', 'smile_ratio', 'nod_count', 'primary_emotion', 'blink_count'] as const) {
        assert.deepEqual(reply.metrics[key], direct.metrics[key], key);
      }
      assert.deepEqual(reply.metrics.emotion_distribution, direct.metrics.emotion_distribution);
      assert.equal(reply.metrics.speech.stt_status, 'disabled');

      const results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.deepEqual(results.video, {
        id: videoId,
        user_id: user.id,
        session_id: sessionId,
        question_id: questionId,
        duration_sec: uploaded.duration_sec,
        created_at: uploaded.created_at,
      });
      assert.deepEqual(results.metrics, reply.metrics);
      assert.deepEqual(results.metadata, reply.metrics.metadata);
      assert.equal(results.timeline_available, true);
      assert.equal(results.timeline.length, 25);
      assert.deepEqual(
        results.timeline.map((frame: { t: number }) => frame.t),
        direct.timeline.map((frame) => frame.t),
      );
      assert.deepEqual(
        results.feedbacks.map((f: { message: string }) => f.message),
        reply.feedback,
      );
      assert.ok(
        results.feedbacks.every(
          (f: { severity: string; level: string }) => ['info', 'warning', 'suggestion'].includes(f.severity) && f.level,
        ),
      );
      assert.equal(results.transcript, null);
      assert.equal(results.analysis.status, 'succeeded');
      assert.equal(results.analysis.attempts, 1);
    });

    test('?async=true answers 202 with the job; polling and the event stream follow it to the end', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { videoId } = await uploadFixture(api, user);
      const started = await api.post(`/api/video/analyze/${videoId}?async=true`, undefined, user.token);
      assert.equal(started.status, 202, started.text);
      assert.equal(started.body.status, 'queued');
      assert.equal(started.body.video_id, videoId);
      const events = await readEvents(api, `/api/video/jobs/${started.body.job_id}/events`, user.token);
      assert.equal(events.at(-1)!.event, 'end');
      assert.equal(events.at(-1)!.data.status, 'succeeded');
      const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress as number);
      assert.ok(progress.length >= 3, `${progress.length} progress events`);
      assert.ok(
        progress.every((value, i) => i === 0 || value >= progress[i - 1]!),
        progress.join(' '),
      );
      assert.ok(progress.some((value) => value > 0 && value < 1));
      const job = await pollUntilDone(api, started.body.job_id, user.token);
      assert.equal(job.status, 'succeeded');
      assert.equal(job.progress, 1);
      // A finished job's stream ends at once.
      const replay = await readEvents(api, `/api/video/jobs/${started.body.job_id}/events`, user.token);
      assert.deepEqual(
        replay.map((e) => e.event),
        ['end'],
      );
    });

    test('two concurrent analyse calls for one video share one job', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { videoId } = await uploadFixture(api, user);
      const [first, second] = await Promise.all([
        api.post(`/api/video/analyze/${videoId}`, undefined, user.token),
        api.post(`/api/video/analyze/${videoId}`, undefined, user.token),
      ]);
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      assert.deepEqual(first.body.database_records, second.body.database_records);
      assert.equal((await rowCounts(db)).analysis_job, 1);
    });

    test('a restart mid-job resumes it, and it completes once', async (t) => {
      const first = await startApp(t, dialect.name);
      const user = await signUp(first.api);
      const { videoId } = await uploadFixture(first.api, user);
      const started = (await first.api.post(`/api/video/analyze/${videoId}?async=true`, undefined, user.token)).body;
      // Wait until the face stage is under way, then stop the server.
      for (;;) {
        const job = (await first.api.get(`/api/video/jobs/${started.job_id}`, user.token)).body;
        if (job.status === 'running' && job.progress > 0.05) break;
        assert.notEqual(job.status, 'succeeded', 'the job finished before the restart could interrupt it');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await first.close();

      const second = await startApp(t, dialect.name, {}, first);
      const job = await pollUntilDone(second.api, started.job_id, user.token);
      assert.equal(job.status, 'succeeded');
      assert.equal(job.attempts, 2);
      const counts = await rowCounts(second.db);
      assert.deepEqual([counts.analysis_job, counts.nonverbal_metrics, counts.nonverbal_timeline], [1, 1, 1]);
    });

    test('re-analysis replaces the results; a failed run keeps the previous ones and records why, and whose fault', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { videoId, upload: uploaded } = await uploadFixture(api, user);
      const once = (await api.post(`/api/video/analyze/${videoId}`, undefined, user.token)).body;
      const twice = (await api.post(`/api/video/analyze/${videoId}`, undefined, user.token)).body;
      assert.notEqual(twice.database_records.metrics_id, once.database_records.metrics_id);
      const counts = await rowCounts(db);
      assert.deepEqual(
        [counts.nonverbal_metrics, counts.nonverbal_timeline, counts.feedback],
        [1, 1, twice.feedback.length],
      );

      // The stored file is no video any more: the file's fault, a 422 with the reason and no server path.
      await writeFile(join(dataDir, uploaded.file_path), 'not a video any more\n'.repeat(50));
      const failed = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
      expectError(failed, 422, 'ANALYSIS_FAILED');
      assert.match(failed.body.detail, /Not a readable media file/);
      assert.ok(!failed.text.includes(dataDir), failed.text);
      let results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.deepEqual([results.analysis.status, results.analysis.error_kind], ['failed', 'media']);
      assert.match(results.analysis.error, /Not a readable media file/);
      assert.deepEqual(results.metrics, twice.metrics);

      // The file is gone from the disk: our fault, a 500, and the job says so.
      await rm(join(dataDir, uploaded.file_path));
      const crashed = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
      expectError(crashed, 500, 'INTERNAL_ERROR');
      results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.deepEqual([results.analysis.status, results.analysis.error_kind], ['failed', 'internal']);
      assert.match(results.analysis.error, /Video file not found/);
      assert.deepEqual(results.metrics, twice.metrics);
      assert.equal((await rowCounts(db)).nonverbal_metrics, 1);
    });

    test('bad uploads get the right 4xx and leave no row and no file', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name, { MAX_UPLOAD_MB: '1' });
      const alice = await signUp(api);
      const bob = await signUp(api);
      const mine = await sessionWithQuestion(api, alice);
      const other = await sessionWithQuestion(api, alice);
      const bobs = await sessionWithQuestion(api, bob);
      const dir = await scratchDir(t);
      const audioOnly = join(dir, 'voice.mp4');
      await ffmpeg('-i', fixture('speech_en_jfk_11s.wav'), '-c:a', 'aac', audioOnly);
      const small = join(dir, 'small.mp4');
      await ffmpeg('-i', TALKING_MALE, '-t', '1', '-c', 'copy', small);
      const smallBytes = await readFile(small);
      const before = await rowCounts(db);
      const fields = { session_id: mine.sessionId, question_id: mine.questionId };

      const cases: Array<
        [Record<string, string>, { bytes: Uint8Array | string; name: string } | null, number, string]
      > = [
        [fields, { bytes: 'not a video\n'.repeat(50), name: 'answer.mp4' }, 415, 'UNSUPPORTED_MEDIA'],
        [fields, { bytes: '', name: 'answer.mp4' }, 415, 'UNSUPPORTED_MEDIA'],
        [fields, { bytes: await readFile(audioOnly), name: 'answer.mp4' }, 415, 'UNSUPPORTED_MEDIA'],
        [fields, { bytes: smallBytes, name: 'answer.mkv' }, 415, 'UNSUPPORTED_MEDIA'],
        [fields, { bytes: await readFile(TALKING_FEMALE), name: 'answer.mp4' }, 413, 'FILE_TOO_LARGE'], // 2.2 MB
        [
          { session_id: bobs.sessionId, question_id: bobs.questionId },
          { bytes: smallBytes, name: 'a.mp4' },
          404,
          'NOT_FOUND',
        ],
        [
          { session_id: mine.sessionId, question_id: bobs.questionId },
          { bytes: smallBytes, name: 'a.mp4' },
          404,
          'NOT_FOUND',
        ],
        [
          { session_id: mine.sessionId, question_id: other.questionId },
          { bytes: smallBytes, name: 'a.mp4' },
          422,
          'INVALID_REFERENCE',
        ],
        [{ ...fields, user_id: bob.id }, { bytes: smallBytes, name: 'a.mp4' }, 403, 'NOT_OWNER'],
        [{ question_id: mine.questionId }, { bytes: smallBytes, name: 'a.mp4' }, 422, 'INVALID_REFERENCE'],
        [{ ...fields, session_id: 'nope' }, { bytes: smallBytes, name: 'a.mp4' }, 422, 'INVALID_REFERENCE'],
        [fields, null, 422, 'FILE_MISSING'],
      ];
      for (const [form, file, status, code] of cases) {
        expectError(await upload(api, alice.token, form, file), status, code);
      }
      expectError(await upload(api, '', fields, { bytes: smallBytes, name: 'a.mp4' }), 401, 'NOT_AUTHENTICATED');
      assert.deepEqual(await rowCounts(db), before);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);

      const ok = await upload(api, alice.token, fields, { bytes: smallBytes, name: 'a.webm.mp4' });
      assert.equal(ok.status, 200, ok.text);
    });

    test('videos of a session, one video, its file with ranges, deletion; other users see nothing', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const { videoId, sessionId, upload: uploaded } = await uploadFixture(api, alice);
      const unknown = '00000000-0000-4000-8000-000000000000';

      const list = (await api.get(`/api/interviews/sessions/${sessionId}/videos`, alice.token)).body;
      assert.deepEqual(
        list.map((v: { id: string }) => v.id),
        [videoId],
      );
      const video = (await api.get(`/api/interviews/videos/${videoId}`, alice.token)).body;
      assert.equal(video.video_url, uploaded.file_path);
      assert.equal(video.analysis_status, null, 'no analysis yet');
      assert.equal(list[0].analysis_status, null);
      assert.deepEqual((await api.get(`/api/interviews/sessions/${sessionId}/summary`, alice.token)).body, {
        answers: 1,
        analysed: 0,
        analysing: 0,
        center_gaze_ratio_mean: null,
        smile_ratio_mean: null,
        filler_count_mean: null,
      });

      const whole = await fetch(`${api.baseUrl}/api/interviews/videos/${videoId}/file`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'video/mp4');
      assert.deepEqual(Buffer.from(await whole.arrayBuffer()), MALE_BYTES);
      const part = await fetch(`${api.baseUrl}/api/interviews/videos/${videoId}/file`, {
        headers: { authorization: `Bearer ${alice.token}`, range: 'bytes=100-199' },
      });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-199/${MALE_BYTES.length}`);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), MALE_BYTES.subarray(100, 200));
      const tail = await fetch(`${api.baseUrl}/api/interviews/videos/${videoId}/file`, {
        headers: { authorization: `Bearer ${alice.token}`, range: 'bytes=-10' },
      });
      assert.deepEqual(Buffer.from(await tail.arrayBuffer()), MALE_BYTES.subarray(-10));
      const beyond = await api.request('GET', `/api/interviews/videos/${videoId}/file`, {
        token: alice.token,
        headers: { range: `bytes=${MALE_BYTES.length}-` },
      });
      expectError(beyond, 416, 'RANGE_NOT_SATISFIABLE');
      // A file gone from the disk under its row: a 404 for the file (and a log line), not a 500.
      const storedFile = join(dataDir, uploaded.file_path);
      const storedBytes = await readFile(storedFile);
      await rm(storedFile);
      expectError(await api.get(`/api/interviews/videos/${videoId}/file`, alice.token), 404, 'NOT_FOUND');
      await writeFile(storedFile, storedBytes);

      const job = (await api.post(`/api/video/analyze/${videoId}?async=true`, undefined, alice.token)).body;
      for (const path of [
        `/api/interviews/videos/${videoId}`,
        `/api/interviews/videos/${videoId}/file`,
        `/api/video/results/${videoId}`,
        `/api/video/jobs/${job.job_id}`,
        `/api/interviews/sessions/${sessionId}/videos`,
        `/api/video/results/${unknown}`,
        `/api/interviews/sessions/${sessionId}/summary`,
      ]) {
        expectError(await api.get(path, bob.token), 404, 'NOT_FOUND');
      }
      expectError(await api.post(`/api/video/analyze/${videoId}`, undefined, bob.token), 404, 'NOT_FOUND');
      expectError(await api.delete(`/api/interviews/videos/${videoId}`, bob.token), 404, 'NOT_FOUND');
      await pollUntilDone(api, job.job_id, alice.token);
      assert.equal((await api.get(`/api/interviews/videos/${videoId}`, alice.token)).body.analysis_status, 'succeeded');
      assert.equal(
        (await api.get(`/api/interviews/sessions/${sessionId}/videos`, alice.token)).body[0].analysis_status,
        'succeeded',
      );
      // The ranges the feedback was judged by travel with the result (the web app's metric cards use them).
      const analysed = (await api.get(`/api/video/results/${videoId}`, alice.token)).body;
      assert.deepEqual(analysed.metrics.metadata.feedback_rules, JSON.parse(JSON.stringify(FEEDBACK_RULES)));
      // One analysed answer: the session's means are its own figures.
      const summary = (await api.get(`/api/interviews/sessions/${sessionId}/summary`, alice.token)).body;
      assert.deepEqual([summary.answers, summary.analysed, summary.analysing], [1, 1, 0]);
      assert.equal(summary.center_gaze_ratio_mean, analysed.metrics.center_gaze_ratio);
      assert.equal(summary.smile_ratio_mean, analysed.metrics.smile_ratio);
      assert.equal(summary.filler_count_mean, analysed.metrics.filler_count);

      assert.equal((await api.delete(`/api/interviews/videos/${videoId}`, alice.token)).status, 204);
      expectError(await api.get(`/api/video/results/${videoId}`, alice.token), 404, 'NOT_FOUND');
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
      const counts = await rowCounts(db);
      assert.deepEqual(
        [counts.interview_video, counts.nonverbal_metrics, counts.analysis_job, counts.feedback],
        [0, 0, 0, 0],
      );
    });

    test('a video longer than MAX_VIDEO_SEC is refused at upload, with the limit, and nothing is kept', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name, { MAX_VIDEO_SEC: '2' });
      const user = await signUp(api);
      const { sessionId, questionId } = await sessionWithQuestion(api, user);
      const before = await rowCounts(db);
      const refused = await upload(
        api,
        user.token,
        { session_id: sessionId, question_id: questionId },
        { bytes: MALE_BYTES, name: 'answer.mp4' },
      );
      expectError(refused, 422, 'VIDEO_TOO_LONG');
      assert.match(refused.body.detail, /5\.0 s long; the limit is 2 s/);
      assert.deepEqual(await rowCounts(db), before);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
    });

    test(
      'deleting a video stops its analysis: waiting requests answer 404, its stream ends "deleted", the thread stops',
      { timeout: 180_000 },
      async (t) => {
        const stt = await heldTranscriber(t);
        const { api, db } = await startApp(t, dialect.name, stt.env);
        const user = await signUp(api);
        const running = await uploadFixture(api, user);
        const queued = await uploadFixture(api, user);
        const runningWait = api.post(`/api/video/analyze/${running.videoId}`, undefined, user.token);
        await stt.asked; // its transcription has been asked for: the job is running
        const queuedWait = api.post(`/api/video/analyze/${queued.videoId}`, undefined, user.token);
        const stream = await openEvents(
          api,
          `/api/video/jobs/${await jobOf(api, running.videoId, user.token)}/events`,
          user.token,
        );

        // Deleting the queued one (ANALYSIS_CONCURRENCY is 1) ends its waiting request.
        assert.equal((await api.delete(`/api/interviews/videos/${queued.videoId}`, user.token)).status, 204);
        const queuedReply = await queuedWait;
        expectError(queuedReply, 404, 'NOT_FOUND');
        assert.match(queuedReply.body.detail, /deleted/);

        assert.equal((await api.delete(`/api/interviews/videos/${running.videoId}`, user.token)).status, 204);
        const runningReply = await runningWait;
        expectError(runningReply, 404, 'NOT_FOUND');
        assert.match(runningReply.body.detail, /deleted/);
        let last: EventBlock | null = null;
        for (let block = await stream.next(); block; block = await stream.next()) last = block;
        assert.ok(last && 'event' in last && last.event === 'end', JSON.stringify(last));
        assert.equal(last.data.status, 'deleted');
        await stt.hungUp; // the analysis thread was stopped mid-transcription
        const counts = await rowCounts(db);
        assert.deepEqual([counts.interview_video, counts.analysis_job, counts.nonverbal_metrics], [0, 0, 0]);

        // The queue goes on with a fresh thread.
        stt.release();
        const next = await uploadFixture(api, user);
        const analysed = await api.post(`/api/video/analyze/${next.videoId}`, undefined, user.token);
        assert.equal(analysed.status, 200, analysed.text);
        assert.equal(analysed.body.transcript, TRANSCRIPTION.text.trim());
      },
    );

    test(
      'deleting the account stops its running analysis and ends the waiting request',
      { timeout: 180_000 },
      async (t) => {
        const stt = await heldTranscriber(t);
        const { api, db } = await startApp(t, dialect.name, stt.env);
        const user = await signUp(api);
        const { videoId } = await uploadFixture(api, user);
        const waiting = api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
        await stt.asked;
        assert.equal((await api.delete(`/api/users/${user.id}`, user.token)).status, 204);
        expectError(await waiting, 404, 'NOT_FOUND');
        await stt.hungUp;
        assert.equal((await rowCounts(db)).analysis_job, 0);
      },
    );

    test(
      'an analysis still running at ANALYSIS_TIMEOUT_SEC is stopped and answers 422 with the limit',
      { timeout: 180_000 },
      async (t) => {
        const stt = await heldTranscriber(t); // never answers
        const { api } = await startApp(t, dialect.name, { ...stt.env, ANALYSIS_TIMEOUT_SEC: '1' });
        const user = await signUp(api);
        const { videoId } = await uploadFixture(api, user);
        const failed = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
        expectError(failed, 422, 'ANALYSIS_FAILED');
        assert.match(failed.body.detail, /longer than the limit of 1 s/);
        const results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
        assert.deepEqual([results.analysis.status, results.analysis.error_kind], ['failed', 'timeout']);
      },
    );

    test(
      'with transcription running beside the face stage, progress never goes back and the stage never flips',
      { timeout: 180_000 },
      async (t) => {
        const stt = await heldTranscriber(t);
        const { api } = await startApp(t, dialect.name, stt.env);
        const user = await signUp(api);
        const { videoId } = await uploadFixture(api, user);
        const { job_id: jobId } = (await api.post(`/api/video/analyze/${videoId}?async=true`, undefined, user.token))
          .body;
        const stream = await openEvents(api, `/api/video/jobs/${jobId}/events`, user.token);
        const events: Array<{ event: string; data: any }> = [];
        for (let block = await stream.next(); block; block = await stream.next()) {
          if (!('event' in block)) continue;
          events.push(block);
          // The transcript arrives once the face stage is well under way, so the two overlap.
          if (block.data.stage === 'face' && block.data.progress >= 0.2) stt.release();
        }
        assert.equal(stt.requests.length, 1, 'the transcription engine was asked');
        assert.equal(events.at(-1)!.data.status, 'succeeded');
        const progress = events.map((e) => e.data.progress as number);
        assert.ok(
          progress.every((value, i) => i === 0 || value >= progress[i - 1]!),
          progress.join(' '),
        );
        const order = ['queued', 'probe', 'face', 'speech', 'metrics', 'done'];
        const stages = events.map((e) => order.indexOf(e.data.stage ?? 'queued'));
        assert.ok(
          stages.every((stage, i) => stage >= 0 && (i === 0 || stage >= stages[i - 1]!)),
          events.map((e) => e.data.stage).join(' '),
        );
        assert.ok(events.some((e) => e.data.stage === 'face' && e.data.progress > 0.2 && e.data.progress < 0.95));
        const results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
        assert.equal(results.transcript, TRANSCRIPTION.text.trim());
      },
    );

    test(
      'the event stream: CORS headers for an allowed origin, a comment line while nothing happens',
      { timeout: 180_000 },
      async (t) => {
        const stt = await heldTranscriber(t);
        const { api, config } = await startApp(t, dialect.name, stt.env, undefined, { jobEventsHeartbeatMs: 20 });
        const user = await signUp(api);
        const { videoId } = await uploadFixture(api, user);
        const { job_id: jobId } = (await api.post(`/api/video/analyze/${videoId}?async=true`, undefined, user.token))
          .body;
        const origin = config.allowedOrigins[0]!;
        const stream = await openEvents(api, `/api/video/jobs/${jobId}/events`, user.token, { origin });
        assert.equal(stream.response.headers.get('access-control-allow-origin'), origin);
        assert.equal(stream.response.headers.get('access-control-allow-credentials'), 'true');
        await stt.asked;
        let block = await stream.next();
        while (block && !('comment' in block)) block = await stream.next();
        assert.deepEqual(block, { comment: 'keep-alive' });
        stt.release();
        let last: EventBlock | null = block;
        for (block = await stream.next(); block; block = await stream.next()) if ('event' in block) last = block;
        assert.ok('event' in last! && last.event === 'end' && last.data.status === 'succeeded', JSON.stringify(last));

        const foreign = await openEvents(api, `/api/video/jobs/${jobId}/events`, user.token, {
          origin: 'https://evil.example',
        });
        assert.equal(foreign.response.headers.get('access-control-allow-origin'), null);
        await foreign.close();
      },
    );

    test('status says what is switched on, and never a path or a key', async (t) => {
      const { api } = await startApp(t, dialect.name, { GEMINI_API_KEY: 'secret-gemini-key', STT_ENGINE: 'auto' });
      const user = await signUp(api);
      const status = await api.get('/api/video/status', user.token);
      assert.equal(status.status, 200);
      assert.equal(status.body.gemini_api_enabled, true);
      assert.equal(status.body.feedback_mode, 'gemini (gemini-2.5-flash-lite), rules as fallback');
      assert.equal(status.body.speech_engine, 'auto');
      assert.deepEqual(status.body.speech_engines_configured, ['gemini', 'whisper']);
      assert.deepEqual(status.body.queue, { queued: 0, running: 0 });
      assert.doesNotMatch(status.text, /secret-gemini-key|\/tmp\//);
      expectError(await api.get('/api/video/status'), 401, 'NOT_AUTHENTICATED');
    });
  });
}

test('with a Gemini key, the feedback is Gemini’s, saved with feedback_mode "gemini"; English on request', async (t) => {
  const items = [
    { severity: 'info', topic: 'Eye contact', message: 'You looked at the camera 100% of the time; keep it up.' },
    {
      severity: 'suggestion',
      topic: 'Pauses',
      message: 'Between 2.2 and 2.6 s you paused; that is fine, keep pauses short.',
      start_sec: 2.2,
      end_sec: 2.6,
    },
  ];
  const gemini = await fakeServer(t, (_request, response) =>
    sendJson(response, 200, {
      candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify({ items }) }] }, finishReason: 'STOP' }],
    }),
  );
  const { api } = await startApp(t, 'sqlite', { GEMINI_API_KEY: 'key', GEMINI_BASE_URL: gemini.url });
  const user = await signUp(api);
  const { videoId } = await uploadFixture(api, user);
  const reply = await api.request('POST', `/api/video/analyze/${videoId}`, {
    token: user.token,
    headers: { 'accept-language': 'en-US,en;q=0.9' },
  });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.body.feedback_mode, 'gemini');
  assert.deepEqual(
    reply.body.feedback,
    items.map((item) => item.message),
  );
  const prompt = JSON.parse(gemini.requests.at(-1)!.body.toString()).contents[0].parts[0].text as string;
  assert.match(prompt, /Write in English/);
  assert.match(prompt, /<<<QUESTION\n자기소개를 해 주세요\.\nQUESTION>>>/);
  const results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
  assert.deepEqual(
    results.feedbacks.map((f: { title: string; severity: string; level: string }) => [f.title, f.severity, f.level]),
    [
      ['Eye contact', 'info', 'video'],
      ['Pauses', 'suggestion', 'segment'],
    ],
  );
  assert.equal(results.metadata.feedback_mode, 'gemini');
  assert.ok(results.alerts.some((a: { kind: string; start_t: number }) => a.kind === 'segment' && a.start_t === 2.2));
});

test('uploading then deleting the account removes the video file too', async (t) => {
  const { api, dataDir } = await startApp(t, 'sqlite');
  const user = await signUp(api);
  await uploadFixture(api, user);
  assert.equal((await filesUnder(join(dataDir, 'uploads'))).length, 1);
  assert.equal((await api.delete(`/api/users/${user.id}`, user.token)).status, 204);
  assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
  // The uploads folder itself stays: the next user's upload is stored as usual.
  const next = await signUp(api);
  const { upload } = await uploadFixture(api, next);
  assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), [upload.file_path.slice('uploads/'.length)]);
});
