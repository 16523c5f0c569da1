// Every feedback line points at a moment of the answer when the data has one: a real upload analysed
// (face, voice activity) with a transcript from a fake OpenAI-compatible server, on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, signUp, startApp, uploadAnswerVideo } from '../helpers.ts';

// Two sentences inside the 5 s video, with a filler, a number and a skill; word n starts at 0.3 + n × 0.35 s.
const TEXT = 'Um, I cut our API response time by 30% with Redis. As a result, checkout got faster.';

function transcription() {
  const words = TEXT.split(' ').map((word, n) => ({ word, start: 0.3 + n * 0.35, end: 0.3 + n * 0.35 + 0.3 }));
  const cut = 11; // the first sentence's words
  const segment = (from: number, to: number) => ({
    start: words[from]!.start,
    end: words[to]!.end,
    text: words
      .slice(from, to + 1)
      .map((w) => w.word)
      .join(' '),
  });
  return {
    task: 'transcribe',
    language: 'english',
    duration: 5,
    text: TEXT,
    segments: [segment(0, cut - 1), segment(cut, words.length - 1)].map((s, id) => ({
      id,
      seek: 0,
      ...s,
      tokens: [],
      temperature: 0,
    })),
    words,
  };
}

interface Item {
  title: string;
  severity: string;
  category: string;
  start_sec: number | null;
  end_sec: number | null;
  lang: string;
}

for (const dialect of DIALECTS) {
  describe(`feedback moments (${dialect.name})`, { skip: dialect.skip }, () => {
    test('most lines carry a moment inside the video, and keep it when read in the other language', async (t) => {
      const stt = await fakeServer(t, (_request, response) => sendJson(response, 200, transcription()));
      const { api } = await startApp(t, dialect.name, {
        STT_ENGINE: 'openai',
        STT_OPENAI_URL: `${stt.url}/v1`,
        STT_LANGUAGE: 'en',
      });
      const user = await signUp(api);
      const videoId = (await uploadAnswerVideo(api, user)).body.video_id as string;
      const analysed = await api.request('POST', `/api/video/analyze/${videoId}`, {
        token: user.token,
        headers: { 'accept-language': 'en' },
      });
      assert.equal(analysed.status, 200, analysed.text);
      const en = await api.request('GET', `/api/video/results/${videoId}`, {
        token: user.token,
        headers: { 'accept-language': 'en' },
      });
      assert.equal(en.status, 200, en.text);
      const duration: number = en.body.video.duration_sec;
      assert.ok(duration > 4 && duration < 6, String(duration));
      const items: Item[] = en.body.feedbacks;
      const describe = items.map((i) => `${i.category}/${i.title}: ${i.start_sec}–${i.end_sec}`).join('\n');
      assert.ok(items.length >= 6, describe);

      // Most lines point somewhere, delivery and content alike; the ones that cannot say why in the rules.
      const timed = items.filter((item) => item.start_sec !== null);
      assert.ok(timed.length / items.length >= 0.6, describe);
      assert.ok(
        timed.some((item) => item.category === 'delivery'),
        describe,
      );
      assert.ok(
        timed.some((item) => item.category === 'content'),
        describe,
      );
      for (const item of items) {
        assert.equal(item.start_sec === null, item.end_sec === null, describe);
        if (item.start_sec === null) continue;
        assert.ok(item.start_sec >= 0 && item.start_sec <= item.end_sec!, describe);
        assert.ok(item.end_sec! <= duration + 1e-6, `${describe}\n(duration ${duration})`);
      }
      // The content lines point at their sentences: the number is in the first one (words 0–10, 0.3–4.1 s);
      // the answer is short, so its length points at where it stopped: the second sentence (words 11–15,
      // from 4.15 s, cut at the video's end). The filler is the first word.
      const at = (title: string) => {
        const item = items.find((i) => i.title === title);
        return item && [item.start_sec, item.end_sec];
      };
      assert.deepEqual(at('Specificity'), [0.3, 4.1]);
      assert.deepEqual(at('Point first'), [0.3, 4.1]);
      assert.deepEqual(at('Length'), [4.15, Math.floor(duration * 100) / 100]);
      assert.deepEqual(at('Filler words'), [0.3, 0.3]);

      // Read in Korean: the rules' rows rebuilt in Korean, every moment kept.
      const ko = await api.request('GET', `/api/video/results/${videoId}`, {
        token: user.token,
        headers: { 'accept-language': 'ko' },
      });
      assert.deepEqual(
        ko.body.feedbacks.map((i: Item) => [i.lang, i.start_sec, i.end_sec]),
        items.map((i) => ['ko', i.start_sec, i.end_sec]),
      );
    });
  });
}
