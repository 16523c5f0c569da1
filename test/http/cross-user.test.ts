// The cross-user sweep. Every operation in /openapi.json that takes an id (in its path, query, JSON
// body or form) is called by user B once per id slot, with user A's id in that one slot and B's own
// valid ids in all the others: with A's ids everywhere, only the check that runs first would be
// exercised (a `?user_id` refused with 403 hid the checks of the body's ids). Each such call must be
// refused with 403 or 404 (a validation error does not count), must leave no trace (no row and no
// stored file changed, A's or B's: a row written before the refusal is a hole too), and A's data, as
// A sees it through the API, must be unchanged.
//
// Before its slots are swept, B makes the same call with B's own ids only, and it must succeed (the
// listed exceptions aside): the request is then well formed otherwise (the route's own file field,
// read from the schema, with a file it accepts; valid values), so the refusal comes from A's id. The
// speech routes get engines on loopback, so that they get past "no engine" (503). The user_id of a
// signed media URL is swept as such a URL: B's own, without a token, with A's user_id (401).
//
// A new route is swept as soon as it is in the OpenAPI document; an id parameter, a file field or a
// signed URL the sweep does not know fails the test, so nothing is skipped silently.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Db } from '../../src/db/index.ts';
import { fixture } from '../analysis/media-helpers.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, filesUnder, signUp, startApp, type Api, type Dialect, type TestUser } from '../helpers.ts';

interface Schema {
  type?: string;
  format?: string;
  minLength?: number;
  minimum?: number;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const VIDEO = fixture('video_talking_male_en_5s.mp4');
const SPEECH = fixture('speech_en_ljspeech_8s.wav');

/** A one-page CV with text, so capabilities can be scored from it. */
async function cvPdf(): Promise<Blob> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Backend developer. Java, Spring Boot, Redis, Kafka. Led a team of four.', {
    x: 50,
    y: 700,
    font,
    size: 12,
  });
  return new Blob([new Uint8Array(await doc.save())]);
}

/** The file a multipart route takes, by path and field name (from the OpenAPI schema). */
async function fileFor(path: string, field: string): Promise<{ blob: Blob; name: string }> {
  const key = `${path} ${field}`;
  if (key === '/api/video/upload file') return { blob: new Blob([await readFile(VIDEO)]), name: 'answer.mp4' };
  if (key === '/api/interviews/stt audio') return { blob: new Blob([await readFile(SPEECH)]), name: 'answer.wav' };
  if (key === '/api/portfolios/upload file') return { blob: await cvPdf(), name: 'cv.pdf' };
  throw new Error(`the sweep does not know which file the field "${field}" of ${path} takes: teach it`);
}

const ID_NAMES = [
  'user_id',
  'portfolio_id',
  'job_posting_id',
  'session_id',
  'question_id',
  'parent_question_id',
  'video_id',
  'job_id',
] as const;
type IdName = (typeof ID_NAMES)[number];
type World = Record<IdName, string>;
const isIdName = (name: string): name is IdName => (ID_NAMES as readonly string[]).includes(name);

async function waitForJob(api: Api, jobId: string, token: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const state = (await api.get(`/api/video/jobs/${jobId}`, token)).body.status;
    if (state === 'succeeded' || state === 'failed') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}

/** One of everything, owned by `user`: a session with a question and its answer, a video and its job… */
async function ownWorld(api: Api, user: TestUser): Promise<World> {
  const token = user.token;
  const pdf = new FormData();
  pdf.append('file', await cvPdf(), 'cv.pdf');
  const portfolio = await api.request('POST', '/api/portfolios/upload', { body: pdf, token });
  assert.equal(portfolio.status, 201, portfolio.text);
  const posting = await api.post(
    '/api/job-postings/',
    { company_name: 'Acme', title: 'Engineer', raw_text: 'Java and Kafka.' },
    token,
  );
  assert.equal(posting.status, 201, posting.text);
  const capabilities = await api.post(`/api/portfolios/${portfolio.body.id}/capabilities/generate`, undefined, token);
  assert.equal(capabilities.status, 200, capabilities.text);
  const session = await api.post(
    '/api/interviews/sessions',
    { portfolio_id: portfolio.body.id, job_posting_id: posting.body.id, generate_questions: false },
    token,
  );
  assert.equal(session.status, 201, session.text);
  const question = await api.post(`/api/interviews/sessions/${session.body.id}/questions`, { text: 'Why us?' }, token);
  assert.equal(question.status, 201, question.text);
  const answer = await api.post(
    `/api/interviews/questions/${question.body.id}/answers`,
    { text: 'Because I build things.' },
    token,
  );
  assert.equal(answer.status, 201, answer.text);
  const form = new FormData();
  form.append('session_id', session.body.id);
  form.append('question_id', question.body.id);
  form.append('file', new Blob([await readFile(VIDEO)]), 'answer.mp4');
  const video = await api.request('POST', '/api/video/upload', { body: form, token });
  assert.equal(video.status, 200, video.text);
  const job = await api.post(`/api/video/analyze/${video.body.video_id}?async=true`, undefined, token);
  assert.equal(job.status, 202, job.text);
  // Finished, so that B's own call of the job's event stream ends.
  await waitForJob(api, job.body.job_id, token);
  return {
    user_id: user.id,
    portfolio_id: portfolio.body.id,
    job_posting_id: posting.body.id,
    session_id: session.body.id,
    question_id: question.body.id,
    parent_question_id: question.body.id,
    video_id: video.body.video_id,
    job_id: job.body.job_id,
  };
}

interface Slot {
  in: 'path' | 'query' | 'body' | 'form';
  name: string;
}
const slotName = (slot: Slot) => `${slot.in} ${slot.name}`;

/** The query parameters of a signed media URL: with a token they are not sent (the token names the caller). */
const SIGNED_PARAMS = new Set(['user_id', 'expires', 'signature']);
const takesSignedUrl = (operation: Operation) =>
  (operation.parameters ?? []).some((parameter) => parameter.in === 'query' && parameter.name === 'signature');

/** B's own signed URL for a route that takes one, from the route that hands it out. */
async function signedUrlOf(api: Api, path: string, bob: World, token: string): Promise<URL> {
  if (path === '/api/interviews/videos/{video_id}/file') {
    const reply = await api.post(`/api/interviews/videos/${bob.video_id}/playback-url`, undefined, token);
    assert.equal(reply.status, 200, reply.text);
    return new URL(reply.body.url, api.baseUrl);
  }
  if (path === '/api/interviews/questions/{question_id}/tts/audio') {
    const reply = await api.get(`/api/interviews/questions/${bob.question_id}/tts`, token);
    assert.equal(reply.status, 200, reply.text);
    return new URL(reply.body.audio_url);
  }
  throw new Error(`the sweep does not know where ${path} gets its signed URL: teach it`);
}

/**
 * Slots the route ignores by design: with A's id in them the call succeeds, on B's own data only
 * (`check` says it did), and A's data stays unchanged.
 */
const IGNORED: Record<string, { why: string; check: (body: any, bob: World) => boolean }> = {
  'POST /api/interviews/questions/{question_id}/answers body question_id': {
    why: 'the question in the path wins',
    check: (body, bob) => body.question_id === bob.question_id,
  },
};

/** B's own calls that do not answer 2xx, and why. */
const OWN_CALL_STATUS: Record<string, { status: number; code: string; why: string }> = {
  'POST /api/job-postings/crawl': {
    status: 422,
    code: 'INVALID_URL',
    why: 'the sweep fetches no web page: its URL is not one',
  },
};

/** Slots an earlier sweep never reached (another check, or a validation error, answered first). */
const MUST_SWEEP = [
  'POST /api/interviews/sessions body portfolio_id',
  'POST /api/interviews/sessions body job_posting_id',
  'POST /api/portfolios/{id}/capabilities/generate query job_posting_id',
  'POST /api/interviews/sessions/{session_id}/questions body parent_question_id',
  'POST /api/interviews/stt form question_id',
  'POST /api/video/upload form session_id',
  'POST /api/video/upload form question_id',
];

/** `{id}` means the resource of the path it sits in. */
function idIn(name: string, path: string, world: World): string {
  if (name === 'id') {
    if (path.startsWith('/api/portfolios/')) return world.portfolio_id;
    if (path.startsWith('/api/job-postings/')) return world.job_posting_id;
    throw new Error(`the sweep does not know what {id} means in ${path}: teach it`);
  }
  if (!isIdName(name)) throw new Error(`the sweep does not know the id parameter "${name}" of ${path}: teach it`);
  return world[name];
}

/** Refuses a field that looks like an id the sweep does not know. */
function assertKnown(name: string, schema: Schema, path: string): void {
  const uuid = schema.format === 'uuid' || (schema.anyOf ?? []).some((option) => option.format === 'uuid');
  if ((uuid || name.endsWith('_id')) && !isIdName(name))
    throw new Error(`the sweep does not know the id field "${name}" of ${path}: teach it`);
}

/** A value that passes the schema (for the fields that are not ids). */
function valueFor(schema: Schema): unknown {
  if (schema.anyOf) return valueFor(schema.anyOf.find((option) => option.type !== 'null') ?? schema.anyOf[0]!);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri') return 'https://example.com/x';
      return 'x'.repeat(Math.max(8, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return {};
  }
}

interface Swept {
  method: string;
  path: string;
  operation: Operation;
  slots: Slot[];
  signed: boolean;
}

/** The operations that take an id, each with its id slots. */
function operationsOf(document: { paths: Record<string, Record<string, Operation>> }): Swept[] {
  const swept: Swept[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const signed = takesSignedUrl(operation);
      const slots: Slot[] = [];
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path') slots.push({ in: 'path', name: parameter.name });
        if (parameter.in !== 'query') continue;
        if (signed && SIGNED_PARAMS.has(parameter.name)) continue;
        assertKnown(parameter.name, parameter.schema ?? {}, path);
        if (isIdName(parameter.name)) slots.push({ in: 'query', name: parameter.name });
      }
      for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) {
        for (const [name, property] of Object.entries(content.schema.properties ?? {})) {
          if (property.format === 'binary') continue;
          assertKnown(name, property, path);
          if (isIdName(name)) slots.push({ in: type === 'multipart/form-data' ? 'form' : 'body', name });
        }
      }
      // A signed URL names its user in the query: swept as such a URL, without a token.
      if (signed) slots.push({ in: 'query', name: 'user_id' });
      if (slots.length > 0) swept.push({ method: method.toUpperCase(), path, operation, slots, signed });
    }
  }
  return swept;
}

interface Reply {
  status: number;
  text: string;
  body: any;
}

/**
 * Calls the operation as B: every id from `idOf`, the other required values made up. With `signedUrl`,
 * no token: the URL's query (user_id, expires, signature) stands for it.
 */
async function call(
  api: Api,
  op: Swept,
  idOf: (slot: Slot) => string,
  auth: { token: string } | { signedUrl: URL },
): Promise<Reply> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => idOf({ in: 'path', name }));
  const url = new URL(api.baseUrl + path);
  const headers: Record<string, string> = {};
  if ('token' in auth) headers.authorization = `Bearer ${auth.token}`;
  else for (const [name, value] of auth.signedUrl.searchParams) url.searchParams.set(name, value);
  for (const parameter of op.operation.parameters ?? []) {
    if (parameter.in !== 'query' || (op.signed && SIGNED_PARAMS.has(parameter.name))) continue;
    if (isIdName(parameter.name)) url.searchParams.set(parameter.name, idOf({ in: 'query', name: parameter.name }));
    else if (parameter.required) url.searchParams.set(parameter.name, String(valueFor(parameter.schema ?? {})));
  }
  if ('signedUrl' in auth) url.searchParams.set('user_id', idOf({ in: 'query', name: 'user_id' }));

  const content = op.operation.requestBody?.content ?? {};
  let body: string | FormData | undefined;
  if (content['application/json']) {
    const schema = content['application/json'].schema;
    const fields: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (isIdName(name)) fields[name] = idOf({ in: 'body', name });
      else if (schema.required?.includes(name)) fields[name] = valueFor(property);
    }
    body = JSON.stringify(fields);
    headers['content-type'] = 'application/json';
  } else if (content['multipart/form-data']) {
    const schema = content['multipart/form-data'].schema;
    const form = new FormData();
    const files: string[] = [];
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (property.format === 'binary') files.push(name);
      else if (isIdName(name)) form.append(name, idOf({ in: 'form', name }));
      else if (schema.required?.includes(name)) form.append(name, String(valueFor(property)));
    }
    // The fields before the files, as the API asks: a wrong id is refused before the upload is kept.
    for (const name of files) {
      const file = await fileFor(op.path, name);
      form.append(name, file.blob, file.name);
    }
    body = form;
  }
  const response = await fetch(url, {
    method: op.method,
    headers,
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  if (response.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
  return { status: response.status, text: text.slice(0, 300), body: parsed };
}

/** What A sees of their own data, through the API: each route's status and answer. */
async function aliceView(api: Api, world: World, token: string): Promise<Array<[string, number, string]>> {
  const paths = [
    '/api/users/me',
    '/api/users/me/progress',
    '/api/portfolios/',
    `/api/portfolios/${world.portfolio_id}`,
    `/api/portfolios/${world.portfolio_id}/capabilities`,
    '/api/job-postings/',
    `/api/job-postings/${world.job_posting_id}`,
    '/api/interviews/sessions/',
    `/api/interviews/sessions/${world.session_id}`,
    `/api/interviews/sessions/${world.session_id}/questions`,
    `/api/interviews/sessions/${world.session_id}/videos`,
    `/api/interviews/sessions/${world.session_id}/summary`,
    `/api/interviews/sessions/${world.session_id}/report`,
    `/api/interviews/questions/${world.question_id}/answers`,
    `/api/interviews/questions/${world.question_id}/attempts`,
    `/api/interviews/videos/${world.video_id}`,
    `/api/video/results/${world.video_id}`,
    `/api/video/jobs/${world.job_id}`,
  ];
  const view = await Promise.all(
    paths.map(async (path): Promise<[string, number, string]> => {
      const reply = await api.get(path, token);
      return [path, reply.status, reply.text];
    }),
  );
  const file = await fetch(`${api.baseUrl}/api/interviews/videos/${world.video_id}/file`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const bytes = Buffer.from(await file.arrayBuffer());
  view.push(['video file', file.status, createHash('sha256').update(bytes).digest('hex')]);
  return view;
}

/** Every row of every table, and the names of the stored files (the SQLite database's aside). */
async function everything(dialect: Dialect['name'], db: Db, dataDir: string): Promise<string> {
  // Kysely lists the tables of every schema; other tests' schemas may exist at the same time.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ name: string }>`select current_schema() as name`.execute(db)).rows[0]!.name
      : undefined;
  const tables = (await db.introspection.getTables())
    .filter((table) => table.schema === schema)
    .map((table) => table.name)
    .sort();
  assert.ok(tables.includes('interview_session'), `tables: ${tables.join(', ')}`);
  const rows: Array<[string, string[]]> = [];
  for (const table of tables) {
    const { rows: all } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    rows.push([table, all.map((row) => JSON.stringify(row)).sort()]);
  }
  const files = (await filesUnder(dataDir)).filter((file) => !file.startsWith('test.db'));
  return JSON.stringify([rows, files]);
}

/** Transcription and speech engines on loopback, so the speech routes get past "no engine" (503). */
async function speechEngines(t: TestContext): Promise<Record<string, string>> {
  const speech = await readFile(SPEECH);
  const server = await fakeServer(t, (request, response) => {
    // It hears nothing: a route must refuse a question of A's even when there is no text to save as
    // its answer (the answer's own check is swept at POST …/answers).
    if (request.url === '/v1/audio/transcriptions')
      return sendJson(response, 200, { text: '', language: 'english', duration: 8, segments: [], words: [] });
    if (request.url === '/v1/audio/speech') {
      response.writeHead(200, { 'content-type': 'audio/wav' });
      return response.end(speech);
    }
    sendJson(response, 404, { error: 'no' });
  });
  return {
    STT_ENGINE: 'openai',
    STT_OPENAI_URL: server.url,
    TTS_ENGINE: 'openai',
    TTS_OPENAI_URL: `${server.url}/v1`,
  };
}

for (const dialect of DIALECTS) {
  describe(`cross-user sweep (${dialect.name})`, { skip: dialect.skip }, () => {
    test('user B with one of user A’s ids, B’s own in every other slot: 403 or 404, A’s data unchanged', async (t) => {
      const { api, db, dataDir } = await startApp(t, dialect.name, await speechEngines(t));
      const snapshot = () => everything(dialect.name, db, dataDir);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const [aliceIds, bobIds] = await Promise.all([ownWorld(api, alice), ownWorld(api, bob)]);
      const aliceSees = async () => JSON.stringify(await aliceView(api, aliceIds, alice.token));
      const first = await aliceView(api, aliceIds, alice.token);
      for (const [path, status, text] of first) assert.equal(status, 200, `A's own ${path}: ${text}`);
      let before = JSON.stringify(first);
      const document = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
      const operations = operationsOf(document);

      const failures: string[] = [];
      const log: string[] = [];
      const swept = new Set<string>();
      const idsOf = (op: Swept, swapped?: Slot) => (slot: Slot) =>
        idIn(slot.name, op.path, swapped && slotName(slot) === slotName(swapped) ? aliceIds : bobIds);

      /** B's call with B's ids only: it must succeed, or the refusals that follow would prove nothing. */
      async function ownCall(op: Swept): Promise<void> {
        const name = `${op.method} ${op.path}`;
        const reply = await call(api, op, idsOf(op), { token: bob.token });
        log.push(`${name} with B's ids → ${reply.status}`);
        const expected = OWN_CALL_STATUS[name];
        if (expected ? reply.status !== expected.status || reply.body.code !== expected.code : reply.status >= 300)
          failures.push(`${name} with B's own ids answered ${reply.status}: ${reply.text}`);
        if (op.signed) {
          const signedUrl = await signedUrlOf(api, op.path, bobIds, bob.token);
          const signed = await call(api, op, idsOf(op), { signedUrl });
          log.push(`${name} with B's signed URL → ${signed.status}`);
          if (signed.status !== 200)
            failures.push(`${name} with B's own signed URL answered ${signed.status}: ${signed.text}`);
        }
      }

      /** One call per slot, A's id in it: refused, with no trace left; then A's view is compared. */
      async function sweep(op: Swept): Promise<void> {
        const name = `${op.method} ${op.path}`;
        for (const slot of op.slots) {
          const key = `${name} ${slotName(slot)}`;
          const where = `${name} with A's ${slotName(slot)}`;
          swept.add(key);
          const signedSlot = op.signed && slot.in === 'query' && slot.name === 'user_id';
          const auth = signedSlot
            ? { signedUrl: await signedUrlOf(api, op.path, bobIds, bob.token) }
            : { token: bob.token };
          const ignored = IGNORED[key];
          const stored = ignored ? '' : await snapshot();
          const reply = await call(api, op, idsOf(op, slot), auth);
          log.push(`${where} → ${reply.status}`);
          if (ignored) {
            if (reply.status >= 300 || !ignored.check(reply.body, bobIds))
              failures.push(`${where} (ignored: ${ignored.why}) answered ${reply.status}: ${reply.text}`);
            continue;
          }
          if (signedSlot) {
            // The signature binds the user: B's URL with A's user_id is no valid URL.
            if (reply.status !== 401 || reply.body.code !== 'INVALID_MEDIA_URL')
              failures.push(
                `${where} (B's signed URL) answered ${reply.status}, not 401 INVALID_MEDIA_URL: ${reply.text}`,
              );
          } else if (reply.status !== 403 && reply.status !== 404) {
            failures.push(`${where} answered ${reply.status}, not 403 or 404: ${reply.text}`);
          }
          // A refused call leaves no trace, of A's or of B's: a row written before the refusal is one.
          if ((await snapshot()) !== stored) failures.push(`${where} changed rows or files (answer ${reply.status})`);
        }
        const after = await aliceSees();
        if (after !== before) failures.push(`${name}: A's data, as A sees it, changed`);
        before = after;
      }

      for (const op of operations) {
        if (op.method !== 'DELETE') await ownCall(op);
        await sweep(op);
      }
      // B's own deletions come last (B's account last of all), so B's ids stay valid throughout.
      const deletions = operations.filter((op) => op.method === 'DELETE');
      const account = (op: Swept) => op.path.startsWith('/api/users/');
      for (const op of [...deletions.filter((op) => !account(op)), ...deletions.filter(account)]) await ownCall(op);

      for (const key of [...Object.keys(IGNORED), ...Object.keys(OWN_CALL_STATUS)]) {
        const known = swept.has(key) || operations.some((op) => key === `${op.method} ${op.path}`);
        assert.ok(known, `the sweep lists "${key}", which the API no longer has: remove it`);
      }
      assert.deepEqual(failures, [], `${failures.join('\n')}\n\nall calls:\n${log.join('\n')}`);
      const missed = MUST_SWEEP.filter((key) => !swept.has(key));
      assert.deepEqual(missed, [], `not swept:\n${log.join('\n')}`);
      assert.ok(swept.size >= 45, `the sweep covered ${swept.size} slots:\n${log.join('\n')}`);
      assert.equal(await aliceSees(), before, "A's data changed");
    });
  });
}
