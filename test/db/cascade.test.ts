import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import type { Db } from '../../src/db/index.ts';
import { TALKING_MALE } from '../analysis/media-helpers.ts';
import { DIALECTS, filesUnder, rowCounts, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

/** Everything a user can own, made through the API. */
async function populate(api: Api, db: Db, user: TestUser) {
  const form = new FormData();
  const pdf = await (await PDFDocument.create()).save();
  form.append('file', new Blob([Buffer.from(pdf)]), 'cv.pdf');
  const portfolio = (await api.request('POST', '/api/portfolios/upload', { body: form, token: user.token })).body;
  const posting = (await api.post('/api/job-postings/', { company_name: 'A', title: 'B', raw_text: 'C' }, user.token))
    .body;
  const session = (
    await api.post('/api/interviews/sessions', { portfolio_id: portfolio.id, job_posting_id: posting.id }, user.token)
  ).body;
  const question = (await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Q' }, user.token)).body;
  await api.post(`/api/interviews/questions/${question.id}/answers`, { text: 'A' }, user.token);

  // A real answer video, uploaded and analysed through the API: the video row and file, its analysis
  // job, metrics, timeline and feedback. Transcription is off in tests, so the transcript row is written
  // directly.
  const answer = new FormData();
  answer.append('session_id', session.id);
  answer.append('question_id', question.id);
  answer.append('file', new Blob([await readFile(TALKING_MALE)]), 'answer.mp4');
  const video = (await api.request('POST', '/api/video/upload', { body: answer, token: user.token })).body;
  assert.equal((await api.post(`/api/video/analyze/${video.video_id}`, undefined, user.token)).status, 200);
  await db
    .insertInto('interview_transcript')
    .values({
      id: randomUUID(),
      video_id: video.video_id,
      text: '안녕하세요',
      language: 'ko',
      created_at: new Date().toISOString(),
    })
    .execute();
}

for (const dialect of DIALECTS) {
  describe(`account deletion (${dialect.name})`, { skip: dialect.skip }, () => {
    test('deleting a user removes every row and file of theirs and nothing of anyone else', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const leaving = await signUp(api);
      await populate(api, db, leaving);
      const alone = await rowCounts(db);
      const staying = await signUp(api);
      await populate(api, db, staying);
      const both = await rowCounts(db);
      const stayingFiles = (await filesUnder(join(dataDir, 'uploads'))).filter((f) => f.startsWith(staying.id));
      assert.equal(stayingFiles.length, 2);

      assert.equal((await api.delete(`/api/users/${leaving.id}`, leaving.token)).status, 204);

      const after = await rowCounts(db);
      for (const table of Object.keys(both)) {
        // What is left is exactly the staying user's share.
        assert.equal(after[table], both[table]! - alone[table]!, table);
      }
      assert.equal(after.user, 1);
      for (const table of ['analysis_job', 'nonverbal_metrics', 'nonverbal_timeline', 'feedback']) {
        assert.ok(alone[table]! > 0, `${table} is filled, so its cascade is checked`);
      }
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), stayingFiles);
      assert.equal((await api.get('/api/interviews/sessions', staying.token)).body.length, 1);
    });
  });
}
