// Content analysis through the API: a real upload and analysis, transcribed by a fake OpenAI-compatible
// server with a transcript written for the test, on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CONTENT_THRESHOLDS } from '../../src/analysis/content/index.ts';
import { TALKING_MALE } from '../analysis/media-helpers.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, expectError, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

const MALE_BYTES = await readFile(TALKING_MALE);

const STAR_KO =
  '결론부터 말씀드리면, 결제 API의 응답 시간을 30% 줄였습니다. 2년 6개월 동안 커머스 회사에서 근무할 때 서버 150대로도 장애가 나는 문제가 있었습니다. 저는 원인을 찾는 역할을 맡았습니다. Redis 캐시와 Kafka 큐를 도입했습니다. 그 결과 장애가 0건이 되었습니다.';
const VAGUE_KO = '저는 나름 열심히 한 것 같습니다. 아마 팀에 좀 도움이 됐던 것 같아요.';
const POSTING = '자격요건\n- Java, Spring Boot 기반 서버 개발 경험\n- Redis, Kafka 운영 경험';
const QUESTION = '가장 어려웠던 기술적 문제를 하나 골라, 원인을 찾고 해결한 과정을 설명해 주세요.';

/** The verbose JSON of an OpenAI-compatible server: word n starts at n × 0.5 s. */
function transcription(text: string) {
  const words = text.split(' ').map((word, n) => ({ word, start: n * 0.5, end: n * 0.5 + 0.4 }));
  return {
    task: 'transcribe',
    language: 'korean',
    duration: 5,
    text,
    segments: [{ id: 0, seek: 0, start: 0, end: words.at(-1)!.end, text, tokens: [], temperature: 0 }],
    words,
  };
}

async function answerVideo(api: Api, user: TestUser) {
  const posting = (
    await api.post('/api/job-postings/', { company_name: '페이', title: '백엔드', raw_text: POSTING }, user.token)
  ).body;
  const session = (await api.post('/api/interviews/sessions', { job_posting_id: posting.id }, user.token)).body;
  const question = (
    await api.post(
      `/api/interviews/sessions/${session.id}/questions`,
      { text: QUESTION, type: 'technical' },
      user.token,
    )
  ).body;
  const form = new FormData();
  form.append('session_id', session.id);
  form.append('question_id', question.id);
  form.append('file', new Blob([MALE_BYTES]), 'answer.mp4');
  const uploaded = await api.request('POST', '/api/video/upload', { body: form, token: user.token });
  assert.equal(uploaded.status, 200, uploaded.text);
  return { videoId: uploaded.body.video_id as string, filePath: uploaded.body.file_path as string };
}

for (const dialect of DIALECTS) {
  describe(`content analysis through the API (${dialect.name})`, { skip: dialect.skip }, () => {
    test('the content block and content feedback are stored and returned; re-analysis replaces them, a failed one keeps them', async (t) => {
      let answer = STAR_KO;
      const stt = await fakeServer(t, (_request, response) => sendJson(response, 200, transcription(answer)));
      const { api, db, dataDir } = await startApp(t, dialect.name, {
        STT_ENGINE: 'openai',
        STT_OPENAI_URL: `${stt.url}/v1`,
        STT_LANGUAGE: 'ko',
      });
      const user = await signUp(api);
      const { videoId, filePath } = await answerVideo(api, user);

      const first = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
      assert.equal(first.status, 200, first.text);
      const content = first.body.metrics.content;
      assert.equal(first.body.metrics.content_reason, null);
      assert.equal(content.language, 'ko');
      assert.equal(content.sentence_count, 5);
      assert.deepEqual(
        content.specificity.numbers.map((n: { text: string }) => n.text),
        ['30%', '2년 6개월', '150대', '0건'],
      );
      assert.deepEqual(content.specificity.skills, ['Redis', 'Kafka']);
      assert.equal(content.structure.conclusion_first, true);
      assert.deepEqual(content.structure.missing, []);
      assert.equal(content.hedge_count, 0);
      assert.deepEqual(content.relevance.posting, { covered: ['Redis', 'Kafka'], missing: ['Java', 'Spring Boot'] });
      assert.deepEqual(content.relevance.question, { covered: ['문제', '원인'], missing: ['기술적', '해결', '과정'] });
      // 36 words: from 0 to 35 × 0.5 + 0.4 = 17.9 s, short of 30 s.
      assert.deepEqual(content.length, { value_sec: 17.9, range_sec: [30, 120], judgement: 'short' });
      assert.equal(content.mode, 'rules');

      let results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.deepEqual(results.metrics.content, content);
      assert.deepEqual(results.metadata.content_thresholds, JSON.parse(JSON.stringify(CONTENT_THRESHOLDS)));
      const contentItems = results.feedbacks.filter((f: { category: string }) => f.category === 'content');
      assert.ok(results.feedbacks.some((f: { category: string }) => f.category === 'delivery'));
      assert.deepEqual(
        contentItems.map((f: { title: string; severity: string }) => [f.title, f.severity]),
        [
          ['두괄식', 'info'],
          ['답변 구조(STAR)', 'info'],
          ['구체성', 'info'],
          ['답변 길이', 'suggestion'],
          ['질문과의 연관성', 'suggestion'],
          ['공고와의 연관성', 'info'],
        ],
      );
      assert.match(contentItems[2].message, /'30%', '2년 6개월', '150대'/);
      // The analyse reply lists every item's message, content ones included, in the stored order.
      assert.deepEqual(
        first.body.feedback,
        results.feedbacks.map((f: { message: string }) => f.message),
      );

      // Re-analysis with another transcript: the content and its feedback are replaced, nothing of the first stays.
      answer = VAGUE_KO;
      const second = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
      assert.equal(second.status, 200, second.text);
      assert.equal(second.body.metrics.content.hedge_count, 5);
      assert.deepEqual(second.body.metrics.content.structure.missing, ['situation', 'task', 'action', 'result']);
      const rows = await db
        .selectFrom('feedback')
        .select(['category', 'message'])
        .where('video_id', '=', videoId)
        .execute();
      assert.equal(rows.length, second.body.feedback.length);
      assert.ok(!rows.some((row) => row.message.includes('2년 6개월'))); // quoted by the first run's specificity item
      // Point, STAR, specificity, hedges, length, the question and the posting (none of its skills named).
      assert.equal(rows.filter((row) => row.category === 'content').length, 7);
      results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.deepEqual(results.metrics.content, second.body.metrics.content);

      // A failed run changes nothing: the second analysis's content and feedback stay.
      await writeFile(join(dataDir, filePath), 'not a video any more\n'.repeat(50));
      expectError(await api.post(`/api/video/analyze/${videoId}`, undefined, user.token), 422, 'ANALYSIS_FAILED');
      const after = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.deepEqual(after.metrics.content, second.body.metrics.content);
      assert.deepEqual(after.feedbacks, results.feedbacks);
    });

    test('without a transcript the content is null with the reason; results stored before it say so', async (t) => {
      const { api, db } = await startApp(t, dialect.name); // STT_ENGINE=none
      const user = await signUp(api);
      const { videoId } = await answerVideo(api, user);
      const reply = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.metrics.content, null);
      assert.equal(
        reply.body.metrics.content_reason,
        'No transcript: Transcription is switched off (STT_ENGINE=none).',
      );
      const results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.ok(results.feedbacks.length > 0);
      assert.ok(results.feedbacks.every((f: { category: string }) => f.category === 'delivery'));

      // A result stored before migration 004: no content_json, feedback without a category.
      await db.updateTable('nonverbal_metrics').set({ content_json: null }).where('video_id', '=', videoId).execute();
      await db.updateTable('feedback').set({ category: null }).where('video_id', '=', videoId).execute();
      const old = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
      assert.equal(old.metrics.content, null);
      assert.match(old.metrics.content_reason, /before content analysis existed/);
      assert.ok(old.feedbacks.every((f: { category: string }) => f.category === 'delivery'));

      const document = (await api.get('/openapi.json')).body;
      const metrics = JSON.stringify(document);
      assert.match(metrics, /"conclusion_first"/);
      assert.match(metrics, /"hedge_count"/);
    });
  });
}

test('with a Gemini key, the rubric is stored with the content (made-up quotes dropped), beside Gemini’s coaching', async (t) => {
  const stt = await fakeServer(t, (_request, response) => sendJson(response, 200, transcription(STAR_KO)));
  const dimension = (score: number, evidence: string[]) => ({ score, evidence, advice: 'Lead with the number.' });
  const rubric = {
    point_first: dimension(5, ['결론부터 말씀드리면']),
    structure: dimension(4, ['저는 원인을 찾는 역할을 맡았습니다.', '저는 팀장이었습니다']),
    specificity: dimension(4, ['30%']),
    relevance: dimension(3, []),
    assertiveness: dimension(5, []),
  };
  const items = [
    { severity: 'info', topic: 'Eye contact', message: 'You looked at the camera most of the time; keep it up.' },
    { severity: 'suggestion', topic: 'Pace', message: 'Your pace was even; keep pauses between sentences short.' },
  ];
  const gemini = await fakeServer(t, (request, response) => {
    const prompt: string = JSON.parse(request.body.toString()).contents[0].parts[0].text;
    const reply = prompt.includes('Score the content') ? rubric : { items };
    sendJson(response, 200, {
      candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(reply) }] }, finishReason: 'STOP' }],
    });
  });
  const { api } = await startApp(t, 'sqlite', {
    STT_ENGINE: 'openai',
    STT_OPENAI_URL: `${stt.url}/v1`,
    STT_LANGUAGE: 'ko',
    GEMINI_API_KEY: 'key',
    GEMINI_BASE_URL: gemini.url,
  });
  const user = await signUp(api);
  const { videoId } = await answerVideo(api, user);
  const reply = await api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
  assert.equal(reply.status, 200, reply.text);
  const content = reply.body.metrics.content;
  assert.equal(content.mode, 'gemini');
  assert.equal(content.fallback_reason, null);
  assert.deepEqual(content.rubric.structure, dimension(4, ['저는 원인을 찾는 역할을 맡았습니다.']));
  assert.deepEqual(content.rubric.point_first, dimension(5, ['결론부터 말씀드리면']));
  assert.equal(reply.body.metrics.metadata.content_rubric_quotes_dropped, 1);
  assert.equal(reply.body.feedback_mode, 'gemini');
  // Gemini's two coaching items, then the rules' content items.
  assert.deepEqual(
    reply.body.feedback.slice(0, 2),
    items.map((item) => item.message),
  );
  const results = (await api.get(`/api/video/results/${videoId}`, user.token)).body;
  assert.deepEqual(
    results.feedbacks.map((f: { category: string }) => f.category),
    ['delivery', 'delivery', 'content', 'content', 'content', 'content', 'content', 'content'],
  );
  assert.deepEqual(results.metrics.content, content);
  // The rubric was asked once, before the coaching (the session's questions were asked for before both).
  const prompts = gemini.requests.map((r) => JSON.parse(r.body.toString()).contents[0].parts[0].text as string);
  const rubricAt = prompts.findIndex((p) => p.includes('Score the content'));
  const coachingAt = prompts.findIndex((p) => p.includes('Write feedback on one recorded answer'));
  assert.equal(prompts.filter((p) => p.includes('Score the content')).length, 1);
  assert.ok(rubricAt !== -1 && coachingAt > rubricAt, `${rubricAt} ${coachingAt}`);
  assert.ok(prompts[rubricAt]!.includes(`<<<ANSWER\n${STAR_KO}\nANSWER>>>`));
});
