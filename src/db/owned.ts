// Queries shared by the tables that belong to a user directly (they all have `id` and `user_id`).
import type { Selectable } from 'kysely';
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
