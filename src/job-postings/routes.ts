import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertSelf } from '../http/auth.ts';
import { ownedListRoutes } from '../http/owned-list.ts';
import { errorReplies, IdParams, NoContent, UserIdQuery } from '../http/schemas.ts';
import { CrawlBody, JobPostingCreate, JobPostingResponse } from './schemas.ts';
import { JOB_POSTING_LIMITS } from './limits.ts';
import type { JobPostingService } from './service.ts';

const { rawTextChars, parsedSkillsBytes, parsedSkillsEntries, perUser } = JOB_POSTING_LIMITS;

const tags = ['job-postings'];

export const jobPostingRoutes: FastifyPluginAsyncTypebox<{ jobPostings: JobPostingService }> = async (
  app,
  { jobPostings },
) => {
  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Save a job posting',
        description:
          `raw_text up to ${rawTextChars} characters (422 VALIDATION_ERROR), parsed_skills up to ${parsedSkillsBytes} bytes ` +
          `as JSON and ${parsedSkillsEntries} keys and items (413 PARSED_SKILLS_TOO_LARGE); an account keeps at most ` +
          `${perUser} postings (409 TOO_MANY_RECORDS).`,
        querystring: UserIdQuery,
        body: JobPostingCreate,
        response: { 201: JobPostingResponse, ...errorReplies(403, 409, 413) },
      },
    },
    async (request, reply) => {
      assertSelf(request, request.query.user_id);
      return reply.status(201).send(await jobPostings.create(request.user.id, request.body));
    },
  );

  app.post(
    '/crawl',
    {
      schema: {
        tags,
        summary: 'Import a job posting from its web page',
        description:
          'The server fetches the page: http(s) only; the host must resolve to public addresses only (loopback, private, ' +
          'link-local and metadata addresses are refused, after each redirect too); at most 3 redirects, 10 s and 2 MB; HTML only. ' +
          'The main text is extracted with Readability, the title and company from the page metadata. Importing the same URL ' +
          'again replaces your earlier import of it; a new import must fit in your ' +
          `${perUser} postings (409 TOO_MANY_RECORDS, checked before fetching). Pages drawn by JavaScript alone give no text (422 NO_POSTING_TEXT).`,
        querystring: UserIdQuery,
        body: CrawlBody,
        response: { 201: JobPostingResponse, ...errorReplies(403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      assertSelf(request, request.query.user_id);
      return reply.status(201).send(await jobPostings.crawl(request.user.id, request.body.url));
    },
  );

  await app.register(ownedListRoutes, {
    tags,
    noun: 'job postings',
    item: JobPostingResponse,
    list: (userId, page) => jobPostings.list(userId, page),
  });

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A job posting',
        params: IdParams,
        response: { 200: JobPostingResponse, ...errorReplies(404) },
      },
    },
    async (request) => jobPostings.get(request.user.id, request.params.id),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a job posting',
        description: 'Sessions that used it keep going with job_posting_id set to null.',
        params: IdParams,
        response: { 204: NoContent, ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      await jobPostings.remove(request.user.id, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
