// Files on S3-compatible storage: the real app and the real AWS SDK against a local S3 server (s3rver)
// on a free port. Uploads land in the bucket and nowhere else, the file route streams them back whole
// and in ranges, analysis reads a temporary copy that is gone afterwards, refused uploads and deletes
// leave no object, the quota counts the bucket, and `npm run storage:migrate` copies a local DATA_DIR.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { s3FileStore, S3StorageError } from '../../src/storage/s3.ts';
import { TALKING_MALE } from '../analysis/media-helpers.ts';
import {
  client,
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
const BUCKET = 'answers';
/** s3rver's own credentials; the AWS SDK in the app reads them from the environment, as in production. */
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
Object.assign(process.env, CREDENTIALS);

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => S3rverInstance;

interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** Keys and sizes of every object under a prefix, sorted. */
  objects(prefix?: string): Promise<Array<[string, number]>>;
  bytes(key: string): Promise<Buffer>;
  stop(): Promise<void>;
}

/** An S3 server on a free port with its own folder and the bucket, stopped and removed after `t`. */
async function localS3(t: TestContext): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'ip-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    await server.close();
  };
  t.after(async () => {
    client.destroy();
    await stop();
    await rm(directory, { recursive: true, force: true });
  });
  return {
    endpoint,
    client,
    async objects(prefix = '') {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
      return (listed.Contents ?? []).map((object) => [object.Key!, object.Size!] as [string, number]).sort();
    },
    async bytes(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },
    stop,
  };
}

/** The app on SQLite with its uploads in the local S3 server's bucket, under `prefix`. */
async function appOnS3(t: TestContext, s3: LocalS3, env: Record<string, string> = {}, prefix = 'ip') {
  return startApp(t, 'sqlite', { STORAGE_URL: `s3://${BUCKET}/${prefix}`, S3_ENDPOINT: s3.endpoint, ...env });
}

async function sessionWithQuestion(api: Api, user: TestUser) {
  const session = (await api.post('/api/interviews/sessions', { generate_questions: false }, user.token)).body;
  const question = (
    await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Tell me about yourself.' }, user.token)
  ).body;
  return { session_id: session.id as string, question_id: question.id as string };
}

async function uploadVideo(api: Api, user: TestUser, bytes: Uint8Array | string = VIDEO, name = 'answer.mp4') {
  const form = new FormData();
  for (const [field, value] of Object.entries(await sessionWithQuestion(api, user))) form.append(field, value);
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), name);
  return api.request('POST', '/api/video/upload', { body: form, token: user.token });
}

/** A one-page PDF whose text is known, with an attachment of `extraBytes` to make it larger. */
async function knownPdf(extraBytes = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Kim Minji - Backend Engineer', { x: 50, y: 700, font, size: 12 });
  if (extraBytes > 0) await doc.attach(randomBytes(extraBytes), 'data.bin', { mimeType: 'application/octet-stream' });
  return doc.save();
}

function uploadPdf(api: Api, user: TestUser, bytes: Uint8Array | string, name = 'cv.pdf'): Promise<Reply> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), name);
  return api.request('POST', '/api/portfolios/upload', { body: form, token: user.token });
}

async function fetchBytes(api: Api, path: string, token: string, range?: string) {
  const response = await fetch(api.baseUrl + path, {
    headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('files on S3-compatible storage', () => {
  test('uploads are stored in the bucket only; the file route streams them whole and in ranges; deletes remove them', async (t) => {
    const s3 = await localS3(t);
    const { api, dataDir } = await appOnS3(t, s3);
    const user = await signUp(api);

    const video = await uploadVideo(api, user);
    assert.equal(video.status, 200, video.text);
    const videoKey: string = video.body.file_path;
    assert.match(videoKey, new RegExp(`^uploads/${user.id}/videos/[0-9a-f-]{36}\\.mp4$`));
    const pdfBytes = await knownPdf();
    const pdf = await uploadPdf(api, user, pdfBytes);
    assert.equal(pdf.status, 201, pdf.text);
    assert.equal(pdf.body.parsed_text.includes('Kim Minji'), true);

    assert.deepEqual(await s3.objects(), [
      ...[
        [`ip/${videoKey}`, VIDEO.length],
        [`ip/${pdf.body.file_url}`, pdfBytes.length],
      ].sort(),
    ]);
    assert.deepEqual(await s3.bytes(`ip/${videoKey}`), VIDEO);
    assert.deepEqual(await s3.bytes(`ip/${pdf.body.file_url}`), Buffer.from(pdfBytes));
    assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), [], 'nothing is kept in DATA_DIR');
    assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), [], 'a temporary file is left');

    const file = `/api/interviews/videos/${video.body.video_id}/file`;
    const whole = await fetchBytes(api, file, user.token);
    assert.equal(whole.response.status, 200);
    assert.equal(whole.response.headers.get('content-type'), 'video/mp4');
    assert.equal(whole.response.headers.get('accept-ranges'), 'bytes');
    assert.equal(whole.response.headers.get('content-length'), String(VIDEO.length));
    assert.deepEqual(whole.bytes, VIDEO);
    const ranges: Array<[string, number, number]> = [
      ['bytes=100-199', 100, 199],
      ['bytes=-10', VIDEO.length - 10, VIDEO.length - 1],
      ['bytes=400000-', 400_000, VIDEO.length - 1],
      [`bytes=0-${VIDEO.length + 1000}`, 0, VIDEO.length - 1],
    ];
    for (const [range, start, end] of ranges) {
      const part = await fetchBytes(api, file, user.token, range);
      assert.equal(part.response.status, 206, range);
      assert.equal(part.response.headers.get('content-range'), `bytes ${start}-${end}/${VIDEO.length}`, range);
      assert.equal(part.response.headers.get('content-length'), String(end - start + 1), range);
      assert.deepEqual(part.bytes, VIDEO.subarray(start, end + 1), range);
    }
    // HEAD: the headers alone.
    const head = await fetch(api.baseUrl + file, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${user.token}` },
    });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(VIDEO.length));
    const headRange = await fetch(api.baseUrl + file, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${user.token}`, range: 'bytes=10-19' },
    });
    assert.equal(headRange.status, 206);
    assert.equal(headRange.headers.get('content-range'), `bytes 10-19/${VIDEO.length}`);
    assert.equal(headRange.headers.get('content-length'), '10');
    const outside = await api.request('GET', file, { token: user.token, headers: { range: `bytes=${VIDEO.length}-` } });
    expectError(outside, 416, 'RANGE_NOT_SATISFIABLE');
    assert.equal(outside.headers.get('content-range'), `bytes */${VIDEO.length}`);
    // The signed URL a <video> element plays, with no header.
    const signed = await api.post(`/api/interviews/videos/${video.body.video_id}/playback-url`, undefined, user.token);
    const played = await fetch(api.baseUrl + signed.body.url, { headers: { range: 'bytes=1000-1999' } });
    assert.equal(played.status, 206);
    assert.deepEqual(Buffer.from(await played.arrayBuffer()), VIDEO.subarray(1000, 2000));
    // Someone else's video is not found, as on local storage.
    const bob = await signUp(api);
    expectError(await api.get(file, bob.token), 404, 'NOT_FOUND');

    assert.equal((await api.delete(`/api/interviews/videos/${video.body.video_id}`, user.token)).status, 204);
    assert.equal((await api.delete(`/api/portfolios/${pdf.body.id}`, user.token)).status, 204);
    assert.deepEqual(await s3.objects(), []);
    expectError(await api.get(file, user.token), 404, 'NOT_FOUND');
  });

  test('analysis reads the video from the bucket through a temporary copy that is removed afterwards', async (t) => {
    const s3 = await localS3(t);
    const { api, dataDir } = await appOnS3(t, s3);
    const user = await signUp(api);
    const video = await uploadVideo(api, user);
    assert.equal(video.status, 200, video.text);
    assert.deepEqual(
      (await filesUnder(dataDir)).filter((file) => file.endsWith('.mp4')),
      [],
      'a copy of the video is kept in DATA_DIR',
    );

    const analysed = await api.post(`/api/video/analyze/${video.body.video_id}`, undefined, user.token);
    assert.equal(analysed.status, 200, analysed.text);
    assert.equal(analysed.body.metrics.metadata.frame_count_total, 25);
    assert.equal(typeof analysed.body.metrics.center_gaze_ratio, 'number');
    assert.ok(analysed.body.feedback.length >= 3);
    assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), [], 'the temporary copy is left');
    assert.deepEqual(await s3.objects(), [[`ip/${video.body.file_path}`, VIDEO.length]]);

    // A video whose object is gone fails its analysis with a clear error; nothing is left behind.
    const second = await uploadVideo(api, user);
    assert.equal(second.status, 200, second.text);
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `ip/${second.body.file_path}` }));
    const failed = await api.post(`/api/video/analyze/${second.body.video_id}`, undefined, user.token);
    assert.ok(failed.status >= 400, failed.text);
    assert.ok(!failed.text.includes(dataDir), failed.text);
    const job = (await api.get(`/api/video/results/${second.body.video_id}`, user.token)).body.analysis;
    assert.equal(job.status, 'failed');
    assert.match(job.error, /not found/i);
    assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
    expectError(await api.get(`/api/interviews/videos/${second.body.video_id}/file`, user.token), 404, 'NOT_FOUND');
  });

  test('a refused upload leaves no object in the bucket, no temporary file and no row', async (t) => {
    const s3 = await localS3(t);
    const { api, db, dataDir } = await appOnS3(t, s3);
    const user = await signUp(api);
    const before = await rowCounts(db);

    expectError(await uploadVideo(api, user, 'this is not a video at all', 'fake.mp4'), 415, 'UNSUPPORTED_MEDIA');
    expectError(await uploadVideo(api, user, VIDEO.subarray(0, 20_000), 'broken.mp4'), 415, 'UNSUPPORTED_MEDIA');
    expectError(await uploadVideo(api, user, VIDEO, 'answer.txt'), 415, 'UNSUPPORTED_MEDIA');
    expectError(await uploadPdf(api, user, 'not a pdf'), 415, 'UNSUPPORTED_MEDIA');
    expectError(await uploadPdf(api, user, '%PDF-1.7\nbroken'), 422, 'INVALID_PDF');
    const counts = await rowCounts(db);
    assert.deepEqual(
      { ...counts, interview_session: before.interview_session, interview_question: before.interview_question },
      before,
    );
    assert.deepEqual(await s3.objects(), []);
    assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
  });

  test('USER_QUOTA_MB counts the user’s objects in the bucket', async (t) => {
    const s3 = await localS3(t);
    const { api, db, dataDir } = await appOnS3(t, s3, { USER_QUOTA_MB: '1' });
    const [alice, bob] = [await signUp(api), await signUp(api)];

    // Two videos (957 KB) fit in 1 MB; a third would not, nor a PDF past the rest.
    const first = await uploadVideo(api, alice);
    assert.equal(first.status, 200, first.text);
    assert.equal((await uploadVideo(api, alice)).status, 200);
    const stored = await s3.objects();
    assert.equal(stored.length, 2);
    const before = await rowCounts(db);
    const refused = await uploadVideo(api, alice);
    expectError(refused, 413, 'QUOTA_EXCEEDED');
    assert.match(refused.body.detail, /\b1 MB\b/);
    expectError(await uploadPdf(api, alice, await knownPdf(150_000)), 413, 'QUOTA_EXCEEDED');
    assert.deepEqual(await s3.objects(), stored);
    const after = await rowCounts(db);
    assert.equal(after.interview_video, before.interview_video);
    assert.equal(after.portfolio, before.portfolio);
    assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);

    // Another user has a quota of their own; deleting a video makes room again.
    assert.equal((await uploadVideo(api, bob)).status, 200);
    assert.equal((await api.delete(`/api/interviews/videos/${first.body.video_id}`, alice.token)).status, 204);
    assert.equal((await uploadVideo(api, alice)).status, 200);

    // An object put in the user's folder by other means counts too: at the quota, an upload is refused.
    await s3.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `ip/uploads/${alice.id}/videos/filler.mp4`,
        Body: Buffer.alloc(200_000),
      }),
    );
    expectError(await uploadPdf(api, alice, await knownPdf()), 413, 'QUOTA_EXCEEDED');
  });

  test('deleting a user removes their objects and nobody else’s', async (t) => {
    const s3 = await localS3(t);
    const { api } = await appOnS3(t, s3);
    const [alice, bob] = [await signUp(api), await signUp(api)];
    for (const user of [alice, bob]) {
      assert.equal((await uploadVideo(api, user)).status, 200);
      assert.equal((await uploadPdf(api, user, await knownPdf())).status, 201);
    }
    assert.equal((await s3.objects(`ip/uploads/${alice.id}/`)).length, 2);
    assert.equal((await api.delete(`/api/users/${alice.id}`, alice.token)).status, 204);
    assert.deepEqual(await s3.objects(`ip/uploads/${alice.id}/`), []);
    assert.equal((await s3.objects(`ip/uploads/${bob.id}/`)).length, 2);
    assert.equal((await s3.objects()).length, 2);
  });

  test('a bucket that does not answer: health 503, uploads 500 with nothing kept, and no path or credential in replies', async (t) => {
    const s3 = await localS3(t);
    const { api, dataDir } = await appOnS3(t, s3);
    const user = await signUp(api);
    const health = await api.get('/health');
    assert.equal(health.status, 200, health.text);
    assert.equal(health.body.storage, 'writable');

    await s3.stop();
    const down = await api.get('/health');
    expectError(down, 503, 'STORAGE_UNAVAILABLE');
    assert.equal(down.body.storage, 'unwritable');
    const failed = await uploadVideo(api, user);
    expectError(failed, 500, 'INTERNAL_ERROR');
    for (const reply of [down, failed]) {
      for (const secret of [s3.endpoint, BUCKET, dataDir, CREDENTIALS.AWS_ACCESS_KEY_ID]) {
        assert.ok(!reply.text.includes(secret), `${reply.text} names ${secret}`);
      }
    }
    assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
    assert.equal((await api.get('/api/interviews/sessions', user.token)).status, 200);
  });
});

test('the bucket store: a 12 MB file goes up in parts and comes back whole, in ranges and as a local copy', async (t) => {
  const s3 = await localS3(t);
  const store = s3FileStore({ bucket: BUCKET, prefix: 'p/', endpoint: s3.endpoint, region: 'us-east-1' });
  t.after(() => store.client.destroy());
  const dir = await mkdtemp(join(tmpdir(), 'ip-s3-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bytes = randomBytes(12 * 1024 * 1024);
  const source = join(dir, 'big.mp4');
  await writeFile(source, bytes);

  const commands: string[] = [];
  store.client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(context.commandName!);
      return next(args);
    },
    { step: 'initialize' },
  );

  const key = 'uploads/u/videos/big.mp4';
  assert.equal(await store.size(key), null);
  await store.put(key, source);
  assert.ok(existsSync(source), 'the bucket store reads the file and leaves it');
  assert.deepEqual(
    commands.filter((name) => name !== 'HeadObjectCommand'),
    [
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ],
    'uploaded in three 5 MB parts',
  );
  assert.equal(await store.size(key), bytes.length);
  assert.equal(await store.bytesUnder('uploads/u/'), bytes.length);
  assert.equal(await store.bytesUnder('uploads/v/'), 0);
  const range = await store.read(key, { start: 5 * 1024 * 1024 - 10, end: 5 * 1024 * 1024 + 9 });
  assert.deepEqual(Buffer.concat(await range.toArray()), bytes.subarray(5 * 1024 * 1024 - 10, 5 * 1024 * 1024 + 10));

  const copy = await store.localCopy(key, dir);
  assert.notEqual(copy.path, source);
  assert.ok(copy.path.endsWith('.mp4'));
  assert.deepEqual(await readFile(copy.path), bytes);
  await copy.release();
  assert.ok(!existsSync(copy.path));
  await assert.rejects(store.localCopy('uploads/u/videos/none.mp4', dir), S3StorageError);
  assert.deepEqual(await filesUnder(dir), ['big.mp4']);

  await store.removeAll('uploads/u/');
  assert.deepEqual(await s3.objects(), []);

  // A transfer that fails part-way is aborted: no object, and the parts are dropped.
  let parts = 0;
  commands.length = 0;
  store.client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'UploadPartCommand' && ++parts === 2) throw new Error('the network went away');
      return next(args);
    },
    { step: 'initialize' },
  );
  await assert.rejects(store.put(key, source), S3StorageError);
  assert.ok(commands.includes('AbortMultipartUploadCommand'), commands.join(' '));
  assert.deepEqual(await s3.objects(), []);
});

const run = promisify(execFile);

async function migrate(env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(join('node_modules', '.bin', 'tsx'), ['src/cli/storage-migrate.ts'], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('npm run storage:migrate copies the files a local DATA_DIR holds to the bucket, once', async (t) => {
  const s3 = await localS3(t);
  const local = await startApp(t, 'sqlite');
  const { api, dataDir, config } = local;
  const [alice, bob] = [await signUp(api), await signUp(api)];
  const video = (await uploadVideo(api, alice)).body;
  const pdfBytes = await knownPdf();
  const pdf = (await uploadPdf(api, bob, pdfBytes)).body;
  const lost = (await uploadVideo(api, bob)).body;
  // A record made from JSON may name anything; it is not a stored file.
  await api.post('/api/portfolios/', { filename: 'cv.pdf', file_url: 'https://example.com/cv.pdf' }, alice.token);
  await local.close();
  await rm(join(dataDir, lost.file_path));
  // An earlier, interrupted copy left a truncated object: it is copied again.
  await s3.client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `m/${video.file_path}`, Body: VIDEO.subarray(0, 1000) }),
  );

  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: config.databaseUrl,
    STORAGE_URL: `s3://${BUCKET}/m`,
    S3_ENDPOINT: s3.endpoint,
    ...CREDENTIALS,
  };
  const refused = await migrate({ ...env, STORAGE_URL: '' });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /STORAGE_URL=s3:\/\//);

  const first = await migrate(env);
  assert.equal(first.code, 1, 'a missing file is a failure to report');
  assert.match(first.stdout, /3 files referenced: 2 copied \(0\.\d MB\), 0 already in the bucket answers, 1 missing/);
  assert.match(first.stdout, /1 references are not stored files/);
  assert.match(first.stderr, new RegExp(`missing from DATA_DIR: ${lost.file_path}`));
  assert.deepEqual(await s3.bytes(`m/${video.file_path}`), VIDEO);
  assert.deepEqual(await s3.bytes(`m/${pdf.file_url}`), Buffer.from(pdfBytes));
  assert.equal((await s3.objects()).length, 2);

  const again = await migrate(env);
  assert.match(again.stdout, /3 files referenced: 0 copied \(0\.0 MB\), 2 already in the bucket answers, 1 missing/);

  // The servers then run on the bucket, without the local files.
  await rm(join(dataDir, 'uploads'), { recursive: true });
  await writeFile(join(dataDir, 'placeholder'), '');
  const moved = await startApp(t, 'sqlite', { STORAGE_URL: `s3://${BUCKET}/m`, S3_ENDPOINT: s3.endpoint }, local);
  const served = await fetchBytes(
    moved.api,
    `/api/interviews/videos/${video.video_id}/file`,
    alice.token,
    'bytes=0-99',
  );
  assert.equal(served.response.status, 206);
  assert.deepEqual(served.bytes, VIDEO.subarray(0, 100));
  assert.ok(!existsSync(join(dataDir, 'uploads')));
});

test('a server whose bucket refuses its credentials logs the failure without the credentials', async (t) => {
  const s3 = await localS3(t);
  const dir = await mkdtemp(join(tmpdir(), 'ip-s3-logs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const keyId = 'AKIDNOTTOBELOGGED';
  const secret = 'secret-that-must-not-be-logged';
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      DATABASE_URL: '',
      STT_ENGINE: 'none',
      STORAGE_URL: `s3://${BUCKET}`,
      S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: keyId,
      AWS_SECRET_ACCESS_KEY: secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  t.after(() => void server.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).status) break;
    } catch {
      assert.ok(i < 150, `the server did not start:\n${log.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const api = client(base);
  const health = await api.get('/health');
  expectError(health, 503, 'STORAGE_UNAVAILABLE');
  const user = await signUp(api);
  const failed = await uploadVideo(api, user);
  expectError(failed, 500, 'INTERNAL_ERROR');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.match(log, /request failed/);
  for (const text of [log, health.text, failed.text]) {
    assert.ok(!text.includes(secret), 'the secret key was logged');
    assert.ok(!text.includes(keyId), 'the access key id was logged');
  }
});
