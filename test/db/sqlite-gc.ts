// Child process for sqlite-gc.test.ts: the server's own database layer makes and drops thousands of
// prepared statements (Kysely prepares one per query), then the process sits idle so that V8 collects
// them from a background task, outside any JavaScript context. better-sqlite3 12 built against
// Node 24.19+ headers aborts there (`RemoveEnvironmentCleanupHook`: `(env) != nullptr`).
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';

const { db } = openDatabase(`sqlite:${process.argv[2]}`);
await migrateToLatest(db);
// Distinct texts, so the statement cache keeps none of them.
for (let i = 0; i < 5000; i++) await sql.raw(`select ${i} as n`).execute(db);
// Grow the heap so that the memory reducer schedules a full collection once the process is idle.
let garbage: number[][] | null = Array.from({ length: 200 }, (_, i) => new Array<number>(100_000).fill(i));
garbage = null;
setTimeout(() => {
  console.log(`idle with ${garbage ?? 'no'} garbage: survived`);
}, 12_000);
