// What a hostile-user trial found: every refusal says what to send instead and changes nothing, in
// our {detail, code} shape with codes of our catalogue; what is merely spelled differently (an
// upper-case id, two spaces after Bearer) is served.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { ensureWebBuilt } from '../../src/cli/build-web.ts';
import { requestLanguage } from '../../src/http/language.ts';
import { redactUrl } from '../../src/http/media-url.ts';
import {
  DIALECTS,
  expectError,
  expectValidationError,
  rowCounts,
  signUp,
  startApp,
  uploadAnswerVideo,
  type Api,
  type Reply,
  type TestUser,
} from '../helpers.ts';

/** A 422 for `field` whose message says `says`. */
function expectRefusal(reply: Reply, field: string, says: RegExp): void {
  expectValidationError(reply, field);
  const issue = reply.body.errors.find((error: { loc: string }) => error.loc === field);
  assert.match(issue.msg, says, reply.text);
  assert.match(reply.body.detail, says, reply.text);
}

async function sessionWithQuestion(api: Api, user: TestUser): Promise<{ sessionId: string; questionId: string }> {
  const session = await api.post('/api/interviews/sessions', { generate_questions: false }, user.token);
  assert.equal(session.status, 201, session.text);
  const question = await api.post(
    `/api/interviews/sessions/${session.body.id}/questions`,
    { text: 'Why us?' },
    user.token,
  );
  assert.equal(question.status, 201, question.text);
  return { sessionId: session.body.id, questionId: question.body.id };
}

for (const dialect of DIALECTS) {
  describe(`hardened input (${dialect.name})`, { skip: dialect.skip }, () => {
    test('an enum field refused names its allowed values; a date filter shows a date', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { sessionId } = await sessionWithQuestion(api, user);
      const before = await rowCounts(db);

      expectRefusal(
        await api.post(`/api/interviews/sessions/${sessionId}/questions`, { text: 'a', type: 'bogus' }, user.token),
        'body.type',
        /must be one of: intro, general, .*technical, followup/,
      );
      expectRefusal(
        await api.patch('/api/users/me', { role: 'role_fe' }, user.token),
        'body.role',
        /must be one of: ROLE_FE, ROLE_BE, .*ROLE_GAME \(or null\)/,
      );
      expectRefusal(
        await api.post('/api/interviews/sessions', { status: 'done' }, user.token),
        'body.status',
        /must be one of: in_progress, completed, failed$/,
      );
      expectRefusal(
        await api.post(`/api/interviews/sessions/${sessionId}/questions/generate?lang=jp`, undefined, user.token),
        'querystring.lang',
        /must be one of: ko, en$/,
      );
      for (const filter of ['from=yesterday', 'to=27.11.2026']) {
        expectRefusal(
          await api.get(`/api/users/me/progress?${filter}`, user.token),
          `querystring.${filter.split('=')[0]}`,
          /a date like 2026-11-27 or a date-time like 2026-11-27T09:00:00Z/,
        );
      }
      assert.doesNotMatch((await api.get('/api/users/me/progress?from=nope', user.token)).text, /\\d\{4\}/);
      assert.deepEqual(await rowCounts(db), before);
      assert.equal((await api.get('/api/users/me', user.token)).body.role, null);
    });

    test('text of white space only is refused like empty text, and nothing is stored', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { sessionId, questionId } = await sessionWithQuestion(api, user);
      assert.equal(
        (
          await api.post(
            `/api/interviews/questions/${questionId}/answers`,
            { text: '저는 팀을 이끌었습니다.' },
            user.token,
          )
        ).status,
        201,
      );
      const before = await rowCounts(db);
      for (const blank of ['   ', '', '\t\n', '\u3000']) {
        expectRefusal(
          await api.post(`/api/interviews/sessions/${sessionId}/questions`, { text: blank }, user.token),
          'body.text',
          /must not be blank/,
        );
        expectRefusal(
          await api.post(`/api/interviews/questions/${questionId}/followup`, { answer_text: blank }, user.token),
          'body.answer_text',
          /must not be blank/,
        );
        expectRefusal(
          await api.post(`/api/interviews/questions/${questionId}/answers`, { text: blank }, user.token),
          'body.text',
          /must not be blank/,
        );
        const posting = { company_name: '토스', title: 'Server Developer', raw_text: 'Java, Kotlin' };
        for (const field of ['company_name', 'title', 'raw_text'] as const) {
          expectRefusal(
            await api.post('/api/job-postings/', { ...posting, [field]: blank }, user.token),
            `body.${field}`,
            /must not be blank/,
          );
        }
        expectRefusal(
          await api.post('/api/users/', { email: 'blank@example.com', password: 'long enough pw', name: blank }),
          'body.name',
          /must not be blank/,
        );
        expectRefusal(await api.patch('/api/users/me', { name: blank }, user.token), 'body.name', /must not be blank/);
      }
      expectRefusal(
        await api.post(
          `/api/interviews/questions/${questionId}/followup?answer_text=${encodeURIComponent('   ')}`,
          undefined,
          user.token,
        ),
        'querystring.answer_text',
        /must not be blank/,
      );
      assert.deepEqual(await rowCounts(db), before);
      // Text with white space around it is still text.
      const padded = await api.post(
        `/api/interviews/sessions/${sessionId}/questions`,
        { text: '  Why?  ' },
        user.token,
      );
      assert.equal(padded.status, 201, padded.text);
    });

    test('upper-case ids are the same ids, in the path, the query and the body', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { sessionId, questionId } = await sessionWithQuestion(api, user);
      const SESSION = sessionId.toUpperCase();

      const read = await api.get(`/api/interviews/sessions/${SESSION}`, user.token);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.id, sessionId);
      assert.equal((await api.get(`/api/users/${user.id.toUpperCase()}`, user.token)).status, 200);
      assert.equal((await api.get(`/api/portfolios/user/${user.id.toUpperCase()}`, user.token)).status, 200);
      const record = { filename: 'cv.pdf', file_url: 'https://example.com/cv.pdf' };
      const created = await api.post(`/api/portfolios/?user_id=${user.id.toUpperCase()}`, record, user.token);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.user_id, user.id);
      const child = await api.post(
        `/api/interviews/sessions/${SESSION}/questions`,
        { text: 'And then?', parent_question_id: questionId.toUpperCase() },
        user.token,
      );
      assert.equal(child.status, 201, child.text);
      assert.equal(child.body.session_id, sessionId);
      assert.equal(child.body.parent_question_id, questionId, 'stored in lower case, as every id');
      const stored = await db
        .selectFrom('interview_question')
        .select('parent_question_id')
        .where('id', '=', child.body.id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.parent_question_id, questionId);
      // In an upload form too.
      const upload = await uploadAnswerVideo(api, user, {
        sessionId: SESSION,
        questionId: questionId.toUpperCase(),
      });
      const video = await api.get(`/api/interviews/videos/${upload.body.video_id}`, user.token);
      assert.deepEqual([video.body.session_id, video.body.question_id], [sessionId, questionId]);
      // Another user's id in upper case is still not yours.
      const other = await signUp(api);
      expectError(await api.get(`/api/interviews/sessions/${SESSION}`, other.token), 404, 'NOT_FOUND');
      expectError(
        await api.post(`/api/portfolios/?user_id=${user.id.toUpperCase()}`, record, other.token),
        403,
        'NOT_OWNER',
      );
      expectError(await api.get(`/api/portfolios/user/${user.id.toUpperCase()}`, other.token), 403, 'NOT_OWNER');
    });

    test('a number in the query must be written as a whole number', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      await sessionWithQuestion(api, user);
      await sessionWithQuestion(api, user);
      for (const limit of ['1.5', '0x2', '2e0', 'true', '1,5', '']) {
        expectRefusal(
          await api.get(`/api/interviews/sessions/?limit=${encodeURIComponent(limit)}`, user.token),
          'querystring.limit',
          /must be a whole number/,
        );
      }
      expectRefusal(await api.get('/api/portfolios/?skip=0.5', user.token), 'querystring.skip', /whole number/);
      assert.equal((await api.get('/api/interviews/sessions/?limit=1', user.token)).body.length, 1);
      assert.equal((await api.get('/api/interviews/sessions/?limit=2&skip=0', user.token)).body.length, 2);
    });

    test('broken percent-encoding in a query is a 400 BAD_URL, and nothing is stored', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { questionId } = await sessionWithQuestion(api, user);
      const before = await rowCounts(db);
      for (const query of ['answer_text=%ED%95', 'answer_text=100%', 'answer_text=%zz', 'answer%E_text=a']) {
        const reply = await api.request('POST', `/api/interviews/questions/${questionId}/followup?${query}`, {
          token: user.token,
        });
        expectError(reply, 400, 'BAD_URL');
        assert.match(reply.body.detail, /%25/, 'says how to write a percent sign');
      }
      assert.deepEqual(await rowCounts(db), before);
      // Well-formed encodings still arrive decoded.
      const fine = await api.get(
        `/api/interviews/sessions/?limit=1&note=${encodeURIComponent('100% 한국어')}`,
        user.token,
      );
      assert.equal(fine.status, 200, fine.text);
    });

    test("a JSON body with __proto__ is refused with a reason; Fastify's other refusals use our codes", async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const before = await rowCounts(db);
      const send = (body: string, contentType = 'application/json', path = '/api/interviews/sessions') =>
        api.request('POST', path, { token: user.token, headers: { 'content-type': contentType }, body });

      for (const body of ['{"title":"x","__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}']) {
        const poisoned = await send(body);
        expectError(poisoned, 400, 'INVALID_JSON');
        assert.match(poisoned.body.detail, /"__proto__" key/);
      }
      expectError(await send('{"title":'), 400, 'INVALID_JSON');

      const tooLarge = await send(JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }));
      expectError(tooLarge, 413, 'BODY_TOO_LARGE');
      assert.match(tooLarge.body.detail, /limit of 2 MB/);

      const plain = await send('{"title":"x"}', 'text/plain');
      expectError(plain, 415, 'UNSUPPORTED_MEDIA');
      assert.match(plain.body.detail, /application\/json/);
      const formRoute = await send('{}', 'application/json', '/api/video/upload');
      expectError(formRoute, 415, 'UNSUPPORTED_MEDIA');
      assert.match(formRoute.body.detail, /multipart\/form-data/);
      assert.deepEqual(await rowCounts(db), before);
    });
  });
}

describe('hardened HTTP edges', () => {
  test('an OPTIONS request that is no preflight answers in our shape', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const reply = await api.request('OPTIONS', '/api/users/me');
    expectError(reply, 400, 'INVALID_PREFLIGHT');
    assert.match(reply.headers.get('content-type')!, /^application\/json/);
    assert.match(reply.body.detail, /Origin and Access-Control-Request-Method/);
  });

  describe('with the web app served', () => {
    before(() => ensureWebBuilt());

    test('paths the file server will not look up are a 404 in our shape, not a 403', async (t) => {
      const { api } = await startApp(t, 'sqlite');
      const user = await signUp(api);
      for (const path of ['/api//users/me', '/assets/', '/assets']) {
        const reply = await api.get(path, user.token);
        expectError(reply, 404, 'ROUTE_NOT_FOUND');
        assert.equal(reply.body.detail, `Route GET ${path} not found`);
      }
      const withQuery = await api.get('/assets/?access_token=abc', user.token);
      expectError(withQuery, 404, 'ROUTE_NOT_FOUND');
      assert.ok(!withQuery.text.includes('abc'), 'the query is not echoed');
    });
  });

  test('Bearer with several spaces (RFC 7235: 1*SP) is accepted; other shapes are a 401', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const user = await signUp(api);
    const me = (authorization: string) => api.request('GET', '/api/users/me', { headers: { authorization } });
    for (const header of [`Bearer  ${user.token}`, `bearer ${user.token}`, `Bearer \t ${user.token}`]) {
      const reply = await me(header);
      assert.equal(reply.status, 200, `${JSON.stringify(header.slice(0, 10))}: ${reply.text}`);
    }
    for (const header of ['Bearer', `Bearer ${user.token} extra`, `Basic ${user.token}`, `Bearer${user.token}`]) {
      expectError(await me(header), 401, 'INVALID_TOKEN');
    }
  });

  test('Accept-Language: q-values count, q=0 is never, the primary subtag must match, Korean is the fallback', () => {
    const lang = (header: string | undefined, fallback: 'ko' | 'en' = 'ko') =>
      requestLanguage({ headers: { 'accept-language': header } } as FastifyRequest, fallback);
    assert.equal(lang('en;q=0, ko'), 'ko');
    assert.equal(lang('ko;q=0.1, en;q=0.9'), 'en');
    assert.equal(lang('en;q=0.9, ko'), 'ko');
    assert.equal(lang('kok'), 'ko', 'Konkani is not Korean; the fallback is');
    assert.equal(lang('kok', 'en'), 'en', 'Konkani is not Korean');
    assert.equal(lang('ja, en;q=0.5'), 'en');
    assert.equal(lang('en-US,en;q=0.9'), 'en');
    assert.equal(lang('ko-KR, en-US;q=0.8'), 'ko');
    assert.equal(lang('ja'), 'ko');
    assert.equal(lang(undefined, 'en'), 'en');
    assert.equal(lang('ko;q=0', 'ko'), 'en', 'the fallback is not chosen against a q=0');
    assert.equal(lang('*;q=0.5, en;q=0'), 'ko');
    assert.equal(lang('*, ko;q=0.2'), 'en', 'English through * outweighs Korean at 0.2');
    assert.equal(lang('en;q=abc, ko;q=0.5'), 'ko', 'a malformed q drops its range');
    assert.equal(lang('EN'), 'en');
  });

  test('Accept-Language reaches the reply: English refused with q=0 gives Korean questions', async (t) => {
    const { api } = await startApp(t, 'sqlite', { FEEDBACK_LANG: 'en' });
    const user = await signUp(api);
    const session = await api.post('/api/interviews/sessions', { generate_questions: false }, user.token);
    const generate = (acceptLanguage: string) =>
      api.request('POST', `/api/interviews/sessions/${session.body.id}/questions/generate`, {
        token: user.token,
        headers: { 'accept-language': acceptLanguage },
      });
    const hangul = /[\uAC00-\uD7A3]/;
    const korean = await generate('en;q=0, ko');
    assert.equal(korean.status, 201, korean.text);
    assert.ok(
      korean.body.every((question: { text: string }) => hangul.test(question.text)),
      korean.text,
    );
    const english = await generate('ko;q=0.1, en;q=0.9');
    assert.ok(
      english.body.every((question: { text: string }) => !hangul.test(question.text)),
      english.text,
    );
  });

  test('the log URL: credentials and answers are redacted by their decoded names', () => {
    const cases: Array<[string, string]> = [
      ['/f?user_id=u&expires=1&%73ignature=SIG', '/f?user_id=u&expires=1&%73ignature=[Redacted]'],
      ['/f?signature=SIG&x=1', '/f?signature=[Redacted]&x=1'],
      ['/q?answer%5Ftext=PRIVATE&lang=ko', '/q?answer%5Ftext=[Redacted]&lang=ko'],
      ['/me?access_token=JWT', '/me?access_token=[Redacted]'],
      ['/me?%61ccess%5Ftoken=JWT', '/me?%61ccess%5Ftoken=[Redacted]'],
      [
        '/me?Refresh-Token=JWT&PASSWORD=pw&client_secret=s',
        '/me?Refresh-Token=[Redacted]&PASSWORD=[Redacted]&client_secret=[Redacted]',
      ],
      ['/me?token', '/me?token=[Redacted]'],
      ['/me?%E=1&sig%6eature=S', '/me?%E=1&sig%6eature=[Redacted]'],
      ['/api/users/me', '/api/users/me'],
      ['/api/x?limit=2&skip=1', '/api/x?limit=2&skip=1'],
    ];
    for (const [url, logged] of cases) assert.equal(redactUrl(url), logged, url);
  });
});
