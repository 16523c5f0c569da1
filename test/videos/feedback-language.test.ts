// Feedback in the reader's language: a real upload analysed with Accept-Language en (transcribed by a
// fake OpenAI-compatible server), then read in Korean and in English, on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  contentFeedback,
  FEEDBACK_RULES,
  ruleBasedFeedback,
  timelineAlerts,
} from '../../src/analysis/feedback/index.ts';
import type { StoredItem } from '../../src/analysis/feedback/reader.ts';
import { LEGACY_SEVERITY_TITLES } from '../../src/analysis/feedback/rules.ts';
import type { AnalysisMetrics } from '../../src/analysis/pipeline.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, signUp, startApp, uploadAnswerVideo, type Api, type TestUser } from '../helpers.ts';
import type { Db } from '../../src/db/index.ts';

// Fillers close together (a cluster) and a gap of more than 3 s (a long pause): segment items and alerts.
const WORDS: Array<[string, number]> = [
  ['Um,', 0.1],
  ['uh,', 0.5],
  ['um,', 0.9],
  ['I', 1.2],
  ['cut', 1.5],
  ['response', 1.8],
  ['time', 2.1],
  ['by', 2.4],
  ['30%', 2.7],
  ['at', 6.2],
  ['work.', 6.5],
];
const TEXT = WORDS.map(([word]) => word).join(' ');

function transcription() {
  const words = WORDS.map(([word, start]) => ({ word, start, end: start + 0.25 }));
  return {
    task: 'transcribe',
    language: 'english',
    duration: 7,
    text: TEXT,
    segments: [{ id: 0, seek: 0, start: 0, end: words.at(-1)!.end, text: TEXT, tokens: [], temperature: 0 }],
    words,
  };
}

async function answerVideo(api: Api, user: TestUser) {
  const videoId = (await uploadAnswerVideo(api, user)).body.video_id as string;
  const video = (await api.get(`/api/interviews/videos/${videoId}`, user.token)).body;
  return { videoId, sessionId: video.session_id as string };
}

const read = (api: Api, videoId: string, token: string, lang: string) =>
  api.request('GET', `/api/video/results/${videoId}`, { token, headers: { 'accept-language': lang } });

const storedRows = async (db: Db, videoId: string) => ({
  feedback: await db.selectFrom('feedback').selectAll().where('video_id', '=', videoId).orderBy('position').execute(),
  metrics: await db.selectFrom('nonverbal_metrics').selectAll().where('video_id', '=', videoId).execute(),
});

type ItemFields = Omit<StoredItem, 'category'>;

const fields = ({ title, message, severity, level, start_sec, end_sec }: ItemFields): ItemFields => ({
  title,
  message,
  severity,
  level,
  start_sec,
  end_sec,
});

for (const dialect of DIALECTS) {
  describe(`feedback in the reader's language (${dialect.name})`, { skip: dialect.skip }, () => {
    test('analysed in English, read in Korean: the rules’ items and the alerts rebuilt in Korean; in English, the stored items; nothing written', async (t) => {
      const stt = await fakeServer(t, (_request, response) => sendJson(response, 200, transcription()));
      const { api, db } = await startApp(t, dialect.name, {
        STT_ENGINE: 'openai',
        STT_OPENAI_URL: `${stt.url}/v1`,
        STT_LANGUAGE: 'en',
      });
      const user = await signUp(api);
      const { videoId, sessionId } = await answerVideo(api, user);
      const analysed = await api.request('POST', `/api/video/analyze/${videoId}`, {
        token: user.token,
        headers: { 'accept-language': 'en-US,en;q=0.9' },
      });
      assert.equal(analysed.status, 200, analysed.text);
      assert.equal(analysed.body.feedback_mode, 'rule-based');
      const before = await storedRows(db, videoId);
      assert.equal(JSON.parse(before.metrics[0]!.metadata_json!).feedback_lang, 'en');

      // English reader: exactly the stored rows.
      const en = await read(api, videoId, user.token, 'en');
      assert.equal(en.status, 200, en.text);
      assert.deepEqual(
        en.body.feedbacks,
        before.feedback.map((row) => ({
          id: row.id,
          ...fields(row),
          category: row.category,
          lang: 'en',
        })),
      );
      const categories = en.body.feedbacks.map((f: { category: string }) => f.category);
      assert.ok(categories.includes('delivery') && categories.includes('content'), categories.join());
      assert.ok(
        en.body.feedbacks.some((f: { level: string }) => f.level === 'segment'),
        'the answer has segment items (filler cluster, long pause)',
      );

      // Same language, from what is stored: the rules give back exactly the stored items.
      // The metrics block as stored (metric columns, measures, metadata with the rules it was written with).
      const metrics = en.body.metrics as AnalysisMetrics & {
        content: Parameters<typeof contentFeedback>[0];
        metadata: { feedback_rules: typeof FEEDBACK_RULES };
      };
      const storedEn = before.feedback.map(fields);
      const rebuiltEn = [
        ...ruleBasedFeedback(metrics, 'en', metrics.metadata.feedback_rules),
        ...contentFeedback(metrics.content, 'en'),
      ].map(fields);
      assert.deepEqual(rebuiltEn, storedEn);

      // Korean reader: the same rows (ids, order, severity, times, category), written in Korean.
      const ko = await read(api, videoId, user.token, 'ko-KR,ko;q=0.9,en;q=0.8');
      assert.equal(ko.status, 200, ko.text);
      const expectedKo = [
        ...ruleBasedFeedback(metrics, 'ko', metrics.metadata.feedback_rules),
        ...contentFeedback(metrics.content, 'ko'),
      ];
      assert.deepEqual(
        ko.body.feedbacks,
        before.feedback.map((row, i) => ({
          id: row.id,
          ...fields(row),
          title: expectedKo[i]!.title,
          message: expectedKo[i]!.message,
          category: row.category,
          lang: 'ko',
        })),
      );
      // Titles are the topic alone, in Korean; the severity is its own field.
      const severityWords = Object.values(LEGACY_SEVERITY_TITLES.ko);
      for (const item of ko.body.feedbacks) {
        assert.ok(!severityWords.some((word) => item.title.startsWith(`${word}: `)), item.title);
        assert.match(item.title, /[가-힣]/);
        assert.match(item.message, /[가-힣]/);
      }
      assert.notDeepEqual(
        ko.body.feedbacks.map((f: { message: string }) => f.message),
        en.body.feedbacks.map((f: { message: string }) => f.message),
      );

      // Alerts follow the reader too: the segment alerts quote the Korean items.
      const frames = en.body.timeline;
      assert.deepEqual(ko.body.alerts, timelineAlerts(frames, expectedKo, 'ko'));
      assert.deepEqual(en.body.alerts, timelineAlerts(frames, storedEn, 'en'));
      const segmentAlerts = ko.body.alerts.filter((a: { kind: string }) => a.kind === 'segment');
      assert.ok(segmentAlerts.length > 0);
      for (const alert of segmentAlerts) assert.match(alert.message, /[가-힣]/);

      // The session report's top items (warnings, then suggestions, then strengths) follow the reader too.
      const rank: Record<string, number> = { warning: 0, suggestion: 1, info: 2 };
      const top = (items: ItemFields[]) =>
        [...items]
          .sort((a, b) => rank[a.severity]! - rank[b.severity]!)
          .slice(0, 3)
          .map(({ title, message }) => [title, message]);
      const report = (lang: string) =>
        api.request('GET', `/api/interviews/sessions/${sessionId}/report`, {
          token: user.token,
          headers: { 'accept-language': lang },
        });
      const latestFeedback = (reply: {
        body: { questions: Array<{ latest: { video_id: string; feedback: unknown } | null }> };
      }) =>
        reply.body.questions.find((question) => question.latest?.video_id === videoId)!.latest!
          .feedback as ItemFields[];
      const reportKo = latestFeedback(await report('ko'));
      assert.deepEqual(
        reportKo.map(({ title, message }: ItemFields) => [title, message]),
        top(expectedKo),
      );
      const reportEn = latestFeedback(await report('en'));
      assert.deepEqual(
        reportEn.map(({ title, message }: ItemFields) => [title, message]),
        top(storedEn),
      );

      // Reading wrote nothing.
      assert.deepEqual(await storedRows(db, videoId), before);
      assert.deepEqual((await read(api, videoId, user.token, 'en')).body.feedbacks, en.body.feedbacks);
    });
  });
}

test('Gemini’s delivery items stay as written, in their language; the content items follow the reader', async (t) => {
  const items = [
    { severity: 'info', topic: 'Eye contact', message: 'You looked at the camera most of the time; keep it up.' },
    {
      severity: 'suggestion',
      topic: 'Pauses',
      message: 'Between 2.2 and 2.6 s you paused; keep pauses short.',
      start_sec: 2.2,
      end_sec: 2.6,
    },
  ];
  const gemini = await fakeServer(t, (_request, response) =>
    sendJson(response, 200, {
      candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify({ items }) }] }, finishReason: 'STOP' }],
    }),
  );
  const stt = await fakeServer(t, (_request, response) => sendJson(response, 200, transcription()));
  const { api } = await startApp(t, 'sqlite', {
    GEMINI_API_KEY: 'key',
    GEMINI_BASE_URL: gemini.url,
    STT_ENGINE: 'openai',
    STT_OPENAI_URL: `${stt.url}/v1`,
    STT_LANGUAGE: 'en',
  });
  const user = await signUp(api);
  const { videoId } = await answerVideo(api, user);
  const analysed = await api.request('POST', `/api/video/analyze/${videoId}`, {
    token: user.token,
    headers: { 'accept-language': 'en' },
  });
  assert.equal(analysed.status, 200, analysed.text);
  assert.equal(analysed.body.feedback_mode, 'gemini');
  const ko = await read(api, videoId, user.token, 'ko');
  assert.equal(ko.body.metadata.feedback_lang, 'en');
  const delivery = ko.body.feedbacks.filter((f: { category: string }) => f.category === 'delivery');
  assert.deepEqual(
    delivery.map((f: { title: string; message: string; lang: string }) => [f.title, f.message, f.lang]),
    items.map((item) => [item.topic, item.message, 'en']),
  );
  const content = ko.body.feedbacks.filter((f: { category: string }) => f.category === 'content');
  assert.ok(content.length > 0);
  assert.deepEqual(
    content.map((f: { title: string; message: string; lang: string }) => [f.title, f.message, f.lang]),
    contentFeedback(ko.body.metrics.content, 'ko').map((item) => [item.title, item.message, 'ko']),
  );
});
