// How much of a job posting one account may keep. A real posting is a few thousand characters (a long
// one with its benefits, about 15,000); the question generator reads its first 6,000 and the capability
// scorer 8,000. parsed_skills is a list of skills and requirement lines (a crawl import's is about 2 KB).
// Kept small enough that a user's whole list (POSTINGS_PER_USER rows) is a bounded reply.

export const JOB_POSTING_LIMITS = {
  /** raw_text, in characters (UTF-16 code units, as the body's schema counts them). */
  rawTextChars: 30_000,
  /** parsed_skills written as JSON, in UTF-8 bytes. */
  parsedSkillsBytes: 32 * 1024,
  /** Keys of its objects and items of its arrays, over every level. */
  parsedSkillsEntries: 1_000,
  /** Requirement lines a crawl import keeps in its parsed_skills. */
  crawlRequirementLines: 50,
  /** Postings one account may keep; importing the same page again replaces its earlier import. */
  perUser: 100,
} as const;

/** What makes a parsed_skills value too large, naming the limit, or null when it is within them. */
export function parsedSkillsExcess(value: unknown): string | null {
  const { parsedSkillsBytes, parsedSkillsEntries } = JOB_POSTING_LIMITS;
  // Counted without recursion (the body may nest 64 levels) and stopping at the limit.
  let entries = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || typeof item !== 'object') continue;
    const children = Array.isArray(item) ? item : Object.values(item);
    entries += children.length;
    if (entries > parsedSkillsEntries)
      return `more than ${parsedSkillsEntries} keys and array items in all; send the skills, not the whole posting`;
    pending.push(...children);
  }
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > parsedSkillsBytes)
    return `${bytes} bytes as JSON, more than the limit of ${parsedSkillsBytes}; send the skills, not the whole posting`;
  return null;
}
