import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import { assertSelf } from './auth.ts';
import { errorReplies, page, Pagination, UserIdParams } from './schemas.ts';

export interface OwnedListOptions {
  tags: string[];
  /** Plural noun for the summaries, e.g. "portfolios". */
  noun: string;
  item: TSchema;
  list(userId: string, page: { offset: number; limit: number }): Promise<unknown[]>;
}

/**
 * The caller's rows, newest first, at `GET /` and, as the original API has it, at
 * `GET /user/{user_id}` (which must be the caller's own id).
 */
export const ownedListRoutes: FastifyPluginAsyncTypebox<OwnedListOptions> = async (app, { tags, noun, item, list }) => {
  const response = { 200: Type.Array(item), ...errorReplies(403) };
  app.get(
    '/',
    { schema: { tags, summary: `Your ${noun}, newest first`, querystring: Pagination, response } },
    async (request) => list(request.user.id, page(request.query)),
  );
  app.get(
    '/user/:user_id',
    {
      schema: {
        tags,
        summary: `A user's ${noun} (your own id only)`,
        params: UserIdParams,
        querystring: Pagination,
        response,
      },
    },
    async (request) => {
      assertSelf(request, request.params.user_id);
      return list(request.user.id, page(request.query));
    },
  );
};
