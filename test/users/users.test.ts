import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECTS, expectError, expectValidationError, handMadeJwt, rowCounts, signUp, startApp } from '../helpers.ts';

for (const dialect of DIALECTS) {
  describe(`users (${dialect.name})`, { skip: dialect.skip }, () => {
    test('sign-up stores a bcrypt hash, never returns it, and refuses a duplicate email', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const created = await api.post('/api/users/', {
        email: 'Kim.Minji@Example.com',
        password: 'secret-pass-1',
        name: '김민지',
        role: 'ROLE_BE',
        level: 'LEVEL_JUNIOR',
        github_username: 'minji',
      });
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(created.body).sort(), [
        'created_at',
        'email',
        'github_username',
        'id',
        'level',
        'name',
        'role',
      ]);
      assert.equal(created.body.email, 'kim.minji@example.com');
      assert.equal(created.body.name, '김민지');
      assert.match(created.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(Math.abs(Date.parse(created.body.created_at) - Date.now()) < 60_000);

      const row = await db.selectFrom('user').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^\$2[aby]\$10\$/);
      assert.ok(!row.password_hash.includes('secret-pass-1'));

      const before = await rowCounts(db);
      const duplicate = await api.post('/api/users/signup', {
        email: 'kim.minji@EXAMPLE.com',
        password: 'another-pass',
        name: 'Someone',
      });
      expectError(duplicate, 409, 'EMAIL_TAKEN');
      assert.deepEqual(await rowCounts(db), before);
    });

    test('sign-up rejects missing fields, wrong types and bad values, storing nothing', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const good = { email: 'a@example.com', password: 'long enough', name: 'A' };
      const cases: Array<[body: unknown, field: string]> = [
        [{ ...good, email: undefined }, 'body'],
        [{ ...good, email: 'not-an-email' }, 'body.email'],
        [{ ...good, name: 42 }, 'body.name'],
        [{ ...good, name: '' }, 'body.name'],
        [{ ...good, password: 'short' }, 'body.password'],
        [{ ...good, role: 'ROLE_CEO' }, 'body.role'],
        [{ ...good, level: 3 }, 'body.level'],
        [[good], 'body'],
      ];
      for (const [body, field] of cases) {
        expectValidationError(await api.post('/api/users/', body), field);
      }
      expectError(
        await api.request('POST', '/api/users/', {
          body: '{"email":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(
        await api.request('POST', '/api/users/', { body: 'email=a', headers: { 'content-type': 'text/plain' } }),
        415,
        'UNSUPPORTED_MEDIA',
      );
      assert.equal((await rowCounts(db)).user, 0);
    });

    test('login gives a bearer token; wrong password and unknown email fail alike', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const login = await api.post('/api/users/login', { email: user.email.toUpperCase(), password: user.password });
      assert.equal(login.status, 200);
      assert.equal(login.body.token_type, 'bearer');
      const payload = JSON.parse(Buffer.from(login.body.access_token.split('.')[1], 'base64url').toString());
      assert.equal(payload.sub, user.id);
      assert.equal(payload.exp - payload.iat, 7 * 24 * 3600);

      const wrong = await api.post('/api/users/login', { email: user.email, password: 'wrong password' });
      const unknown = await api.post('/api/users/login', { email: 'nobody@example.com', password: user.password });
      expectError(wrong, 401, 'INVALID_CREDENTIALS');
      expectError(unknown, 401, 'INVALID_CREDENTIALS');
      assert.equal(wrong.body.detail, unknown.body.detail);
      expectValidationError(await api.post('/api/users/login', { email: user.email }), 'body');
    });

    test('tokens: none, forged, expired and a deleted user’s are all refused', async (t) => {
      const { api, config } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const now = Math.floor(Date.now() / 1000);

      const none = await api.get('/api/users/me');
      expectError(none, 401, 'NOT_AUTHENTICATED');
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      expectError(await api.get('/api/users/me', 'not-a-jwt'), 401, 'INVALID_TOKEN');
      const forged = handMadeJwt({ sub: user.id, email: user.email, iat: now, exp: now + 600 }, 'x'.repeat(48));
      expectError(await api.get('/api/users/me', forged), 401, 'INVALID_TOKEN');
      const unsignedAlgNone = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: user.id, email: user.email })).toString('base64url')}.`;
      expectError(await api.get('/api/users/me', unsignedAlgNone), 401, 'INVALID_TOKEN');
      const expired = handMadeJwt(
        { sub: user.id, email: user.email, iat: now - 7200, exp: now - 3600 },
        config.jwtSecret,
      );
      expectError(await api.get('/api/users/me', expired), 401, 'TOKEN_EXPIRED');
      const valid = handMadeJwt({ sub: user.id, email: user.email, iat: now, exp: now + 600 }, config.jwtSecret);
      assert.equal((await api.get('/api/users/me', valid)).status, 200);
      // Signed with the right secret, but one would never expire and the other names nobody.
      const neverExpires = handMadeJwt({ sub: user.id, email: user.email, iat: now }, config.jwtSecret);
      expectError(await api.get('/api/users/me', neverExpires), 401, 'INVALID_TOKEN');
      const noSubject = handMadeJwt({ email: user.email, iat: now, exp: now + 600 }, config.jwtSecret);
      expectError(await api.get('/api/users/me', noSubject), 401, 'INVALID_TOKEN');

      assert.equal((await api.delete(`/api/users/${user.id}`, user.token)).status, 204);
      expectError(await api.get('/api/users/me', user.token), 401, 'USER_NOT_FOUND');
    });

    test('me, patch me, and a user sees only themself', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api, { name: 'Alice' });
      const bob = await signUp(api, { name: 'Bob' });

      const me = await api.get('/api/users/me', alice.token);
      assert.equal(me.status, 200);
      assert.equal(me.body.id, alice.id);
      assert.equal(me.body.name, 'Alice');

      const patched = await api.patch('/api/users/me', { name: 'Alice Kim', level: 'LEVEL_MID' }, alice.token);
      assert.equal(patched.status, 200);
      assert.equal(patched.body.name, 'Alice Kim');
      assert.equal(patched.body.level, 'LEVEL_MID');
      assert.equal((await api.get(`/api/users/${alice.id}`, alice.token)).body.name, 'Alice Kim');

      // Unknown properties are dropped, never applied (issue 17 changed this from a 422).
      const sneaky = await api.patch('/api/users/me', { email: 'new@example.com' }, alice.token);
      assert.equal(sneaky.status, 200, sneaky.text);
      assert.equal(sneaky.body.email, alice.email);
      expectValidationError(await api.patch('/api/users/me', { role: 'ROLE_X' }, alice.token), 'body.role');
      assert.equal((await api.get('/api/users/me', alice.token)).body.email, alice.email);

      const list = await api.get('/api/users/', alice.token);
      assert.deepEqual(
        list.body.map((u: { id: string }) => u.id),
        [alice.id],
      );
      assert.deepEqual((await api.get('/api/users/?skip=1', alice.token)).body, []);

      expectError(await api.get(`/api/users/${bob.id}`, alice.token), 404, 'NOT_FOUND');
      const before = await rowCounts(db);
      expectError(await api.delete(`/api/users/${bob.id}`, alice.token), 404, 'NOT_FOUND');
      assert.deepEqual(await rowCounts(db), before);
      assert.equal((await api.get('/api/users/me', bob.token)).status, 200);
      expectValidationError(await api.get('/api/users/not-a-uuid', alice.token), 'params.user_id');
    });

    test('one account per address however it is spelled: spaces of every kind, BOM, case, full width, NFC or NFD', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const password = 'correct horse battery';
      const created = await api.post('/api/users/', { email: ' José.Kim@Example.com\t', password, name: 'José' });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.email, 'jos\u00e9.kim@example.com');
      const spellings = [
        'jose\u0301.kim@example.com', // NFD: e + combining acute
        '\u00a0JOSÉ.KIM@EXAMPLE.COM',
        '\ufeffjosé.kim@example.com',
        '\u2003josé.kim@example.com\u3000',
        'ｊｏｓé.ｋｉｍ@ｅｘａｍｐｌｅ.ｃｏｍ', // full width
        'jos\u200bé.kim@example.com', // zero-width space
      ];
      for (const email of spellings) {
        expectError(await api.post('/api/users/signup', { email, password, name: 'Twin' }), 409, 'EMAIL_TAKEN');
        const login = await api.post('/api/users/login', { email, password });
        assert.equal(login.status, 200, `${JSON.stringify(email)}: ${login.text}`);
      }
      assert.equal((await rowCounts(db)).user, 1);
    });

    test('passwords are limited to the 72 bytes bcrypt reads, and nothing longer logs in', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const hangul30 = '가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노'; // 30 syllables, 90 bytes
      assert.equal(Buffer.byteLength(hangul30), 90);
      const refused = await api.post('/api/users/', { email: 'long@example.com', password: hangul30, name: 'Long' });
      expectError(refused, 422, 'PASSWORD_TOO_LONG');
      assert.match(refused.body.detail, /90 bytes.*72 bytes/);
      assert.equal((await rowCounts(db)).user, 0);

      const hangul24 = hangul30.slice(0, 24); // exactly 72 bytes
      assert.equal(
        (await api.post('/api/users/', { email: 'long@example.com', password: hangul24, name: 'Long' })).status,
        201,
      );
      assert.equal((await api.post('/api/users/login', { email: 'long@example.com', password: hangul24 })).status, 200);
      // Same first 72 bytes, more after them: bcrypt alone would say they match.
      for (const longer of [hangul30, `${hangul24}x`, `${hangul24}다른 비밀번호`]) {
        expectError(
          await api.post('/api/users/login', { email: 'long@example.com', password: longer }),
          401,
          'INVALID_CREDENTIALS',
        );
      }
    });

    test('strings that look like SQL are stored verbatim', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const name = 'Robert\'); DROP TABLE "user"; --';
      const user = await signUp(api, { name });
      assert.equal((await api.get('/api/users/me', user.token)).body.name, name);
      expectError(
        await api.post('/api/users/login', { email: "' OR 1=1 --", password: "' OR '1'='1" }),
        401,
        'INVALID_CREDENTIALS',
      );
      assert.equal((await api.get('/api/users/me', user.token)).status, 200);
    });
  });
}

test('login attempts are limited per address and account', async (t) => {
  const { api } = await startApp(t, 'sqlite');
  const user = await signUp(api);
  const other = await signUp(api);
  for (let attempt = 1; attempt < 10; attempt++) {
    expectError(
      await api.post('/api/users/login', { email: user.email, password: 'guess' }),
      401,
      'INVALID_CREDENTIALS',
    );
  }
  const limited = await api.post('/api/users/login', { email: user.email, password: user.password });
  expectError(limited, 429, 'RATE_LIMITED');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  // Another account from the same address is unaffected.
  assert.equal((await api.post('/api/users/login', { email: other.email, password: other.password })).status, 200);
});

test('the login limit holds for every spelling of the address', async (t) => {
  const { api } = await startApp(t, 'sqlite');
  const user = await signUp(api); // its login is the first attempt
  for (let attempt = 2; attempt <= 10; attempt++) {
    expectError(
      await api.post('/api/users/login', { email: user.email, password: 'guess' }),
      401,
      'INVALID_CREDENTIALS',
    );
  }
  const spellings = [
    `${user.email} `,
    `\t${user.email}`,
    `\u00a0${user.email}`,
    `\u2003${user.email}`,
    `\ufeff${user.email}`,
    user.email.toUpperCase(),
  ];
  for (const email of spellings) {
    expectError(await api.post('/api/users/login', { email, password: user.password }), 429, 'RATE_LIMITED');
  }
});

test('logins are limited per client address across accounts', async (t) => {
  const { api } = await startApp(t, 'sqlite');
  const password = 'correct horse battery';
  assert.equal((await api.post('/api/users/', { email: 'real@example.com', password, name: 'Real' })).status, 201);
  for (let attempt = 1; attempt <= 30; attempt++) {
    const guess = await api.post('/api/users/login', { email: `guess${attempt}@example.com`, password: 'guess' });
    expectError(guess, 401, 'INVALID_CREDENTIALS');
  }
  const limited = await api.post('/api/users/login', { email: 'real@example.com', password });
  expectError(limited, 429, 'RATE_LIMITED');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});

test('sign-ups are limited per client address, over both sign-up paths', async (t) => {
  const { api, db } = await startApp(t, 'sqlite');
  for (let index = 1; index <= 20; index++) {
    const path = index % 2 ? '/api/users/' : '/api/users/signup';
    const created = await api.post(path, { email: `new${index}@example.com`, password: 'long enough', name: 'New' });
    assert.equal(created.status, 201, created.text);
  }
  const limited = await api.post('/api/users/signup', {
    email: 'one-more@example.com',
    password: 'long enough',
    name: 'New',
  });
  expectError(limited, 429, 'RATE_LIMITED');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.equal((await rowCounts(db)).user, 20);
});
