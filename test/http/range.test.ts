// Range headers on a stored file (RFC 9110 §14): one valid byte range gets 206, one past the end 416,
// and anything else — another unit, a malformed or invalid spec, several ranges — is ignored: the whole file.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { TALKING_MALE } from '../analysis/media-helpers.ts';
import { DIALECTS, expectError, signUp, startApp, uploadAnswerVideo } from '../helpers.ts';

const BYTES = await readFile(TALKING_MALE);

for (const dialect of DIALECTS) {
  describe(`video file ranges (${dialect.name})`, { skip: dialect.skip }, () => {
    test('a malformed, invalid, foreign-unit or multiple Range is ignored: 200 with the whole file', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const videoId = (await uploadAnswerVideo(api, alice)).body.video_id as string;
      const get = (range: string) =>
        fetch(`${api.baseUrl}/api/interviews/videos/${videoId}/file`, {
          headers: { authorization: `Bearer ${alice.token}`, range },
        });

      for (const range of ['items=0-1', 'bytes=5-1', 'bytes=abc', 'bytes=0-1,5-9', 'bytes=-', 'bytes', '=0-1']) {
        const whole = await get(range);
        assert.equal(whole.status, 200, `${range}: ${whole.status}`);
        assert.equal(whole.headers.get('content-range'), null, range);
        assert.equal(whole.headers.get('content-length'), String(BYTES.length), range);
        assert.deepEqual(Buffer.from(await whole.arrayBuffer()), BYTES, range);
      }

      // Valid single ranges still get 206, the unit in any case (range units are case-insensitive).
      for (const [range, start, end] of [
        ['bytes=0-9', 0, 9],
        ['Bytes=10-19', 10, 19],
        ['bytes= 20-29 ', 20, 29],
        ['bytes=0-1,', 0, 1],
      ] as const) {
        const part = await get(range);
        assert.equal(part.status, 206, range);
        assert.equal(part.headers.get('content-range'), `bytes ${start}-${end}/${BYTES.length}`, range);
        assert.deepEqual(Buffer.from(await part.arrayBuffer()), BYTES.subarray(start, end + 1), range);
      }

      // A valid range that starts past the end stays 416, with the size.
      for (const range of ['bytes=999999999-', `bytes=${BYTES.length}-${BYTES.length + 5}`, 'bytes=-0']) {
        const beyond = await get(range);
        assert.equal(beyond.headers.get('content-range'), `bytes */${BYTES.length}`, range);
        expectError(
          { status: beyond.status, headers: beyond.headers, body: await beyond.json(), text: '' },
          416,
          'RANGE_NOT_SATISFIABLE',
        );
      }
    });
  });
}
