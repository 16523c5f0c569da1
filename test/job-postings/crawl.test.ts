// POST /api/job-postings/crawl: a posting imported from a fixture page served on loopback (let through
// by CRAWL_ALLOWED_HOSTS), and the server-side request forgery it must refuse: loopback, private,
// link-local and metadata addresses, before and after redirects; too many redirects; too big; not HTML.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { fetchPage, isPublicAddress, publicOnlyLookup } from '../../src/job-postings/fetch-page.ts';
import { fakeServer, type RecordedRequest } from '../analysis/speech-helpers.ts';
import { DIALECTS, expectError, rowCounts, signUp, startApp } from '../helpers.ts';

const PAGE = `<!doctype html>
<html lang="ko"><head>
<meta charset="utf-8"><title>Server Developer | 토스페이먼츠 채용</title>
<meta property="og:site_name" content="토스페이먼츠">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Server Developer (결제)","hiringOrganization":{"@type":"Organization","name":"토스페이먼츠"}}</script>
</head><body>
<nav><a href="/">홈</a> <a href="/jobs">채용</a> <a href="/login">로그인</a></nav>
<main><article>
<h1>Server Developer (결제)</h1>
<p>토스페이먼츠는 하루 수백만 건의 결제를 처리하는 서버를 만들 개발자를 찾습니다. 대규모 트래픽을 안정적으로 처리하는 시스템을 함께 설계하고 운영합니다.</p>
<h2>자격 요건</h2>
<ul><li>Java 또는 Kotlin으로 3년 이상 서버를 개발한 경험</li><li>Kafka 기반 이벤트 처리 경험</li><li>MySQL 쿼리 튜닝 경험</li></ul>
<h2>우대 사항</h2>
<ul><li>Kubernetes 운영 경험</li></ul>
</article></main>
<footer>© 2025 Viva Republica · 개인정보처리방침</footer>
</body></html>`;

type Route = (request: RecordedRequest, response: ServerResponse) => void;

for (const dialect of DIALECTS) {
  describe(`posting import (${dialect.name})`, { skip: dialect.skip }, () => {
    test('imports title, company and main text; the same URL again replaces the import', async (t) => {
      const routes: Record<string, Route> = {
        '/jobs/1': (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(PAGE);
        },
        '/euc-kr': (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html; charset=euc-kr' });
          const korean = new Uint8Array([0xb0, 0xa1]); // 가 in EUC-KR
          response.end(
            Buffer.concat([
              Buffer.from('<html><head><title>Job</title></head><body><article><p>'),
              Buffer.from(korean),
              Buffer.from(
                ' posting body text long enough to count as a posting body, with Java and Kafka.</p></article></body></html>',
              ),
            ]),
          );
        },
      };
      const site = await fakeServer(t, (request, response) => routes[request.url]!(request, response));
      const { api, db } = await startApp(t, dialect.name, { CRAWL_ALLOWED_HOSTS: new URL(site.url).host });
      const user = await signUp(api);
      const url = `${site.url}/jobs/1`;

      const imported = await api.post(`/api/job-postings/crawl?user_id=${user.id}`, { url }, user.token);
      assert.equal(imported.status, 201, imported.text);
      assert.equal(imported.body.title, 'Server Developer (결제)');
      assert.equal(imported.body.company_name, '토스페이먼츠');
      assert.equal(imported.body.source_url, url);
      assert.match(imported.body.raw_text, /하루 수백만 건의 결제/);
      assert.match(imported.body.raw_text, /^- Kafka 기반 이벤트 처리 경험$/m);
      assert.doesNotMatch(imported.body.raw_text, /로그인|개인정보처리방침/);
      assert.ok(imported.body.parsed_skills.skills.includes('Kafka'));
      assert.ok(imported.body.parsed_skills.requirements.includes('MySQL 쿼리 튜닝 경험'));

      const session = (await api.post('/api/interviews/sessions', { job_posting_id: imported.body.id }, user.token))
        .body;
      const again = await api.post('/api/job-postings/crawl', { url }, user.token);
      assert.equal(again.status, 201, again.text);
      // Updated in place: what points at the earlier import keeps it.
      assert.equal(again.body.id, imported.body.id);
      assert.equal(
        (await api.get(`/api/interviews/sessions/${session.id}`, user.token)).body.job_posting_id,
        imported.body.id,
      );
      const rows = await db.selectFrom('job_posting').selectAll().where('user_id', '=', user.id).execute();
      assert.deepEqual(
        rows.map((row) => row.id),
        [again.body.id],
      );
      // Another user's import of the same page is theirs alone.
      const other = await signUp(api);
      assert.equal((await api.post('/api/job-postings/crawl', { url }, other.token)).status, 201);
      expectError(await api.post(`/api/job-postings/crawl?user_id=${user.id}`, { url }, other.token), 403, 'NOT_OWNER');
      assert.equal((await db.selectFrom('job_posting').selectAll().execute()).length, 2);

      const legacy = await api.post('/api/job-postings/crawl', { url: `${site.url}/euc-kr` }, user.token);
      assert.equal(legacy.status, 201, legacy.text);
      assert.match(legacy.body.raw_text, /^가 posting body/);
    });

    test('refuses private, loopback, link-local and metadata addresses, before and after redirects', async (t) => {
      const hits: string[] = [];
      let hidden = '';
      const routes: Record<string, Route> = {
        '/to-metadata': (_q, response) => {
          response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          response.end();
        },
        '/to-hidden': (_q, response) => {
          response.writeHead(301, { location: `${hidden}/secret` });
          response.end();
        },
        '/to-localhost-name': (_q, response) => {
          response.writeHead(307, { location: `http://localhost:${new URL(hidden).port}/secret` });
          response.end();
        },
        '/hop/0': (_q, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE),
        '/json': (_q, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
        '/big': (_q, response) => {
          response.writeHead(200, { 'content-type': 'text/html' });
          response.end(`<html><body><p>${'가'.repeat(1_000_000)}</p></body></html>`);
        },
        '/missing': (_q, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('gone'),
        // 3,000 nested elements: Readability takes minutes on it (a hostile page is small).
        '/nested': (_q, response) =>
          response
            .writeHead(200, { 'content-type': 'text/html' })
            .end(`<html><body>${'<div>'.repeat(3000)}${'text '.repeat(20)}</body></html>`),
        '/script-only': (_q, response) =>
          response
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<html><body><div id="root"></div></body></html>'),
      };
      for (let hop = 1; hop <= 4; hop++) {
        routes[`/hop/${hop}`] = (_q, response) => {
          response.writeHead(302, { location: `/hop/${hop - 1}` });
          response.end();
        };
      }
      const site = await fakeServer(t, (request, response) => {
        hits.push(request.url);
        routes[request.url]!(request, response);
      });
      const secret = await fakeServer(t, (_request, response) =>
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<html><body><p>${'internal secret '.repeat(10)}</p></body></html>`),
      );
      hidden = secret.url;
      const { api, db } = await startApp(t, dialect.name, { CRAWL_ALLOWED_HOSTS: new URL(site.url).host });
      const user = await signUp(api);
      const before = await rowCounts(db);
      const crawl = (url: string) => api.post('/api/job-postings/crawl', { url }, user.token);

      // Straight at addresses the server can reach and the user should not.
      for (const url of [
        secret.url,
        `http://localhost:${new URL(secret.url).port}/`,
        'http://169.254.169.254/latest/meta-data/',
        'http://metadata.google.internal/computeMetadata/v1/',
        'http://[::1]:80/',
        'http://[::ffff:127.0.0.1]/',
        'http://10.0.0.1/',
        'http://192.168.1.1/',
        'http://0x7f000001/',
        'http://2130706433/',
        'http://0.0.0.0/',
        'http://intranet/',
      ]) {
        expectError(await crawl(url), 422, 'URL_NOT_ALLOWED');
      }
      for (const url of [
        'file:///etc/passwd',
        'ftp://example.com/x',
        'gopher://x/',
        'not a url',
        `http://user:pw@${new URL(site.url).host}/hop/0`,
      ]) {
        expectError(await crawl(url), 422, 'INVALID_URL');
      }
      // Through redirects from an allowed page.
      expectError(await crawl(`${site.url}/to-metadata`), 422, 'URL_NOT_ALLOWED');
      expectError(await crawl(`${site.url}/to-hidden`), 422, 'URL_NOT_ALLOWED');
      expectError(await crawl(`${site.url}/to-localhost-name`), 422, 'URL_NOT_ALLOWED');
      assert.equal(secret.requests.length, 0, 'the hidden server was never reached');
      // Three redirects are followed, a fourth is not.
      assert.equal((await crawl(`${site.url}/hop/3`)).status, 201);
      await db.deleteFrom('job_posting').execute();
      expectError(await crawl(`${site.url}/hop/4`), 422, 'TOO_MANY_REDIRECTS');
      expectError(await crawl(`${site.url}/json`), 415, 'NOT_HTML');
      expectError(await crawl(`${site.url}/big`), 413, 'PAGE_TOO_LARGE');
      expectError(await crawl(`${site.url}/missing`), 422, 'CRAWL_FAILED');
      expectError(await crawl(`${site.url}/script-only`), 422, 'NO_POSTING_TEXT');
      // Read in a process of its own and stopped at its time limit; the server answered meanwhile.
      const nested = crawl(`${site.url}/nested`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal((await api.get('/health')).status, 200);
      expectError(await nested, 422, 'PAGE_TOO_COMPLEX');
      expectError(await crawl('http://no-such-host.invalid/'), 422, 'CRAWL_FAILED');
      assert.deepEqual(await rowCounts(db), before);
      assert.ok(hits.includes('/hop/0'));
    });
  });
}

describe('fetching a page safely', () => {
  test('address classes', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'fc00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
      'not-an-ip',
    ])
      assert.equal(isPublicAddress(address), false, address);
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isPublicAddress(address), true, address);
  });

  test("the connection's own DNS lookup refuses a name that resolves to a private address", async () => {
    const lookup = (hostname: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) =>
        publicOnlyLookup(hostname, { all }, (error, address) => (error ? reject(error) : resolve(address))),
      );
    // /etc/hosts maps localhost (and on these machines the host's own name) to loopback.
    for (const all of [true, false]) {
      await assert.rejects(lookup('localhost', all), (error: { code?: string }) => error.code === 'URL_NOT_ALLOWED');
    }
    await assert.rejects(
      lookup('no-such-host.invalid', false),
      (error: { code?: string }) => error.code !== 'URL_NOT_ALLOWED',
    );
  });

  test('a page that does not answer in time is given up', async (t) => {
    const site = await fakeServer(t, () => {}); // never answers
    await assert.rejects(
      fetchPage(new URL(`${site.url}/slow`), {
        allowedHosts: [new URL(site.url).host],
        limits: { timeoutMs: 300, maxBytes: 1024, maxRedirects: 3 },
      }),
      (error: { code?: string; message: string }) =>
        error.code === 'CRAWL_FAILED' && /within 0.3 s/.test(error.message),
    );
  });
});
