// Playing your own video in the browser: signed URLs a `<video src>` can use without the header, and
// browser recordings (WebM with no duration and no seek index) made seekable on upload.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { isFragmentedMp4, mediaTools } from '../../src/analysis/media.ts';
import { createMediaUrlSigner, redactUrl } from '../../src/http/media-url.ts';
import { scratchDir, TALKING_FEMALE, TALKING_MALE } from '../analysis/media-helpers.ts';
import { DIALECTS, expectError, signUp, startApp, type Api, type Reply, type TestUser } from '../helpers.ts';

const MALE_BYTES = await readFile(TALKING_MALE);
/** The EBML id of a Matroska Cues element (the seek index). */
const CUES_ID = Buffer.from([0x1c, 0x53, 0xbb, 0x6b]);

async function uploadVideo(api: Api, user: TestUser, bytes: Uint8Array, name: string): Promise<Reply> {
  const session = (await api.post('/api/interviews/sessions', { title: 'playback test' }, user.token)).body;
  const question = (
    await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Tell me about yourself.' }, user.token)
  ).body;
  const form = new FormData();
  form.append('session_id', session.id);
  form.append('question_id', question.id);
  form.append('file', new Blob([Buffer.from(bytes)]), name);
  return api.request('POST', '/api/video/upload', { body: form, token: user.token });
}

async function uploadedVideoId(api: Api, user: TestUser): Promise<string> {
  const reply = await uploadVideo(api, user, MALE_BYTES, 'answer.mp4');
  assert.equal(reply.status, 200, reply.text);
  return reply.body.video_id;
}

/** GET with no Authorization header, as a `<video>` element sends it. */
async function play(api: Api, url: string, range?: string): Promise<Reply> {
  return api.request('GET', url, { headers: range ? { range } : {} });
}

function fileUrl(videoId: string, query: { user_id: string; expires: number | string; signature: string }): string {
  return `/api/interviews/videos/${videoId}/file?${new URLSearchParams({ ...query, expires: String(query.expires) })}`;
}

for (const dialect of DIALECTS) {
  describe(`signed video URLs (${dialect.name})`, { skip: dialect.skip }, () => {
    test('a signed URL plays the owner’s video with no header, whole and in ranges', async (t) => {
      const { api } = await startApp(t, dialect.name, { MEDIA_URL_TTL_SEC: '120' });
      const alice = await signUp(api);
      const videoId = await uploadedVideoId(api, alice);

      const before = Date.now();
      const issued = await api.post(`/api/interviews/videos/${videoId}/playback-url`, undefined, alice.token);
      assert.equal(issued.status, 200, issued.text);
      assert.deepEqual(Object.keys(issued.body).sort(), ['expires_at', 'url']);
      const { url, expires_at: expiresAt } = issued.body as { url: string; expires_at: string };
      assert.match(
        url,
        new RegExp(`^/api/interviews/videos/${videoId}/file\\?user_id=${alice.id}&expires=\\d+&signature=[\\w-]{43}$`),
      );
      const expires = Number(new URL(url, api.baseUrl).searchParams.get('expires'));
      assert.equal(new Date(expiresAt).getTime(), expires * 1000);
      assert.ok(Math.abs(expires * 1000 - (before + 120_000)) < 5_000, `expires ${expiresAt}`);

      const whole = await fetch(api.baseUrl + url);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'video/mp4');
      assert.equal(whole.headers.get('accept-ranges'), 'bytes');
      assert.deepEqual(Buffer.from(await whole.arrayBuffer()), MALE_BYTES);
      const part = await fetch(api.baseUrl + url, { headers: { range: 'bytes=100-199' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-199/${MALE_BYTES.length}`);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), MALE_BYTES.subarray(100, 200));
      const tail = await fetch(api.baseUrl + url, { headers: { range: 'bytes=-10' } });
      assert.equal(tail.status, 206);
      assert.deepEqual(Buffer.from(await tail.arrayBuffer()), MALE_BYTES.subarray(-10));
      expectError(await play(api, url, `bytes=${MALE_BYTES.length}-`), 416, 'RANGE_NOT_SATISFIABLE');

      // The header alone still works, and the file route without either is refused.
      const withHeader = await api.request('GET', `/api/interviews/videos/${videoId}/file`, {
        token: alice.token,
        headers: { range: 'bytes=0-9' },
      });
      assert.equal(withHeader.status, 206);
      expectError(await play(api, `/api/interviews/videos/${videoId}/file`), 401, 'NOT_AUTHENTICATED');
      // The signature opens the file route only, not the video's other routes.
      expectError(await play(api, url.replace('/file?', '?')), 401, 'NOT_AUTHENTICATED');
    });

    test('expired, forged, tampered, moved and other users’ URLs are refused; no reply shows a server path', async (t) => {
      const { api, config, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const aliceVideo = await uploadedVideoId(api, alice);
      const aliceOther = await uploadedVideoId(api, alice);
      const bobVideo = await uploadedVideoId(api, bob);
      const replies: Reply[] = [];
      const check = async (reply: Promise<Reply>, status: number, code: string) => {
        const answer = await reply;
        replies.push(answer);
        expectError(answer, status, code);
      };
      const signedUrl = async (user: TestUser, videoId: string) => {
        const reply = await api.post(`/api/interviews/videos/${videoId}/playback-url`, undefined, user.token);
        replies.push(reply);
        assert.equal(reply.status, 200, reply.text);
        return new URL(reply.body.url as string, api.baseUrl);
      };
      const queryOf = (url: URL) => ({
        user_id: url.searchParams.get('user_id')!,
        expires: url.searchParams.get('expires')!,
        signature: url.searchParams.get('signature')!,
      });

      // Bob cannot get a URL for Alice's video, nor for an unknown one; nobody can without a token.
      await check(
        api.post(`/api/interviews/videos/${aliceVideo}/playback-url`, undefined, bob.token),
        404,
        'NOT_FOUND',
      );
      await check(
        api.post('/api/interviews/videos/00000000-0000-4000-8000-000000000000/playback-url', undefined, bob.token),
        404,
        'NOT_FOUND',
      );
      await check(api.post(`/api/interviews/videos/${aliceVideo}/playback-url`, undefined), 401, 'NOT_AUTHENTICATED');

      const alices = queryOf(await signedUrl(alice, aliceVideo));
      const bobs = queryOf(await signedUrl(bob, bobVideo));
      assert.equal((await play(api, fileUrl(aliceVideo, alices))).status, 200);

      // Expired: signed by the server's own key, but in the past.
      const expired = createMediaUrlSigner(config.jwtSecret, 600).sign(aliceVideo, alice.id, Date.now() - 601_000);
      await check(play(api, fileUrl(aliceVideo, expired)), 401, 'MEDIA_URL_EXPIRED');
      // Forged: signed with the raw JWT secret instead of the key derived from it.
      const future = Math.floor(Date.now() / 1000) + 600;
      const withRawSecret = createHmac('sha256', config.jwtSecret)
        .update(JSON.stringify([aliceVideo, alice.id, future]))
        .digest('base64url');
      await check(
        play(api, fileUrl(aliceVideo, { user_id: alice.id, expires: future, signature: withRawSecret })),
        401,
        'INVALID_MEDIA_URL',
      );
      // Tampered: one character of the signature, a later expiry, a missing or a repeated parameter.
      const flipped =
        alices.signature.slice(0, 10) + (alices.signature[10] === 'A' ? 'B' : 'A') + alices.signature.slice(11);
      await check(play(api, fileUrl(aliceVideo, { ...alices, signature: flipped })), 401, 'INVALID_MEDIA_URL');
      const lastFlipped = alices.signature.slice(0, 42) + (alices.signature[42] === 'A' ? 'B' : 'A');
      await check(play(api, fileUrl(aliceVideo, { ...alices, signature: lastFlipped })), 401, 'INVALID_MEDIA_URL');
      await check(
        play(api, fileUrl(aliceVideo, { ...alices, expires: Number(alices.expires) + 3600 })),
        401,
        'INVALID_MEDIA_URL',
      );
      await check(
        play(api, `/api/interviews/videos/${aliceVideo}/file?user_id=${alice.id}&expires=${alices.expires}`),
        401,
        'INVALID_MEDIA_URL',
      );
      await check(play(api, `${fileUrl(aliceVideo, alices)}&signature=${alices.signature}`), 401, 'INVALID_MEDIA_URL');
      // Moved: Alice's URL on her other video; Bob's URL on Alice's video, as himself or naming Alice.
      await check(play(api, fileUrl(aliceOther, alices)), 401, 'INVALID_MEDIA_URL');
      await check(play(api, fileUrl(aliceVideo, bobs)), 401, 'INVALID_MEDIA_URL');
      await check(play(api, fileUrl(aliceVideo, { ...bobs, user_id: alice.id })), 401, 'INVALID_MEDIA_URL');
      await check(play(api, fileUrl(aliceVideo, { ...alices, user_id: bob.id })), 401, 'INVALID_MEDIA_URL');
      // A genuine signature for a user who does not own the video: as unknown as any other id.
      const signedForBob = createMediaUrlSigner(config.jwtSecret, 600).sign(aliceVideo, bob.id);
      await check(play(api, fileUrl(aliceVideo, signedForBob)), 404, 'NOT_FOUND');

      // A deleted video, then a deleted account: their URLs stop working at once.
      assert.equal((await api.delete(`/api/interviews/videos/${aliceOther}`, alice.token)).status, 204);
      const deletedVideo = createMediaUrlSigner(config.jwtSecret, 600).sign(aliceOther, alice.id);
      await check(play(api, fileUrl(aliceOther, deletedVideo)), 404, 'NOT_FOUND');
      assert.equal((await api.delete(`/api/users/${bob.id}`, bob.token)).status, 204);
      await check(play(api, fileUrl(bobVideo, bobs)), 401, 'USER_NOT_FOUND');

      for (const reply of replies) {
        assert.ok(
          !reply.text.includes(dataDir) && !reply.text.includes('uploads/'),
          `a reply shows a server path: ${reply.text}`,
        );
      }
    });
  });
}

test('a signed URL’s signature is kept out of logged URLs', () => {
  assert.equal(
    redactUrl('/api/interviews/videos/v/file?user_id=u&expires=1&signature=abc-_def&x=1'),
    '/api/interviews/videos/v/file?user_id=u&expires=1&signature=[Redacted]&x=1',
  );
});

/** Runs ffmpeg with its output on a pipe into `file`, as a browser's MediaRecorder streams a recording. */
async function recordThroughPipe(file: string, args: string[]): Promise<void> {
  const child = spawn(mediaTools().ffmpeg, ['-nostdin', '-v', 'error', ...args, 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await pipeline(child.stdout as Readable, createWriteStream(file));
  assert.equal(await exited, 0);
}

async function formatDuration(file: string): Promise<string | undefined> {
  const { stdout } = await promisify(execFile)(mediaTools().ffprobe, [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'json',
    file,
  ]);
  return (JSON.parse(stdout) as { format: { duration?: string } }).format.duration;
}

test('a WebM recorded as a stream (no duration, no cues) is stored remuxed: seekable, with its duration, and still analysable', async (t) => {
  const dir = await scratchDir(t);
  const recorded = join(dir, 'recorded.webm');
  // `-t` on the input, so the muxer does not know the length in advance either (as in a browser).
  await recordThroughPipe(recorded, [
    '-t',
    '4',
    '-i',
    TALKING_FEMALE,
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-c:a',
    'libopus',
    '-f',
    'webm',
  ]);
  const recordedBytes = await readFile(recorded);
  assert.equal(await formatDuration(recorded), undefined, 'the recording should have no duration');
  assert.ok(!recordedBytes.includes(CUES_ID), 'the recording should have no Cues');

  const { api, dataDir } = await startApp(t, 'sqlite');
  const user = await signUp(api);
  const uploaded = await uploadVideo(api, user, recordedBytes, 'answer.webm');
  assert.equal(uploaded.status, 200, uploaded.text);
  assert.ok(Math.abs(uploaded.body.duration_sec - 4) < 0.1, `duration_sec ${uploaded.body.duration_sec}`);
  assert.match(uploaded.body.file_path, /\.webm$/);
  const stored = join(dataDir, uploaded.body.file_path);
  const storedDuration = Number(await formatDuration(stored));
  assert.ok(Math.abs(storedDuration - 4) < 0.1, `stored duration ${storedDuration}`);
  assert.ok((await readFile(stored)).includes(CUES_ID), 'the stored file has no Cues');

  const analysed = await api.post(`/api/video/analyze/${uploaded.body.video_id}`, undefined, user.token);
  assert.equal(analysed.status, 200, analysed.text);
  assert.equal(analysed.body.metrics.metadata.frame_count_total, 20);
});

test('an MP4 recorded in fragments (as MediaRecorder writes MP4) is stored as one seekable MP4 with its duration', async (t) => {
  const dir = await scratchDir(t);
  const recorded = join(dir, 'recorded.mp4');
  await recordThroughPipe(recorded, [
    '-t',
    '3',
    '-i',
    TALKING_FEMALE,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    '-movflags',
    'frag_keyframe+empty_moov+default_base_moof',
    '-f',
    'mp4',
  ]);
  assert.ok(await isFragmentedMp4(recorded), 'the recording should be fragmented');

  const { api, dataDir } = await startApp(t, 'sqlite');
  const user = await signUp(api);
  const uploaded = await uploadVideo(api, user, await readFile(recorded), 'answer.mp4');
  assert.equal(uploaded.status, 200, uploaded.text);
  assert.ok(Math.abs(uploaded.body.duration_sec - 3) < 0.1, `duration_sec ${uploaded.body.duration_sec}`);
  const stored = join(dataDir, uploaded.body.file_path);
  assert.match(stored, /\.mp4$/);
  assert.equal(await isFragmentedMp4(stored), false, 'the stored file is one MP4, not fragments');
  const storedBytes = await readFile(stored);
  assert.equal(storedBytes.toString('latin1', 4, 8), 'ftyp');
  assert.ok(storedBytes.indexOf('moov') < storedBytes.indexOf('mdat'), 'the index comes before the media (faststart)');
  assert.ok(Math.abs(Number(await formatDuration(stored)) - 3) < 0.1);
});

test('a WebM the remux cannot copy (H.264 in Matroska) is kept as uploaded, not refused', async (t) => {
  const dir = await scratchDir(t);
  const recorded = join(dir, 'recorded.webm');
  await recordThroughPipe(recorded, [
    '-t',
    '2',
    '-i',
    TALKING_MALE,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-an',
    '-f',
    'matroska',
  ]);
  const recordedBytes = await readFile(recorded);
  const { api, dataDir } = await startApp(t, 'sqlite');
  const user = await signUp(api);
  const uploaded = await uploadVideo(api, user, recordedBytes, 'answer.webm');
  assert.equal(uploaded.status, 200, uploaded.text);
  assert.ok(Math.abs(uploaded.body.duration_sec - 2) < 0.1, `duration_sec ${uploaded.body.duration_sec}`);
  assert.deepEqual(await readFile(join(dataDir, uploaded.body.file_path)), recordedBytes);
});
