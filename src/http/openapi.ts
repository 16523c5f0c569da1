// The OpenAPI document, built from the route schemas: JSON at /openapi.json, Swagger UI at /docs,
// ReDoc at /redoc. Everything is served from local packages (no CDN).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorReply } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Documents a multipart body that the handler reads as a stream (so it is not validated up front). */
    multipartBody?: object;
  }
}

const require = createRequire(import.meta.url);

const REDOC_PAGE = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>Interview Practice API — ReDoc</title>
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <redoc spec-url="/openapi.json"></redoc>
    <script src="/redoc/redoc.standalone.js"></script>
  </body>
</html>`;

export async function registerOpenApi(app: FastifyInstance, info: { title: string; version: string }) {
  app.addSchema(ErrorReply);
  await app.register(swagger, {
    openapi: {
      info: { ...info, description: 'Practise job interviews: documents, sessions, questions and answer analysis.' },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: ({ schema, url, route }) => {
      const multipartBody = route.config?.multipartBody;
      return { schema: multipartBody ? { ...schema, body: multipartBody } : schema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  app.get('/redoc', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(REDOC_PAGE),
  );
  let redocBundle: Promise<Buffer> | undefined;
  app.get('/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_request, reply) => {
    redocBundle ??= readFile(require.resolve('redoc/bundles/redoc.standalone.js'));
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(await redocBundle);
  });
}
