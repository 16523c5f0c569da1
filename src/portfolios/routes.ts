import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertSelf } from '../http/auth.ts';
import { receiveForm } from '../http/multipart.ts';
import { ownedListRoutes } from '../http/owned-list.ts';
import { errorReplies, IdParams, NoContent, UserIdQuery } from '../http/schemas.ts';
import { PortfolioCreate, PortfolioResponse, PortfolioUploadBody } from './schemas.ts';
import { PORTFOLIOS_PER_USER, type PortfolioService } from './service.ts';

const tags = ['portfolios'];

export interface PortfolioRouteOptions {
  portfolios: PortfolioService;
  /** An upload that sends nothing for this long is cut. */
  uploadIdleTimeoutMs: number;
}

export const portfolioRoutes: FastifyPluginAsyncTypebox<PortfolioRouteOptions> = async (
  app,
  { portfolios, uploadIdleTimeoutMs },
) => {
  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Create a portfolio record from JSON',
        description: `An account keeps at most ${PORTFOLIOS_PER_USER} portfolios (409 TOO_MANY_RECORDS).`,
        querystring: UserIdQuery,
        body: PortfolioCreate,
        response: { 201: PortfolioResponse, ...errorReplies(403, 409) },
      },
    },
    async (request, reply) => {
      assertSelf(request, request.query.user_id);
      return reply.status(201).send(await portfolios.create(request.user.id, request.body));
    },
  );

  app.post(
    '/upload',
    {
      config: { multipartBody: PortfolioUploadBody },
      schema: {
        tags,
        summary: 'Upload a portfolio PDF; its text is extracted into parsed_text',
        description: `Multipart field \`file\`, a PDF of at most ${portfolios.maxBytes / 1024 / 1024} MB. The content must be a readable PDF whatever the file is called; its text is read within limits (at most ${portfolios.pdfLimits.maxPages} pages, ${portfolios.pdfLimits.maxTextChars} characters, ${portfolios.pdfLimits.timeoutSec} s), and a PDF beyond one is refused with 422. An account keeps at most ${PORTFOLIOS_PER_USER} portfolios (409 TOO_MANY_RECORDS, checked before the file is stored).`,
        consumes: ['multipart/form-data'],
        response: { 201: PortfolioResponse, ...errorReplies(408, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { file } = await receiveForm(request, portfolios, {
        idleTimeoutMs: uploadIdleTimeoutMs,
        checkFields: () => portfolios.assertRoom(request.user.id),
      });
      return reply.status(201).send(await portfolios.upload(request.user.id, file));
    },
  );

  await app.register(ownedListRoutes, {
    tags,
    noun: 'portfolios',
    item: PortfolioResponse,
    list: (userId, page) => portfolios.list(userId, page),
  });

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A portfolio',
        params: IdParams,
        response: { 200: PortfolioResponse, ...errorReplies(404) },
      },
    },
    async (request) => portfolios.get(request.user.id, request.params.id),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a portfolio and its stored PDF',
        description: 'Sessions that used it keep going with portfolio_id set to null.',
        params: IdParams,
        response: { 204: NoContent, ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      await portfolios.remove(request.user.id, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
