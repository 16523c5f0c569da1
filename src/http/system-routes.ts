import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ping, type Db } from '../db/index.ts';
import type { WebApp } from './web-app.ts';

export const systemRoutes: FastifyPluginAsyncTypebox<{ db: Db; name: string; version: string; web: WebApp | null }> = async (
  app,
  { db, name, version, web },
) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['system'],
        summary: 'Name and version of the API (a browser asking for HTML gets the web app)',
        security: [],
        response: { 200: Type.Object({ message: Type.String(), version: Type.String(), docs: Type.String() }) },
      },
    },
    async (request, reply) => (web?.wantsPage(request) ? web.sendPage(reply) : { message: name, version, docs: '/docs' }),
  );

  const Health = Type.Object({
    status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
    database: Type.Union([Type.Literal('connected'), Type.Literal('disconnected')]),
  });
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness with a database check (503 when the database does not answer)',
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (request, reply) => {
      try {
        await ping(db);
        return { status: 'healthy' as const, database: 'connected' as const };
      } catch (error) {
        request.log.error({ err: error }, 'database check failed');
        return reply.status(503).send({ status: 'unhealthy', database: 'disconnected' });
      }
    },
  );
};
