// What an upload costs the server before it is accepted: ids sent before the file are checked before
// any of it is written, an upload that stalls or trickles is cut with its temporary file removed, and
// a user cannot store more than their quota.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadConfig } from '../../src/config.ts';
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

const VIDEO = await readFile(TALKING_MALE); // 478 KB
/** Enough of a file to be well under way, and far from its end. */
const HEAD_OF_FILE = 64 * 1024;
/** How long a test waits for something the server must do by itself, before failing instead of hanging. */
const HANG_GUARD_MS = 20_000;

interface Part {
  name: string;
  value: string | Uint8Array;
  filename?: string;
}

interface Form {
  body: Buffer<ArrayBuffer>;
  contentType: string;
  /** Where the file's bytes start in the body. */
  fileStart: number;
}

/** A multipart body written by hand, so that the order of its parts is exactly this one. */
function multipartForm(parts: Part[]): Form {
  const boundary = `----form${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  let length = 0;
  let fileStart = -1;
  const push = (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
  };
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n\r\n`));
    if (part.filename !== undefined) fileStart = length;
    push(Buffer.from(part.value));
    push(Buffer.from('\r\n'));
  }
  push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}`, fileStart };
}

const videoFile: Part = { name: 'file', value: VIDEO, filename: 'answer.mp4' };

/** A whole form in one request. */
async function post(api: Api, path: string, token: string, form: Form): Promise<Reply> {
  return api.request('POST', path, {
    token,
    body: new Blob([form.body]),
    headers: { 'content-type': form.contentType },
  });
}

/** The reply read off a raw socket, once whole; null if the socket closed before one came. */
function parseReply(bytes: Buffer): Reply | null {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const head = bytes.subarray(0, headEnd).toString();
  const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1]);
  const rest = bytes.subarray(headEnd + 4);
  if (!(rest.length >= length)) return null;
  const text = rest.subarray(0, length).toString();
  return { status: Number(head.split(' ')[1]), headers: new Headers(), body: JSON.parse(text), text };
}

/**
 * A POST written on a socket by hand: the head and the first `sentBytes` of the body go at once, the
 * rest only when the test says. So a test can see what the server does with a body it has not had whole.
 */
function partialPost(api: Api, path: string, token: string, form: Form, sentBytes: number) {
  const url = new URL(api.baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {}); // the server may close it while a chunk is on its way
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: ${form.contentType}\r\nContent-Length: ${form.body.length}\r\n\r\n`,
  );
  socket.write(form.body.subarray(0, sentBytes));
  let received = Buffer.alloc(0);
  const closed = once(socket, 'close');
  const reply = new Promise<Reply | null>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseReply(received);
      if (parsed) resolve(parsed);
    });
    socket.on('close', () => resolve(parseReply(received)));
  });
  let sent = sentBytes;
  return {
    reply,
    closed,
    /** Sends the next `count` bytes of the body (all that is left by default); false once it is all sent. */
    send(count = form.body.length - sent): boolean {
      if (sent >= form.body.length || socket.destroyed) return false;
      socket.write(form.body.subarray(sent, sent + count));
      sent += count;
      return sent < form.body.length;
    },
    end: () => socket.destroy(),
  };
}

/** What the server sent back before the guard ran out; fails instead of hanging when it sent nothing. */
async function replyBeforeGuard(reply: Promise<Reply | null>, what: string): Promise<Reply> {
  const got = await Promise.race([reply, sleep(HANG_GUARD_MS, undefined)]);
  assert.ok(got, `${what}: no reply while the body was still incomplete`);
  return got;
}

/** Waits for the server to empty a folder by itself (its temporary files go once a request is cut). */
async function untilEmpty(folder: string, what: string): Promise<void> {
  for (const deadline = Date.now() + HANG_GUARD_MS; Date.now() < deadline; await sleep(50)) {
    if ((await filesUnder(folder)).length === 0) return;
  }
  assert.deepEqual(await filesUnder(folder), [], `${what}: a temporary file is left`);
}

/** Waits until the server has started writing an upload to its temporary folder. */
async function untilWriting(folder: string): Promise<void> {
  for (const deadline = Date.now() + HANG_GUARD_MS; Date.now() < deadline; await sleep(20)) {
    if ((await filesUnder(folder)).length > 0) return;
  }
  assert.fail('the upload never reached the temporary folder');
}

async function sessionWithQuestion(api: Api, user: TestUser) {
  const session = (
    await api.post('/api/interviews/sessions', { title: 'limits', generate_questions: false }, user.token)
  ).body;
  const question = (
    await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: '자기소개를 해 주세요.' }, user.token)
  ).body;
  return { session_id: session.id as string, question_id: question.id as string };
}

const fieldParts = (fields: Record<string, string>): Part[] =>
  Object.entries(fields).map(([name, value]) => ({ name, value }));

/** A one-page PDF, made bigger by an attachment of `extraBytes` random bytes (which do not compress). */
async function pdf(extraBytes = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Kim Minji - Backend Engineer', { x: 50, y: 700, font, size: 12 });
  if (extraBytes > 0) await doc.attach(randomBytes(extraBytes), 'data.bin', { mimeType: 'application/octet-stream' });
  return doc.save();
}

test('the settings: a 30 s idle limit, a 2000 MB quota, and room for the largest upload at 1 Mbit/s, never under 5 minutes', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ip-upload-limits-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const defaults = loadConfig({ DATA_DIR: dataDir });
  assert.deepEqual([defaults.uploadIdleTimeoutSec, defaults.userQuotaMb, defaults.requestTimeoutSec], [30, 2000, 4000]);
  assert.equal(loadConfig({ DATA_DIR: dataDir, MAX_UPLOAD_MB: '10' }).requestTimeoutSec, 300);
  assert.equal(loadConfig({ DATA_DIR: dataDir, MAX_UPLOAD_MB: '1', MAX_PORTFOLIO_MB: '100' }).requestTimeoutSec, 800);
});

for (const dialect of DIALECTS) {
  describe(`upload limits (${dialect.name})`, { skip: dialect.skip }, () => {
    test(
      'ids sent before the file are refused before any of it is written; after the file, with the same statuses once it has arrived',
      { timeout: 120_000 },
      async (t) => {
        const { api, db, dataDir } = await startApp(t, dialect.name);
        const [alice, bob] = [await signUp(api), await signUp(api)];
        const [mine, other, bobs] = [
          await sessionWithQuestion(api, alice),
          await sessionWithQuestion(api, alice),
          await sessionWithQuestion(api, bob),
        ];
        const before = await rowCounts(db);
        const cases: Array<[string, Record<string, string>, number, string]> = [
          ["another user's session and question", bobs, 404, 'NOT_FOUND'],
          ["another user's question", { ...mine, question_id: bobs.question_id }, 404, 'NOT_FOUND'],
          ['a question of another session', { ...mine, question_id: other.question_id }, 422, 'INVALID_REFERENCE'],
          ["another user's user_id", { ...mine, user_id: bob.id }, 403, 'NOT_OWNER'],
          ['a session_id that is not a UUID', { ...mine, session_id: 'nope' }, 422, 'INVALID_REFERENCE'],
        ];

        const beforeTheFile: Array<[string, Record<string, string>, number, string]> = [
          ...cases,
          // Checked as far as it goes: the question could still come after the file.
          ["another user's session, alone", { session_id: bobs.session_id }, 404, 'NOT_FOUND'],
        ];
        for (const [what, fields, status, code] of beforeTheFile) {
          const form = multipartForm([...fieldParts(fields), videoFile]);
          const upload = partialPost(api, '/api/video/upload', alice.token, form, form.fileStart + HEAD_OF_FILE);
          expectError(await replyBeforeGuard(upload.reply, what), status, code);
          assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), [], `${what}: the file was written`);
          upload.end();
        }

        const afterTheFile: Array<[string, Record<string, string>, number, string]> = [
          ...cases,
          ['no session_id', { question_id: mine.question_id }, 422, 'INVALID_REFERENCE'],
        ];
        for (const [what, fields, status, code] of afterTheFile) {
          const reply = await post(
            api,
            '/api/video/upload',
            alice.token,
            multipartForm([videoFile, ...fieldParts(fields)]),
          );
          expectError(reply, status, code);
          assert.deepEqual(
            await filesUnder(join(dataDir, 'tmp')),
            [],
            `${what} after the file: a temporary file is left`,
          );
        }
        assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
        assert.deepEqual(await rowCounts(db), before);

        // Good ids are taken before the file and after it.
        for (const parts of [
          [...fieldParts({ ...mine, user_id: alice.id }), videoFile],
          [videoFile, ...fieldParts(mine)],
        ]) {
          const reply = await post(api, '/api/video/upload', alice.token, multipartForm(parts));
          assert.equal(reply.status, 200, reply.text);
        }
      },
    );

    test(
      'an upload that stalls is cut after UPLOAD_IDLE_TIMEOUT_SEC: 408, its temporary file removed, the server still answering',
      { timeout: 120_000 },
      async (t) => {
        const { api, dataDir } = await startApp(t, dialect.name, { UPLOAD_IDLE_TIMEOUT_SEC: '1' });
        const tmp = join(dataDir, 'tmp');
        const user = await signUp(api);
        const routes = [
          {
            path: '/api/video/upload',
            form: multipartForm([...fieldParts(await sessionWithQuestion(api, user)), videoFile]),
            ok: 200,
          },
          {
            path: '/api/portfolios/upload',
            form: multipartForm([{ name: 'file', value: await pdf(200_000), filename: 'cv.pdf' }]),
            ok: 201,
          },
        ];

        for (const { path, form, ok } of routes) {
          // Half the file, then nothing.
          const stalled = partialPost(
            api,
            path,
            user.token,
            form,
            form.fileStart + (form.body.length - form.fileStart) / 2,
          );
          await untilWriting(tmp);
          expectError(await replyBeforeGuard(stalled.reply, path), 408, 'UPLOAD_STALLED');
          await stalled.closed;
          await untilEmpty(tmp, path);

          assert.equal((await api.get('/health')).status, 200);
          const reply = await post(api, path, user.token, form);
          assert.equal(reply.status, ok, reply.text);
        }
        assert.deepEqual(await filesUnder(tmp), []);
      },
    );

    test(
      'a request body that stalls is cut after UPLOAD_IDLE_TIMEOUT_SEC with 408, no login needed, whatever its type and route; one that arrives whole leaves its connection open',
      { timeout: 120_000 },
      async (t) => {
        const { api } = await startApp(t, dialect.name, { UPLOAD_IDLE_TIMEOUT_SEC: '1' });
        const user = await signUp(api);
        const login = JSON.stringify({ email: user.email, password: user.password });
        const form: Form = { body: Buffer.from(login), contentType: 'application/json', fileStart: 0 };

        const stalled = partialPost(api, '/api/users/login', '', form, 5);
        expectError(await replyBeforeGuard(stalled.reply, 'login'), 408, 'UPLOAD_STALLED');
        await stalled.closed;
        // A body refused unread (called a form on a JSON route; sent to an upload route without a
        // token) has its answer at once, and its connection is closed once the rest stalls.
        const formLike = { ...form, contentType: 'multipart/form-data; boundary=x' };
        for (const [path, status] of [
          ['/api/users/login', 422],
          ['/api/video/upload', 401],
        ] as const) {
          const refused = partialPost(api, path, '', formLike, 5);
          assert.equal((await replyBeforeGuard(refused.reply, path)).status, status, path);
          const closed = await Promise.race([refused.closed.then(() => true), sleep(HANG_GUARD_MS, false)]);
          assert.ok(closed, `${path}: the connection of a refused, stalled body was left open`);
        }

        // Whole bodies on one keep-alive connection, with more than the idle time between them: the
        // watch ends with each body, so the connection is not cut while it waits for the next request.
        const url = new URL(api.baseUrl);
        const socket = connect(Number(url.port), url.hostname);
        t.after(() => socket.destroy());
        let received = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
        for (let request = 0; request < 2; request++) {
          received = Buffer.alloc(0);
          socket.write(
            `POST /api/users/login HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
              `Content-Length: ${form.body.length}\r\n\r\n${login}`,
          );
          for (const deadline = Date.now() + HANG_GUARD_MS; !parseReply(received) && Date.now() < deadline;) {
            await sleep(20);
          }
          assert.equal(parseReply(received)?.status, 200, received.toString());
          await sleep(1_500);
          assert.equal(socket.destroyed, false, 'the connection was cut while idle between requests');
        }
      },
    );

    test(
      'an upload still trickling in at REQUEST_TIMEOUT_SEC is cut: 408, its temporary file removed',
      { timeout: 120_000 },
      async (t) => {
        const { api, dataDir } = await startApp(t, dialect.name, { REQUEST_TIMEOUT_SEC: '1' });
        const tmp = join(dataDir, 'tmp');
        const user = await signUp(api);
        const form = multipartForm([...fieldParts(await sessionWithQuestion(api, user)), videoFile]);
        const trickle = partialPost(api, '/api/video/upload', user.token, form, form.fileStart + HEAD_OF_FILE);
        await untilWriting(tmp);
        // 2 KB every 100 ms: never idle, and the rest of the file would take about 20 s.
        let cut = false;
        void trickle.closed.then(() => (cut = true));
        while (!cut && trickle.send(2048)) await sleep(100);

        expectError(await replyBeforeGuard(trickle.reply, 'trickle'), 408, 'REQUEST_TIMEOUT');
        await untilEmpty(tmp, 'trickle');
        assert.equal((await api.get('/health')).status, 200);
      },
    );

    test(
      'USER_QUOTA_MB: an upload that would take the user over answers 413 naming the quota, and nothing is stored',
      { timeout: 120_000 },
      async (t) => {
        const { api, db, dataDir } = await startApp(t, dialect.name, { USER_QUOTA_MB: '1' });
        const [alice, bob] = [await signUp(api), await signUp(api)];
        const fields = fieldParts(await sessionWithQuestion(api, alice));
        const videoForm = multipartForm([...fields, videoFile]);
        const uploads = join(dataDir, 'uploads');

        // Two videos (957 KB) fit in 1 MB; a third would not.
        const first = await post(api, '/api/video/upload', alice.token, videoForm);
        assert.equal(first.status, 200, first.text);
        assert.equal((await post(api, '/api/video/upload', alice.token, videoForm)).status, 200);
        const stored = await filesUnder(uploads);
        const before = await rowCounts(db);

        const refusals: Array<[string, Form]> = [
          ['/api/video/upload', videoForm],
          ['/api/portfolios/upload', multipartForm([{ name: 'file', value: await pdf(150_000), filename: 'cv.pdf' }])],
        ];
        for (const [path, form] of refusals) {
          const reply = await post(api, path, alice.token, form);
          expectError(reply, 413, 'QUOTA_EXCEEDED');
          assert.match(reply.body.detail, /\b1 MB\b/);
          assert.deepEqual(await filesUnder(uploads), stored, `${path}: a file was stored`);
          assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), [], `${path}: a temporary file is left`);
          assert.deepEqual(await rowCounts(db), before, `${path}: a row was stored`);
        }

        // What still fits is taken; another user has a quota of their own.
        const smallPdf = await post(
          api,
          '/api/portfolios/upload',
          alice.token,
          multipartForm([{ name: 'file', value: await pdf(), filename: 'cv.pdf' }]),
        );
        assert.equal(smallPdf.status, 201, smallPdf.text);
        const bobsVideo = await post(
          api,
          '/api/video/upload',
          bob.token,
          multipartForm([...fieldParts(await sessionWithQuestion(api, bob)), videoFile]),
        );
        assert.equal(bobsVideo.status, 200, bobsVideo.text);
        // Deleting a video makes room again.
        assert.equal((await api.delete(`/api/interviews/videos/${first.body.video_id}`, alice.token)).status, 204);
        assert.equal((await post(api, '/api/video/upload', alice.token, videoForm)).status, 200);

        // A user already at the quota is refused as the file starts, before any of it is written.
        const folder = join(uploads, alice.id, 'videos');
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, 'filler.mp4'), Buffer.alloc(200_000));
        for (const [path, form] of refusals) {
          const upload = partialPost(api, path, alice.token, form, form.fileStart + 1024);
          expectError(await replyBeforeGuard(upload.reply, path), 413, 'QUOTA_EXCEEDED');
          assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), [], `${path}: the file was written`);
          upload.end();
        }
      },
    );
  });
}
