// Process entry: configuration → database (migrated) → app → listen. A problem at start that the
// operator must fix (a bad setting, a database that cannot be opened or written, a port in use) is one
// line on stderr and exit code 1, not a stack trace.
import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app.ts';
import { webAppBuilt } from './http/web-app.ts';
import { ConfigError, loadConfig, loadDotEnv, type Config } from './config.ts';
import { checkWritable, migrateToLatest, openDatabase, type Db } from './db/index.ts';

function stop(problem: string): never {
  console.error(problem);
  process.exit(1);
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The database URL as it may be printed: without a password. */
function printable(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl;
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

loadDotEnv();
let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) stop(error.message);
  throw error;
}

let db: Db;
// The logger comes with the app, made once the database is open.
const logger: { current?: FastifyBaseLogger } = {};
try {
  ({ db } = openDatabase(config.databaseUrl, (error) =>
    logger.current?.warn({ err: error }, 'database: an idle connection was lost; the pool opens another'),
  ));
  await migrateToLatest(db);
  await checkWritable(db);
} catch (error) {
  stop(`Cannot use the database ${printable(config.databaseUrl)}: ${reason(error)}`);
}

const app = await buildApp({ config, db });
logger.current = app.log;
if (!webAppBuilt()) app.log.warn('the web app is not built (npm start builds it): serving the API only');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => db.destroy());
  });
}

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  if ((error as NodeJS.ErrnoException).syscall === 'listen')
    stop(`Cannot listen on ${config.host}:${config.port}: ${reason(error)}`);
  throw error;
}
