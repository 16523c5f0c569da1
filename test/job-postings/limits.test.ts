// How much of a job posting an account may keep (src/job-postings/limits.ts): raw_text, parsed_skills'
// size and entries, and the number of postings; each refusal names its limit and changes nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { JOB_POSTING_LIMITS, parsedSkillsExcess } from '../../src/job-postings/limits.ts';
import { fakeServer } from '../analysis/speech-helpers.ts';
import {
  DIALECTS,
  expectError,
  expectValidationError,
  rowCounts,
  signUp,
  startApp,
  type TestUser,
} from '../helpers.ts';
import type { Db } from '../../src/db/index.ts';

const { rawTextChars, parsedSkillsBytes, parsedSkillsEntries, perUser, crawlRequirementLines } = JOB_POSTING_LIMITS;
const POSTING = { company_name: '토스', title: 'Server Developer', raw_text: '자격요건\n- Kotlin 3년 이상' };

/** `count` postings for the user, written straight to the database. */
async function seedPostings(db: Db, user: TestUser, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    user_id: user.id,
    company_name: 'Seed',
    title: `Seeded ${i}`,
    source_url: null,
    raw_text: 'seeded posting',
    parsed_skills: null,
    created_at: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
  }));
  await db.insertInto('job_posting').values(rows).execute();
}

const countOf = async (db: Db, user: TestUser) =>
  Number(
    (
      await db
        .selectFrom('job_posting')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow()
    ).n,
  );

test('parsed_skills limits: entries over all levels, then the size as JSON; within them, none', () => {
  assert.equal(parsedSkillsExcess({ required: ['Kotlin', 'Spring'], preferred: [] }), null);
  const wide = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i]));
  assert.match(parsedSkillsExcess(wide)!, new RegExp(`more than ${parsedSkillsEntries} keys and array items`));
  const deep = { a: [Array.from({ length: 600 }, () => 1), Array.from({ length: 600 }, () => 1)] };
  assert.match(parsedSkillsExcess(deep)!, /more than 1000 keys/);
  const heavy = ['가'.repeat(11_000)]; // 33,004 bytes in UTF-8 as JSON
  assert.match(
    parsedSkillsExcess(heavy)!,
    new RegExp(`^33004 bytes as JSON, more than the limit of ${parsedSkillsBytes}`),
  );
});

for (const dialect of DIALECTS) {
  describe(`job posting limits (${dialect.name})`, { skip: dialect.skip }, () => {
    test('oversized raw_text and parsed_skills are refused naming the limit; at the limits they are kept', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const before = await rowCounts(db);

      // The trial's body: 60,000 keys, 1.5 MB of JSON.
      const wide = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`skill_${i}`, 'x'.repeat(10)]));
      const refusedWide = await api.post('/api/job-postings/', { ...POSTING, parsed_skills: wide }, alice.token);
      expectError(refusedWide, 413, 'PARSED_SKILLS_TOO_LARGE');
      assert.match(refusedWide.body.detail, /^parsed_skills is too large: more than 1000 keys and array items/);

      const heavy = { requirements: Array.from({ length: 100 }, () => '경'.repeat(120)) }; // 36 KB
      const refusedHeavy = await api.post('/api/job-postings/', { ...POSTING, parsed_skills: heavy }, alice.token);
      expectError(refusedHeavy, 413, 'PARSED_SKILLS_TOO_LARGE');
      assert.match(refusedHeavy.body.detail, /\d+ bytes as JSON, more than the limit of 32768/);

      const long = await api.post(
        '/api/job-postings/',
        { ...POSTING, raw_text: 'a'.repeat(rawTextChars + 1) },
        alice.token,
      );
      expectValidationError(long, 'body.raw_text');
      assert.match(long.body.detail, new RegExp(`${rawTextChars}`));
      assert.deepEqual(await rowCounts(db), before);

      // At the limits: 30,000 Hangul characters and 1,000 entries within 32 KB.
      const atLimits = {
        ...POSTING,
        raw_text: '가'.repeat(rawTextChars),
        parsed_skills: { skills: Array.from({ length: parsedSkillsEntries - 1 }, (_, i) => `s${i}`) },
      };
      const kept = await api.post('/api/job-postings/', atLimits, alice.token);
      assert.equal(kept.status, 201, kept.text.slice(0, 300));
      assert.equal(kept.body.raw_text.length, rawTextChars);
      assert.deepEqual(kept.body.parsed_skills, atLimits.parsed_skills);
    });

    test(`an account keeps at most ${perUser} postings (409, naming the limit), concurrent saves included`, async (t) => {
      const crawled: string[] = [];
      const site = await fakeServer(t, (request, response) => {
        crawled.push(request.url);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          '<html><body><article><p>A posting long enough to be one, with Kotlin and Kafka.</p></article></body></html>',
        );
      });
      const { api, db } = await startApp(t, dialect.name, { CRAWL_ALLOWED_HOSTS: new URL(site.url).host });
      const alice = await signUp(api);
      const bob = await signUp(api);
      // An earlier import of a page, as the crawl route stores it.
      const imported = { id: randomUUID(), url: `${site.url}/jobs/1` };
      await db
        .insertInto('job_posting')
        .values({
          ...POSTING,
          id: imported.id,
          user_id: alice.id,
          source_url: imported.url,
          parsed_skills: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      await seedPostings(db, alice, perUser - 10);

      // Twenty saves at once for the last nine places: nine are kept, the others refused.
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.post('/api/job-postings/', { ...POSTING, title: `t${i}` }, alice.token),
        ),
      );
      assert.equal(replies.filter((reply) => reply.status === 201).length, 9);
      for (const reply of replies.filter((r) => r.status !== 201)) {
        expectError(reply, 409, 'TOO_MANY_RECORDS');
        assert.equal(
          reply.body.detail,
          `You already keep ${perUser} job postings, the most one account may; delete some first`,
        );
      }
      assert.equal(await countOf(db, alice), perUser);

      // A new import is refused before the page is fetched; importing the same page again still updates it.
      const fetchedBefore = crawled.length;
      expectError(
        await api.post('/api/job-postings/crawl', { url: `${site.url}/jobs/2` }, alice.token),
        409,
        'TOO_MANY_RECORDS',
      );
      assert.equal(crawled.length, fetchedBefore);
      const again = await api.post('/api/job-postings/crawl', { url: imported.url }, alice.token);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.body.id, imported.id);
      assert.equal(await countOf(db, alice), perUser);

      // Another account is not held back, and a deleted posting frees a place.
      assert.equal((await api.post('/api/job-postings/', POSTING, bob.token)).status, 201);
      assert.equal((await api.delete(`/api/job-postings/${imported.id}`, alice.token)).status, 204);
      assert.equal((await api.post('/api/job-postings/', POSTING, alice.token)).status, 201);

      // So the longest list is the cap's rows, at most one reply of perUser × the largest posting.
      const list = await api.get('/api/job-postings/?limit=1000', alice.token);
      assert.equal(list.body.length, perUser);
    });

    test('a crawl import is cut to the limits: raw_text and its requirement lines', async (t) => {
      const lines = Array.from(
        { length: 800 },
        (_, i) => `<li>요구 사항 ${i}: Kotlin과 Spring으로 결제 서버를 운영한 경험</li>`,
      );
      const page = `<html><head><title>Big posting</title></head><body><article><h2>자격 요건</h2><ul>${lines.join('')}</ul></article></body></html>`;
      const site = await fakeServer(t, (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(page);
      });
      const { api } = await startApp(t, dialect.name, { CRAWL_ALLOWED_HOSTS: new URL(site.url).host });
      const alice = await signUp(api);
      const imported = await api.post('/api/job-postings/crawl', { url: `${site.url}/big` }, alice.token);
      assert.equal(imported.status, 201, imported.text.slice(0, 300));
      assert.equal(imported.body.raw_text.length, rawTextChars);
      assert.equal(imported.body.parsed_skills.requirements.length, crawlRequirementLines);
      assert.equal(parsedSkillsExcess(imported.body.parsed_skills), null);
    });
  });
}
