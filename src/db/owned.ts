// Queries shared by the tables that belong to a user directly (they all have `id` and `user_id`).
import { PostgresAdapter, type Insertable, type Selectable } from 'kysely';
import type { Database, Db } from './index.ts';

export type OwnedTable = 'portfolio' | 'job_posting' | 'interview_session';

/** The row with this id if the user owns it. */
export async function findOwned<T extends OwnedTable>(
  db: Db,
  table: T,
  userId: string,
  id: string,
): Promise<Selectable<Database[T]> | undefined> {
  const row = await db
    .selectFrom(table as OwnedTable)
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row as Selectable<Database[T]> | undefined;
}

/** The user's rows, newest first. */
export async function listOwned<T extends OwnedTable>(
  db: Db,
  table: T,
  userId: string,
  page: { offset: number; limit: number },
): Promise<Selectable<Database[T]>[]> {
  const rows = await db
    .selectFrom(table as OwnedTable)
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows as Selectable<Database[T]>[];
}

/** How many rows of the table the user keeps. */
export async function countOwned(db: Db, table: OwnedTable, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/**
 * Inserts a row for its user unless they already keep `max` rows in the table; false then. Counted in a
 * transaction that, on PostgreSQL, first locks the user's row, so concurrent inserts for one user are
 * counted one after another (SQLite runs one write transaction at a time anyway).
 */
export async function insertOwnedWithin<T extends OwnedTable>(
  db: Db,
  table: T,
  row: Insertable<Database[T]> & { user_id: string },
  max: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (trx.getExecutor().adapter instanceof PostgresAdapter)
      await trx.selectFrom('user').select('id').where('id', '=', row.user_id).forUpdate().execute();
    const { count } = await trx
      .selectFrom(table as OwnedTable)
      .select((eb) => eb.fn.countAll().as('count'))
      .where('user_id', '=', row.user_id)
      .executeTakeFirstOrThrow();
    if (Number(count) >= max) return false;
    await trx
      .insertInto(table as OwnedTable)
      .values(row as Insertable<Database[OwnedTable]>)
      .execute();
    return true;
  });
}
