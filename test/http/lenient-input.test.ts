// What the original web client sends that a strict reading refused: unknown body properties (dropped,
// never applied), an empty body sent as JSON, the follow-up's answer in the query, and its 14 roles.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { offlineQuestions } from '../../src/llm/questions.ts';
import { ROLE_NAMES } from '../../src/users/roles.ts';
import { DIALECTS, expectError, expectValidationError, rowCounts, signUp, startApp } from '../helpers.ts';

const CLIENT_ROLES = [
  'ROLE_FE',
  'ROLE_BE',
  'ROLE_FULLSTACK',
  'ROLE_MOBILE',
  'ROLE_CLOUD',
  'ROLE_DATA',
  'ROLE_ML',
  'ROLE_PM',
  'ROLE_DESIGN',
  'ROLE_QA',
  'ROLE_SECURITY',
  'ROLE_DBA',
  'ROLE_BLOCKCHAIN',
  'ROLE_GAME',
];

for (const dialect of DIALECTS) {
  describe(`lenient input (${dialect.name})`, { skip: dialect.skip }, () => {
    test('unknown properties in a body are dropped and never applied (no mass assignment)', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api, { name: 'Alice' });
      const bob = await signUp(api, { name: 'Bob' });
      const rowBefore = await db.selectFrom('user').selectAll().where('id', '=', alice.id).executeTakeFirstOrThrow();

      const patched = await api.patch(
        '/api/users/me',
        {
          name: 'Alice Kim',
          jobTitle: 'ROLE_FE',
          id: bob.id,
          user_id: bob.id,
          email: 'taken@example.com',
          password_hash: '$2b$10$abcdefghijklmnopqrstuuSomethingElse',
          github_token: 'ghp_secret',
          created_at: '2000-01-01T00:00:00.000Z',
        },
        alice.token,
      );
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.name, 'Alice Kim');
      assert.equal(patched.body.id, alice.id);
      assert.equal(patched.body.email, alice.email);
      assert.equal(patched.body.jobTitle, undefined);
      const rowAfter = await db.selectFrom('user').selectAll().where('id', '=', alice.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...rowAfter, name: rowBefore.name }, rowBefore, 'only the name changed');
      assert.equal((await api.post('/api/users/login', { email: alice.email, password: alice.password })).status, 200);
      assert.equal((await api.get('/api/users/me', bob.token)).body.name, 'Bob');

      // A create ignores ids it is handed: the row is the caller's, with a fresh id.
      const posting = await api.post(
        '/api/job-postings/',
        { company_name: 'Acme', title: 'Dev', raw_text: 'Go', id: bob.id, user_id: bob.id, extra: { a: 1 } },
        alice.token,
      );
      assert.equal(posting.status, 201, posting.text);
      assert.notEqual(posting.body.id, bob.id);
      assert.equal(posting.body.user_id, alice.id);
      assert.equal(posting.body.extra, undefined);

      // Known properties are still checked.
      expectValidationError(await api.patch('/api/users/me', { role: 'ROLE_CEO', x: 1 }, alice.token), 'body.role');
    });

    test('POST and PATCH routes that take no body accept an empty JSON body', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const session = await api.post('/api/interviews/sessions', { generate_questions: false }, user.token);
      const empty = (method: string, path: string) =>
        api.request(method, path, { token: user.token, headers: { 'content-type': 'application/json' }, body: '' });

      const generated = await empty('POST', `/api/interviews/sessions/${session.body.id}/questions/generate`);
      assert.equal(generated.status, 201, generated.text);
      const completed = await empty('PATCH', `/api/interviews/sessions/${session.body.id}/complete`);
      assert.equal(completed.status, 200, completed.text);
      // A route that needs a body still says so, as a validation error rather than a parse error.
      expectValidationError(await empty('POST', '/api/job-postings/'), 'body');
      // Malformed JSON is still 400.
      expectError(
        await api.request('POST', '/api/job-postings/', {
          token: user.token,
          headers: { 'content-type': 'application/json' },
          body: '{"a":',
        }),
        400,
        'INVALID_JSON',
      );
    });

    test('the follow-up takes answer_text from the query, with no body', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const session = await api.post('/api/interviews/sessions', { generate_questions: false }, user.token);
      const question = await api.post(
        `/api/interviews/sessions/${session.body.id}/questions`,
        { text: '성능을 개선한 경험은?' },
        user.token,
      );
      const answer = encodeURIComponent('응답 시간을 35% 줄였습니다.');
      const followUp = await api.request(
        'POST',
        `/api/interviews/questions/${question.body.id}/followup?answer_text=${answer}&lang=ko`,
        { token: user.token, headers: { 'content-type': 'application/json' }, body: '' },
      );
      assert.equal(followUp.status, 201, followUp.text);
      assert.match(followUp.body.text, /"35%"/);
      // The body's answer wins over the query's.
      const both = await api.post(
        `/api/interviews/questions/${question.body.id}/followup?answer_text=${answer}&lang=ko`,
        { answer_text: '처리량이 3배가 되었습니다.' },
        user.token,
      );
      assert.match(both.body.text, /"3배"/);
      const before = await rowCounts(db);
      expectError(
        await api.request('POST', `/api/interviews/questions/${question.body.id}/followup?answer_text=a%00b`, {
          token: user.token,
        }),
        422,
        'INVALID_TEXT',
      );
      expectValidationError(
        await api.request('POST', `/api/interviews/questions/${question.body.id}/followup?answer_text=`, {
          token: user.token,
        }),
        'querystring.answer_text',
      );
      assert.deepEqual(await rowCounts(db), before);
    });

    test('every role of the original client is accepted, with labels; each gets its own question', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const roles = await api.get('/api/users/roles');
      assert.equal(roles.status, 200, roles.text);
      for (const role of CLIENT_ROLES) {
        const entry = roles.body.roles.find((r: { value: string }) => r.value === role);
        assert.ok(entry?.label_ko && entry?.label_en, `labels for ${role}`);
        assert.equal(entry.legacy, false);
      }
      assert.equal(roles.body.levels.length, 3);

      const user = await signUp(api, { role: 'ROLE_GAME' });
      for (const role of CLIENT_ROLES) {
        const patched = await api.patch('/api/users/me', { name: 'X', jobTitle: role, role }, user.token);
        assert.equal(patched.status, 200, patched.text);
        assert.equal(patched.body.role, role);
      }
      await api.patch('/api/users/me', { role: 'ROLE_GAME' }, user.token);
      const session = await api.request('POST', '/api/interviews/sessions?lang=ko', {
        token: user.token,
        json: {},
        headers: { 'accept-language': 'ko' },
      });
      assert.equal(session.status, 201, session.text);
      const questions = await api.get(`/api/interviews/sessions/${session.body.id}/questions`, user.token);
      assert.ok(
        questions.body.some((q: { text: string }) => q.text.includes('게임 개발')),
        JSON.stringify(questions.body),
      );
    });
  });
}

describe('questions for every role', () => {
  test('the offline generator writes a role question for each role, with or without documents', () => {
    assert.ok(ROLE_NAMES.length >= 14);
    for (const role of ROLE_NAMES) {
      for (const lang of ['ko', 'en'] as const) {
        const bare = offlineQuestions(
          { portfolioText: null, postingText: null, company: null, role: null, candidateRole: role },
          lang,
        );
        const technical = bare.filter((q) => q.type === 'technical');
        assert.equal(technical.length, 1, `${role} ${lang}`);
        const withDocs = offlineQuestions(
          { portfolioText: '팀 회고를 주도했습니다.', postingText: '', company: null, role: null, candidateRole: role },
          lang,
        );
        assert.ok(
          withDocs.some((q) => q.type === 'technical'),
          `${role} ${lang} with documents`,
        );
      }
    }
  });
});
