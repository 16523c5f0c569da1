// Process entry: configuration → database (migrated) → app → listen.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, loadDotEnv } from './config.ts';
import { migrateToLatest, openDatabase } from './db/index.ts';

loadDotEnv();
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const { db } = openDatabase(config.databaseUrl);
await migrateToLatest(db);
const app = await buildApp({ config, db });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => db.destroy());
  });
}

await app.listen({ port: config.port, host: config.host });
