import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import { countOwned, findOwned, insertOwnedWithin, listOwned } from '../db/owned.ts';
import type { JobPostingTable } from '../db/schema.ts';
import { Errors } from '../http/errors.ts';
import { requirementLines } from '../llm/questions.ts';
import { findSkills } from '../llm/skills.ts';
import { processWorkers, WorkerPool } from '../worker-pool.ts';
import type { PageTask } from './extract-process.ts';
import type { ExtractedPosting } from './extract.ts';
import { fetchPage, PAGE_LIMITS } from './fetch-page.ts';
import { JOB_POSTING_LIMITS, parsedSkillsExcess } from './limits.ts';
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

/** Longest time to extract a posting from a fetched page; a page that takes longer is refused. */
export const EXTRACT_TIMEOUT_SEC = 5;

export function createJobPostingService(
  db: Db,
  crawl: { allowedHosts: string[]; limits?: typeof PAGE_LIMITS } = { allowedHosts: [] },
) {
  // Started with the first import: one reader process, so a hostile page holds one core at most.
  const pageReader = new WorkerPool<PageTask, never, ExtractedPosting>(
    1,
    processWorkers(new URL('./extract-process.ts', import.meta.url)),
    'page reader',
  );

  /** Inserts a new posting for its user, unless they already keep as many as an account may. */
  async function insert(row: Selectable<JobPostingTable>): Promise<JobPosting> {
    if (!(await insertOwnedWithin(db, 'job_posting', row, JOB_POSTING_LIMITS.perUser)))
      throw new Errors.TooManyRecords(JOB_POSTING_LIMITS.perUser, 'job postings');
    return decode(row);
  }

  async function get(userId: string, id: string): Promise<JobPosting> {
    const row = await findOwned(db, 'job_posting', userId, id);
    if (!row) throw new Errors.NotFound('Job posting');
    return decode(row);
  }

  return {
    get,
    /** Stops the page reader process. */
    close: () => pageReader.close(),

    async create(userId: string, input: JobPostingCreate): Promise<JobPosting> {
      const excess = input.parsed_skills == null ? null : parsedSkillsExcess(input.parsed_skills);
      if (excess) throw new Errors.ParsedSkillsTooLarge(excess);
      return insert({
        id: randomUUID(),
        user_id: userId,
        company_name: input.company_name,
        title: input.title,
        source_url: input.source_url ?? null,
        raw_text: input.raw_text,
        parsed_skills: input.parsed_skills == null ? null : JSON.stringify(input.parsed_skills),
        created_at: new Date().toISOString(),
      });
    },

    /**
     * Imports a posting from its web page (fetched safely, see fetch-page.ts); importing the same URL
     * again replaces the user's earlier import of it.
     */
    async crawl(userId: string, address: string): Promise<JobPosting> {
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw new Errors.InvalidUrl('a malformed address');
      }
      // The same page again updates the earlier import in place, so sessions and evaluations that point
      // at it keep it; a new one must fit in the user's postings, which is checked before any fetching too.
      const earlierImport = () =>
        db
          .selectFrom('job_posting')
          .selectAll()
          .where('user_id', '=', userId)
          .where('source_url', '=', url.href)
          .executeTakeFirst();
      if (!(await earlierImport()) && (await countOwned(db, 'job_posting', userId)) >= JOB_POSTING_LIMITS.perUser)
        throw new Errors.TooManyRecords(JOB_POSTING_LIMITS.perUser, 'job postings');
      const page = await fetchPage(url, { allowedHosts: crawl.allowedHosts, limits: crawl.limits });
      const stop = AbortSignal.timeout(EXTRACT_TIMEOUT_SEC * 1000);
      const posting = await pageReader
        .run({ html: page.html, url: page.url.href }, () => {}, stop)
        .catch((error: unknown) => {
          if (stop.aborted) throw new Errors.PageTooComplex(EXTRACT_TIMEOUT_SEC);
          throw error;
        });
      if (posting.text.trim().length < 20) throw new Errors.NoPostingText();
      const fields = {
        company_name: posting.company,
        title: posting.title ?? posting.text.split('\n')[0]!.slice(0, 300),
        source_url: url.href,
        raw_text: posting.text,
        parsed_skills: JSON.stringify({
          skills: findSkills(posting.text),
          requirements: requirementLines(posting.text).slice(0, JOB_POSTING_LIMITS.crawlRequirementLines),
          source: 'crawl',
        }),
      };
      const earlier = await earlierImport();
      if (earlier) {
        await db.updateTable('job_posting').set(fields).where('id', '=', earlier.id).execute();
        return decode({ ...earlier, ...fields });
      }
      return insert({ id: randomUUID(), user_id: userId, ...fields, created_at: new Date().toISOString() });
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
