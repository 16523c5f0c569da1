import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECTS, expectError, expectValidationError, rowCounts, signUp, startApp } from '../helpers.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

for (const dialect of DIALECTS) {
  describe(`interviews (${dialect.name})`, { skip: dialect.skip }, () => {
    test('sessions: create with own documents, read, list, complete', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const portfolio = (await api.post('/api/portfolios/', { filename: 'cv.pdf', file_url: 'x' }, user.token)).body;
      const posting = (
        await api.post('/api/job-postings/', { company_name: 'A', title: 'B', raw_text: 'C' }, user.token)
      ).body;

      const created = await api.post(
        `/api/interviews/sessions?user_id=${user.id}`,
        {
          title: '백엔드 1차 면접',
          portfolio_id: portfolio.id,
          job_posting_id: posting.id,
        },
        user.token,
      );
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.user_id, user.id);
      assert.equal(created.body.status, 'in_progress');
      assert.equal(created.body.completed_at, null);
      assert.equal(created.body.portfolio_id, portfolio.id);
      assert.equal(created.body.job_posting_id, posting.id);

      const bare = await api.post('/api/interviews/sessions', {}, user.token);
      assert.equal(bare.status, 201);
      assert.equal(bare.body.title, null);

      assert.deepEqual((await api.get(`/api/interviews/sessions/${created.body.id}`, user.token)).body, created.body);
      const list = await api.get(`/api/interviews/sessions/user/${user.id}`, user.token);
      assert.deepEqual(list.body.map((s: { id: string }) => s.id).sort(), [created.body.id, bare.body.id].sort());
      assert.equal((await api.get('/api/interviews/sessions?limit=1', user.token)).body.length, 1);

      const completed = await api.patch(`/api/interviews/sessions/${created.body.id}/complete`, undefined, user.token);
      assert.equal(completed.status, 200, completed.text);
      assert.equal(completed.body.status, 'completed');
      assert.ok(Math.abs(Date.parse(completed.body.completed_at) - Date.now()) < 60_000);
      const again = await api.patch(`/api/interviews/sessions/${created.body.id}/complete`, undefined, user.token);
      assert.equal(again.body.completed_at, completed.body.completed_at);
      assert.deepEqual((await api.get(`/api/interviews/sessions/${created.body.id}`, user.token)).body, completed.body);
    });

    test('sessions: another user’s documents, ids and bad input are refused, changing nothing', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const bobsPortfolio = (await api.post('/api/portfolios/', { filename: 'cv.pdf', file_url: 'x' }, bob.token)).body;
      const bobsPosting = (
        await api.post('/api/job-postings/', { company_name: 'A', title: 'B', raw_text: 'C' }, bob.token)
      ).body;
      const bobsSession = (await api.post('/api/interviews/sessions', {}, bob.token)).body;
      const before = await rowCounts(db);

      expectError(
        await api.post('/api/interviews/sessions', { portfolio_id: bobsPortfolio.id }, alice.token),
        404,
        'NOT_FOUND',
      );
      expectError(
        await api.post('/api/interviews/sessions', { job_posting_id: bobsPosting.id }, alice.token),
        404,
        'NOT_FOUND',
      );
      expectError(
        await api.post('/api/interviews/sessions', { job_posting_id: UNKNOWN_ID }, alice.token),
        404,
        'NOT_FOUND',
      );
      expectError(await api.post(`/api/interviews/sessions?user_id=${bob.id}`, {}, alice.token), 403, 'NOT_OWNER');
      expectValidationError(
        await api.post('/api/interviews/sessions', { status: 'paused' }, alice.token),
        'body.status',
      );
      expectValidationError(
        await api.post('/api/interviews/sessions', { portfolio_id: 'abc' }, alice.token),
        'body.portfolio_id',
      );
      expectValidationError(await api.post('/api/interviews/sessions', { title: 7 }, alice.token), 'body.title');
      expectError(await api.get(`/api/interviews/sessions/${bobsSession.id}`, alice.token), 404, 'NOT_FOUND');
      expectError(
        await api.patch(`/api/interviews/sessions/${bobsSession.id}/complete`, undefined, alice.token),
        404,
        'NOT_FOUND',
      );
      expectError(await api.get(`/api/interviews/sessions/user/${bob.id}`, alice.token), 403, 'NOT_OWNER');
      expectError(
        await api.post(`/api/interviews/sessions/${bobsSession.id}/questions`, { text: 'Q' }, alice.token),
        404,
        'NOT_FOUND',
      );
      expectError(await api.get(`/api/interviews/sessions/${bobsSession.id}/questions`, alice.token), 404, 'NOT_FOUND');
      expectError(await api.get(`/api/interviews/sessions/${UNKNOWN_ID}/questions`, alice.token), 404, 'NOT_FOUND');
      expectError(await api.get(`/api/interviews/sessions/${bobsSession.id}`), 401, 'NOT_AUTHENTICATED');
      assert.deepEqual(await rowCounts(db), before);
      assert.equal((await api.get(`/api/interviews/sessions/${bobsSession.id}`, bob.token)).body.status, 'in_progress');
    });

    test('questions: listed by order, default order after the last, follow-ups in the same session', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const session = (await api.post('/api/interviews/sessions', { generate_questions: false }, user.token)).body;
      const other = (await api.post('/api/interviews/sessions', { generate_questions: false }, user.token)).body;
      const path = `/api/interviews/sessions/${session.id}/questions`;

      const third = await api.post(
        path,
        { text: '가장 어려웠던 프로젝트는?', type: 'portfolio', source: 'llm', order: 3 },
        user.token,
      );
      assert.equal(third.status, 201, third.text);
      assert.deepEqual(
        { ...third.body, id: undefined, created_at: undefined },
        {
          session_id: session.id,
          order: 3,
          text: '가장 어려웠던 프로젝트는?',
          type: 'portfolio',
          source: 'llm',
          parent_question_id: null,
          id: undefined,
          created_at: undefined,
        },
      );
      const first = (await api.post(path, { text: '자기소개', type: 'intro', order: 1 }, user.token)).body;
      const next = (await api.post(path, { text: '왜 지원했나요?' }, user.token)).body;
      assert.equal(next.order, 4);
      assert.equal(next.type, 'general');
      assert.equal(next.source, 'user');
      const followup = await api.post(
        path,
        { text: '구체적으로?', type: 'followup', order: 2, parent_question_id: third.body.id },
        user.token,
      );
      assert.equal(followup.body.parent_question_id, third.body.id);

      const listed = await api.get(path, user.token);
      assert.deepEqual(
        listed.body.map((q: { order: number }) => q.order),
        [1, 2, 3, 4],
      );
      assert.deepEqual(
        listed.body.map((q: { id: string }) => q.id),
        [first.id, followup.body.id, third.body.id, next.id],
      );

      const before = await rowCounts(db);
      const foreignParent = (
        await api.post(`/api/interviews/sessions/${other.id}/questions`, { text: 'x' }, user.token)
      ).body;
      expectError(
        await api.post(path, { text: 'x', parent_question_id: foreignParent.id }, user.token),
        422,
        'INVALID_REFERENCE',
      );
      expectError(await api.post(path, { text: 'x', parent_question_id: UNKNOWN_ID }, user.token), 404, 'NOT_FOUND');
      expectValidationError(await api.post(path, { text: '' }, user.token), 'body.text');
      expectValidationError(await api.post(path, { text: 'x', order: 'first' }, user.token), 'body.order');
      expectValidationError(await api.post(path, { text: 'x', order: 1.5 }, user.token), 'body.order');
      expectValidationError(await api.post(path, { text: 'x', order: 2 ** 40 }, user.token), 'body.order');
      expectValidationError(await api.post(path, { text: 'x', type: 'trivia' }, user.token), 'body.type');
      assert.equal((await rowCounts(db)).interview_question, before.interview_question! + 1);
    });

    test('answers: recorded against the question in the path, listed oldest first', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const session = (await api.post('/api/interviews/sessions', {}, alice.token)).body;
      const question = (await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Q' }, alice.token))
        .body;
      const otherQuestion = (
        await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Q2' }, alice.token)
      ).body;
      const path = `/api/interviews/questions/${question.id}/answers`;

      const one = await api.post(
        path,
        { text: '저는 결제 API를 만들었습니다.', question_id: otherQuestion.id },
        alice.token,
      );
      assert.equal(one.status, 201, one.text);
      assert.equal(one.body.question_id, question.id);
      assert.equal(one.body.audio_url, null);
      const two = (await api.post(path, { text: 'Second try', audio_url: 'answers/2.webm' }, alice.token)).body;
      assert.deepEqual((await api.get(path, alice.token)).body, [one.body, two]);
      assert.deepEqual((await api.get(`/api/interviews/questions/${otherQuestion.id}/answers`, alice.token)).body, []);

      const before = await rowCounts(db);
      expectError(await api.post(path, { text: 'hijack' }, bob.token), 404, 'NOT_FOUND');
      expectError(await api.get(path, bob.token), 404, 'NOT_FOUND');
      expectError(
        await api.post(`/api/interviews/questions/${UNKNOWN_ID}/answers`, { text: 'x' }, alice.token),
        404,
        'NOT_FOUND',
      );
      expectValidationError(await api.post(path, {}, alice.token), 'body');
      expectValidationError(await api.post(path, { text: 12 }, alice.token), 'body.text');
      assert.deepEqual(await rowCounts(db), before);
    });
  });
}
