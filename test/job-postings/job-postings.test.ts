import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECTS, expectError, expectValidationError, rowCounts, signUp, startApp } from '../helpers.ts';

const POSTING = {
  company_name: '토스',
  title: 'Server Developer',
  raw_text: '자격요건\n- Kotlin, Spring Boot 3년 이상\n- MySQL 또는 PostgreSQL 운영 경험',
  source_url: 'https://toss.im/career/job-detail?job_id=1',
  parsed_skills: { required_skills: ['Kotlin', 'Spring Boot'], preferred_skills: [] },
};

for (const dialect of DIALECTS) {
  describe(`job postings (${dialect.name})`, { skip: dialect.skip }, () => {
    test('create, read back with parsed_skills decoded, list and delete', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const created = await api.post(`/api/job-postings/?user_id=${user.id}`, POSTING, user.token);
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(
        { ...created.body, id: undefined, created_at: undefined, user_id: undefined },
        {
          ...POSTING,
          id: undefined,
          created_at: undefined,
          user_id: undefined,
        },
      );
      const stored = await db.selectFrom('job_posting').select('parsed_skills').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(stored.parsed_skills!), POSTING.parsed_skills);

      const minimal = await api.post(
        '/api/job-postings/',
        { company_name: 'A', title: 'B', raw_text: 'C' },
        user.token,
      );
      assert.equal(minimal.body.parsed_skills, null);
      assert.equal(minimal.body.source_url, null);
      const arraySkills = await api.post(
        '/api/job-postings/',
        { ...POSTING, parsed_skills: ['Go', 'gRPC'] },
        user.token,
      );
      assert.deepEqual(arraySkills.body.parsed_skills, ['Go', 'gRPC']);

      assert.deepEqual((await api.get(`/api/job-postings/${created.body.id}`, user.token)).body, created.body);
      const own = await api.get('/api/job-postings/?skip=1&limit=1', user.token);
      assert.equal(own.body.length, 1);
      const list = await api.get(`/api/job-postings/user/${user.id}`, user.token);
      assert.deepEqual(
        list.body.map((p: { id: string }) => p.id).sort(),
        [created.body.id, minimal.body.id, arraySkills.body.id].sort(),
      );

      assert.equal((await api.delete(`/api/job-postings/${created.body.id}`, user.token)).status, 204);
      expectError(await api.get(`/api/job-postings/${created.body.id}`, user.token), 404, 'NOT_FOUND');
      expectError(await api.delete(`/api/job-postings/${created.body.id}`, user.token), 404, 'NOT_FOUND');
    });

    test('bad input and other users are refused, changing nothing', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const posting = (await api.post('/api/job-postings/', POSTING, alice.token)).body;
      const before = await rowCounts(db);

      expectValidationError(
        await api.post('/api/job-postings/', { ...POSTING, raw_text: undefined }, alice.token),
        'body',
      );
      expectValidationError(
        await api.post('/api/job-postings/', { ...POSTING, title: ['x'] }, alice.token),
        'body.title',
      );
      expectValidationError(
        await api.post('/api/job-postings/', { ...POSTING, source_url: 'not a url' }, alice.token),
        'body.source_url',
      );
      expectValidationError(
        await api.post('/api/job-postings/', { ...POSTING, parsed_skills: 'Kotlin' }, alice.token),
        'body.parsed_skills',
      );
      expectError(await api.post(`/api/job-postings/?user_id=${bob.id}`, POSTING, alice.token), 403, 'NOT_OWNER');
      expectError(await api.post('/api/job-postings/', POSTING), 401, 'NOT_AUTHENTICATED');
      expectError(await api.get(`/api/job-postings/${posting.id}`, bob.token), 404, 'NOT_FOUND');
      expectError(await api.delete(`/api/job-postings/${posting.id}`, bob.token), 404, 'NOT_FOUND');
      expectError(await api.get(`/api/job-postings/user/${alice.id}`, bob.token), 403, 'NOT_OWNER');
      expectError(
        await api.get('/api/job-postings/00000000-0000-4000-8000-000000000000', alice.token),
        404,
        'NOT_FOUND',
      );
      assert.deepEqual(await rowCounts(db), before);
    });

    test('SQL-looking and NUL-bearing text', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const sqlish = '\'; DELETE FROM job_posting; -- \\ " %_ $1 ?';
      const created = await api.post(
        '/api/job-postings/',
        { ...POSTING, company_name: sqlish, raw_text: sqlish },
        user.token,
      );
      assert.equal(created.status, 201);
      assert.equal((await api.get(`/api/job-postings/${created.body.id}`, user.token)).body.raw_text, sqlish);

      // PostgreSQL cannot store NUL in text, so neither database accepts it.
      const before = await rowCounts(db);
      expectError(
        await api.post('/api/job-postings/', { ...POSTING, raw_text: 'a\u0000b' }, user.token),
        422,
        'INVALID_TEXT',
      );
      expectError(
        await api.post('/api/job-postings/', { ...POSTING, parsed_skills: { ['k\u0000']: 1 } }, user.token),
        422,
        'INVALID_TEXT',
      );
      assert.deepEqual(await rowCounts(db), before);
    });
  });
}
