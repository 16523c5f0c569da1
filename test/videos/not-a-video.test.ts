// Images are not answer videos: a JPEG, PNG or animated GIF renamed .mp4 is refused at upload (415),
// whatever its name, and nothing is kept. A video is kept under the extension of its container, so it
// is served with the content type of what it holds.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { imageFormatOf, storedExtension } from '../../src/videos/formats.ts';
import { ffmpeg, fixture, scratchDir, TALKING_MALE } from '../analysis/media-helpers.ts';
import { DIALECTS, expectError, filesUnder, rowCounts, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

async function upload(api: Api, user: TestUser, bytes: Uint8Array, name: string) {
  const session = (await api.post('/api/interviews/sessions', { title: 'images' }, user.token)).body;
  const question = (await api.post(`/api/interviews/sessions/${session.id}/questions`, { text: 'Q' }, user.token)).body;
  const form = new FormData();
  form.append('session_id', session.id);
  form.append('question_id', question.id);
  form.append('file', new Blob([Buffer.from(bytes)]), name);
  return api.request('POST', '/api/video/upload', { body: form, token: user.token });
}

test('what ffprobe reports for images is an image; for videos, Motion JPEG in AVI included, it is not', () => {
  // As ffprobe 4–7 reports them (format_name, the video stream's codec_name).
  assert.equal(imageFormatOf({ container: 'image2', codec: 'mjpeg' }), 'jpeg');
  assert.equal(imageFormatOf({ container: 'jpeg_pipe', codec: 'mjpeg' }), 'jpeg');
  assert.equal(imageFormatOf({ container: 'png_pipe', codec: 'png' }), 'png');
  assert.equal(imageFormatOf({ container: 'gif', codec: 'gif' }), 'gif');
  assert.equal(imageFormatOf({ container: 'apng', codec: 'apng' }), 'apng');
  assert.equal(imageFormatOf({ container: 'webp_pipe', codec: 'webp' }), 'webp');
  assert.equal(imageFormatOf({ container: 'tiff_pipe', codec: 'tiff' }), 'tiff');
  assert.equal(imageFormatOf({ container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'png' }), 'png image');
  assert.equal(imageFormatOf({ container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'h264' }), null);
  assert.equal(imageFormatOf({ container: 'matroska,webm', codec: 'vp8' }), null);
  assert.equal(imageFormatOf({ container: 'avi', codec: 'mjpeg' }), null);

  assert.equal(storedExtension('matroska,webm', '.mp4'), '.webm');
  assert.equal(storedExtension('mov,mp4,m4a,3gp,3g2,mj2', '.webm'), '.mp4');
  assert.equal(storedExtension('mov,mp4,m4a,3gp,3g2,mj2', '.mov'), '.mov');
  assert.equal(storedExtension('avi', '.mp4'), '.avi');
});

for (const dialect of DIALECTS) {
  describe(`images as answer videos (${dialect.name})`, { skip: dialect.skip }, () => {
    test('a JPEG, a PNG or an animated GIF named .mp4 is refused with 415 "not a video"; nothing is kept', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const dir = await scratchDir(t);
      const gif = join(dir, 'animated.gif');
      await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '2', gif);
      const png = join(dir, 'still.png');
      await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=160x120', '-frames:v', '1', png);
      const before = await rowCounts(db);

      for (const [file, format] of [
        [fixture('face_frontal_d.jpg'), 'jpeg'],
        [png, 'png'],
        [gif, 'gif'],
      ]) {
        for (const name of ['answer.mp4', 'answer.webm']) {
          const refused = await upload(api, alice, await readFile(file!), name);
          expectError(refused, 415, 'UNSUPPORTED_MEDIA');
          assert.match(refused.body.detail, /^Not a video: the file is an image/, refused.text);
          assert.ok(refused.body.detail.includes(`(${format})`), refused.text);
        }
      }
      const after = await rowCounts(db);
      assert.deepEqual(
        { ...after, interview_session: 0, interview_question: 0 },
        { ...before, interview_session: 0, interview_question: 0 },
      );
      assert.deepEqual(await filesUnder(join(dataDir, 'uploads')), []);
      assert.deepEqual(await filesUnder(join(dataDir, 'tmp')), []);
    });

    test('a video is served with the content type of its container, not of its name', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const dir = await scratchDir(t);
      const webm = join(dir, 'recorded.webm');
      await ffmpeg(
        '-i',
        TALKING_MALE,
        '-t',
        '1',
        '-an',
        '-c:v',
        'libvpx',
        '-deadline',
        'realtime',
        '-b:v',
        '200k',
        webm,
      );
      const mjpegAvi = join(dir, 'camera.avi');
      await ffmpeg('-i', TALKING_MALE, '-t', '1', '-an', '-c:v', 'mjpeg', mjpegAvi);

      for (const [file, name, type] of [
        [webm, 'answer.mp4', 'video/webm'],
        [TALKING_MALE, 'answer.webm', 'video/mp4'],
        [TALKING_MALE, 'answer.MOV', 'video/quicktime'],
        [mjpegAvi, 'answer.avi', 'video/x-msvideo'], // Motion JPEG, as cameras record it: a video
      ] as const) {
        const uploaded = await upload(api, alice, await readFile(file), name);
        assert.equal(uploaded.status, 200, `${name}: ${uploaded.text}`);
        const served = await api.request('GET', `/api/interviews/videos/${uploaded.body.video_id}/file`, {
          token: alice.token,
        });
        assert.equal(served.status, 200);
        assert.equal(served.headers.get('content-type'), type, name);
      }
      assert.equal((await rowCounts(db)).interview_video, 4);
    });
  });
}
