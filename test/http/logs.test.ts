// At the most verbose log level, no token, password or key reaches the log: the real server process,
// its real stdout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const GEMINI_KEY = 'AIzaSy-test-key-that-must-not-be-logged';
const PASSWORD = 'a password that must not be logged';

test('LOG_LEVEL=trace logs no token, password or key, multipart uploads and encoded query names included', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ip-logs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      DATABASE_URL: '',
      STT_ENGINE: 'none',
      GEMINI_API_KEY: GEMINI_KEY,
      GEMINI_BASE_URL: 'http://127.0.0.1:9',
      GEMINI_TIMEOUT_SEC: '1',
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
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      assert.ok(i < 150, `the server did not start:\n${log.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const json = (body: unknown, token?: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const email = 'logs@example.com';
  assert.equal((await fetch(`${base}/api/users/`, json({ email, password: PASSWORD, name: 'Logs' }))).status, 201);
  const { access_token: token } = (await (
    await fetch(`${base}/api/users/login`, json({ email, password: PASSWORD }))
  ).json()) as { access_token: string };
  const session = (await (
    await fetch(`${base}/api/interviews/sessions`, json({ generate_questions: false }, token))
  ).json()) as { id: string };
  const question = (await (
    await fetch(`${base}/api/interviews/sessions/${session.id}/questions`, json({ text: 'Why us?' }, token))
  ).json()) as { id: string };
  const form = new FormData();
  form.append('session_id', session.id);
  form.append('question_id', question.id);
  form.append(
    'file',
    new Blob([await readFile(join('test', 'fixtures', 'video_talking_male_en_5s.mp4'))]),
    'answer.mp4',
  );
  const upload = await fetch(`${base}/api/video/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  assert.equal(upload.status, 200);
  const playback = (await (
    await fetch(
      `${base}/api/interviews/videos/${((await upload.json()) as { video_id: string }).video_id}/playback-url`,
      json({}, token),
    )
  ).json()) as { url: string };
  assert.equal((await fetch(base + playback.url)).status, 200);
  await fetch(`${base}/api/users/me`, {
    headers: { authorization: `Bearer ${token}`, cookie: 'session=secret-cookie' },
  });
  // An answer's text in the query (the follow-up route, as the original client sends it).
  const answer = 'my private answer about my last employer';
  await fetch(`${base}/api/interviews/questions/${question.id}/followup?answer_text=${encodeURIComponent(answer)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });

  // The same with the names percent-encoded, which the server decodes (`%73ignature` is `signature`),
  // and a token in the query.
  const signed = new URL(playback.url, base);
  const encodedSignature = signed.search.replace('signature=', '%73ignature=');
  assert.equal((await fetch(`${base}${signed.pathname}${encodedSignature}`)).status, 200, 'the encoded name works');
  const encodedAnswer = 'another private answer, its name encoded';
  await fetch(
    `${base}/api/interviews/questions/${question.id}/followup?answer%5Ftext=${encodeURIComponent(encodedAnswer)}`,
    { method: 'POST', headers: { authorization: `Bearer ${token}` } },
  );
  assert.equal(
    (await fetch(`${base}/api/users/me?access_token=${token}`)).status,
    401,
    'a token is read from the header only',
  );
  await fetch(`${base}/api/users/me?%61ccess%5Ftoken=${token}&client_secret=${GEMINI_KEY}&password=${PASSWORD}`);

  // pino writes synchronously, so everything logged is in the pipe; wait until it is all read.
  server.kill('SIGKILL');
  await new Promise((resolve) => server.once('close', resolve));
  assert.match(
    log,
    /Providing options to busboy/,
    'the multipart plugin logged its options (with the headers) at trace level',
  );
  assert.ok(log.includes('[Redacted]'), 'something was redacted');
  const [, , signature] = token.split('.');
  for (const [what, secret] of [
    ['the token', token],
    ["the token's signature", signature!],
    ['the password', PASSWORD],
    ['the Gemini key', GEMINI_KEY],
    ['the cookie', 'secret-cookie'],
    ["the playback URL's signature", new URL(playback.url, base).searchParams.get('signature')!],
    ['the answer text in a query', encodeURIComponent(answer)],
    ['the answer text under an encoded name', encodeURIComponent(encodedAnswer)],
    ['a password in a query', encodeURIComponent(PASSWORD)],
  ] as const) {
    assert.ok(!log.includes(secret), `${what} appeared in the log`);
  }
});
