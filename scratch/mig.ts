import { openDatabase, migrateToLatest } from '../src/db/index.ts';
const { db } = openDatabase('sqlite::memory:'); console.log(await migrateToLatest(db)); await db.destroy();
