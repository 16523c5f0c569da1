import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import {
  DIALECTS,
  expectError,
  expectValidationError,
  filesUnder,
  rowCounts,
  signUp,
  startApp,
  type Api,
} from '../helpers.ts';

const PAGE_TEXTS = ['Kim Minji - Backend Engineer', 'Built a payment API with Kotlin and PostgreSQL, 1200 TPS'];

/** A two-page PDF whose text is known, made independently of the code under test. */
async function knownPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of PAGE_TEXTS) doc.addPage().drawText(text, { x: 50, y: 700, font, size: 12 });
  return doc.save();
}

const LONG_PDF_LINE = 'A page of a long portfolio';

/**
 * A PDF of `pages` pages that all show the same line: they share one content stream, so it is quick
 * to make, while a reader still reads every page.
 */
async function pdfOfPages(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const first = doc.addPage([300, 300]);
  first.drawText(LONG_PDF_LINE, { x: 20, y: 150, font, size: 10 });
  for (let i = 1; i < pages; i++) {
    const page = doc.addPage([300, 300]);
    for (const key of ['Contents', 'Resources']) page.node.set(PDFName.of(key), first.node.get(PDFName.of(key))!);
  }
  return doc.save();
}

function upload(api: Api, token: string, bytes: Uint8Array | string, filename: string, field = 'file') {
  const form = new FormData();
  form.append(
    field,
    new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)], { type: 'application/pdf' }),
    filename,
  );
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
      const json = await api.request('POST', '/api/portfolios/upload', { json: { file: 'x' }, token: user.token });
      expectError(json, 415, 'UNSUPPORTED_MEDIA');
      assert.match(json.body.detail, /multipart\/form-data/);
      expectError(await upload(api, '', pdf, 'cv.pdf'), 401, 'NOT_AUTHENTICATED');

      assert.deepEqual(await rowCounts(db), before);
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
    });

    test('a PDF beyond a limit on pages, text or time is refused with 422 naming the limit, and nothing is kept', async (t) => {
      const known = await knownPdf();
      const knownLength = PAGE_TEXTS.join('\n').length;
      const cases: Array<{
        env: Record<string, string>;
        atLimit: Uint8Array;
        over: Uint8Array;
        code: string;
        detail: RegExp;
      }> = [
        {
          env: { PDF_MAX_PAGES: '2' },
          atLimit: known,
          over: await pdfOfPages(3),
          code: 'PDF_TOO_MANY_PAGES',
          detail: /3 pages, more than the limit of 2\b/,
        },
        {
          env: { PDF_MAX_TEXT_CHARS: String(knownLength) },
          atLimit: known,
          over: await pdfOfPages(Math.ceil(knownLength / LONG_PDF_LINE.length) + 1),
          code: 'PDF_TOO_MUCH_TEXT',
          detail: new RegExp(`limit of ${knownLength} characters`),
        },
        // Far more pages than a second allows on any machine; the thread is stopped at the limit.
        {
          env: { PDF_PARSE_TIMEOUT_SEC: '1', PDF_MAX_PAGES: '100000' },
          atLimit: known,
          over: await pdfOfPages(10_000),
          code: 'PDF_TOO_SLOW',
          detail: /limit of 1 s\b/,
        },
      ];
      for (const { env, atLimit, over, code, detail } of cases) {
        const { api, db, dataDir } = await startApp(t, dialect.name, env);
        const user = await signUp(api);
        const before = await rowCounts(db);
        const refused = await upload(api, user.token, over, 'long.pdf');
        expectError(refused, 422, code);
        assert.match(refused.body.detail, detail);
        assert.deepEqual(await rowCounts(db), before);
        assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
        assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);

        const accepted = await upload(api, user.token, atLimit, 'cv.pdf');
        assert.equal(accepted.status, 201, accepted.text);
        assert.equal(accepted.body.parsed_text, PAGE_TEXTS.join('\n'));
      }
    });

    test('/health keeps answering while a PDF of thousands of pages is read', async (t) => {
      const pages = 2000;
      const { api } = await startApp(t, dialect.name, { PDF_MAX_PAGES: String(pages), PDF_PARSE_TIMEOUT_SEC: '600' });
      const user = await signUp(api);
      const pdf = await pdfOfPages(pages);
      let uploading = true;
      const uploaded = upload(api, user.token, pdf, 'long.pdf').finally(() => {
        uploading = false;
      });
      const healthDuringUpload: number[] = [];
      while (uploading) {
        healthDuringUpload.push((await api.get('/health')).status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const reply = await uploaded;
      assert.equal(reply.status, 201, reply.text);
      assert.deepEqual(reply.body.parsed_text.split('\n'), Array(pages).fill(LONG_PDF_LINE));
      // Read on the event loop, the PDF held every other request back until it was done: one or two got through.
      assert.ok(healthDuringUpload.length >= 5, `only ${healthDuringUpload.length} /health replies during the upload`);
      assert.ok(
        healthDuringUpload.every((status) => status === 200),
        String(healthDuringUpload),
      );
    });

    test('JSON records, lists, ownership and deletion with the stored file', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);

      const record = await api.post(
        `/api/portfolios/?user_id=${alice.id}`,
        {
          filename: 'cv.pdf',
          file_url: 'https://example.com/cv.pdf',
          parsed_text: "I know SQL: SELECT * FROM portfolio WHERE '1'='1';",
        },
        alice.token,
      );
      assert.equal(record.status, 201, record.text);
      assert.equal(record.body.parsed_text, "I know SQL: SELECT * FROM portfolio WHERE '1'='1';");
      const uploaded = (await upload(api, alice.token, await knownPdf(), 'cv.pdf')).body;

      expectError(
        await api.post(`/api/portfolios/?user_id=${bob.id}`, { filename: 'x', file_url: 'y' }, alice.token),
        403,
        'NOT_OWNER',
      );
      expectValidationError(await api.post('/api/portfolios/', { filename: 'x' }, alice.token), 'body');
      expectValidationError(
        await api.post('/api/portfolios/?user_id=123', { filename: 'x', file_url: 'y' }, alice.token),
        'querystring.user_id',
      );

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

      for (const file_url of [
        bobs.file_url,
        'keep-me.txt',
        '../../keep-me.txt',
        outside,
        `uploads/${alice.id}/../${bob.id}/portfolios/x.pdf`,
      ]) {
        const record = await api.post('/api/portfolios/', { filename: 'x.pdf', file_url }, alice.token);
        assert.equal((await api.delete(`/api/portfolios/${record.body.id}`, alice.token)).status, 204);
      }
      assert.ok(existsSync(outside));
      assert.ok(existsSync(join(dataDir, bobs.file_url)));
    });

    test('a record made from JSON that points at one of your own uploads does not delete it', async (t) => {
      const { api, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const pdf = (await upload(api, alice.token, await knownPdf(), 'cv.pdf')).body;
      const session = (await api.post('/api/interviews/sessions', { generate_questions: false }, alice.token)).body;
      const question = (
        await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Why us?' }, alice.token)
      ).body;
      const form = new FormData();
      form.append('session_id', session.id);
      form.append('question_id', question.id);
      form.append(
        'file',
        new Blob([await readFile(join('test', 'fixtures', 'video_talking_male_en_5s.mp4'))]),
        'a.mp4',
      );
      const video = await api.request('POST', '/api/video/upload', { body: form, token: alice.token });
      assert.equal(video.status, 200, video.text);

      for (const file_url of [pdf.file_url, video.body.file_path]) {
        const record = await api.post('/api/portfolios/', { filename: 'copy.pdf', file_url }, alice.token);
        assert.equal((await api.delete(`/api/portfolios/${record.body.id}`, alice.token)).status, 204);
        assert.ok(existsSync(join(dataDir, file_url)), `${file_url} is still there`);
      }
      // The upload's own record still takes its file with it.
      assert.equal((await api.delete(`/api/portfolios/${pdf.id}`, alice.token)).status, 204);
      assert.ok(!existsSync(join(dataDir, pdf.file_url)));
    });
  });
}
