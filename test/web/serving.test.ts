// How the server serves the web app: the page for any page address, long-cached hashed assets, JSON
// for API clients, and no rate limit on page loads (unknown API paths stay limited).
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ensureWebBuilt } from '../../src/cli/build-web.ts';
import { WEB_DIST_DIR } from '../../src/http/web-app.ts';
import { startApp } from '../helpers.ts';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('serving the web app', () => {
  before(() => ensureWebBuilt());

  test('pages, assets and API answers', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    for (const path of ['/', '/sessions/3f0c8c8e-0000-4000-8000-000000000000', '/videos/x', '/documents?lang=en']) {
      const page = await api.request('GET', path, { headers: HTML });
      assert.equal(page.status, 200, path);
      assert.match(page.headers.get('content-type')!, /^text\/html/);
      assert.equal(page.headers.get('cache-control'), 'no-cache');
      assert.match(page.text, /<div id="app">/);
    }
    const root = await api.get('/');
    assert.deepEqual(Object.keys(root.body).sort(), ['docs', 'message', 'version']);

    const script = (await readdir(join(WEB_DIST_DIR, 'assets'))).find((name) => name.endsWith('.js'))!;
    const asset = await api.request('GET', `/assets/${script}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');

    for (const path of ['/api', '/api/nope', '/api?x=1']) {
      const reply = await api.request('GET', path, { headers: HTML });
      assert.equal(reply.status, 404, path);
      assert.equal(reply.body.code, 'ROUTE_NOT_FOUND');
    }
  });

  test('page loads are never rate-limited; unknown paths still are', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    for (let i = 0; i < 130; i++) {
      const page = await api.request('GET', `/sessions/${i}`, { headers: HTML });
      assert.equal(page.status, 200, `page load ${i}`);
    }
    const statuses = new Set<number>();
    for (let i = 0; i < 125; i++) statuses.add((await api.get(`/api/unknown-${i}`)).status);
    assert.deepEqual([...statuses].sort(), [404, 429]);
  });
});
