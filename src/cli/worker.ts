// `npm run worker`: an analysis worker with no HTTP server, for deployments with REDIS_URL. It takes
// jobs from the queue that the API servers fill, runs ANALYSIS_CONCURRENCY of them at once, and stops
// cleanly on SIGINT or SIGTERM (unfinished jobs go back to the queue for the other workers).
import pino from 'pino';
import { ConfigError, loadConfig, loadDotEnv } from '../config.ts';
import { checkWritable, migrateToLatest, openDatabase } from '../db/index.ts';
import { startAnalysisWorker } from '../jobs/redis-queue.ts';
import { createServices } from '../services.ts';

function stop(problem: string): never {
  console.error(problem);
  process.exit(1);
}

loadDotEnv();
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) stop(error.message);
  throw error;
}
if (!config.redis) stop('npm run worker needs REDIS_URL: without it the server runs analyses itself.');

const log = pino({ level: config.logLevel, name: 'worker' });
const { db } = openDatabase(config.databaseUrl, (error) =>
  log.warn({ err: error }, 'database: an idle connection was lost; the pool opens another'),
);
try {
  await migrateToLatest(db);
  await checkWritable(db);
} catch (error) {
  stop(`Cannot use the database: ${error instanceof Error ? error.message : String(error)}`);
}
const { storage, jobHooks, newRunner } = createServices(config, db, log);
await storage.clearTemporaryFiles();
const stopWorker = await startAnalysisWorker({
  db,
  runner: newRunner(),
  hooks: jobHooks,
  settings: config.redis,
  concurrency: config.analysisConcurrency,
  timeoutSec: config.analysisTimeoutSec,
  log,
});
log.info({ concurrency: config.analysisConcurrency }, 'analysis worker ready');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'stopping');
    void stopWorker()
      .then(() => db.destroy())
      .then(() => process.exit(0));
  });
}
