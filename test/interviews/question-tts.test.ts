// GET /api/interviews/questions/{id}/tts: a question read aloud by the configured engine — fake
// OpenAI-compatible and Gemini servers speaking their real wire formats, and espeak-ng for real — cached
// per text and voice, and played to its owner only through a signed URL.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig, ConfigError } from '../../src/config.ts';
import { probeAudio } from '../../src/analysis/media.ts';
import { ffmpeg, fixture, scratchDir, TOOLS } from '../analysis/media-helpers.ts';
import { espeakMissing, fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, expectError, filesUnder, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

async function questionOf(api: Api, user: TestUser, text: string): Promise<string> {
  const session = await api.post('/api/interviews/sessions', { generate_questions: false }, user.token);
  const question = await api.post(`/api/interviews/sessions/${session.body.id}/questions`, { text }, user.token);
  assert.equal(question.status, 201, question.text);
  return question.body.id;
}

/** The audio behind a reply's audio_url, fetched as an `<audio src>` would: no header. */
async function play(url: string): Promise<{ status: number; type: string | null; bytes: Buffer; json: any }> {
  const response = await fetch(url);
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type');
  return { status: response.status, type, bytes, json: type?.includes('json') ? JSON.parse(bytes.toString()) : null };
}

for (const dialect of DIALECTS) {
  describe(`questions read aloud (${dialect.name})`, { skip: dialect.skip }, () => {
    test('OpenAI-compatible speech: made once, cached, played by its owner only', async (t) => {
      const dir = await scratchDir(t);
      const mp3 = join(dir, 'speech.mp3');
      await ffmpeg('-i', fixture('speech_en_jfk_11s.wav'), '-t', '2', '-c:a', 'libmp3lame', mp3);
      const audio = await readFile(mp3);
      const server = await fakeServer(t, (request, response) => {
        if (request.url !== '/v1/audio/speech') return sendJson(response, 404, { error: 'no' });
        response.writeHead(200, { 'content-type': 'audio/mpeg' });
        response.end(audio);
      });
      const { api, dataDir } = await startApp(t, dialect.name, {
        TTS_ENGINE: 'openai',
        TTS_OPENAI_URL: `${server.url}/v1`,
        TTS_OPENAI_API_KEY: 'sk-tts-secret',
        TTS_VOICE: 'nova',
      });
      const alice = await signUp(api);
      const bob = await signUp(api);
      const questionId = await questionOf(api, alice, '가장 어려웠던 프로젝트를 설명해 주세요.');

      const reply = await api.get(`/api/interviews/questions/${questionId}/tts`, alice.token);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.question_id, questionId);
      assert.equal(reply.body.text, '가장 어려웠던 프로젝트를 설명해 주세요.');
      assert.equal(reply.body.engine, 'openai');
      assert.equal(reply.body.voice, 'nova');
      assert.ok(reply.body.audio_url.startsWith(`${api.baseUrl}/api/interviews/questions/${questionId}/tts/audio?`));
      const sent = JSON.parse(server.requests[0]!.body.toString());
      assert.deepEqual(sent, {
        model: 'tts-1',
        input: '가장 어려웠던 프로젝트를 설명해 주세요.',
        voice: 'nova',
        response_format: 'mp3',
      });
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer sk-tts-secret');

      const played = await play(reply.body.audio_url);
      assert.equal(played.status, 200);
      assert.equal(played.type, 'audio/mpeg');
      assert.ok(played.bytes.equals(audio));
      // Byte ranges, as Safari's <audio> asks for them.
      const ranged = await fetch(reply.body.audio_url, { headers: { range: 'bytes=10-19' } });
      assert.equal(ranged.status, 206);
      assert.equal(ranged.headers.get('content-range'), `bytes 10-19/${audio.length}`);
      assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(audio.subarray(10, 20)));
      const outside = await fetch(reply.body.audio_url, { headers: { range: `bytes=${audio.length}-` } });
      assert.equal(outside.status, 416);
      // Asked again: the cache answers, the engine is not called.
      const again = await api.get(`/api/interviews/questions/${questionId}/tts`, alice.token);
      assert.equal(again.status, 200);
      assert.equal(server.requests.length, 1);
      const withHeader = await api.request('GET', `/api/interviews/questions/${questionId}/tts/audio`, {
        token: alice.token,
      });
      assert.equal(withHeader.status, 200);
      assert.equal(server.requests.length, 1);
      assert.equal((await filesUnder(join(dataDir, 'uploads', alice.id))).length, 1);

      // Bob: neither the URL nor the audio; a moved, altered or missing signature opens nothing.
      expectError(await api.get(`/api/interviews/questions/${questionId}/tts`, bob.token), 404, 'NOT_FOUND');
      expectError(
        await api.request('GET', `/api/interviews/questions/${questionId}/tts/audio`, { token: bob.token }),
        404,
        'NOT_FOUND',
      );
      const url = new URL(reply.body.audio_url);
      const altered = new URL(url);
      altered.searchParams.set('signature', 'A'.repeat(43));
      assert.equal((await play(altered.toString())).json.code, 'INVALID_MEDIA_URL');
      const asVideo = `${api.baseUrl}/api/interviews/videos/${questionId}/file${url.search}`;
      assert.equal((await play(asVideo)).json.code, 'INVALID_MEDIA_URL');
      const otherQuestion = await questionOf(api, alice, 'Why us?');
      const moved = reply.body.audio_url.replace(questionId, otherQuestion);
      assert.equal((await play(moved)).json.code, 'INVALID_MEDIA_URL');
      assert.equal((await play(`${api.baseUrl}${url.pathname}`)).json.code, 'NOT_AUTHENTICATED');

      // Deleting the account takes the speech with it.
      await api.delete(`/api/users/${alice.id}`, alice.token);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads', alice.id)), []);
      assert.equal((await play(reply.body.audio_url)).status, 401);
    });

    test('Gemini speech: raw PCM comes back as WAV; a failing engine is a 502 that names no key', async (t) => {
      const pcm = Buffer.alloc(24_000 * 2); // one second of silence
      for (let i = 0; i < pcm.length / 2; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin(i / 10)), i * 2);
      let fail = false;
      const server = await fakeServer(t, (request, response) => {
        if (fail) return sendJson(response, 500, { error: { code: 500, message: 'overloaded', status: 'INTERNAL' } });
        sendJson(response, 200, {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [{ inlineData: { mimeType: 'audio/L16;codec=pcm;rate=24000', data: pcm.toString('base64') } }],
              },
              finishReason: 'STOP',
            },
          ],
        });
      });
      const { api } = await startApp(t, dialect.name, {
        TTS_ENGINE: 'gemini',
        GEMINI_API_KEY: 'gemini-key-secret',
        GEMINI_BASE_URL: server.url,
      });
      const user = await signUp(api);
      const questionId = await questionOf(api, user, 'Tell us about a hard bug.');
      const reply = await api.get(`/api/interviews/questions/${questionId}/tts`, user.token);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.engine, 'gemini');
      assert.equal(reply.body.voice, 'Kore');
      const request = server.requests[0]!;
      assert.match(request.url, /gemini-2\.5-flash-preview-tts:generateContent/);
      const body = JSON.parse(request.body.toString());
      assert.deepEqual(body.generationConfig.responseModalities, ['AUDIO']);
      assert.equal(body.generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName, 'Kore');
      assert.equal(body.contents[0].parts[0].text, 'Tell us about a hard bug.');
      const played = await play(reply.body.audio_url);
      assert.equal(played.type, 'audio/wav');
      assert.equal(played.bytes.toString('latin1', 0, 4), 'RIFF');
      assert.equal(played.bytes.readUInt32LE(24), 24_000);
      assert.equal(played.bytes.length, 44 + pcm.length);

      fail = true;
      const otherQuestion = await questionOf(api, user, 'A different question.');
      const failed = await api.get(`/api/interviews/questions/${otherQuestion}/tts`, user.token);
      expectError(failed, 502, 'TTS_FAILED');
      assert.ok(!failed.text.includes('gemini-key-secret'));
    });

    test('espeak-ng speaks Korean and English on this machine', { skip: espeakMissing }, async (t) => {
      const { api, dataDir } = await startApp(t, dialect.name, { TTS_ENGINE: 'espeak' });
      const user = await signUp(api);
      for (const text of ['자기소개를 해 주세요.', '-v en --help: please introduce yourself.']) {
        const questionId = await questionOf(api, user, text);
        const reply = await api.get(`/api/interviews/questions/${questionId}/tts`, user.token);
        assert.equal(reply.status, 200, reply.text);
        assert.equal(reply.body.engine, 'espeak');
        const played = await play(reply.body.audio_url);
        assert.equal(played.type, 'audio/wav');
        const dir = await scratchDir(t);
        const file = join(dir, 'q.wav');
        await import('node:fs/promises').then((fs) => fs.writeFile(file, played.bytes));
        const info = await probeAudio(file, TOOLS);
        assert.ok(info.durationSec > 0.8, `${text}: ${info.durationSec} s`);
      }
      assert.equal((await filesUnder(join(dataDir, 'uploads', user.id, 'question-speech'))).length, 2);
    });

    test('TTS_ENGINE=none: 503 with a message naming the setting', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const questionId = await questionOf(api, user, 'Why us?');
      const reply = await api.get(`/api/interviews/questions/${questionId}/tts`, user.token);
      expectError(reply, 503, 'TTS_UNAVAILABLE');
      assert.match(reply.body.detail, /TTS_ENGINE/);
      expectError(await api.get(`/api/interviews/questions/${questionId}/tts`), 401, 'NOT_AUTHENTICATED');
    });
  });
}

describe('TTS settings', () => {
  test('an engine without what it needs stops the server with the setting named', () => {
    assert.throws(() => loadConfig({ DATA_DIR: '/tmp/ip-tts-config', TTS_ENGINE: 'openai' }), ConfigError);
    assert.throws(() => loadConfig({ DATA_DIR: '/tmp/ip-tts-config', TTS_ENGINE: 'gemini' }), /GEMINI_API_KEY/);
    assert.throws(() => loadConfig({ DATA_DIR: '/tmp/ip-tts-config', TTS_ENGINE: 'melo' }), /TTS_ENGINE/);
    assert.throws(
      () => loadConfig({ DATA_DIR: '/tmp/ip-tts-config', TTS_ENGINE: 'espeak', TTS_VOICE: 'a b' }),
      /TTS_VOICE/,
    );
    assert.equal(loadConfig({ DATA_DIR: '/tmp/ip-tts-config' }).tts.engine, 'none');
  });
});
