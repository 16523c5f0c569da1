// `npm run demo-data`: a user, a session and a question to try the API with (the original's
// create_test_data), printed with a login and a ready bearer token.
import { randomBytes } from 'node:crypto';
import { buildApp } from '../app.ts';
import { loadConfig, loadDotEnv } from '../config.ts';
import { migrateToLatest, openDatabase } from '../db/index.ts';

loadDotEnv();
const config = { ...loadConfig(), logLevel: 'warn' };
const { db } = openDatabase(config.databaseUrl);
await migrateToLatest(db);
const app = await buildApp({ config, db });

// Through the API itself, so the demo rows are exactly what a client would create.
async function call<T>(method: 'POST' | 'GET', url: string, payload?: object, token?: string): Promise<T> {
  const response = await app.inject({
    method,
    url,
    payload,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

try {
  const email = `demo-${randomBytes(4).toString('hex')}@example.com`;
  const password = randomBytes(9).toString('base64url');
  const user = await call<{ id: string }>('POST', '/api/users/', {
    email,
    password,
    name: '데모 사용자',
    role: 'ROLE_BE',
    level: 'LEVEL_JUNIOR',
  });
  const { access_token } = await call<{ access_token: string }>('POST', '/api/users/login', { email, password });
  const session = await call<{ id: string }>('POST', '/api/interviews/sessions', { title: '데모 면접' }, access_token);
  const question = await call<{ id: string }>(
    'POST',
    `/api/interviews/sessions/${session.id}/questions`,
    { text: '자기소개를 해 주세요.', type: 'intro', source: 'demo', order: 1 },
    access_token,
  );
  console.log(
    JSON.stringify(
      { user_id: user.id, session_id: session.id, question_id: question.id, email, password, access_token },
      null,
      2,
    ),
  );
} finally {
  await app.close();
  await db.destroy();
}
