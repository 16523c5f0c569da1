// An account keeps at most PORTFOLIOS_PER_USER portfolios, made from JSON or uploaded: past it, 409
// naming the limit, an upload refused before its file is stored, and nothing changed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { PORTFOLIOS_PER_USER } from '../../src/portfolios/service.ts';
import { DIALECTS, expectError, filesUnder, rowCounts, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Kim Minji - Backend Engineer', { x: 50, y: 700, font, size: 12 });
  return doc.save();
}

async function uploadPdf(api: Api, user: TestUser, bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), 'cv.pdf');
  return api.request('POST', '/api/portfolios/upload', { body: form, token: user.token });
}

const LIMIT_MESSAGE = `You already keep ${PORTFOLIOS_PER_USER} portfolios, the most one account may; delete some first`;

for (const dialect of DIALECTS) {
  describe(`portfolios per account (${dialect.name})`, { skip: dialect.skip }, () => {
    test(`at ${PORTFOLIOS_PER_USER} portfolios, JSON and uploads get 409 naming the limit and nothing is kept`, async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const pdf = await onePagePdf();
      await db
        .insertInto('portfolio')
        .values(
          Array.from({ length: PORTFOLIOS_PER_USER - 2 }, (_, i) => ({
            id: randomUUID(),
            user_id: alice.id,
            filename: `cv${i}.pdf`,
            file_url: `cv${i}.pdf`,
            parsed_text: 'seeded',
            summary: null,
            created_at: new Date().toISOString(),
          })),
        )
        .execute();
      const fromJson = await api.post('/api/portfolios/', { filename: 'a.pdf', file_url: 'a.pdf' }, alice.token);
      assert.equal(fromJson.status, 201, fromJson.text);
      const uploaded = await uploadPdf(api, alice, pdf);
      assert.equal(uploaded.status, 201, uploaded.text);

      const before = await rowCounts(db);
      const files = await filesUnder(join(dataDir, 'uploads'));
      const refusedJson = await api.post('/api/portfolios/', { filename: 'b.pdf', file_url: 'b.pdf' }, alice.token);
      expectError(refusedJson, 409, 'TOO_MANY_RECORDS');
      assert.equal(refusedJson.body.detail, LIMIT_MESSAGE);
      const refusedUpload = await uploadPdf(api, alice, pdf);
      expectError(refusedUpload, 409, 'TOO_MANY_RECORDS');
      assert.equal(refusedUpload.body.detail, LIMIT_MESSAGE);
      assert.deepEqual(await rowCounts(db), before);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), files);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);

      // Another account is not held back, and a deleted portfolio frees a place.
      assert.equal((await uploadPdf(api, bob, pdf)).status, 201);
      assert.equal((await api.delete(`/api/portfolios/${uploaded.body.id}`, alice.token)).status, 204);
      assert.equal((await uploadPdf(api, alice, pdf)).status, 201);
      assert.equal((await api.get('/api/portfolios/?limit=1000', alice.token)).body.length, PORTFOLIOS_PER_USER);
    });
  });
}
