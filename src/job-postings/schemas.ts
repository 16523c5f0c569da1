import { Type, type Static } from '@sinclair/typebox';
import { NonBlankString, Nullable, OptionalNullable, Timestamp, Uuid } from '../http/schemas.ts';
import { JOB_POSTING_LIMITS } from './limits.ts';

const { rawTextChars, parsedSkillsBytes, parsedSkillsEntries } = JOB_POSTING_LIMITS;

export const ParsedSkills = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Unknown())], {
  description:
    'Structured skills (any JSON object or array); stored as JSON text. At most ' +
    `${parsedSkillsBytes} bytes as JSON and ${parsedSkillsEntries} keys and array items in all (413 PARSED_SKILLS_TOO_LARGE)`,
});

export const JobPostingCreate = Type.Object({
  company_name: NonBlankString({ maxLength: 200 }),
  title: NonBlankString({ maxLength: 300 }),
  raw_text: NonBlankString({ maxLength: rawTextChars }),
  source_url: OptionalNullable(Type.String({ format: 'uri', maxLength: 2048 })),
  parsed_skills: OptionalNullable(ParsedSkills),
});
export type ParsedSkills = Static<typeof ParsedSkills>;
export type JobPostingCreate = Static<typeof JobPostingCreate>;

export const JobPostingResponse = Type.Object({
  id: Uuid(),
  user_id: Uuid(),
  company_name: Type.String(),
  title: Type.String(),
  source_url: Nullable(Type.String()),
  raw_text: Type.String(),
  parsed_skills: Nullable(ParsedSkills),
  created_at: Timestamp,
});

export const CrawlBody = Type.Object({
  url: NonBlankString({ maxLength: 2048, description: 'An http(s) address of a public job posting page' }),
});
