// `npm run db:init` applies migrations; `npm run db:drop -- --yes` drops every table.
import { loadConfig, loadDotEnv } from '../config.ts';
import { dropAll, migrateToLatest, openDatabase } from '../db/index.ts';

const [command, ...flags] = process.argv.slice(2);
if (command !== 'init' && command !== 'drop') {
  console.error('usage: db init | db drop --yes');
  process.exit(2);
}
if (command === 'drop' && !flags.includes('--yes')) {
  console.error('Refusing to drop every table and all data without --yes (npm run db:drop -- --yes).');
  process.exit(2);
}

loadDotEnv();
const config = loadConfig();
const { db, dialect } = openDatabase(config.databaseUrl);
try {
  if (command === 'init') {
    const applied = await migrateToLatest(db);
    console.log(`${dialect}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}`);
  } else {
    await dropAll(db);
    console.log(`${dialect}: dropped every table`);
  }
} finally {
  await db.destroy();
}
