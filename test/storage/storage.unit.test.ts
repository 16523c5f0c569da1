// Where files go (STORAGE_URL and its companions) and which stored paths count as a user's own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadStorageSettings } from '../../src/config.ts';
import { ownedKey } from '../../src/storage.ts';

test('STORAGE_URL: unset or file: keeps DATA_DIR; s3://bucket[/prefix] with S3_ENDPOINT and S3_REGION', () => {
  assert.deepEqual(loadStorageSettings({}), { kind: 'local' });
  assert.deepEqual(loadStorageSettings({ STORAGE_URL: ' ' }), { kind: 'local' });
  assert.deepEqual(loadStorageSettings({ STORAGE_URL: 'file:' }), { kind: 'local' });
  assert.deepEqual(loadStorageSettings({ STORAGE_URL: 's3://answers' }), {
    kind: 's3',
    bucket: 'answers',
    prefix: '',
    endpoint: null,
    region: 'us-east-1',
  });
  assert.deepEqual(
    loadStorageSettings({
      STORAGE_URL: 's3://my.bucket-1/interview/prod/',
      S3_ENDPOINT: 'http://127.0.0.1:9000/',
      S3_REGION: 'eu-central-1',
    }),
    {
      kind: 's3',
      bucket: 'my.bucket-1',
      prefix: 'interview/prod/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-central-1',
    },
  );
});

test('a bad storage setting names its variable, and never echoes what may be a credential', () => {
  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ STORAGE_URL: '/var/data' }, 'STORAGE_URL', /file: .*s3:\/\/bucket/],
    [{ STORAGE_URL: 'file:/var/data' }, 'STORAGE_URL', /file:/],
    [{ STORAGE_URL: 'gs://bucket' }, 'STORAGE_URL', /s3:\/\//],
    [{ STORAGE_URL: 's3://' }, 'STORAGE_URL', /s3:\/\//],
    [{ STORAGE_URL: 's3://AKIA:topsecret@bucket' }, 'STORAGE_URL', /bucket name/],
    [{ STORAGE_URL: 's3://ab' }, 'STORAGE_URL', /bucket name/],
    [{ STORAGE_URL: 's3://bucket/a/../b' }, 'STORAGE_URL', /prefix/],
    [{ STORAGE_URL: 's3://bucket/a//b' }, 'STORAGE_URL', /prefix/],
    [{ STORAGE_URL: 's3://bucket', S3_ENDPOINT: 'localhost:9000' }, 'S3_ENDPOINT', /http/],
    [{ STORAGE_URL: 's3://bucket', S3_REGION: 'EU West' }, 'S3_REGION', /region/],
  ];
  for (const [env, variable, message] of cases) {
    assert.throws(
      () => loadStorageSettings(env),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.ok(error.message.startsWith(`Invalid ${variable}: `), error.message);
        assert.match(error.message, message);
        assert.ok(!error.message.includes('topsecret'), error.message);
        return true;
      },
      JSON.stringify(env),
    );
  }
});

test('a stored path is the user’s own only inside uploads/<user_id>/, after resolving .. segments', () => {
  const me = '11111111-1111-4111-8111-111111111111';
  const you = '22222222-2222-4222-8222-222222222222';
  assert.equal(ownedKey(me, `uploads/${me}/videos/a.mp4`), `uploads/${me}/videos/a.mp4`);
  assert.equal(ownedKey(me, `./uploads/${me}/portfolios/../videos/a.mp4`), `uploads/${me}/videos/a.mp4`);
  for (const path of [
    `uploads/${you}/videos/a.mp4`,
    `uploads/${me}/../${you}/videos/a.mp4`,
    `uploads/${me}`,
    `uploads/${me}/`,
    `uploads/${me}x/a.mp4`,
    `../uploads/${me}/a.mp4/../../../../etc/passwd`,
    'jwt-secret',
    'https://example.com/cv.pdf',
    '',
  ]) {
    assert.equal(ownedKey(me, path), null, path);
  }
  // An absolute path is a key like any other: `/uploads/<me>/x` names the key `uploads/<me>/x`.
  assert.equal(ownedKey(me, `/uploads/${me}/videos/a.mp4`), `uploads/${me}/videos/a.mp4`);
  assert.equal(ownedKey(me, `/srv/data/uploads/${me}/videos/a.mp4`), null);
});
