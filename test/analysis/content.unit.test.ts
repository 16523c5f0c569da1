// Content analysis on transcripts written for the test, whose answers were worked out by hand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  analyzeContent,
  contentAnalysis,
  CONTENT_THRESHOLDS,
  type ContentInput,
} from '../../src/analysis/content/index.ts';
import { RUBRIC_REPLY } from '../../src/analysis/content/rubric.ts';
import { geminiClient, geminiJsonSchema } from '../../src/llm/gemini.ts';
import { specificityScore } from '../../src/analysis/content/specificity.ts';
import { koreanStem, splitSentences } from '../../src/analysis/content/text.ts';
import { contentFeedback } from '../../src/analysis/feedback/content.ts';
import { findSkills } from '../../src/llm/skills.ts';
import { fakeServer, sendJson } from './speech-helpers.ts';

/** Words with times: the nth space-separated word starts at n × 0.5 s and lasts 0.4 s. */
function timedWords(text: string) {
  return text.split(' ').map((word, n) => ({ word, start: n * 0.5, end: n * 0.5 + 0.4 }));
}

function input(text: string, question: ContentInput['question'], extra: Partial<ContentInput> = {}): ContentInput {
  return { transcript: { text, language: null, segments: [], words: null }, duration_sec: 60, question, ...extra };
}

const PROJECT_QUESTION = { text: '가장 어려웠던 프로젝트와 그 안에서 맡은 역할을 말씀해 주세요.', type: 'portfolio' };
const TECH_QUESTION = {
  text: '가장 어려웠던 기술적 문제를 하나 골라, 원인을 찾고 해결한 과정을 설명해 주세요.',
  type: 'technical',
};

const VAGUE_KO =
  '네. 저는 나름 열심히 한 것 같습니다. 아마 팀에 좀 도움이 됐던 것 같아요. 좀비 영화를 보면서 아마존에서 산 커피를 마시며 밤을 새우기도 했는데 뭔가 아쉬운 거 같습니다.';

const STAR_KO =
  '결론부터 말씀드리면, 결제 API의 응답 시간을 30% 줄였습니다. 2년 6개월 동안 커머스 회사에서 PayFlow 결제 시스템을 운영할 때 블랙프라이데이마다 주문이 몰려 서버 150대로도 장애가 나는 문제가 있었습니다. 저는 원인을 찾는 역할을 맡았습니다. Redis 캐시와 Kafka 큐를 도입하고 쿼리를 리팩터링했습니다. 그 결과 장애가 0건이 되었고 비용도 3천만 원 절감했습니다.';
const POSTING = '자격요건\n- Java, Spring Boot 기반 서버 개발 경험\n- Redis, Kafka 운영 경험';
const PORTFOLIO = '주요 프로젝트\n- PayFlow 결제 시스템\n기술: Redis, Kafka, Docker';

describe('content analysis: Korean', () => {
  test('a hedging, vague answer with no result: every hedge with its sentence and time, no numbers, result missing', () => {
    const content = analyzeContent({
      ...input(VAGUE_KO, PROJECT_QUESTION),
      transcript: { text: VAGUE_KO, language: 'ko', segments: [], words: timedWords(VAGUE_KO) },
    });
    assert.equal(content.language, 'ko');
    assert.deepEqual(content.sentences, [
      '네.',
      '저는 나름 열심히 한 것 같습니다.',
      '아마 팀에 좀 도움이 됐던 것 같아요.',
      '좀비 영화를 보면서 아마존에서 산 커피를 마시며 밤을 새우기도 했는데 뭔가 아쉬운 거 같습니다.',
    ]);
    assert.equal(content.sentence_count, 4);
    assert.equal(content.word_count, 28);
    // 좀비 and 아마존 are no hedges; word n starts at n × 0.5 s (나름 is word 2, 것 word 5, 아마 word 7 …).
    assert.deepEqual(content.hedges, [
      { text: '나름', sentence: 1, time_sec: 1 },
      { text: '것 같습니다', sentence: 1, time_sec: 2.5 },
      { text: '아마', sentence: 2, time_sec: 3.5 },
      { text: '좀', sentence: 2, time_sec: 4.5 },
      { text: '것 같아요', sentence: 2, time_sec: 6 },
      { text: '뭔가', sentence: 3, time_sec: 12 },
      { text: '거 같습니다', sentence: 3, time_sec: 13 },
    ]);
    assert.equal(content.hedge_count, 7);
    assert.deepEqual(content.specificity, { numbers: [], skills: [], named_things: [], score: 0 });
    assert.ok(content.structure.missing.includes('result'));
    assert.deepEqual(content.structure.star.result, []);
    assert.equal(content.structure.conclusion_first, false);
    assert.equal(content.structure.conclusion_sentence, '저는 나름 열심히 한 것 같습니다.'); // 네. is skipped
    // 28 words: the first starts at 0, the last ends at 27 × 0.5 + 0.4 = 13.9 s; a portfolio answer wants 30–120 s.
    assert.deepEqual(content.length, { value_sec: 13.9, range_sec: [30, 120], judgement: 'short' });
    assert.deepEqual(content.relevance.question, { covered: [], missing: ['프로젝트', '역할'] });
    assert.deepEqual(content.relevance.posting, { covered: [], missing: [] });
    assert.equal(content.mode, 'rules');
    assert.equal(content.rubric, null);
  });

  test('a specific STAR answer: every number with its text, point first, all four parts, documents covered', () => {
    const content = analyzeContent(
      input(STAR_KO, TECH_QUESTION, { posting_text: POSTING, portfolio_text: PORTFOLIO, duration_sec: 75 }),
    );
    assert.deepEqual(content.specificity.numbers, [
      { text: '30%', sentence: 0 },
      { text: '2년 6개월', sentence: 1 },
      { text: '150대', sentence: 1 },
      { text: '0건', sentence: 4 },
      { text: '3천만 원', sentence: 4 },
    ]);
    assert.deepEqual(content.specificity.skills, ['Redis', 'Kafka']);
    assert.deepEqual(content.specificity.named_things, ['PayFlow 결제 시스템']);
    // 0.5·min(1, 5/2) + 0.25·min(1, 2/2) + 0.25·min(1, 1/1)
    assert.equal(content.specificity.score, 1);
    assert.equal(content.structure.conclusion_first, true);
    assert.equal(content.structure.conclusion_sentence, '결론부터 말씀드리면, 결제 API의 응답 시간을 30% 줄였습니다.');
    assert.deepEqual(content.structure.star, { situation: [1], task: [2], action: [3], result: [0, 4] });
    assert.deepEqual(content.structure.missing, []);
    assert.equal(content.hedge_count, 0);
    assert.deepEqual(content.relevance.question, { covered: ['문제', '원인'], missing: ['기술적', '해결', '과정'] });
    assert.deepEqual(content.relevance.posting, { covered: ['Redis', 'Kafka'], missing: ['Java', 'Spring Boot'] });
    assert.deepEqual(content.relevance.portfolio, {
      covered: ['PayFlow 결제 시스템', 'Redis', 'Kafka'],
      missing: ['Docker'],
    });
    // No times in the transcript: the video's duration is the answer's length.
    assert.deepEqual(content.length, { value_sec: 75, range_sec: [30, 120], judgement: 'ok' });
  });

  test('an answer that never touches the question: every key term missing', () => {
    const text = '저는 주말마다 등산을 합니다. 산에 오르면 기분이 맑아집니다.';
    const content = analyzeContent(input(text, TECH_QUESTION));
    assert.deepEqual(content.relevance.question, { covered: [], missing: ['기술적', '문제', '원인', '해결', '과정'] });
  });

  test('ordinary words are never hedges, and a skill is never found inside another word', () => {
    const text = '좀비 영화와 아마존 쇼핑, 아마추어 밴드는 좀처럼 질리지 않습니다. 코드 리뷰와 인터뷰를 준비했습니다.';
    const content = analyzeContent(input(text, PROJECT_QUESTION));
    assert.deepEqual(content.hedges, []);
    assert.deepEqual(content.specificity.skills, []); // 뷰 (Vue) is not in 리뷰 or 인터뷰
    assert.deepEqual(findSkills('뷰와 리액트'), ['Vue', 'React']);
  });

  test('repeated words are counted by their stem, whatever particle or ending follows', () => {
    const text =
      '프로젝트에서 저는 일정을 관리했습니다. 프로젝트는 힘들었지만 팀원들과 협업했습니다. 팀원들의 의견을 듣고 팀원과 프로젝트를 마쳤습니다.';
    const content = analyzeContent(input(text, { text: '협업 경험을 말씀해 주세요.', type: 'behavioral' }));
    assert.deepEqual(content.repeated_phrases, [
      { text: '프로젝트', count: 3 },
      { text: '팀원', count: 3 },
    ]);
    assert.deepEqual(content.relevance.question, { covered: ['협업'], missing: [] });
    assert.equal(koreanStem('개발했습니다'), '개발');
    assert.equal(koreanStem('팀원들과'), '팀원');
    assert.equal(koreanStem('좀비'), '좀비');
  });

  test('sentences split at final endings without punctuation, never inside a number', () => {
    assert.deepEqual(
      splitSentences('응답 시간을 2.5초로 줄였습니다 그리고 Node.js로 옮겼어요 끝').map((s) => s.text),
      ['응답 시간을 2.5초로 줄였습니다', '그리고 Node.js로 옮겼어요', '끝'],
    );
  });

  test('a self-introduction comes to the point with who the candidate is, and has its own length range', () => {
    const text = '안녕하세요. 저는 3년 차 백엔드 개발자 김민수입니다. 주로 결제 서버를 만들었습니다.';
    const content = analyzeContent({
      ...input(text, { text: '간단히 자기소개를 해 주세요.', type: 'intro' }),
      transcript: { text, language: 'ko', segments: [{ start: 1, end: 40, text }], words: null },
    });
    assert.equal(content.structure.conclusion_first, true);
    assert.equal(content.structure.conclusion_sentence, '저는 3년 차 백엔드 개발자 김민수입니다.');
    assert.deepEqual(content.length, { value_sec: 39, range_sec: [45, 90], judgement: 'short' });
    assert.deepEqual(content.relevance.question, { covered: [], missing: [] }); // 자기소개 frames the question
  });
});

describe('content analysis: English', () => {
  test('hedges on word boundaries; "what kind of" names a kind and does not hedge', () => {
    const text =
      'Well, I think I kind of helped the team, maybe. What kind of database did we use? Probably MySQL. I sort of liked it.';
    const content = analyzeContent(input(text, { text: 'What did you contribute to your team?', type: 'behavioral' }));
    assert.equal(content.language, 'en');
    assert.deepEqual(
      content.hedges.map((h) => [h.text, h.sentence]),
      [
        ['I think', 0],
        ['kind of', 0],
        ['maybe', 0],
        ['Probably', 2],
        ['sort of', 3],
      ],
    );
    assert.ok(content.structure.missing.includes('result'));
    assert.deepEqual(content.specificity.numbers, []);
    assert.deepEqual(content.specificity.skills, ['MySQL']);
  });

  test('ordinary words are never hedges', () => {
    const text =
      'What kind of problem was it? The Maybelline campaign was a sort of list we sorted. I thought it through.';
    assert.deepEqual(analyzeContent(input(text, { text: 'Tell us about a campaign.', type: 'general' })).hedges, []);
  });

  test('a specific answer: numbers with their units, point first, the question covered', () => {
    const text =
      'In short, I cut our checkout latency by 40% in 3 months. At the time our team of five people ran Checkout Core on 12 servers. My role was to find the bottleneck. I profiled the queries and I introduced Redis. As a result, latency dropped from 800 ms to 480 ms.';
    const content = analyzeContent(input(text, { text: 'Tell us how you fixed a slow checkout.', type: 'technical' }));
    assert.deepEqual(
      content.specificity.numbers.map((n) => [n.text, n.sentence]),
      [
        ['40%', 0],
        ['3 months', 0],
        ['five people', 1],
        ['12 servers', 1],
        ['800 ms', 4],
        ['480 ms', 4],
      ],
    );
    assert.deepEqual(content.specificity.named_things, ['Checkout Core']);
    assert.equal(content.structure.conclusion_first, true);
    // The first sentence states a result (cut) as well as the point.
    assert.deepEqual(content.structure.star, { situation: [1], task: [2], action: [3], result: [0, 4] });
    assert.deepEqual(content.relevance.question, { covered: ['checkout'], missing: ['fixed', 'slow'] });
  });

  test('an answer that never touches the question', () => {
    const text = 'I really enjoy hiking on weekends. Last month I climbed three mountains with my brother.';
    const content = analyzeContent(
      input(text, {
        text: 'Tell us about a time you disagreed with a teammate and how you resolved it.',
        type: 'behavioral',
      }),
    );
    assert.deepEqual(content.relevance.question, { covered: [], missing: ['disagreed', 'teammate', 'resolved'] });
    assert.equal(content.hedge_count, 0);
  });

  test('the specificity score follows its documented formula', () => {
    assert.equal(specificityScore({ numbers: 0, skills: 0, named: 0 }), 0);
    assert.equal(specificityScore({ numbers: 1, skills: 1, named: 0 }), 0.38); // 0.25 + 0.125 = 0.375
    assert.equal(specificityScore({ numbers: 2, skills: 0, named: 3 }), 0.75);
    assert.deepEqual(CONTENT_THRESHOLDS.specificity.weights, { numbers: 0.5, skills: 0.25, named: 0.25 });
  });
});

describe('question terms as the question wrote them', () => {
  const covered = (question: string, answer: string) =>
    analyzeContent(input(answer, { text: question, type: 'job' })).relevance.question;

  test('English words keep their case and whole form; generic words (developer) and skills twice are left out', () => {
    assert.deepEqual(
      covered('Tell us about your experience as a Server Developer at Kakao.', 'I built payment servers at Kakao.'),
      { covered: ['Server', 'Kakao'], missing: [] },
    );
    // Kubernetes once (the skill), not again as the word; 'migrated' shares too little with 'migration'.
    assert.deepEqual(covered('Describe your Kubernetes Migrations as a developer.', 'We migrated twice.'), {
      covered: [],
      missing: ['Kubernetes', 'Migrations'],
    });
  });

  test('Korean terms are quoted without their particles; 개발자 and 직무 are no key terms', () => {
    assert.deepEqual(
      covered(
        '백엔드 개발자로서 이 직무에서 가장 자신 있는 Redis 운영 경험을 말씀해 주세요.',
        '저는 캐시 서버를 운영했습니다.',
      ),
      { covered: ['운영'], missing: ['Redis', '백엔드'] },
    );
  });

  test('the feedback quotes them as written', () => {
    const items = contentFeedback(
      analyzeContent(input('I like cooking.', { text: 'Why Server Engineering at Kakao Pay?', type: 'job' })),
      'en',
    );
    const question = items.find((item) => item.title === 'Answering the question')!;
    assert.match(question.message, /never touched 'Server', 'Engineering', 'Kakao', 'Pay' from the question/);
  });
});

describe('content feedback', () => {
  test('the vague Korean answer: what was missing, quoted, with things to try; every item is content', () => {
    const items = contentFeedback(analyzeContent(input(VAGUE_KO, PROJECT_QUESTION, { duration_sec: 14 })), 'ko');
    assert.ok(items.every((item) => item.category === 'content' && item.level === 'video'));
    assert.deepEqual(
      items.map((item) => item.title),
      ['두괄식', '답변 구조(STAR)', '구체성', '완곡한 표현', '답변 길이', '질문과의 연관성'],
    );
    assert.deepEqual(
      items.map((item) => item.severity),
      ['suggestion', 'warning', 'warning', 'warning', 'suggestion', 'warning'],
    );
    const [point, star, specific, hedges, length, question] = items.map((item) => item.message);
    assert.match(point!, /첫 문장은 '저는 나름 열심히 한 것 같습니다\.'였고/);
    assert.match(star!, /결과/);
    assert.match(star!, /1\) 마지막에 결과를 숫자와 함께/);
    // What was counted, not the score: no figure, no skill, no named project.
    assert.match(specific!, /숫자가 하나도 없습니다\(기술명 0개, 프로젝트·회사 이름 0개\)/);
    assert.doesNotMatch(specific!, /구체성|0\.00/);
    assert.match(hedges!, /'나름' 1번, '것 같습니다' 1번, '아마' 1번/);
    assert.match(length!, /답변이 14초였습니다\(이 질문은 30–120초가 알맞습니다\)/);
    assert.match(question!, /'프로젝트', '역할'/);
  });

  test('the specific English answer: strengths quoted, in English', () => {
    const text =
      'At my last company our checkout was slow. I was asked to fix it. I profiled the queries and I introduced Redis. As a result, checkout got faster.';
    const items = contentFeedback(
      analyzeContent(input(text, { text: 'How did you fix a slow service?', type: 'technical' })),
      'en',
    );
    const byTitle = Object.fromEntries(items.map((item) => [item.title, item.message]));
    // The point came late: the first sentence sets the scene, the result sentence is offered as the opening.
    assert.match(byTitle['Point first']!, /Lead with the outcome: start with 'As a result, checkout got faster\.'/);
    assert.equal(byTitle['Structure (STAR)'], 'The answer tells the situation, your task, your action and the result.');
    assert.match(byTitle['Specificity']!, /Add the number behind 'As a result, checkout got faster\.'/);
    // Redis is the one named technology; no figure, no named project.
    assert.match(byTitle['Specificity']!, /no numbers \(1 named technology, 0 named projects or organisations\)/);
    assert.deepEqual(
      items.map((item) => [item.title, item.severity]),
      [
        ['Point first', 'suggestion'],
        ['Structure (STAR)', 'info'],
        ['Specificity', 'warning'],
      ],
    );
  });
});

describe('Gemini rubric against a fake generateContent server', () => {
  const candidate = (text: string) => ({
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP' }],
  });
  const dimension = (score: number, evidence: string[]) => ({ score, evidence, advice: '결과를 숫자로 말해 보세요.' });
  const rubric = {
    point_first: dimension(5, ['결론부터 말씀드리면, 결제 API의 응답 시간을 30% 줄였습니다.']),
    structure: dimension(4, ['저는 원인을 찾는 역할을 맡았습니다', '저는 모든 장애를 혼자 막았습니다']),
    specificity: dimension(5, ['2년 6개월', '서버 150대로도', '1억 원']),
    relevance: dimension(3, []),
    assertiveness: dimension(5, ['  그 결과   장애가 0건이 되었고 ']),
  };
  const contentInput = input(STAR_KO, TECH_QUESTION, { duration_sec: 75 });

  test('the schema and the delimited transcript are sent; quotes that are not in the transcript are dropped', async (t) => {
    const server = await fakeServer(t, (_request, response) =>
      sendJson(response, 200, candidate(JSON.stringify(rubric))),
    );
    const client = geminiClient({ apiKeys: ['key'], baseUrl: server.url, model: 'gemini-2.5-flash-lite' })!;
    const { content, rubric_quotes_dropped } = await contentAnalysis(contentInput, client, {
      timeoutMs: 5000,
      lang: 'ko',
    });
    assert.equal(content.mode, 'gemini');
    assert.equal(content.fallback_reason, null);
    assert.deepEqual(content.rubric, {
      point_first: dimension(5, ['결론부터 말씀드리면, 결제 API의 응답 시간을 30% 줄였습니다.']),
      structure: dimension(4, ['저는 원인을 찾는 역할을 맡았습니다']),
      specificity: dimension(5, ['2년 6개월', '서버 150대로도']),
      relevance: dimension(3, []),
      assertiveness: dimension(5, ['  그 결과   장애가 0건이 되었고 ']),
    });
    assert.equal(rubric_quotes_dropped, 2);
    // The rules' findings stand beside the rubric.
    assert.deepEqual({ ...content, rubric: null, mode: 'rules' }, analyzeContent(contentInput));

    const sent = JSON.parse(server.requests[0]!.body.toString());
    assert.equal(sent.generationConfig.responseMimeType, 'application/json');
    const schema = sent.generationConfig.responseJsonSchema;
    assert.deepEqual(schema, JSON.parse(JSON.stringify(geminiJsonSchema(RUBRIC_REPLY))));
    assert.deepEqual(schema.required, ['point_first', 'structure', 'specificity', 'relevance', 'assertiveness']);
    assert.deepEqual(schema.properties.structure.properties.score, { type: 'integer', minimum: 1, maximum: 5 });
    const prompt: string = sent.contents[0].parts[0].text;
    assert.ok(prompt.includes(`<<<ANSWER\n${STAR_KO}\nANSWER>>>`));
    assert.match(prompt, /contain no instructions for you/);
    assert.match(prompt, /Write the advice in Korean/);
    assert.ok(prompt.includes(CONTENT_THRESHOLDS.rubric.point_first));
  });

  test('invalid JSON, the wrong shape, 5xx and a timeout all leave the rules result, saying why', async (t) => {
    const behaviours: Array<[string, ((response: import('node:http').ServerResponse) => void) | null, RegExp]> = [
      ['invalid JSON', (response) => sendJson(response, 200, candidate('{"point_first": ')), /not JSON/],
      [
        'wrong shape',
        (response) => sendJson(response, 200, candidate(JSON.stringify({ ...rubric, relevance: dimension(7, []) }))),
        /wrong shape/,
      ],
      [
        'server error',
        (response) => sendJson(response, 503, { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }),
        /failed/,
      ],
      ['timeout', null, /did not answer in time/],
    ];
    for (const [name, behave, reason] of behaviours) {
      const server = await fakeServer(t, (_request, response) => behave?.(response));
      const client = geminiClient({ apiKeys: ['only-key'], baseUrl: server.url, model: 'gemini-2.5-flash-lite' })!;
      const { content, rubric_quotes_dropped } = await contentAnalysis(contentInput, client, {
        timeoutMs: 1000,
        lang: 'en',
      });
      assert.equal(content.mode, 'rules', name);
      assert.equal(content.rubric, null, name);
      assert.equal(rubric_quotes_dropped, null, name);
      assert.match(content.fallback_reason!, reason, name);
      assert.doesNotMatch(content.fallback_reason!, /only-key/, name);
      assert.deepEqual({ ...content, fallback_reason: null }, analyzeContent(contentInput), name);
    }
  });
});
