// The cross-user sweep: for every operation in /openapi.json that takes an id (in its path, query,
// JSON body or form), user B calls it on user A's ids, and nothing answers 2xx and A's data is
// unchanged. A new route is swept as soon as it is in the OpenAPI document; an id parameter the sweep
// does not know fails the test, so it cannot be skipped silently.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { DIALECTS, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

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
interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const VIDEO = join(import.meta.dirname, '..', 'fixtures', 'video_talking_male_en_5s.mp4');

/** Everything A owns, by the parameter names the API uses for it. */
async function aliceWorld(api: Api, alice: TestUser) {
  const token = alice.token;
  const pdf = new FormData();
  pdf.append('file', new Blob([new Uint8Array(await (await PDFDocument.create()).save())]), 'cv.pdf');
  const portfolio = await api.request('POST', '/api/portfolios/upload', { body: pdf, token });
  assert.equal(portfolio.status, 201, portfolio.text);
  const posting = await api.post(
    '/api/job-postings/',
    { company_name: 'Acme', title: 'Engineer', raw_text: 'Java and Kafka.' },
    token,
  );
  const session = await api.post(
    '/api/interviews/sessions',
    { portfolio_id: portfolio.body.id, job_posting_id: posting.body.id, generate_questions: false },
    token,
  );
  const question = await api.post(`/api/interviews/sessions/${session.body.id}/questions`, { text: 'Why us?' }, token);
  await api.post(`/api/interviews/questions/${question.body.id}/answers`, { text: 'Because I build things.' }, token);
  const form = new FormData();
  form.append('session_id', session.body.id);
  form.append('question_id', question.body.id);
  form.append('file', new Blob([await readFile(VIDEO)]), 'answer.mp4');
  const video = await api.request('POST', '/api/video/upload', { body: form, token });
  assert.equal(video.status, 200, video.text);
  const job = await api.post(`/api/video/analyze/${video.body.video_id}?async=true`, undefined, token);
  for (let i = 0; i < 600; i++) {
    const state = (await api.get(`/api/video/jobs/${job.body.job_id}`, token)).body.status;
    if (state === 'succeeded' || state === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    user_id: alice.id,
    portfolio_id: portfolio.body.id as string,
    job_posting_id: posting.body.id as string,
    session_id: session.body.id as string,
    question_id: question.body.id as string,
    parent_question_id: question.body.id as string,
    video_id: video.body.video_id as string,
    job_id: job.body.job_id as string,
  };
}

type World = Awaited<ReturnType<typeof aliceWorld>>;
const ID_NAMES = new Set([
  'user_id',
  'portfolio_id',
  'job_posting_id',
  'session_id',
  'question_id',
  'parent_question_id',
  'video_id',
  'job_id',
]);

/** `{id}` means the resource of the path it sits in. */
function idFor(name: string, path: string, world: World): string {
  if (name === 'id') {
    if (path.startsWith('/api/portfolios/')) return world.portfolio_id;
    if (path.startsWith('/api/job-postings/')) return world.job_posting_id;
    throw new Error(`the sweep does not know what {id} means in ${path}: teach it`);
  }
  const id = world[name as keyof World];
  if (!id) throw new Error(`the sweep does not know the id parameter "${name}" of ${path}: teach it`);
  return id;
}

/** A value that passes the schema, with A's ids wherever an id goes. */
function valueFor(name: string, schema: Schema, path: string, world: World): unknown {
  if (ID_NAMES.has(name)) return idFor(name, path, world);
  if (schema.anyOf)
    return valueFor(name, schema.anyOf.find((option) => option.type !== 'null') ?? schema.anyOf[0]!, path, world);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri') return 'https://example.com/x';
      if (schema.format === 'uuid') return world.video_id;
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

function takesAnId(path: string, operation: Operation): boolean {
  const names = [
    ...(operation.parameters ?? []).map((parameter) => parameter.name),
    ...Object.values(operation.requestBody?.content ?? {}).flatMap((content) =>
      Object.keys(content.schema.properties ?? {}),
    ),
  ];
  return /\{[^}]+\}/.test(path) || names.some((name) => ID_NAMES.has(name));
}

/** What A sees of their own data, through the API. */
async function aliceView(api: Api, world: World, token: string): Promise<string> {
  const paths = [
    '/api/users/me',
    '/api/portfolios/',
    '/api/job-postings/',
    '/api/interviews/sessions/',
    `/api/interviews/sessions/${world.session_id}/questions`,
    `/api/interviews/questions/${world.question_id}/answers`,
    `/api/interviews/sessions/${world.session_id}/videos`,
    `/api/video/results/${world.video_id}`,
    `/api/video/jobs/${world.job_id}`,
  ];
  const replies = await Promise.all(paths.map(async (path) => [path, (await api.get(path, token)).text]));
  const file = await fetch(`${api.baseUrl}/api/interviews/videos/${world.video_id}/file`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return JSON.stringify([replies, file.status, (await file.arrayBuffer()).byteLength]);
}

for (const dialect of DIALECTS) {
  describe(`cross-user sweep (${dialect.name})`, { skip: dialect.skip }, () => {
    test('user B on user A’s ids: no route answers 2xx, and A’s data is unchanged', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const world = await aliceWorld(api, alice);
      const before = await aliceView(api, world, alice.token);
      const document = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };

      const swept: string[] = [];
      const failures: string[] = [];
      for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (!takesAnId(path, operation)) continue;
          const url = new URL(api.baseUrl + path.replace(/\{(\w+)\}/g, (_, name: string) => idFor(name, path, world)));
          for (const parameter of operation.parameters ?? []) {
            if (parameter.in === 'query' && (ID_NAMES.has(parameter.name) || parameter.required)) {
              url.searchParams.set(
                parameter.name,
                String(valueFor(parameter.name, parameter.schema ?? {}, path, world)),
              );
            }
          }
          const content = operation.requestBody?.content ?? {};
          let body: string | FormData | undefined;
          const headers: Record<string, string> = {};
          if (content['application/json']) {
            const schema = content['application/json'].schema;
            const fields = Object.entries(schema.properties ?? {}).filter(
              ([name]) => ID_NAMES.has(name) || schema.required?.includes(name),
            );
            body = JSON.stringify(
              Object.fromEntries(fields.map(([name, property]) => [name, valueFor(name, property, path, world)])),
            );
            headers['content-type'] = 'application/json';
          } else if (content['multipart/form-data']) {
            const form = new FormData();
            for (const [name, property] of Object.entries(content['multipart/form-data'].schema.properties ?? {})) {
              if (name === 'file') continue;
              form.append(name, String(valueFor(name, property, path, world)));
            }
            form.append('file', new Blob([await readFile(VIDEO)]), 'answer.mp4');
            body = form;
          }
          const reply = await api.request(method.toUpperCase(), url.pathname + url.search, {
            token: bob.token,
            headers,
            body,
          });
          swept.push(`${method.toUpperCase()} ${path} → ${reply.status}`);
          if (reply.status < 300)
            failures.push(`${method.toUpperCase()} ${path} answered ${reply.status}: ${reply.text.slice(0, 200)}`);
        }
      }
      assert.deepEqual(failures, [], `B reached A's data:\n${failures.join('\n')}`);
      assert.ok(swept.length >= 25, `the sweep covered ${swept.length} operations:\n${swept.join('\n')}`);
      assert.equal(await aliceView(api, world, alice.token), before, "A's data changed");
    });
  });
}
