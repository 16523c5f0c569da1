import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSpeechSettings } from '../../src/config.ts';
import { analyzeSpeech } from '../../src/analysis/speech/index.ts';
import { SPEECH_THRESHOLDS } from '../../src/analysis/thresholds.ts';
import { pausesBetween, speechProbabilities, speechStretches } from '../../src/analysis/speech/vad.ts';
import { scratchDir } from './media-helpers.ts';
import { writeTinyWhisper } from './tiny-whisper.ts';
import { concat, espeakMissing, fakeServer, formOf, samples, sendJson, silence, speak } from './speech-helpers.ts';

const ENGLISH = [
  ['The quick brown fox jumps over the lazy dog.', 11],
  ['I have worked on three backend projects.', 9],
  ['We reduced the response time by half.', 9],
] as const;
const KOREAN = [
  ['저는 백엔드 개발자로 지원했습니다', 15],
  ['결제 시스템을 만들었습니다', 12],
  ['팀과 함께 성능을 두 배 개선했습니다', 15],
] as const;

/** Three sentences with 0.5 s, 1.5 s, 0.6 s and 0.5 s of silence around and between them. */
async function answer(dir: string, sentences: typeof ENGLISH | typeof KOREAN, voice: 'en' | 'ko') {
  const clips = await Promise.all(
    sentences.map(async ([text], i) => samples(await speak(dir, `${voice}${i}`, text, voice))),
  );
  const audio = concat(silence(0.5), clips[0]!, silence(1.5), clips[1]!, silence(0.6), clips[2]!, silence(0.5));
  const d = clips.map((clip) => clip.length / 16000);
  const first = { start: 0.5, end: 0.5 + d[0]! };
  const second = { start: first.end + 1.5, end: first.end + 1.5 + d[1]! };
  const third = { start: second.end + 0.6, end: second.end + 0.6 + d[2]! };
  const syllables = sentences.reduce((sum, [, count]) => sum + count, 0);
  return { audio, first, second, third, syllables, durationSec: audio.length / 16000 };
}

const settings = (env: Record<string, string>, dataDir: string) => loadSpeechSettings({ DATA_DIR: dataDir, ...env });
const near = (actual: number | null | undefined, expected: number, tolerance: number, what: string) =>
  assert.ok(actual != null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

describe('syllable nuclei on natural speech', () => {
  // Syllables counted by hand in bench/speech.ts, which prints the error on these and on faster versions.
  for (const [file, syllables] of [
    ['speech_en_jfk_11s.wav', 28],
    ['speech_en_ljspeech_8s.wav', 29],
  ] as const) {
    test(`${file}: ${syllables} syllables, estimated within 15%`, async (t) => {
      const audio = await samples(join('test', 'fixtures', file));
      const dir = await scratchDir(t);
      const { speech } = await analyzeSpeech(audio, audio.length / 16000, settings({ STT_ENGINE: 'none' }, dir));
      const estimated = speech.syllables_per_sec_estimated! * speech.speaking_time_sec!;
      near(estimated, syllables, 0.15 * syllables, 'syllable nuclei');
    });
  }
});

describe('voice activity and acoustic measures on synthesised speech', { skip: espeakMissing }, () => {
  for (const [voice, sentences] of [
    ['en', ENGLISH],
    ['ko', KOREAN],
  ] as const) {
    test(`${voice}: speech where it was put, the one long silence as a pause, syllables within 25%`, async (t) => {
      const dir = await scratchDir(t);
      const { audio, first, second, third, syllables, durationSec } = await answer(dir, sentences, voice);
      const stretches = speechStretches(await speechProbabilities(audio));
      near(stretches[0]?.start_sec, first.start, 0.3, 'speech starts');
      near(stretches.at(-1)?.end_sec, third.end, 0.3, 'speech ends');
      // Nothing is heard inside the silences.
      for (const stretch of stretches) {
        assert.ok(
          stretch.end_sec <= first.end + 0.3 || stretch.start_sec >= second.start - 0.3,
          `stretch in the 1.5 s silence: ${JSON.stringify(stretch)}`,
        );
      }
      const pauses = pausesBetween(stretches);
      assert.equal(pauses.length, 1, JSON.stringify(pauses));
      near(pauses[0]!.start_sec, first.end, 0.3, 'pause start');
      near(pauses[0]!.end_sec, second.start, 0.3, 'pause end');

      const result = await analyzeSpeech(audio, durationSec, settings({ STT_ENGINE: 'none' }, dir));
      const { speech } = result;
      assert.equal(speech.stt_status, 'disabled');
      assert.match(speech.stt_message!, /STT_ENGINE=none/);
      assert.deepEqual([result.wpm, result.filler_count, result.transcript], [null, null, null]);
      near(speech.time_to_first_word_sec, 0.5, 0.3, 'time to first word');
      near(speech.longest_pause_sec, 1.5, 0.4, 'longest pause');
      const estimated = speech.syllables_per_sec_estimated! * speech.speaking_time_sec!;
      near(estimated, syllables, 0.25 * syllables, 'syllable nuclei');
      assert.ok(
        speech.voice.pitch_mean_hz! > 60 && speech.voice.pitch_mean_hz! < 300,
        `pitch ${speech.voice.pitch_mean_hz}`,
      );
      assert.ok(speech.voice.loudness_variation_db! > 0);
    });
  }

  test('a monotone hum has almost no pitch variation; no audio and silence are results, not errors', async (t) => {
    const dir = await scratchDir(t);
    const hum = new Float32Array(16000 * 2).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 150 * i) / 16000));
    const { speech } = await analyzeSpeech(
      concat(silence(0.5), hum, silence(0.5)),
      3,
      settings({ STT_ENGINE: 'none' }, dir),
    );
    if (speech.stt_status !== 'no_speech') {
      near(speech.voice.pitch_mean_hz, 150, 3, 'pitch of a 150 Hz tone');
      assert.ok(speech.voice.pitch_variation_semitones! < 0.3);
    }
    const none = await analyzeSpeech(null, 3, settings({}, dir));
    assert.equal(none.speech.stt_status, 'no_audio');
    const quiet = await analyzeSpeech(silence(3), 3, settings({}, dir));
    assert.equal(quiet.speech.stt_status, 'no_speech');
    assert.deepEqual([quiet.wpm, quiet.filler_count, quiet.speech.speaking_time_sec], [0, 0, 0]);
  });
});

describe('transcription engines against fake servers', { skip: espeakMissing }, () => {
  const TRANSCRIPT = 'Um, I led the backend team, like, for two years.';
  const WORDS = [
    ['Um', 0.5, 0.7],
    ['I', 1.0, 1.1],
    ['led', 1.1, 1.3],
    ['the', 1.3, 1.4],
    ['backend', 1.4, 1.8],
    ['team,', 1.8, 2.1],
    ['like,', 2.2, 2.4],
    ['for', 2.6, 2.7],
    ['two', 2.7, 2.9],
    ['years.', 2.9, 3.3],
  ] as const;

  test('OpenAI-compatible: the request as the API defines it; transcript, pace and fillers as worked out by hand', async (t) => {
    const dir = await scratchDir(t);
    const { audio, durationSec } = await answer(dir, ENGLISH, 'en');
    const server = await fakeServer(t, (_request, response) =>
      sendJson(response, 200, {
        task: 'transcribe',
        language: 'english',
        duration: durationSec,
        text: ` ${TRANSCRIPT}`,
        segments: [{ id: 0, seek: 0, start: 0.5, end: 3.3, text: ` ${TRANSCRIPT}`, tokens: [], temperature: 0 }],
        words: WORDS.map(([word, start, end]) => ({ word, start, end })),
      }),
    );
    const result = await analyzeSpeech(
      audio,
      durationSec,
      settings(
        {
          STT_ENGINE: 'openai',
          STT_OPENAI_URL: `${server.url}/v1`,
          STT_OPENAI_API_KEY: 'sk-test',
          STT_LANGUAGE: 'en',
        },
        dir,
      ),
    );

    assert.equal(server.requests.length, 1);
    const [request] = server.requests;
    assert.equal(request!.url, '/v1/audio/transcriptions');
    assert.equal(request!.headers.authorization, 'Bearer sk-test');
    const form = await formOf(request!);
    assert.equal(form.get('model'), 'whisper-1');
    assert.equal(form.get('response_format'), 'verbose_json');
    assert.deepEqual(form.getAll('timestamp_granularities[]'), ['segment', 'word']);
    assert.equal(form.get('language'), 'en');
    assert.equal(form.get('prompt'), SPEECH_THRESHOLDS.filler_prompt.en);
    const wav = Buffer.from(await (form.get('file') as File).arrayBuffer());
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 16000);
    assert.equal(wav.length, 44 + audio.length * 2);

    assert.equal(result.speech.stt_status, 'ok');
    assert.equal(result.speech.stt_engine, 'openai');
    assert.equal(result.transcript!.text, TRANSCRIPT);
    assert.equal(result.transcript!.language, 'en');
    assert.equal(result.wpm, Number((10 / (durationSec / 60)).toFixed(1)));
    assert.equal(result.filler_count, 2);
    assert.deepEqual(result.speech.fillers, [
      { word: 'um', t: 0.5 },
      { word: 'like', t: 2.2 },
    ]);
    assert.equal(result.speech.wpm_speaking, Number((10 / (result.speech.speaking_time_sec! / 60)).toFixed(1)));
  });

  test('a server that errors, answers garbage or hangs: the analysis completes and says why', async (t) => {
    const dir = await scratchDir(t);
    const { audio, durationSec } = await answer(dir, ENGLISH, 'en');
    const cases: Array<[string, (response: import('node:http').ServerResponse) => void, RegExp]> = [
      [
        'error',
        (response) => sendJson(response, 500, { error: { message: 'model overloaded' } }),
        /answered 500.*model overloaded/,
      ],
      ['garbage', (response) => response.end('<html>gateway</html>'), /not JSON/],
      [
        'wrong JSON',
        (response) => sendJson(response, 200, { transcript: 'x' }),
        /without the verbose transcription fields/,
      ],
      ['hang', () => {}, /no answer within 1 s/],
    ];
    for (const [name, behave, message] of cases) {
      const server = await fakeServer(t, (_request, response) => behave(response));
      const started = Date.now();
      const result = await analyzeSpeech(
        audio,
        durationSec,
        settings({ STT_ENGINE: 'openai', STT_OPENAI_URL: server.url, STT_TIMEOUT_SEC: '1' }, dir),
      );
      assert.equal(result.speech.stt_status, 'failed', name);
      assert.match(result.speech.stt_message!, message, name);
      assert.ok(result.speech.speaking_time_sec! > 3, name);
      assert.equal(result.wpm, null);
      assert.ok(Date.now() - started < 10_000, `${name} took ${Date.now() - started} ms`);
    }
  });

  test('Gemini: keys tried in turn, the audio sent inline, a JSON transcript read back; keys never shown', async (t) => {
    const dir = await scratchDir(t);
    const { audio, durationSec } = await answer(dir, KOREAN, 'ko');
    const spoken = '음, 저는 그 결과를 보고 어... 결제 시스템을 3번 만들었습니다';
    const server = await fakeServer(t, (request, response) => {
      const key = request.headers['x-goog-api-key'] ?? new URL(request.url, 'http://x').searchParams.get('key');
      if (key !== 'good-key')
        return sendJson(response, 403, {
          error: { code: 403, message: `API key not valid: ${key}`, status: 'PERMISSION_DENIED' },
        });
      sendJson(response, 200, {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  text: JSON.stringify({
                    language: 'ko',
                    text: spoken,
                    segments: [{ start: 0.5, end: 4.1, text: spoken }],
                  }),
                },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      });
    });
    const env = {
      STT_ENGINE: 'gemini',
      GEMINI_BASE_URL: server.url,
      GEMINI_API_KEY1: 'bad-key',
      GEMINI_API_KEY2: 'good-key',
    };
    const result = await analyzeSpeech(audio, durationSec, settings(env, dir));

    assert.equal(server.requests.length, 2);
    const sent = JSON.parse(server.requests[1]!.body.toString());
    assert.match(server.requests[1]!.url, /\/models\/gemini-2\.5-flash-lite:generateContent/);
    const [audioPart, textPart] = sent.contents[0].parts;
    assert.equal(audioPart.inlineData.mimeType, 'audio/wav');
    assert.equal(Buffer.from(audioPart.inlineData.data, 'base64').toString('ascii', 0, 4), 'RIFF');
    assert.match(textPart.text, /verbatim/);
    assert.equal(sent.generationConfig.responseMimeType, 'application/json');

    assert.equal(result.speech.stt_status, 'ok');
    assert.equal(result.speech.stt_engine, 'gemini');
    assert.equal(result.transcript!.text, spoken);
    assert.equal(result.speech.language, 'ko');
    assert.deepEqual(
      result.speech.fillers.map((f) => f.word),
      ['음', '어'],
    );
    // 22 Hangul syllables and 3번 read as 세 번 (2): the stage counts numbers as spoken.
    assert.equal(result.speech.syllables_per_sec, Number((24 / result.speech.speaking_time_sec!).toFixed(2)));

    const allBad = await analyzeSpeech(audio, durationSec, settings({ ...env, GEMINI_API_KEY2: 'other-bad-key' }, dir));
    assert.equal(allBad.speech.stt_status, 'failed');
    assert.match(allBad.speech.stt_message!, /key 1:.*key 2:/);
    assert.doesNotMatch(allBad.speech.stt_message!, /bad-key/);
  });

  test('Whisper without a model or a network fails fast and clearly; auto falls back through the engines', async (t) => {
    const dir = await scratchDir(t);
    const { audio, durationSec } = await answer(dir, ENGLISH, 'en');
    const started = Date.now();
    const whisper = await analyzeSpeech(audio, durationSec, settings({ STT_ENGINE: 'whisper' }, dir));
    assert.equal(whisper.speech.stt_status, 'failed');
    assert.match(
      whisper.speech.stt_message!,
      /Whisper model "onnx-community\/whisper-small" is not available.*WHISPER_MODEL_DIR/,
    );
    assert.ok(Date.now() - started < 30_000);

    const broken = await fakeServer(t, (_request, response) => sendJson(response, 503, { error: 'down' }));
    const auto = await analyzeSpeech(audio, durationSec, settings({ STT_OPENAI_URL: broken.url }, dir));
    assert.equal(auto.speech.stt_status, 'failed');
    assert.match(auto.speech.stt_message!, /^openai \(whisper-1\): .*503.*whisper \(onnx-community\/whisper-small\): /);

    const working = await fakeServer(t, (_request, response) =>
      sendJson(response, 200, { text: 'I led the team.', language: 'en' }),
    );
    const fallback = await analyzeSpeech(audio, durationSec, settings({ STT_OPENAI_URL: working.url }, dir));
    assert.equal(fallback.speech.stt_status, 'ok');
    assert.equal(fallback.filler_count, 0);
    assert.equal(fallback.speech.word_count, 4);
  });

  test('Whisper detects the language, is primed so fillers are kept, and the prompt stays out of the transcript', async (t) => {
    // A tiny scripted Whisper (see tiny-whisper.ts): it prefers Korean, and says the filler from its
    // prompt first, the way Whisper imitates the style it is shown.
    const dir = await scratchDir(t);
    const modelDir = join(dir, 'tiny-whisper');
    await writeTinyWhisper(modelDir);
    const { audio, durationSec } = await answer(dir, KOREAN, 'ko');

    const detected = await analyzeSpeech(
      audio,
      durationSec,
      settings({ STT_ENGINE: 'whisper', WHISPER_MODEL_DIR: modelDir }, dir),
    );
    assert.equal(detected.speech.stt_status, 'ok', detected.speech.stt_message ?? '');
    assert.deepEqual(detected.transcript, {
      text: '음 안녕하세요 저는 개발자입니다',
      language: 'ko',
      segments: [{ start: 0, end: 2, text: '음 안녕하세요 저는 개발자입니다' }],
      words: null,
    });
    assert.deepEqual(
      detected.speech.fillers.map((f) => f.word),
      ['음'],
    );
    assert.equal(detected.filler_count, 1);
    assert.equal(detected.speech.word_count, 4);
    assert.equal(detected.speech.stt_model, 'tiny-whisper');

    const english = await analyzeSpeech(
      audio,
      durationSec,
      settings({ STT_ENGINE: 'whisper', WHISPER_MODEL_DIR: modelDir, STT_LANGUAGE: 'en' }, dir),
    );
    assert.equal(english.transcript?.text, 'um hello everyone');
    assert.equal(english.transcript?.language, 'en');
    assert.deepEqual(
      english.speech.fillers.map((f) => f.word),
      ['um'],
    );

    // A language the model has no token for is a clear failure, not a transcript in another language.
    const unknown = await analyzeSpeech(
      audio,
      durationSec,
      settings({ STT_ENGINE: 'whisper', WHISPER_MODEL_DIR: modelDir, STT_LANGUAGE: 'ja' }, dir),
    );
    assert.equal(unknown.speech.stt_status, 'failed');
    assert.match(
      unknown.speech.stt_message!,
      /^whisper \(tiny-whisper\): this Whisper model cannot transcribe the language "ja"\.$/,
    );
    assert.equal(unknown.transcript, null);
  });

  const modelDir = process.env.WHISPER_MODEL_DIR;
  test(
    'Whisper with a local model transcribes the synthesised speech',
    {
      skip: modelDir ? false : 'WHISPER_MODEL_DIR is not set: no Whisper model on this machine',
    },
    async (t) => {
      const dir = await scratchDir(t);
      const clip = await samples(await speak(dir, 'fox', ENGLISH[0][0], 'en'));
      const result = await analyzeSpeech(
        concat(silence(0.3), clip, silence(0.3)),
        clip.length / 16000 + 0.6,
        settings({ STT_ENGINE: 'whisper', WHISPER_MODEL_DIR: modelDir!, STT_LANGUAGE: 'en' }, dir),
      );
      assert.equal(result.speech.stt_status, 'ok', result.speech.stt_message ?? '');
      assert.match(result.transcript!.text.toLowerCase(), /fox/);
    },
  );
});
