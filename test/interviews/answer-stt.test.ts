// POST /api/interviews/stt: a spoken answer transcribed by the configured engine (here a fake
// OpenAI-compatible server on loopback that speaks the real wire format), checked by ffprobe first.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ffmpeg, fixture, scratchDir } from '../analysis/media-helpers.ts';
import { fakeServer, formOf, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, expectError, filesUnder, rowCounts, signUp, startApp, type Api } from '../helpers.ts';

const JFK = fixture('speech_en_jfk_11s.wav');
const TRANSCRIPTION = {
  text: ' And so my fellow Americans, ask not what your country can do for you.',
  language: 'english',
  duration: 3,
  segments: [
    { id: 0, start: 0, end: 3, text: ' And so my fellow Americans, ask not what your country can do for you.' },
  ],
  words: [{ word: 'And', start: 0, end: 0.2 }],
};

/** The first three seconds of the JFK clip in each container the original client may send. */
async function recordings(dir: string): Promise<Record<string, string>> {
  const made: Record<string, string> = {};
  const formats: Array<[string, string[]]> = [
    ['webm', ['-c:a', 'libopus']],
    ['ogg', ['-c:a', 'libopus']],
    ['wav', []],
    ['mp3', ['-c:a', 'libmp3lame']],
    ['m4a', ['-c:a', 'aac']],
  ];
  for (const [extension, codec] of formats) {
    made[extension] = join(dir, `answer.${extension}`);
    await ffmpeg('-i', JFK, '-t', '3', ...codec, made[extension]!);
  }
  return made;
}

async function postAudio(
  api: Api,
  token: string,
  file: string | Blob,
  fields: Record<string, string> = {},
  fieldName = 'audio',
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const blob = typeof file === 'string' ? new Blob([await readFile(file)]) : file;
  form.append(fieldName, blob, 'recording.webm');
  return api.request('POST', '/api/interviews/stt', { body: form, token });
}

for (const dialect of DIALECTS) {
  describe(`speech to text for an answer (${dialect.name})`, { skip: dialect.skip }, () => {
    test('each container is transcribed; nothing is stored unless a question is named', async (t) => {
      const dir = await scratchDir(t);
      const files = await recordings(dir);
      const server = await fakeServer(t, (request, response) => {
        if (request.url !== '/v1/audio/transcriptions') return sendJson(response, 404, { error: 'no' });
        sendJson(response, 200, TRANSCRIPTION);
      });
      const { api, db, dataDir } = await startApp(t, dialect.name, {
        STT_ENGINE: 'openai',
        STT_OPENAI_URL: server.url,
        STT_OPENAI_API_KEY: 'sk-test-secret',
      });
      const user = await signUp(api);
      const before = await rowCounts(db);

      for (const [format, file] of Object.entries(files)) {
        const reply = await postAudio(api, user.token, file);
        assert.equal(reply.status, 200, `${format}: ${reply.text}`);
        assert.match(reply.body.text, /^And so my fellow Americans/);
        assert.equal(reply.body.language, 'en');
        assert.equal(reply.body.engine, 'openai');
        assert.equal(reply.body.segments.length, 1);
        assert.ok(Math.abs(reply.body.duration_sec - 3) < 0.2, `${format} duration ${reply.body.duration_sec}`);
        assert.equal(reply.body.answer, null);
      }
      assert.equal(server.requests.length, 5);
      const sent = await formOf(server.requests[0]!);
      assert.equal(sent.get('model'), 'whisper-1');
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer sk-test-secret');
      const wav = Buffer.from(await (sent.get('file') as Blob).arrayBuffer());
      assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
      assert.deepEqual(await rowCounts(db), before);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), [], 'no temporary file is left');

      // Named question: the text becomes its answer.
      const session = await api.post('/api/interviews/sessions', { generate_questions: false }, user.token);
      const question = await api.post(
        `/api/interviews/sessions/${session.body.id}/questions`,
        { text: 'Tell us about yourself' },
        user.token,
      );
      const saved = await postAudio(api, user.token, files.webm!, { question_id: question.body.id, language: 'en' });
      assert.equal(saved.status, 200, saved.text);
      assert.equal(saved.body.answer.question_id, question.body.id);
      assert.equal(saved.body.answer.text, saved.body.text);
      assert.equal((await formOf(server.requests.at(-1)!)).get('language'), 'en');
      const answers = await api.get(`/api/interviews/questions/${question.body.id}/answers`, user.token);
      assert.deepEqual(
        answers.body.map((a: { text: string }) => a.text),
        [saved.body.text],
      );

      // Another user's question: 404 before any transcription, nothing stored.
      const other = await signUp(api);
      const calls = server.requests.length;
      const counts = await rowCounts(db);
      expectError(await postAudio(api, other.token, files.webm!, { question_id: question.body.id }), 404, 'NOT_FOUND');
      expectError(await postAudio(api, user.token, files.webm!, { question_id: 'nope' }), 422, 'INVALID_REFERENCE');
      expectError(await postAudio(api, user.token, files.webm!, { language: 'korean' }), 422, 'INVALID_REFERENCE');
      assert.equal(server.requests.length, calls);
      assert.deepEqual(await rowCounts(db), counts);
    });

    test('bad audio gets 415 or 422, a large one 413, and the engine is never called', async (t) => {
      const dir = await scratchDir(t);
      const server = await fakeServer(t, (_request, response) => sendJson(response, 200, TRANSCRIPTION));
      const { api, db, dataDir } = await startApp(t, dialect.name, {
        STT_ENGINE: 'openai',
        STT_OPENAI_URL: server.url,
        STT_MAX_AUDIO_SEC: '5',
        STT_MAX_UPLOAD_MB: '1',
      });
      const user = await signUp(api);
      const before = await rowCounts(db);
      const silentVideo = join(dir, 'silent.mp4');
      await ffmpeg('-i', fixture('video_talking_male_en_5s.mp4'), '-an', '-c:v', 'copy', silentVideo);
      const big = join(dir, 'big.wav');
      await ffmpeg('-i', JFK, '-t', '4', '-ar', '48000', '-ac', '2', big); // 750 KB…
      const bigger = join(dir, 'bigger.wav');
      await ffmpeg('-stream_loop', '3', '-i', big, '-t', '8', bigger); // …1.5 MB

      expectError(await postAudio(api, user.token, new Blob(['not audio at all'])), 415, 'UNSUPPORTED_AUDIO');
      expectError(await postAudio(api, user.token, new Blob(['%PDF-1.4 nothing'])), 415, 'UNSUPPORTED_AUDIO');
      expectError(await postAudio(api, user.token, silentVideo), 422, 'NO_AUDIO_STREAM');
      expectError(await postAudio(api, user.token, JFK), 422, 'AUDIO_TOO_LONG');
      expectError(await postAudio(api, user.token, bigger), 413, 'FILE_TOO_LARGE');
      expectError(await postAudio(api, user.token, JFK, {}, 'file'), 422, 'FILE_MISSING');
      const json = await api.request('POST', '/api/interviews/stt', { token: user.token, json: { audio: 'base64?' } });
      expectError(json, 415, 'UNSUPPORTED_MEDIA');
      assert.match(json.body.detail, /multipart\/form-data/);
      assert.equal(server.requests.length, 0);
      assert.deepEqual(await rowCounts(db), before);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
    });

    test('no engine: 503 naming the setting; a failing engine: 502 without its address', async (t) => {
      const dir = await scratchDir(t);
      const wav = join(dir, 'a.wav');
      await ffmpeg('-i', JFK, '-t', '2', wav);
      const off = await startApp(t, dialect.name, { STT_ENGINE: 'none' });
      const user = await signUp(off.api);
      const refused = await postAudio(off.api, user.token, wav);
      expectError(refused, 503, 'STT_UNAVAILABLE');
      assert.match(refused.body.detail, /STT_ENGINE/);
      expectError(
        await off.api.request('POST', '/api/interviews/stt', { body: new FormData() }),
        401,
        'NOT_AUTHENTICATED',
      );

      const server = await fakeServer(t, (_request, response) => sendJson(response, 500, { error: 'boom' }));
      const broken = await startApp(t, dialect.name, { STT_ENGINE: 'openai', STT_OPENAI_URL: server.url });
      const other = await signUp(broken.api);
      const failed = await postAudio(broken.api, other.token, wav);
      expectError(failed, 502, 'STT_FAILED');
      assert.ok(!failed.text.includes('127.0.0.1'), failed.text);
      assert.equal(server.requests.length, 1);
    });
  });
}
