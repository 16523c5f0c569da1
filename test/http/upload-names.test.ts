import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { TALKING_MALE } from '../analysis/media-helpers.ts';
import { DIALECTS, expectError, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

const VIDEO = await readFile(TALKING_MALE);
const PDF = Buffer.from(await (await PDFDocument.create()).save());

/** A multipart form written byte by byte, so the file name carries exactly the bytes given (fetch would escape some). */
function rawForm(
  fields: Record<string, string>,
  filename: string,
  content: Uint8Array<ArrayBuffer>,
): { body: Blob; headers: Record<string, string> } {
  const boundary = `----upload-names-${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body = new Blob([
    Buffer.from(
      `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function uploadVideo(api: Api, user: TestUser, filename: string, content: Uint8Array<ArrayBuffer>) {
  const session = (await api.post('/api/interviews/sessions', { title: 'names' }, user.token)).body;
  const question = (await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Q' }, user.token)).body;
  const form = rawForm({ session_id: session.id, question_id: question.id }, filename, content);
  return api.request('POST', '/api/video/upload', { ...form, token: user.token });
}

const uploadPortfolio = (api: Api, user: TestUser, filename: string) =>
  api.request('POST', '/api/portfolios/upload', { ...rawForm({}, filename, PDF), token: user.token });

// NUL, a bell, an escape, a right-to-left override ("cv\u202Efdp.exe" displays as "cvexe.pdf"), NFD Hangul.
const DIRTY = `이력서\u0000\u0007\u001b\u202E`.normalize('NFD');
const LONG_STEM = 'a'.repeat(20_000);

for (const dialect of DIALECTS) {
  describe(`upload file names and text (${dialect.name})`, { skip: dialect.skip }, () => {
    test('both upload routes clean file names alike: no control characters, NFC, at most 255 characters', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);

      const portfolio = await uploadPortfolio(api, user, `${DIRTY}.pdf`);
      assert.equal(portfolio.status, 201, portfolio.text);
      assert.equal(portfolio.body.filename, '이력서.pdf'.normalize('NFC'));
      assert.equal((await api.get(`/api/portfolios/${portfolio.body.id}`, user.token)).body.filename, '이력서.pdf');
      const longPortfolio = await uploadPortfolio(api, user, `${LONG_STEM}.pdf`);
      assert.equal(longPortfolio.status, 201, longPortfolio.text.slice(0, 300));
      assert.equal(longPortfolio.body.filename, `${'a'.repeat(251)}.pdf`);

      const video = await uploadVideo(api, user, `${DIRTY}.mp4`, VIDEO);
      assert.equal(video.status, 200, video.text);
      assert.equal(video.body.filename, '이력서.mp4');
      const longVideo = await uploadVideo(api, user, `${LONG_STEM}.mp4`, VIDEO);
      assert.equal(longVideo.status, 200, longVideo.text.slice(0, 300));
      assert.equal(longVideo.body.filename, `${'a'.repeat(251)}.mp4`);
    });

    test('text with lone surrogates is stored and echoed as the same text', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      // \uD800 alone is valid JSON but not valid Unicode; the drivers store U+FFFD for it.
      const created = await api.request('POST', '/api/interviews/sessions', {
        body: '{"title":"a\\ud800b\\udc00c"}',
        headers: { 'content-type': 'application/json' },
        token: user.token,
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.title, 'a\ufffdb\ufffdc');
      assert.equal(
        (await api.get(`/api/interviews/sessions/${created.body.id}`, user.token)).body.title,
        created.body.title,
      );
    });

    test('a file that is not a video is refused with 415 and no server path', async (t) => {
      const { api, dataDir } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const refused = await uploadVideo(api, user, 'answer.mp4', Buffer.from('not a video at all'));
      expectError(refused, 415, 'UNSUPPORTED_MEDIA');
      assert.match(refused.body.detail, /^Not a readable media file: /);
      assert.ok(!refused.text.includes(dataDir) && !refused.text.includes('/'), refused.text);
    });
  });
}
