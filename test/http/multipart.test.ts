// Both upload routes against forms that break each limit of the multipart parser: every one answers
// in our error shape, and leaves no temporary file, no stored file and no row.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { TALKING_MALE } from '../analysis/media-helpers.ts';
import {
  DIALECTS,
  expectError,
  filesUnder,
  rowCounts,
  signUp,
  startApp,
  type Api,
  type Reply,
  type TestUser,
} from '../helpers.ts';

interface Part {
  name: string;
  value: string | Uint8Array;
  filename?: string;
  type?: string;
}

/**
 * A multipart body written by hand, so that the order of parts and their headers are exactly these;
 * `cutShort` leaves out the end of the last part and the closing boundary.
 */
function multipartBody(parts: Part[], { cutShort = false } = {}): { body: Blob; contentType: string } {
  const boundary = `----form${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${type}\r\n`),
    );
    chunks.push(Buffer.from(part.value), Buffer.from('\r\n'));
  }
  if (cutShort) chunks.pop();
  else chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Blob([Buffer.concat(chunks)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function post(
  api: Api,
  path: string,
  token: string,
  parts: Part[],
  { cutShort = false, contentType: sentType }: { cutShort?: boolean; contentType?: string } = {},
): Promise<Reply> {
  const form = multipartBody(parts, { cutShort });
  const { body } = form;
  const contentType = sentType ?? form.contentType;
  // Without the fix some of these forms never got an answer: fail instead of hanging.
  const response = await fetch(api.baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

const filler = (count: number, from = 0): Part[] =>
  Array.from({ length: count }, (_, i) => ({ name: `extra_${from + i}`, value: 'x' }));

const OVER_1_MB = Buffer.alloc(1024 * 1024 + 1, 0x20);

/** Forms that each break one limit, around the route's own fields and file. */
function limitBreakingForms(
  fields: Part[],
  file: Part,
): Array<{ what: string; parts: Part[]; status: number; code: string }> {
  return [
    {
      what: '11 fields before the file',
      parts: [...fields, ...filler(11 - fields.length), file],
      status: 413,
      code: 'TOO_MANY_PARTS',
    },
    {
      what: '11 fields after the file',
      parts: [file, ...fields, ...filler(11 - fields.length)],
      status: 413,
      code: 'TOO_MANY_PARTS',
    },
    {
      what: 'a part after a full form',
      parts: [...fields, ...filler(10 - fields.length), file, ...filler(1, 10)],
      status: 413,
      code: 'TOO_MANY_PARTS',
    },
    {
      what: 'two files',
      parts: [...fields, file, { ...file, filename: 'second' + file.filename }],
      status: 413,
      code: 'TOO_MANY_PARTS',
    },
    {
      what: 'a field over 1 KB',
      parts: [...fields, { name: 'note', value: 'n'.repeat(1025) }, file],
      status: 413,
      code: 'FIELD_TOO_LARGE',
    },
    {
      what: 'a field name over 100 bytes',
      parts: [...fields, { name: 'n'.repeat(101), value: 'x' }, file],
      status: 413,
      code: 'FIELD_TOO_LARGE',
    },
    {
      what: 'a file over 1 MB',
      parts: [...fields, { ...file, value: OVER_1_MB }],
      status: 413,
      code: 'FILE_TOO_LARGE',
    },
    {
      what: 'a file over 1 MB under another name',
      parts: [...fields, { ...file, name: 'other', value: OVER_1_MB }],
      status: 413,
      code: 'FILE_TOO_LARGE',
    },
    {
      what: 'a JSON field that is not JSON',
      parts: [...fields, { name: 'meta', value: '{"a":', type: 'application/json' }, file],
      status: 422,
      code: 'INVALID_FORM_FIELD',
    },
  ];
}

async function knownPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Kim Minji - Backend Engineer', { x: 50, y: 700, font, size: 12 });
  return doc.save();
}

async function sessionWithQuestion(api: Api, user: TestUser): Promise<Part[]> {
  const session = (
    await api.post('/api/interviews/sessions', { title: 'limits', generate_questions: false }, user.token)
  ).body;
  const question = (
    await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: '자기소개를 해 주세요.' }, user.token)
  ).body;
  return [
    { name: 'session_id', value: session.id },
    { name: 'question_id', value: question.id },
  ];
}

/** Files under `folder` this process holds open (the app runs in the test's process). */
async function openFilesUnder(folder: string): Promise<string[]> {
  const targets = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((target) => target.startsWith(folder));
}

for (const dialect of DIALECTS) {
  describe(`multipart limits (${dialect.name})`, { skip: dialect.skip }, () => {
    test(
      'a form without its closing boundary, or without a boundary at all, gets 400 MALFORMED_FORM at once, and no file is left or held open',
      { timeout: 120_000 },
      async (t) => {
        const { api, db, dataDir } = await startApp(t, dialect.name);
        const user = await signUp(api);
        const video = await readFile(TALKING_MALE);
        const routes = [
          { path: '/api/portfolios/upload', fields: [] as Part[], file: 'cv.pdf', bytes: await knownPdf() },
          { path: '/api/video/upload', fields: await sessionWithQuestion(api, user), file: 'a.mp4', bytes: video },
        ];
        const before = await rowCounts(db);
        for (const route of routes) {
          // A few bytes of file (the parser holds them back, waiting for a boundary) and 64 KB or more.
          for (const size of [12, 70_000]) {
            const file = { name: 'file', value: route.bytes.subarray(0, size), filename: route.file };
            const reply = await post(api, route.path, user.token, [...route.fields, file], { cutShort: true });
            expectError(reply, 400, 'MALFORMED_FORM');
            assert.match(reply.body.detail, /closing boundary/);
          }
          const unbounded = await post(api, route.path, user.token, route.fields, {
            contentType: 'multipart/form-data',
          });
          expectError(unbounded, 400, 'MALFORMED_FORM');
          assert.match(unbounded.body.detail, /boundary=/);
          assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), [], route.path);
          assert.deepEqual(await openFilesUnder(join(dataDir, 'tmp')), [], `${route.path}: a file is held open`);
        }
        assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
        assert.deepEqual(await rowCounts(db), before);
      },
    );

    test(
      'forms beyond a limit get 413/422 in our shape on both upload routes, and nothing is kept',
      { timeout: 120_000 },
      async (t) => {
        const { api, db, dataDir, close } = await startApp(t, dialect.name, {
          MAX_PORTFOLIO_MB: '1',
          MAX_UPLOAD_MB: '1',
        });
        const user = await signUp(api);
        const routes = [
          {
            path: '/api/portfolios/upload',
            fields: [] as Part[],
            file: { name: 'file', value: await knownPdf(), filename: 'cv.pdf', type: 'application/pdf' },
            ok: 201,
          },
          {
            path: '/api/video/upload',
            fields: await sessionWithQuestion(api, user),
            file: { name: 'file', value: await readFile(TALKING_MALE), filename: 'answer.mp4', type: 'video/mp4' },
            ok: 200,
          },
        ];
        const before = await rowCounts(db);

        for (const route of routes) {
          for (const form of limitBreakingForms(route.fields, route.file)) {
            const reply = await post(api, route.path, user.token, form.parts);
            expectError(reply, form.status, form.code);
            assert.ok(!reply.body.detail.includes(dataDir), `${route.path}, ${form.what}: ${reply.text}`);
            assert.deepEqual(
              await filesUnder(join(dataDir, 'tmp')),
              [],
              `${route.path}, ${form.what}: a temporary file is left`,
            );
            assert.deepEqual(
              await filesUnder(join(dataDir, 'uploads')),
              [],
              `${route.path}, ${form.what}: a file was kept`,
            );
            assert.deepEqual(await rowCounts(db), before, `${route.path}, ${form.what}: a row was stored`);
          }
        }

        // The same routes still take a proper form.
        for (const route of routes) {
          const reply = await post(api, route.path, user.token, [...route.fields, route.file]);
          assert.equal(reply.status, route.ok, reply.text);
        }
        assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
        // No refused request holds its connection open: the server can stop.
        await close();
      },
    );
  });
}
