import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import { DIALECTS, expectError, signUp, startApp } from '../helpers.ts';

// Every non-video path of the original README, plus the account and answer endpoints.
const EXPECTED_OPERATIONS = [
  'post /api/users/',
  'post /api/users/signup',
  'post /api/users/login',
  'get /api/users/me',
  'get /api/users/roles',
  'post /api/interviews/stt',
  'post /api/job-postings/crawl',
  'post /api/portfolios/{id}/capabilities/generate',
  'get /api/portfolios/{id}/capabilities',
  'get /api/interviews/questions/{question_id}/tts',
  'get /api/interviews/questions/{question_id}/tts/audio',
  'patch /api/users/me',
  'get /api/users/{user_id}',
  'get /api/users/',
  'delete /api/users/{user_id}',
  'post /api/portfolios/',
  'post /api/portfolios/upload',
  'get /api/portfolios/',
  'get /api/portfolios/{id}',
  'get /api/portfolios/user/{user_id}',
  'delete /api/portfolios/{id}',
  'post /api/job-postings/',
  'get /api/job-postings/',
  'get /api/job-postings/{id}',
  'get /api/job-postings/user/{user_id}',
  'delete /api/job-postings/{id}',
  'post /api/interviews/sessions',
  'get /api/interviews/sessions/',
  'get /api/interviews/sessions/{session_id}',
  'get /api/interviews/sessions/user/{user_id}',
  'patch /api/interviews/sessions/{session_id}/complete',
  'post /api/interviews/sessions/{session_id}/questions',
  'get /api/interviews/sessions/{session_id}/questions',
  'post /api/interviews/questions/{question_id}/answers',
  'get /api/interviews/questions/{question_id}/answers',
  'post /api/interviews/sessions/{session_id}/questions/generate',
  'post /api/interviews/questions/{question_id}/followup',
  'get /api/interviews/sessions/{session_id}/videos',
  'get /api/interviews/sessions/{session_id}/summary',
  'get /api/interviews/sessions/{session_id}/report',
  'get /api/interviews/questions/{question_id}/attempts',
  'get /api/users/me/progress',
  'get /api/interviews/videos/{video_id}',
  'delete /api/interviews/videos/{video_id}',
  'get /api/interviews/videos/{video_id}/file',
  'post /api/interviews/videos/{video_id}/playback-url',
  'get /api/video/status',
  'post /api/video/upload',
  'post /api/video/analyze/{video_id}',
  'get /api/video/jobs/{job_id}',
  'get /api/video/jobs/{job_id}/events',
  'get /api/video/results/{video_id}',
  'get /',
  'get /health',
];
// Operations with more than one success reply.
const SUCCESS_REPLIES: Record<string, string[]> = {
  'post /api/video/analyze/{video_id}': ['200', '202'],
  'get /api/interviews/videos/{video_id}/file': ['200', '206'],
  'get /api/interviews/questions/{question_id}/tts/audio': ['200', '206'],
};

describe('system routes and documentation', () => {
  test('root names the API; health checks the database and answers 503 when it is gone', async (t) => {
    const { api, db } = await startApp(t, 'sqlite');
    const root = await api.get('/');
    assert.deepEqual(root.body, { message: 'Interview Practice API', version: '0.1.0', docs: '/docs' });
    assert.deepEqual((await api.get('/health')).body, {
      status: 'healthy',
      database: 'connected',
      storage: 'writable',
    });
    await db.destroy();
    const down = await api.get('/health');
    expectError(down, 503, 'DATABASE_UNAVAILABLE');
    assert.deepEqual(down.body, {
      status: 'unhealthy',
      database: 'disconnected',
      storage: 'writable',
      detail: 'The database does not answer',
      code: 'DATABASE_UNAVAILABLE',
    });
  });

  test('health answers 503 when the data folder is gone, without naming its path', async (t) => {
    const { api, dataDir } = await startApp(t, 'sqlite');
    assert.equal((await api.get('/health')).status, 200);
    await rm(dataDir, { recursive: true, force: true });
    const gone = await api.get('/health');
    expectError(gone, 503, 'STORAGE_UNAVAILABLE');
    assert.equal(gone.body.database, 'connected');
    assert.equal(gone.body.storage, 'unwritable');
    assert.ok(!gone.text.includes(dataDir) && !gone.text.includes('/'), gone.text);
  });

  test('the OpenAPI document lists every operation with a summary and typed replies', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const doc = (await api.get('/openapi.json')).body;
    assert.equal(doc.openapi.startsWith('3.'), true);
    const operations: string[] = [];
    for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations.push(`${method} ${path}`);
        assert.ok(operation.summary, `${method} ${path} has no summary`);
        const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
        assert.equal(
          success.length,
          SUCCESS_REPLIES[`${method} ${path}`]?.length ?? 1,
          `${method} ${path} success replies: ${success}`,
        );
      }
    }
    assert.deepEqual(operations.sort(), [...EXPECTED_OPERATIONS].sort());
    const upload = doc.paths['/api/portfolios/upload'].post;
    assert.ok(upload.requestBody.content['multipart/form-data'].schema.properties.file);
    const videoUpload = doc.paths['/api/video/upload'].post.requestBody.content['multipart/form-data'].schema;
    assert.deepEqual(Object.keys(videoUpload.properties).sort(), ['file', 'question_id', 'session_id', 'user_id']);
    assert.deepEqual(doc.paths['/api/users/login'].post.security, []);
    assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
    const me = doc.paths['/api/users/me'].get.responses['200'].content['application/json'].schema;
    assert.ok(!('password_hash' in me.properties));
  });

  test('Swagger UI and ReDoc load from local files', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const swagger = await api.request('GET', '/docs/static/index.html');
    assert.equal(swagger.status, 200);
    assert.match(swagger.text, /swagger-ui/i);
    const redoc = await api.get('/redoc');
    assert.equal(redoc.status, 200);
    assert.match(redoc.text, /<redoc spec-url="\/openapi.json">/);
    assert.doesNotMatch(redoc.text, /https?:\/\//);
    const bundle = await api.get('/redoc/redoc.standalone.js');
    assert.equal(bundle.status, 200);
    assert.ok(bundle.text.length > 100_000);
  });

  test('unknown routes answer the one error shape', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const reply = await api.get('/api/nothing-here');
    assert.equal(reply.status, 404);
    assert.equal(reply.body.code, 'ROUTE_NOT_FOUND');
    // The query is not echoed: it may hold a credential.
    const withToken = await api.get('/api/nothing-here?access_token=eyJsecret.part');
    assert.equal(withToken.body.detail, 'Route GET /api/nothing-here not found');
  });

  test('what the router and the HTTP parser refuse has the one error shape too', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const user = await signUp(api);
    // A path parameter over Fastify's maxParamLength (100); GET would reach the web app's catch-all.
    const longParam = await api.delete(`/api/interviews/videos/${'a'.repeat(200)}`, user.token);
    expectError(longParam, 414, 'URI_TOO_LONG');
    assert.deepEqual(Object.keys(longParam.body).sort(), ['code', 'detail']);
    const badEncoding = await api.delete('/api/interviews/videos/%E0%A4%A', user.token);
    expectError(badEncoding, 400, 'BAD_URL');
    assert.deepEqual(Object.keys(badEncoding.body).sort(), ['code', 'detail']);
    // A request line beyond Node's header size limit never reaches Fastify.
    const hugeUrl = await api.get(`/api/users/me?padding=${'x'.repeat(20_000)}`, user.token);
    expectError(hugeUrl, 431, 'HEADERS_TOO_LARGE');
    assert.deepEqual(Object.keys(hugeUrl.body).sort(), ['code', 'detail']);
  });
});

for (const dialect of DIALECTS) {
  test(`migrations create the eleven tables and the job table (${dialect.name})`, { skip: dialect.skip }, async (t) => {
    const { db } = await startApp(t, dialect.name);
    // Kysely lists the tables of every schema; other tests' schemas may exist at the same time.
    const schema =
      dialect.name === 'postgres'
        ? (await sql<{ name: string }>`select current_schema() as name`.execute(db)).rows[0]!.name
        : undefined;
    const tables = (await db.introspection.getTables())
      .filter((table) => table.schema === schema)
      .map((table) => table.name)
      .sort();
    assert.deepEqual(tables, [
      'analysis_job',
      'capability_evaluation',
      'feedback',
      'interview_answer',
      'interview_question',
      'interview_session',
      'interview_transcript',
      'interview_video',
      'job_posting',
      'nonverbal_metrics',
      'nonverbal_timeline',
      'portfolio',
      'user',
    ]);
  });
}
