import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import type { Db } from '../src/db/index.ts';
import { DIALECTS, filesUnder, rowCounts, signUp, startApp, type Api, type TestUser } from './helpers.ts';

/** Everything a user can own, through the API, plus analysis rows written straight to the tables. */
async function populate(api: Api, db: Db, dataDir: string, user: TestUser) {
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

  // The video API is not built yet; its rows and file are made directly so the cascade covers them.
  const videoId = randomUUID();
  const created_at = new Date().toISOString();
  const videoFile = join('uploads', user.id, 'videos', `${videoId}.webm`);
  await mkdir(join(dataDir, 'uploads', user.id, 'videos'), { recursive: true });
  await writeFile(join(dataDir, videoFile), 'video bytes');
  await db
    .insertInto('interview_video')
    .values({
      id: videoId,
      user_id: user.id,
      session_id: session.id,
      question_id: question.id,
      video_url: videoFile,
      audio_url: null,
      duration_sec: 12.5,
      created_at,
    })
    .execute();
  await db
    .insertInto('interview_transcript')
    .values({ id: randomUUID(), video_id: videoId, text: '안녕하세요', language: 'ko', created_at })
    .execute();
  await db
    .insertInto('nonverbal_metrics')
    .values({
      id: randomUUID(),
      video_id: videoId,
      center_gaze_ratio: 0.9,
      smile_ratio: 0.3,
      nod_count: 2,
      nod_rate_per_min: 9.6,
      wpm: 120,
      filler_count: 1,
      primary_emotion: 'neutral',
      metadata_json: '{}',
      created_at,
    })
    .execute();
  await db
    .insertInto('nonverbal_timeline')
    .values({ id: randomUUID(), video_id: videoId, timeline_json: '[]', created_at })
    .execute();
  await db
    .insertInto('feedback')
    .values({
      id: randomUUID(),
      video_id: videoId,
      level: 'video',
      title: 't',
      message: 'm',
      severity: 'info',
      start_sec: null,
      end_sec: null,
      position: 0,
      created_at,
    })
    .execute();
}

for (const dialect of DIALECTS) {
  describe(`account deletion (${dialect.name})`, { skip: dialect.skip }, () => {
    test('deleting a user removes every row and file of theirs and nothing of anyone else', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const leaving = await signUp(api);
      await populate(api, db, dataDir, leaving);
      const alone = await rowCounts(db);
      const staying = await signUp(api);
      await populate(api, db, dataDir, staying);
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
      assert.equal(after.feedback, 1);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), stayingFiles);
      assert.equal((await api.get('/api/interviews/sessions', staying.token)).body.length, 1);
    });
  });
}
