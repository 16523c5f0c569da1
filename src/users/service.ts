import { randomUUID } from 'node:crypto';
import { compare, hash } from '@node-rs/bcrypt';
import type { Selectable } from 'kysely';
import { isUniqueViolation, type Db } from '../db/index.ts';
import type { UserTable } from '../db/schema.ts';
import { Errors } from '../http/errors.ts';
import type { Storage } from '../storage.ts';
import { MAX_PASSWORD_BYTES, passwordBytes } from './credentials.ts';
import type { UserCreate, UserUpdate } from './schemas.ts';

export type User = Omit<Selectable<UserTable>, 'password_hash' | 'github_token'>;

const BCRYPT_COST = 10;
const PUBLIC_COLUMNS = ['id', 'email', 'name', 'role', 'level', 'github_username', 'created_at'] as const;

export function createUserService(db: Db, storage: Storage) {
  // Compared against when the email is unknown, so both failures take the same time.
  let dummyHash: Promise<string> | undefined;

  async function get(id: string): Promise<User> {
    const user = await db.selectFrom('user').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!user) throw new Errors.NotFound('User');
    return user;
  }

  return {
    get,

    /** `input.email` is already normalised (normaliseEmail), as the routes do before validation. */
    async create(input: UserCreate): Promise<User> {
      const bytes = passwordBytes(input.password);
      if (bytes > MAX_PASSWORD_BYTES) throw new Errors.PasswordTooLong(bytes, MAX_PASSWORD_BYTES);
      const user = {
        id: randomUUID(),
        email: input.email,
        name: input.name,
        role: input.role ?? null,
        level: input.level ?? null,
        github_username: input.github_username ?? null,
        created_at: new Date().toISOString(),
      };
      const password_hash = await hash(input.password, BCRYPT_COST);
      try {
        await db
          .insertInto('user')
          .values({ ...user, password_hash, github_token: null })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new Errors.EmailTaken();
        throw error;
      }
      return user;
    },

    /**
     * The user with this (normalised) email and password; the same error for an unknown email and a wrong
     * password. A password longer than bcrypt reads is wrong: only its first 72 bytes would be compared.
     */
    async authenticate(email: string, password: string): Promise<User> {
      if (passwordBytes(password) > MAX_PASSWORD_BYTES) throw new Errors.BadCredentials();
      const row = await db
        .selectFrom('user')
        .select([...PUBLIC_COLUMNS, 'password_hash'])
        .where('email', '=', email)
        .executeTakeFirst();
      dummyHash ??= hash(randomUUID(), BCRYPT_COST);
      const matches = await compare(password, row?.password_hash ?? (await dummyHash));
      if (!row || !matches) throw new Errors.BadCredentials();
      const { password_hash: _, ...user } = row;
      return user;
    },

    async update(id: string, input: UserUpdate): Promise<User> {
      // Only the columns a profile edit may change, whatever else the object carries.
      const { name, role, level, github_username } = input;
      const changes = Object.fromEntries(
        Object.entries({ name, role, level, github_username }).filter(([, value]) => value !== undefined),
      );
      if (Object.keys(changes).length > 0) {
        await db.updateTable('user').set(changes).where('id', '=', id).execute();
      }
      return get(id);
    },

    /** Removes the user, every row that hangs off them (foreign-key cascades) and their files. */
    async remove(id: string): Promise<void> {
      const { numDeletedRows } = await db.deleteFrom('user').where('id', '=', id).executeTakeFirst();
      if (numDeletedRows === 0n) throw new Errors.NotFound('User');
      await storage.removeUserFiles(id);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
