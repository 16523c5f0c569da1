// Capability evaluations: the deterministic scorer's formula on a small known text, the two routes with
// the original's shapes, the Gemini path against a fake generateContent server, and storage per
// portfolio (replaced on regenerate, gone with the portfolio).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { capabilitiesFor } from '../../src/capabilities/catalogue.ts';
import { scoreCapabilities } from '../../src/capabilities/scorer.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, expectError, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

const POSTING = await readFile(join('test', 'fixtures', 'documents', 'job_posting_ko.txt'), 'utf8');
const PORTFOLIO = await readFile(join('test', 'fixtures', 'documents', 'portfolio_ko.txt'), 'utf8');

async function documents(api: Api, user: TestUser, portfolioText: string | null = PORTFOLIO) {
  const portfolio = await api.post(
    '/api/portfolios/',
    { filename: 'cv.pdf', file_url: 'cv.pdf', parsed_text: portfolioText },
    user.token,
  );
  assert.equal(portfolio.status, 201, portfolio.text);
  const posting = await api.post(
    '/api/job-postings/',
    { company_name: '토스페이먼츠', title: 'Server Developer', raw_text: POSTING },
    user.token,
  );
  assert.equal(posting.status, 201, posting.text);
  return { portfolioId: portfolio.body.id as string, postingId: posting.body.id as string };
}

const generate = (api: Api, token: string, portfolioId: string, query = '') =>
  api.request('POST', `/api/portfolios/${portfolioId}/capabilities/generate${query}`, {
    token,
    headers: { 'content-type': 'application/json', 'accept-language': 'ko' },
    body: '',
  });

describe('the deterministic scorer', () => {
  test('scores by the documented formula and quotes its evidence', () => {
    const portfolio = 'React와 TypeScript로 대시보드를 개발했습니다.\n렌더링 성능을 개선해 로딩 시간을 40% 줄였습니다.';
    const posting = '자격 요건\n- React 실무 경험 3년 이상\n- 웹 성능 최적화 경험';
    const [technical, uiux, performance, problemSolving] = scoreCapabilities(
      capabilitiesFor('ROLE_FE'),
      portfolio,
      posting,
      'ko',
    );
    // Technical: 2 skills (30) + 1 statement "개발" (10) + requirements 1 of 2 (10).
    assert.equal(technical!.score, 50, technical!.reason);
    assert.match(technical!.reason, /React, TypeScript \(\+30\)/);
    assert.match(technical!.reason, /공고 요건 2개 중 1개 충족 \(\+10\)/);
    // Performance: 1 statement (10) + a measured result (15) + requirement "웹 성능 최적화" not covered (0).
    assert.equal(performance!.score, 25, performance!.reason);
    assert.match(performance!.reason, /"렌더링 성능을 개선해 로딩 시간을 40% 줄였습니다\."/);
    assert.ok(
      performance!.action_items.some((item) => item.includes('성능 최적화')),
      performance!.action_items.join('\n'),
    );
    // UI/UX: React (15), no statement, no number; requirement "React 실무 경험" covered (20).
    assert.equal(uiux!.score, 35, uiux!.reason);
    // Nothing about problem solving: 0, said so, and no number invented.
    assert.equal(problemSolving!.score, 0);
    assert.match(problemSolving!.reason, /찾지 못했습니다/);
    for (const evaluation of [technical, uiux, performance, problemSolving]) {
      assert.ok(evaluation!.action_items.length >= 1);
      assert.ok(!evaluation!.action_items.some((item) => /온라인 강의|online course/i.test(item)));
      // Particles chosen by the word ("문제 해결력을", "성능 최적화를"), never both printed.
      for (const item of evaluation!.action_items) assert.doesNotMatch(item, /\((을|를|으로|로)\)|을\(를\)/, item);
    }
    // Same input, same output.
    assert.deepEqual(
      scoreCapabilities(capabilitiesFor('ROLE_FE'), portfolio, posting, 'ko'),
      scoreCapabilities(capabilitiesFor('ROLE_FE'), portfolio, posting, 'ko'),
    );
    // No posting: the first three parts scaled from 80 to 100.
    const [alone] = scoreCapabilities(capabilitiesFor('ROLE_FE'), portfolio, null, 'en');
    assert.equal(alone!.score, 50);
    assert.match(alone!.reason, /scaled from 80 to 100/);
  });

  test('every role gets six capabilities; roles without a set get the general one', () => {
    assert.deepEqual(
      capabilitiesFor('ROLE_BE').map((c) => c.en),
      ['Technical Skills', 'System Design', 'Database Management', 'API Design', 'Security', 'DevOps'],
    );
    assert.deepEqual(
      capabilitiesFor('ROLE_AI').map((c) => c.ko),
      ['기술 역량', '모델 개발', '데이터 처리', '수학/통계', '연구 능력', 'MLOps'],
    );
    assert.equal(capabilitiesFor('ROLE_ML'), capabilitiesFor('ROLE_AI'));
    for (const role of ['ROLE_GAME', 'ROLE_PM', null]) assert.equal(capabilitiesFor(role).length, 6);
    assert.equal(capabilitiesFor('ROLE_GAME')[3]!.en, 'Collaboration');
  });
});

for (const dialect of DIALECTS) {
  describe(`capabilities (${dialect.name})`, { skip: dialect.skip }, () => {
    test('generate and GET with the original shapes; stored per portfolio, replaced, deleted with it', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api, { role: 'ROLE_BE' });
      const other = await signUp(api);
      const { portfolioId, postingId } = await documents(api, user);

      const before = await api.get(`/api/portfolios/${portfolioId}/capabilities`, user.token);
      expectError(before, 404, 'CAPABILITIES_NOT_GENERATED');
      assert.match(before.body.detail, /generate/);

      const made = await generate(api, user.token, portfolioId);
      assert.equal(made.status, 200, made.text);
      assert.equal(made.body.role, 'ROLE_BE');
      assert.equal(made.body.source, 'evidence');
      assert.equal(made.body.job_posting_id, postingId);
      assert.deepEqual(
        made.body.evaluations.map((e: { capability_index: number }) => e.capability_index),
        [1, 2, 3, 4, 5, 6],
      );
      for (const evaluation of made.body.evaluations) {
        assert.ok(evaluation.score >= 0 && evaluation.score <= 100);
        assert.ok(evaluation.reason.length > 10);
      }
      assert.ok(
        made.body.evaluations.some((e: { score: number }) => e.score > 0),
        'the fixture portfolio shows something',
      );

      const view = await api.get(`/api/portfolios/${portfolioId}/capabilities`, user.token);
      assert.equal(view.status, 200, view.text);
      assert.deepEqual(
        view.body.capabilities.map((c: { skill: string; skill_ko: string }) => [c.skill, c.skill_ko]),
        [
          ['Technical Skills', '기술 역량'],
          ['System Design', '시스템 설계'],
          ['Database Management', '데이터베이스 관리'],
          ['API Design', 'API 설계'],
          ['Security', '보안'],
          ['DevOps', '데브옵스'],
        ],
      );
      const under80 = view.body.capabilities.filter((c: { value: number }) => c.value < 80).length;
      assert.equal(view.body.improvement_suggestions.length, under80);
      for (const suggestion of view.body.improvement_suggestions) {
        assert.ok(suggestion.id && suggestion.capability && suggestion.capability_ko && suggestion.title);
        assert.equal(typeof suggestion.currentScore, 'number');
        assert.ok(suggestion.actionItems.length >= 1 && suggestion.description);
      }

      // Regenerating replaces; another role picks another set.
      const again = await generate(api, user.token, portfolioId, '?role=ROLE_GAME&lang=en');
      assert.equal(again.status, 200, again.text);
      const rows = await db.selectFrom('capability_evaluation').selectAll().execute();
      assert.equal(rows.length, 1);
      const general = (await api.get(`/api/portfolios/${portfolioId}/capabilities`, user.token)).body;
      assert.equal(general.capabilities[3].skill, 'Collaboration');

      // Another user: not found, nothing changed.
      expectError(await generate(api, other.token, portfolioId), 404, 'NOT_FOUND');
      expectError(await api.get(`/api/portfolios/${portfolioId}/capabilities`, other.token), 404, 'NOT_FOUND');
      expectError(await generate(api, user.token, portfolioId, '?role=ROLE_CEO'), 422, 'VALIDATION_ERROR');

      assert.equal((await api.delete(`/api/portfolios/${portfolioId}`, user.token)).status, 204);
      assert.equal((await db.selectFrom('capability_evaluation').selectAll().execute()).length, 0);

      const empty = await documents(api, user, null);
      expectError(await generate(api, user.token, empty.portfolioId), 422, 'NO_PORTFOLIO_TEXT');
    });

    test('Gemini scores against a schema; an answer of the wrong shape falls back to the evidence', async (t) => {
      let evaluations = [1, 2, 3, 4, 5, 6].map((capability_index) => ({
        capability_index,
        score: 60 + capability_index,
        reason: `포트폴리오의 "Kafka 정산 파이프라인" 근거 ${capability_index}`,
        feedback: '대용량 처리 경험을 수치로 보여 주세요.',
        action_items: ['정산 배치의 처리량을 측정해 적으세요.'],
      }));
      const server = await fakeServer(t, (_request, response) =>
        sendJson(response, 200, {
          candidates: [
            {
              content: { role: 'model', parts: [{ text: JSON.stringify({ evaluations }) }] },
              finishReason: 'STOP',
            },
          ],
        }),
      );
      const { api } = await startApp(t, dialect.name, { GEMINI_API_KEY: 'k-secret', GEMINI_BASE_URL: server.url });
      const user = await signUp(api, { role: 'ROLE_BE' });
      const { portfolioId } = await documents(api, user);
      const made = await generate(api, user.token, portfolioId);
      assert.equal(made.status, 200, made.text);
      assert.equal(made.body.source, 'gemini');
      assert.deepEqual(
        made.body.evaluations.map((e: { score: number }) => e.score),
        [61, 62, 63, 64, 65, 66],
      );
      const request = JSON.parse(server.requests[0]!.body.toString());
      assert.equal(request.generationConfig.responseMimeType, 'application/json');
      assert.ok(request.generationConfig.responseJsonSchema.properties.evaluations);
      assert.match(request.contents[0].parts[0].text, /System Design \(시스템 설계\)/);

      evaluations = evaluations.slice(0, 5);
      const fallback = await generate(api, user.token, portfolioId);
      assert.equal(fallback.status, 200, fallback.text);
      assert.equal(fallback.body.source, 'evidence');
      assert.match(fallback.body.fallback_reason, /wrong shape/);
      assert.ok(!fallback.text.includes('k-secret'));
    });
  });
}
