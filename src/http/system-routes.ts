import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ping, type Db } from '../db/index.ts';
import type { Storage } from '../storage.ts';
import { Errors } from './errors.ts';
import type { WebApp } from './web-app.ts';

interface SystemRouteOptions {
  db: Db;
  storage: Storage;
  name: string;
  version: string;
  web: WebApp | null;
}

export const systemRoutes: FastifyPluginAsyncTypebox<SystemRouteOptions> = async (
  app,
  { db, storage, name, version, web },
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
    async (request, reply) =>
      web?.wantsPage(request) ? web.sendPage(reply) : { message: name, version, docs: '/docs' },
  );

  const Health = Type.Object({
    status: Type.Literal('healthy'),
    database: Type.Literal('connected'),
    storage: Type.Literal('writable'),
  });
  // Our error shape, with the same fields as the healthy reply saying which part failed (never a path).
  const Unhealthy = Type.Object({
    status: Type.Literal('unhealthy'),
    database: Type.Union([Type.Literal('connected'), Type.Literal('disconnected')]),
    storage: Type.Union([Type.Literal('writable'), Type.Literal('unwritable')]),
    detail: Type.String(),
    code: Type.String(),
  });
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness: the database answers and the data folder is writable (503 otherwise)',
        security: [],
        response: { 200: Health, 503: Unhealthy },
      },
    },
    async (request, reply) => {
      const [database, dataFolder] = await Promise.allSettled([ping(db), storage.checkWritable()]);
      if (database.status === 'fulfilled' && dataFolder.status === 'fulfilled') {
        return { status: 'healthy' as const, database: 'connected' as const, storage: 'writable' as const };
      }
      if (database.status === 'rejected') request.log.error({ err: database.reason }, 'database check failed');
      if (dataFolder.status === 'rejected') request.log.error({ err: dataFolder.reason }, 'data folder check failed');
      const problem =
        database.status === 'rejected' ? new Errors.DatabaseUnavailable() : new Errors.StorageUnavailable();
      return reply.status(503).send({
        status: 'unhealthy',
        database: database.status === 'fulfilled' ? 'connected' : 'disconnected',
        storage: dataFolder.status === 'fulfilled' ? 'writable' : 'unwritable',
        detail: problem.message,
        code: problem.code,
      });
    },
  );
};
