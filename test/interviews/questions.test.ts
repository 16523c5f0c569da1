import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import {
  offlineFollowUp,
  offlineQuestions,
  projectNames,
  requirementLines,
  type Documents,
} from '../../src/llm/questions.ts';
import { findSkills } from '../../src/llm/skills.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, expectError, signUp, startApp } from '../helpers.ts';

const POSTING = await readFile(join('test', 'fixtures', 'documents', 'job_posting_ko.txt'), 'utf8');
const PORTFOLIO = await readFile(join('test', 'fixtures', 'documents', 'portfolio_ko.txt'), 'utf8');
const DOCUMENTS: Documents = {
  portfolioText: PORTFOLIO,
  postingText: POSTING,
  company: '토스페이먼츠',
  role: 'Server Developer',
};

/** Everything a generated question may name: skills, requirement lines and projects of the inputs. */
const NAMEABLE = [
  ...findSkills(POSTING + '\n' + PORTFOLIO),
  ...requirementLines(POSTING),
  ...projectNames(PORTFOLIO),
  '토스페이먼츠',
];

describe('reading the documents', () => {
  test('skills are found as words, longest spelling first, most mentioned first', () => {
    assert.deepEqual(findSkills('Spring Boot와 spring, Java; good rest of the interest'), [
      'Spring Boot',
      'Spring',
      'Java',
    ]);
    assert.deepEqual(findSkills('Go와 golang, 쿠버네티스(k8s)'), ['Kubernetes', 'Go']);
    // Spring Boot 4×, Java 3×, then JPA and MySQL 2× each: JPA is mentioned first.
    assert.deepEqual(findSkills(PORTFOLIO).slice(0, 4), ['Spring Boot', 'Java', 'JPA', 'MySQL']);
  });

  test('requirement lines and project names', () => {
    assert.deepEqual(requirementLines(POSTING).slice(0, 4), [
      '결제 승인과 정산 API를 설계하고 개발합니다',
      '대용량 트래픽에도 안정적인 결제 시스템을 운영합니다',
      '장애를 분석하고 재발을 막는 구조를 만듭니다',
      'Kotlin 또는 Java 기반 Spring Boot 개발 경험 3년 이상',
    ]);
    assert.deepEqual(projectNames(PORTFOLIO), ['주문 정산 시스템 리팩터링', '사내 쿠폰 플랫폼 구축']);
  });
});

describe('offline questions', () => {
  test('every question names a skill, requirement or project from the documents; one of each type', () => {
    const questions = offlineQuestions(DOCUMENTS, 'ko');
    assert.deepEqual(
      questions.map((q) => q.type),
      ['intro', 'portfolio', 'job', 'weakness', 'technical', 'behavioral'],
    );
    for (const question of questions) {
      assert.ok(
        NAMEABLE.some((name) => question.text.includes(name)),
        `names nothing from the documents: ${question.text}`,
      );
    }
    assert.match(questions[1]!.text, /"주문 정산 시스템 리팩터링"/);
    // The posting's most-mentioned skill that the portfolio lacks (대용량 트래픽, in its duties).
    assert.match(questions[3]!.text, /대용량 트래픽 처리를 요구하지만/);
    assert.deepEqual(offlineQuestions(DOCUMENTS, 'ko'), questions, 'the same input gives the same questions');
    const english = offlineQuestions(DOCUMENTS, 'en');
    assert.ok(english.every((q) => /^[\x20-\x7e가-힣"“”—…]+$/u.test(q.text) && /[a-z]/.test(q.text)));
    assert.ok(english.every((q) => NAMEABLE.some((name) => q.text.includes(name))));
  });

  test('no documents: the general set; one document: still named questions, completed from the general set', () => {
    const empty = offlineQuestions({ portfolioText: null, postingText: '  ', company: null, role: null }, 'ko');
    assert.equal(empty.length, 6);
    assert.ok(empty.some((q) => q.text.includes('자기소개')));
    const postingOnly = offlineQuestions({ ...DOCUMENTS, portfolioText: null }, 'ko');
    assert.ok(postingOnly.length >= 5);
    assert.ok(postingOnly.filter((q) => NAMEABLE.some((name) => q.text.includes(name))).length >= 3);
  });

  test('follow-ups refer to the answer: a number first, then a technology, then a claim', () => {
    assert.match(offlineFollowUp('Q', '정산 배치 처리 시간을 40% 줄였습니다.', 'ko'), /"40%"/);
    assert.match(offlineFollowUp('Q', 'Redis 캐시를 도입했습니다.', 'ko'), /Redis을\(를\)/);
    assert.match(
      offlineFollowUp('Q', '팀과 함께 장애 대응 절차를 만들었습니다. 좋았습니다.', 'ko'),
      /"팀과 함께 장애 대응 절차를 만들었습니다"/,
    );
    assert.match(offlineFollowUp('Q', 'We cut latency to 35 ms.', 'en'), /"35 ms"/);
  });
});

for (const dialect of DIALECTS) {
  describe(`questions over HTTP (${dialect.name})`, { skip: dialect.skip }, () => {
    test('a new session gets questions from the latest portfolio and its posting; generate appends; follow-ups', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const other = await signUp(api);
      const portfolio = (
        await api.post('/api/portfolios/', { filename: 'cv.pdf', file_url: 'x', parsed_text: PORTFOLIO }, user.token)
      ).body;
      const posting = (
        await api.post(
          '/api/job-postings/',
          { company_name: '토스페이먼츠', title: 'Server Developer', raw_text: POSTING },
          user.token,
        )
      ).body;
      const session = (await api.post('/api/interviews/sessions', { job_posting_id: posting.id }, user.token)).body;
      assert.equal(session.portfolio_id, portfolio.id);
      const questions = (await api.get(`/api/interviews/sessions/${session.id}/questions`, user.token)).body;
      assert.deepEqual(
        questions.map((q: { text: string }) => q.text),
        offlineQuestions(DOCUMENTS, 'ko').map((q) => q.text),
      );
      assert.deepEqual(
        questions.map((q: { order: number }) => q.order),
        [1, 2, 3, 4, 5, 6],
      );
      assert.ok(questions.every((q: { source: string }) => q.source === 'generated'));

      const more = await api.request('POST', `/api/interviews/sessions/${session.id}/questions/generate?lang=en`, {
        token: user.token,
      });
      assert.equal(more.status, 201, more.text);
      assert.deepEqual(
        more.body.map((q: { order: number }) => q.order),
        [7, 8, 9, 10, 11, 12],
      );
      assert.match(more.body[0].text, /Why did you apply for 토스페이먼츠 Server Developer/);

      const parent = questions[1];
      const followUp = await api.post(
        `/api/interviews/questions/${parent.id}/followup`,
        { answer_text: '처리 시간을 40% 줄였습니다.' },
        user.token,
      );
      assert.equal(followUp.status, 201, followUp.text);
      assert.equal(followUp.body.parent_question_id, parent.id);
      assert.equal(followUp.body.type, 'followup');
      assert.match(followUp.body.text, /"40%"/);
      const listed = (await api.get(`/api/interviews/sessions/${session.id}/questions`, user.token)).body;
      assert.equal(listed[2].id, followUp.body.id, 'a follow-up is listed right after its parent');

      expectError(
        await api.post(`/api/interviews/questions/${questions[0].id}/followup`, {}, user.token),
        422,
        'INVALID_REFERENCE',
      );
      await api.post(
        `/api/interviews/questions/${questions[0].id}/answers`,
        { text: 'Kafka로 정산 이벤트를 처리했습니다.' },
        user.token,
      );
      const fromAnswer = await api.request('POST', `/api/interviews/questions/${questions[0].id}/followup`, {
        token: user.token,
        headers: { 'accept-language': 'ko-KR,ko;q=0.9' },
      });
      assert.equal(fromAnswer.status, 201, fromAnswer.text);
      assert.match(fromAnswer.body.text, /Kafka/);
      expectError(
        await api.post(`/api/interviews/questions/${parent.id}/followup`, { answer_text: 'x' }, other.token),
        404,
        'NOT_FOUND',
      );
      expectError(
        await api.request('POST', `/api/interviews/sessions/${session.id}/questions/generate`, { token: other.token }),
        404,
        'NOT_FOUND',
      );

      const noQuestions = (await api.post('/api/interviews/sessions', { generate_questions: false }, user.token)).body;
      assert.equal(noQuestions.portfolio_id, null);
      assert.deepEqual((await api.get(`/api/interviews/sessions/${noQuestions.id}/questions`, user.token)).body, []);
    });

    test('with a Gemini key: questions from Gemini; when it fails, offline questions', async (t) => {
      let fail = false;
      const gemini = await fakeServer(t, (_request, response) => {
        if (fail) return sendJson(response, 500, { error: { code: 500, message: 'internal', status: 'INTERNAL' } });
        const questions = [
          { type: 'intro', text: '토스페이먼츠에 지원한 이유는?' },
          { type: 'portfolio', text: '쿠폰 플랫폼에서 초당 3,000건을 어떻게 처리했나요?' },
          { type: 'weakness', text: 'Kafka 경험을 어떻게 보완하나요?' },
        ];
        sendJson(response, 200, {
          candidates: [
            { content: { role: 'model', parts: [{ text: JSON.stringify({ questions }) }] }, finishReason: 'STOP' },
          ],
        });
      });
      const { api } = await startApp(t, dialect.name, {
        GEMINI_API_KEY: 'test-key',
        GEMINI_BASE_URL: gemini.url,
        GEMINI_TIMEOUT_SEC: '5',
      });
      const user = await signUp(api);
      const posting = (
        await api.post(
          '/api/job-postings/',
          { company_name: '토스페이먼츠', title: 'Server Developer', raw_text: POSTING },
          user.token,
        )
      ).body;
      const session = (await api.post('/api/interviews/sessions', { job_posting_id: posting.id }, user.token)).body;
      const questions = (await api.get(`/api/interviews/sessions/${session.id}/questions`, user.token)).body;
      assert.deepEqual(
        questions.map((q: { type: string; source: string }) => [q.type, q.source]),
        [
          ['intro', 'gemini'],
          ['portfolio', 'gemini'],
          ['weakness', 'gemini'],
        ],
      );
      const prompt = JSON.parse(gemini.requests[0]!.body.toString()).contents[0].parts[0].text as string;
      assert.ok(prompt.includes('Kafka를 이용한 비동기 메시지 처리 경험'));

      fail = true;
      const fallback = await api.request('POST', `/api/interviews/sessions/${session.id}/questions/generate`, {
        token: user.token,
      });
      assert.equal(fallback.status, 201);
      assert.ok(fallback.body.every((q: { source: string }) => q.source === 'generated'));
      assert.ok(fallback.body.length >= 5);
    });
  });
}

test('a portfolio uploaded as a PDF feeds the questions', async (t) => {
  const { api } = await startApp(t, 'sqlite');
  const user = await signUp(api);
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Project: Coupon Platform\nJava, Spring Boot, Redis', { x: 50, y: 700, size: 12 });
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(await doc.save())]), 'cv.pdf');
  assert.equal((await api.request('POST', '/api/portfolios/upload', { body: form, token: user.token })).status, 201);
  const session = (await api.post('/api/interviews/sessions', {}, user.token)).body;
  const questions = (await api.get(`/api/interviews/sessions/${session.id}/questions`, user.token)).body;
  assert.ok(
    questions.some((q: { text: string }) => q.text.includes('Coupon Platform')),
    JSON.stringify(questions),
  );
});
