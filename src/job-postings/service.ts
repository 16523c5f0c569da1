import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import { findOwned, listOwned } from '../db/owned.ts';
import type { JobPostingTable } from '../db/schema.ts';
import { Errors } from '../http/errors.ts';
import type { JobPostingCreate, ParsedSkills } from './schemas.ts';

export type JobPosting = Omit<Selectable<JobPostingTable>, 'parsed_skills'> & { parsed_skills: ParsedSkills | null };

function decode(row: Selectable<JobPostingTable>): JobPosting {
  let parsed_skills: ParsedSkills | null = null;
  if (row.parsed_skills !== null) {
    try {
      const value: unknown = JSON.parse(row.parsed_skills);
      if (typeof value === 'object') parsed_skills = value as ParsedSkills | null;
    } catch {
      // Rows written by other tools may hold bad JSON; the original answered null for it too.
    }
  }
  return { ...row, parsed_skills };
}

export function createJobPostingService(db: Db) {
  async function get(userId: string, id: string): Promise<JobPosting> {
    const row = await findOwned(db, 'job_posting', userId, id);
    if (!row) throw new Errors.NotFound('Job posting');
    return decode(row);
  }

  return {
    get,

    async create(userId: string, input: JobPostingCreate): Promise<JobPosting> {
      const row = {
        id: randomUUID(),
        user_id: userId,
        company_name: input.company_name,
        title: input.title,
        source_url: input.source_url ?? null,
        raw_text: input.raw_text,
        parsed_skills: input.parsed_skills == null ? null : JSON.stringify(input.parsed_skills),
        created_at: new Date().toISOString(),
      };
      await db.insertInto('job_posting').values(row).execute();
      return decode(row);
    },

    async list(userId: string, page: { offset: number; limit: number }): Promise<JobPosting[]> {
      return (await listOwned(db, 'job_posting', userId, page)).map(decode);
    },

    async remove(userId: string, id: string): Promise<void> {
      const { numDeletedRows } = await db
        .deleteFrom('job_posting')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (numDeletedRows === 0n) throw new Errors.NotFound('Job posting');
    },
  };
}

export type JobPostingService = ReturnType<typeof createJobPostingService>;
