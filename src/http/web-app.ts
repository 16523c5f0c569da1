// The browser app (web/, built by Vite into web/dist) on the API's own origin and port. Hashed assets
// are cached for a year; the page itself is never cached, so a new build reaches users at once. Any
// GET for a page (not /api, asking for HTML) gets the app, so every screen's address survives a reload.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_DIST_DIR = join(import.meta.dirname, '..', '..', 'web', 'dist');
const ONE_YEAR_SEC = 365 * 24 * 3600;

export interface WebApp {
  /** Whether this request is a browser asking for a page of the app. */
  wantsPage(request: FastifyRequest): boolean;
  sendPage(reply: FastifyReply): FastifyReply;
}

export const webAppBuilt = (root = WEB_DIST_DIR) => existsSync(join(root, 'index.html'));

/** Serves the built app; null when it has not been built (the API alone is served then). */
export async function registerWebApp(app: FastifyInstance, root = WEB_DIST_DIR): Promise<WebApp | null> {
  if (!webAppBuilt(root)) return null;
  await app.register(fastifyStatic, {
    root,
    // Files are looked up per request (a rebuild needs no restart); a miss falls through to the
    // app's not-found handler, which answers pages with the app and everything else with a 404.
    wildcard: true,
    index: false,
    // Our own cache headers: file names under assets/ change with their content, the rest may not.
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header(
        'cache-control',
        path.startsWith(join(root, 'assets')) ? `public, max-age=${ONE_YEAR_SEC}, immutable` : 'no-cache',
      );
    },
  });
  return {
    wantsPage: (request) =>
      (request.method === 'GET' || request.method === 'HEAD') &&
      !/^\/api(\/|\?|$)/.test(request.url) &&
      (request.headers.accept ?? '').includes('text/html'),
    sendPage: (reply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html'),
  };
}
