// Opens the database named by a URL (SQLite file or PostgreSQL) behind one Kysely instance.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrations, TABLES_CHILDREN_FIRST } from './migrations.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';
export type Db = Kysely<Database>;
const STATEMENT_CACHE_SIZE = 1000;

export type DialectName = 'sqlite' | 'postgres';

export interface OpenDatabase {
  db: Db;
  dialect: DialectName;
}

/**
 * `onConnectionLost` hears of a pooled PostgreSQL connection that failed while idle (the server
 * restarted, or an administrator ended it): the pool drops it and opens another when needed. Without a
 * listener that error would end the process.
 */
export function openDatabase(url: string, onConnectionLost: (error: Error) => void = () => {}): OpenDatabase {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') makePrivate(file);
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is safe from corruption in WAL mode and skips an fsync per commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }),
      dialect: 'sqlite',
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', onConnectionLost);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
}

/**
 * The database file, its folder and its -wal and -shm files readable by the owner only. SQLite gives the
 * -wal and -shm files the database file's mode, so a new file is created first with ours; existing
 * files lose their group and other permissions (and keep the owner's: a read-only file stays so).
 */
function makePrivate(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    const { mode } = statSync(path);
    if (mode & 0o077) chmodSync(path, mode & 0o700);
  }
}

/**
 * Kysely prepares every query anew; compiling SQL is a large share of a small query's cost, and an
 * app issues the same few hundred SQL texts over and over, so prepared statements are kept by text.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (statements.size < STATEMENT_CACHE_SIZE) statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * On PostgreSQL the bookkeeping tables are named in the current schema: Kysely would otherwise look
 * for them in every schema and, finding another schema's, skip creating its own.
 */
async function migrator(db: Db): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema });
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await (await migrator(db)).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Drops every table, the migration bookkeeping included. */
export async function dropAll(db: Db): Promise<void> {
  for (const table of [...TABLES_CHILDREN_FIRST, 'kysely_migration', 'kysely_migration_lock']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * Throws when the database cannot be written (a read-only file or folder, a read-only server), which
 * reading and migrating an up-to-date schema would not reveal: an update needs write access even when
 * it matches no row.
 */
export async function checkWritable(db: Db): Promise<void> {
  await sql`update kysely_migration_lock set is_locked = is_locked where 1 = 0`.execute(db);
}

/** A UNIQUE constraint failed (both drivers' codes). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** PostgreSQL refuses NUL characters in text; SQLite stores them. */
export function isInvalidText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}
