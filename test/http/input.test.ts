// Input that once crashed or slipped past the server: deep JSON, huge paging numbers, and what a
// browser on another origin may do (CORS).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_JSON_DEPTH } from '../../src/http/json-body.ts';
import { expectError, signUp, startApp } from '../helpers.ts';

const ALLOWED = 'http://localhost:5173';

describe('HTTP input', () => {
  test('JSON nested thousands of levels deep is a 422, not a crash; just under the cap is fine', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const user = await signUp(api);
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    for (const depth of [5000, MAX_JSON_DEPTH + 1]) {
      const reply = await api.request('POST', '/api/job-postings/', {
        token: user.token,
        headers: { 'content-type': 'application/json' },
        body: `{"company_name":"A","title":"B","raw_text":"C","parsed_skills":${nested(depth)}}`,
      });
      expectError(reply, 422, 'JSON_TOO_DEEP');
    }
    const fine = await api.request('POST', '/api/job-postings/', {
      token: user.token,
      headers: { 'content-type': 'application/json' },
      body: `{"company_name":"A","title":"B","raw_text":"C","parsed_skills":${nested(MAX_JSON_DEPTH - 2)}}`,
    });
    assert.equal(fine.status, 201, fine.text);
    // A NUL deep inside is still found.
    const nul = await api.request('POST', '/api/job-postings/', {
      token: user.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        company_name: 'A',
        title: 'B',
        raw_text: 'C',
        parsed_skills: { a: [{ b: ['x\u0000y'] }] },
      }),
    });
    expectError(nul, 422, 'INVALID_TEXT');
  });

  test('paging numbers beyond any list are refused with a 422, not a 500', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const user = await signUp(api);
    for (const path of [
      '/api/portfolios/?skip=100000000000',
      '/api/interviews/sessions/?skip=99999999999999999999',
      '/api/job-postings/?skip=1000001',
    ]) {
      expectError(await api.get(path, user.token), 422, 'VALIDATION_ERROR');
    }
    assert.equal((await api.get('/api/portfolios/?skip=1000000', user.token)).status, 200);
  });

  test('CORS: an allowed origin may use every method and the headers clients send; another origin may not', async (t) => {
    const { api } = await startApp(t, 'sqlite', { ALLOWED_ORIGINS: ALLOWED });
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
      const preflight = await api.request('OPTIONS', '/api/users/me', {
        headers: {
          origin: ALLOWED,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization,content-type,range',
        },
      });
      assert.equal(preflight.status, 204, `${method}: ${preflight.text}`);
      assert.equal(preflight.headers.get('access-control-allow-origin'), ALLOWED);
      assert.ok(
        preflight.headers.get('access-control-allow-methods')!.split(/,\s*/).includes(method),
        `${method} allowed`,
      );
      const headers = preflight.headers.get('access-control-allow-headers')!.toLowerCase();
      for (const header of ['authorization', 'content-type', 'range'])
        assert.ok(headers.includes(header), `${header} allowed`);
    }
    const user = await signUp(api);
    const read = await api.request('GET', '/api/users/me', { token: user.token, headers: { origin: ALLOWED } });
    assert.equal(read.headers.get('access-control-allow-origin'), ALLOWED);
    const exposed = read.headers.get('access-control-expose-headers')!.toLowerCase();
    for (const header of ['content-range', 'accept-ranges', 'retry-after'])
      assert.ok(exposed.includes(header), `${header} exposed`);

    const refused = await api.request('OPTIONS', '/api/users/me', {
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'DELETE' },
    });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });
});
