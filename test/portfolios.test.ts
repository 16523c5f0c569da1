import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DIALECTS, expectError, expectValidationError, filesUnder, rowCounts, signUp, startApp, type Api } from './helpers.ts';

const PAGE_TEXTS = ['Kim Minji - Backend Engineer', 'Built a payment API with Kotlin and PostgreSQL, 1200 TPS'];

/** A two-page PDF whose text is known, made independently of the code under test. */
async function knownPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of PAGE_TEXTS) doc.addPage().drawText(text, { x: 50, y: 700, font, size: 12 });
  return doc.save();
}

function upload(api: Api, token: string, bytes: Uint8Array | string, filename: string, field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)], { type: 'application/pdf' }), filename);
  return api.request('POST', '/api/portfolios/upload', { body: form, token });
}

for (const dialect of DIALECTS) {
  describe(`portfolios (${dialect.name})`, { skip: dialect.skip }, () => {
    test('an uploaded PDF is stored in the user’s folder and its text extracted page by page', async (t) => {
      const { api, dataDir } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const reply = await upload(api, user.token, await knownPdf(), '이력서 CV.PDF');
      assert.equal(reply.status, 201, reply.text);
      assert.equal(reply.body.parsed_text, PAGE_TEXTS.join('\n'));
      assert.equal(reply.body.filename, '이력서 CV.PDF');
      assert.equal(reply.body.user_id, user.id);
      assert.equal(reply.body.summary, null);
      assert.match(reply.body.file_url, new RegExp(`^uploads/${user.id}/portfolios/[0-9a-f-]{36}\\.pdf$`));
      assert.ok(existsSync(join(dataDir, reply.body.file_url)));
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);

      const fetched = await api.get(`/api/portfolios/${reply.body.id}`, user.token);
      assert.deepEqual(fetched.body, reply.body);
      // Uploads are never served as static files.
      assert.equal((await api.get(`/${reply.body.file_url}`)).status, 404);
    });

    test('fake, broken, oversized or missing files are refused and leave nothing behind', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name, { MAX_PORTFOLIO_MB: '1' });
      const user = await signUp(api);
      const before = await rowCounts(db);

      expectError(await upload(api, user.token, 'just some text, not a PDF', 'resume.pdf'), 415, 'UNSUPPORTED_MEDIA');
      const pdf = await knownPdf();
      const truncated = pdf.slice(0, 40);
      expectError(await upload(api, user.token, truncated, 'broken.pdf'), 422, 'INVALID_PDF');
      const garbage = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x41)]));
      expectError(await upload(api, user.token, garbage, 'garbage.pdf'), 422, 'INVALID_PDF');
      const huge = new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.alloc(1024 * 1024 + 1, 0x20)]));
      expectError(await upload(api, user.token, huge, 'huge.pdf'), 413, 'FILE_TOO_LARGE');
      expectError(await upload(api, user.token, pdf, 'cv.pdf', 'document'), 422, 'FILE_MISSING');
      expectError(
        await api.request('POST', '/api/portfolios/upload', { json: { file: 'x' }, token: user.token }),
        415,
        'FST_INVALID_MULTIPART_CONTENT_TYPE',
      );
      expectError(await upload(api, '', pdf, 'cv.pdf'), 401, 'NOT_AUTHENTICATED');

      assert.deepEqual(await rowCounts(db), before);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
    });

    test('JSON records, lists, ownership and deletion with the stored file', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);

      const record = await api.post(`/api/portfolios/?user_id=${alice.id}`, {
        filename: 'cv.pdf',
        file_url: 'https://example.com/cv.pdf',
        parsed_text: "I know SQL: SELECT * FROM portfolio WHERE '1'='1';",
      }, alice.token);
      assert.equal(record.status, 201, record.text);
      assert.equal(record.body.parsed_text, "I know SQL: SELECT * FROM portfolio WHERE '1'='1';");
      const uploaded = (await upload(api, alice.token, await knownPdf(), 'cv.pdf')).body;

      expectError(await api.post(`/api/portfolios/?user_id=${bob.id}`, { filename: 'x', file_url: 'y' }, alice.token), 403, 'NOT_OWNER');
      expectValidationError(await api.post('/api/portfolios/', { filename: 'x' }, alice.token), 'body');
      expectValidationError(await api.post('/api/portfolios/?user_id=123', { filename: 'x', file_url: 'y' }, alice.token), 'querystring.user_id');

      const list = await api.get(`/api/portfolios/user/${alice.id}`, alice.token);
      assert.deepEqual(list.body.map((p: { id: string }) => p.id).sort(), [record.body.id, uploaded.id].sort());
      assert.equal((await api.get('/api/portfolios/?limit=1', alice.token)).body.length, 1);
      expectError(await api.get(`/api/portfolios/user/${alice.id}`, bob.token), 403, 'NOT_OWNER');
      expectError(await api.get(`/api/portfolios/${uploaded.id}`, bob.token), 404, 'NOT_FOUND');
      expectError(await api.delete(`/api/portfolios/${uploaded.id}`, bob.token), 404, 'NOT_FOUND');
      assert.ok(existsSync(join(dataDir, uploaded.file_url)));

      // A portfolio used by a session is detached from it, not deleted with it.
      const session = await api.post('/api/interviews/sessions', { portfolio_id: uploaded.id }, alice.token);
      assert.equal((await api.delete(`/api/portfolios/${uploaded.id}`, alice.token)).status, 204);
      assert.ok(!existsSync(join(dataDir, uploaded.file_url)));
      expectError(await api.get(`/api/portfolios/${uploaded.id}`, alice.token), 404, 'NOT_FOUND');
      assert.equal((await api.get(`/api/interviews/sessions/${session.body.id}`, alice.token)).body.portfolio_id, null);
      assert.equal((await rowCounts(db)).portfolio, 1);
    });

    test('deleting a record never deletes a file outside the owner’s folder', async (t) => {
      const { api, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const bobs = (await upload(api, bob.token, await knownPdf(), 'cv.pdf')).body;
      const outside = join(dataDir, 'keep-me.txt');
      await writeFile(outside, 'precious');

      for (const file_url of [bobs.file_url, 'keep-me.txt', '../keep-me.txt', outside, `uploads/${alice.id}/../${bob.id}/portfolios/x.pdf`]) {
        const record = await api.post('/api/portfolios/', { filename: 'x.pdf', file_url }, alice.token);
        assert.equal((await api.delete(`/api/portfolios/${record.body.id}`, alice.token)).status, 204);
      }
      assert.ok(existsSync(outside));
      assert.ok(existsSync(join(dataDir, bobs.file_url)));
    });
  });
}
