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
    assert.deepEqual(
      questions.map((q) => q.text),
      [
        '토스페이먼츠 Server Developer 포지션에 지원하신 계기와, Java 경험을 중심으로 본인이 이 포지션에 적합한 이유를 말씀해 주세요.',
        '포트폴리오의 "주문 정산 시스템 리팩터링"에서 맡은 역할과 Spring Boot를 선택한 이유, 가장 어려웠던 문제를 어떻게 풀었는지 설명해 주세요.',
        '공고의 "결제 승인과 정산 API를 설계하고 개발합니다" 요건과 관련해, 실제로 해 본 경험을 구체적인 수치와 함께 말씀해 주세요.',
        '공고에서는 대용량 트래픽 처리를 요구하지만 포트폴리오에서는 보이지 않습니다. 이 부분을 어떻게 준비하고 계신가요?',
        'Spring Boot를 쓰면서 성능이나 안정성 문제를 겪은 적이 있다면, 원인을 어떻게 찾고 해결했는지 설명해 주세요.',
        // 리팩터링 ends in ㅇ: 을, not 를.
        '"주문 정산 시스템 리팩터링"을 진행하면서 팀원과 의견이 달랐던 순간이 있었다면, 어떻게 조율했는지 말씀해 주세요.',
      ],
    );
    assert.deepEqual(offlineQuestions(DOCUMENTS, 'ko'), questions, 'the same input gives the same questions');
    const english = offlineQuestions(DOCUMENTS, 'en');
    assert.ok(english.every((q) => /^[\x20-\x7e가-힣"“”—…]+$/u.test(q.text) && /[a-z]/.test(q.text)));
    assert.ok(english.every((q) => NAMEABLE.some((name) => q.text.includes(name))));
    assert.equal(
      english[0]!.text,
      'Why did you apply for the Server Developer position at 토스페이먼츠, and why are you a good fit? Focus on your Java experience.',
    );
  });

  test('particles after names whose reading is known; a wording without one where it is not (C++)', () => {
    const texts = offlineQuestions(
      {
        portfolioText: 'Kotlin 결제 서비스\n- Kotlin과 SQL로 정산 API를 만들었습니다',
        postingText: '- AWS 운영 경험\n- React 개발 경험',
        company: null,
        role: null,
      },
      'ko',
    ).map((q) => q.text);
    assert.ok(texts.every((text) => !text.includes('(를)')));
    assert.ok(
      texts.some((text) => text.includes('Kotlin을 선택한 이유')),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((text) => text.includes('공고에서는 AWS를 요구하지만')),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((text) => text.includes('"Kotlin 결제 서비스"를 진행하면서')),
      texts.join('\n'),
    );

    const cpp = offlineQuestions(
      { portfolioText: '렌더러 개발\n- C++로 작성했습니다', postingText: '- Rust 경험', company: null, role: null },
      'ko',
    ).map((q) => q.text);
    assert.ok(
      cpp.every((text) => !/C\+\+[을를]/u.test(text) && !text.includes('(를)')),
      cpp.join('\n'),
    );
    assert.ok(
      cpp.some((text) => text.startsWith('포트폴리오에서 C++ 기반 프로젝트를 하나 골라')),
      cpp.join('\n'),
    );
    assert.ok(
      cpp.some((text) => text.startsWith('Rust를 쓰면서')),
      cpp.join('\n'),
    );
    assert.ok(
      cpp.some((text) => text.startsWith('공고에서는 Rust를 요구하지만')),
      cpp.join('\n'),
    );
  });

  test('without a posting, the introduction does not ask why the candidate applied', () => {
    const noPosting = { ...DOCUMENTS, postingText: null, company: null, role: null };
    const [intro] = offlineQuestions(noPosting, 'ko');
    assert.equal(intro!.text, '간단히 자기소개를 해 주시고, Spring Boot 경험을 중심으로 본인의 강점을 말씀해 주세요.');
    assert.equal(
      offlineQuestions(noPosting, 'en')[0]!.text,
      'Please introduce yourself briefly, focusing on your Spring Boot experience and what you do best.',
    );
    const nothing = offlineQuestions({ portfolioText: null, postingText: null, company: null, role: null }, 'ko');
    assert.equal(nothing[0]!.text, '간단히 자기소개를 해 주시고, 앞으로 어떤 일을 하고 싶으신지 말씀해 주세요.');
    // A posting with no company or title is still a position to have applied for.
    const untitled = offlineQuestions({ ...DOCUMENTS, company: null, role: null }, 'ko');
    assert.match(untitled[0]!.text, /^이 포지션에 지원하신 계기와, Java 경험을/);
    assert.match(
      offlineQuestions({ ...DOCUMENTS, company: null, role: null }, 'en')[0]!.text,
      /^Why did you apply for this position,/,
    );
    for (const lang of ['ko', 'en'] as const) {
      for (const documents of [noPosting, { portfolioText: null, postingText: null, company: null, role: null }]) {
        const texts = offlineQuestions(documents, lang).map((q) => q.text);
        assert.ok(
          !texts.some((text) => /지원한 이유|지원하신|why did you apply|why you applied/iu.test(text)),
          texts.join('\n'),
        );
      }
    }
  });

  test('questions in the formal interview register', () => {
    const texts = [
      ...offlineQuestions(DOCUMENTS, 'ko'),
      ...offlineQuestions({ portfolioText: null, postingText: null, company: null, role: null }, 'ko'),
    ].map((q) => q.text);
    for (const text of texts) assert.match(text, /(주세요|계신가요)\.?\??$/u, text);
  });

  test('no documents: the general set; one document: still named questions, completed from the general set', () => {
    const empty = offlineQuestions({ portfolioText: null, postingText: '  ', company: null, role: null }, 'ko');
    assert.equal(empty.length, 6);
    assert.ok(empty.some((q) => q.text.includes('자기소개')));
    const postingOnly = offlineQuestions({ ...DOCUMENTS, portfolioText: null }, 'ko');
    assert.ok(postingOnly.length >= 5);
    assert.ok(postingOnly.filter((q) => NAMEABLE.some((name) => q.text.includes(name))).length >= 3);
  });

  test('follow-ups refer to the answer: a measured result first, then a technology, then a claim', () => {
    assert.match(offlineFollowUp('Q', '정산 배치 처리 시간을 40% 줄였습니다.', 'ko'), /"40%"/);
    assert.equal(
      offlineFollowUp('Q', 'Redis 캐시를 도입했습니다.', 'ko'),
      '답변에서 언급하신 Redis를 쓰면서 부딪힌 한계는 무엇이었고, 다른 선택지와 비교하면 어떤 장단점이 있는지 말씀해 주세요.',
    );
    assert.match(offlineFollowUp('Q', 'C++로 엔진을 만들었습니다.', 'ko'), /언급하신 C\+\+ 사용 중에/);
    assert.match(
      offlineFollowUp('Q', '팀과 함께 장애 대응 절차를 만들었습니다. 좋았습니다.', 'ko'),
      /"팀과 함께 장애 대응 절차를 만들었습니다"/,
    );
    assert.match(offlineFollowUp('Q', 'We cut latency to 35 ms.', 'en'), /"35 ms"/);
  });

  test('a follow-up on a number asks about a measured result with its unit, not a duration, a date or an ordinal', () => {
    assert.equal(
      offlineFollowUp('Q', '2년 동안 정산 배치를 맡아 처리 시간을 30% 줄였습니다.', 'ko'),
      '방금 말씀하신 "30%"라는 수치는 어떻게 측정하셨고, 그 결과를 얻기까지 구체적으로 무엇을 바꾸셨는지 말씀해 주세요.',
    );
    assert.match(offlineFollowUp('Q', '초당 3,000건의 요청을 처리했습니다.', 'ko'), /"3,000건"이라는 수치는/);
    assert.match(
      offlineFollowUp('Q', '2023년 1차 오픈 후 3개월 만에 가입자가 10만 명이 되었습니다.', 'ko'),
      /"10만 명"이라는/,
    );
    assert.match(offlineFollowUp('Q', '처리량이 3배가 되었고 응답은 120ms에서 35ms로 줄었습니다.', 'ko'), /"3배"라는/);
    assert.match(offlineFollowUp('Q', '3시간 동안 분석해 복구 시간을 10분으로 줄였습니다.', 'ko'), /"10분"이라는/);
    // Only durations, dates, ordinals and versions: no number to ask about, so the technology or the claim.
    assert.match(offlineFollowUp('Q', '2년 동안 Kotlin으로 개발했습니다.', 'ko'), /Kotlin을 쓰면서/);
    assert.match(offlineFollowUp('Q', 'Java 17로 옮겼습니다.', 'ko'), /Java를 쓰면서/);
    assert.equal(
      offlineFollowUp('Q', '2023년에 입사해 1차 프로젝트를 3개월 동안 맡았습니다.', 'ko'),
      '"2023년에 입사해 1차 프로젝트를 3개월 동안 맡았습니다" 부분을 실제 사례를 들어 더 구체적으로 설명해 주세요.',
    );
    assert.match(
      offlineFollowUp('Q', 'For 2 years I ran the service; we cut costs by 25%.', 'en'),
      /^You mentioned "25%"\./,
    );
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
      assert.match(more.body[0].text, /Why did you apply for the Server Developer position at 토스페이먼츠/);

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
