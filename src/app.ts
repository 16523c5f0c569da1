// Composition: error handler, plugins, services, routes, then the not-found handler.
// No I/O happens at import time; tests build the app through this same function.
import { createRequire } from 'node:module';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Redis } from 'ioredis';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import { registerJwt, requireToken } from './http/auth.ts';
import { Errors, registerErrorHandlers, routeNotFound, sendClientError, sendFrameworkError } from './http/errors.ts';
import { redactUrl } from './http/media-url.ts';
import { cutStalledBodies } from './http/idle-body.ts';
import { cleanJsonBody, MAX_JSON_DEPTH } from './http/json-body.ts';
import { MULTIPART_LIMITS } from './http/multipart.ts';
import { registerOpenApi } from './http/openapi.ts';
import { systemRoutes } from './http/system-routes.ts';
import { validatorCompiler } from './http/validation.ts';
import { registerWebApp } from './http/web-app.ts';
import { capabilityRoutes } from './capabilities/routes.ts';
import { createAnswerTranscriber } from './interviews/answer-speech.ts';
import { interviewRoutes } from './interviews/routes.ts';
import { speechRoutes } from './interviews/speech-routes.ts';
import { jobPostingRoutes } from './job-postings/routes.ts';
import { portfolioRoutes } from './portfolios/routes.ts';
import { progressRoutes } from './progress/routes.ts';
import { createProgressService } from './progress/service.ts';
import { createQuestionSpeech } from './tts/service.ts';
import { interviewVideoRoutes, videoRoutes } from './videos/routes.ts';
import { videoStatus } from './videos/status.ts';
import { userRoutes } from './users/routes.ts';
import { createServices } from './services.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
export const APP_NAME = 'Interview Practice API';

export interface AppDeps {
  config: Config;
  db: Db;
  /** Tests shorten the 15 s between comment lines of a job's event stream. */
  jobEventsHeartbeatMs?: number;
}

export async function buildApp({ config, db, jobEventsHeartbeatMs }: AppDeps): Promise<FastifyInstance> {
  const requestTimeoutMs = config.requestTimeoutSec * 1000;
  const uploadIdleTimeoutMs = config.uploadIdleTimeoutSec * 1000;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Wherever pino meets headers: plugins log their own objects (multipart logs busboy's options,
      // headers included, at trace level).
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.headers.authorization',
        '*.headers.cookie',
        'headers.authorization',
        'headers.cookie',
      ],
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
    bodyLimit: 2 * 1024 * 1024,
    // A request, an upload included, must arrive whole within this (Node then answers 408). Fastify sets
    // it after Node made the server, so Node's own rules for it are applied here: the headers' limit is
    // at most the request's (Node takes the shorter of the two for the whole request otherwise), and a
    // limit shorter than Node's 30 s between checks is checked as often as it is long.
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(60_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, requestTimeoutMs),
    },
    // Stopping does not wait for open connections: a keep-alive connection that last streamed a file
    // is not counted idle by Node and held shutdown for the whole keep-alive timeout (72 s). Jobs
    // outlive their requests, so nothing is lost.
    forceCloseConnections: true,
    // What the router and Node's HTTP parser refuse gets our error shape too.
    frameworkErrors: sendFrameworkError,
    clientErrorHandler: sendClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // Set before any plugin is registered: plugins keep the handler in force when they load.
  registerErrorHandlers(app);
  // The API speaks JSON and multipart only; plain text gets a clear 415 instead of a schema error.
  app.removeContentTypeParser('text/plain');
  // An empty body sent as JSON is no body (the original web client posts `Content-Type: application/json`
  // with nothing to routes that take none); anything else goes to Fastify's own parser, with its
  // prototype-poisoning checks.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    void parseJson(request, text, done);
  });

  cutStalledBodies(app, uploadIdleTimeoutMs);

  app.addHook('preValidation', async (request) => {
    // The query too: a few routes take text there (the follow-up's answer_text).
    const problem = cleanJsonBody(request.body) ?? cleanJsonBody(request.query);
    if (problem === 'nul') throw new Errors.InvalidText();
    if (problem === 'too-deep') throw new Errors.JsonTooDeep(MAX_JSON_DEPTH);
  });

  await app.register(cors, {
    origin: config.allowedOrigins,
    credentials: true,
    // Every method our routes use, the headers clients send, and the ones they read.
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Range', 'Accept-Language'],
    exposedHeaders: ['Content-Range', 'Accept-Ranges', 'Content-Length', 'Retry-After'],
  });
  await app.register(multipart, { limits: MULTIPART_LIMITS });
  // With several API servers, their limits are counted in the shared Redis.
  const limitsRedis = config.redis ? new Redis(config.redis.url, { maxRetriesPerRequest: 1 }) : null;
  limitsRedis?.on('error', (error) => app.log.warn({ err: error }, 'rate limits: Redis connection problem'));
  app.addHook('onClose', async () => limitsRedis?.disconnect());
  await app.register(rateLimit, {
    global: false,
    ...(limitsRedis && {
      redis: limitsRedis,
      nameSpace: `${config.redis!.prefix}:rate-limit:`,
      // A limit that cannot be counted lets the request through rather than failing it.
      skipOnError: true,
    }),
    errorResponseBuilder: (_request, context) => new Errors.TooManyRequests(context.after),
  });
  await registerJwt(app, { secret: config.jwtSecret, expiresIn: config.jwtExpiresIn });
  await registerOpenApi(app, { title: APP_NAME, version });

  const { storage, users, portfolios, jobPostings, interviews, capabilities, mediaUrls, tools, videos, jobs } =
    createServices(config, db, app.log);
  const transcriber = createAnswerTranscriber(config.speech, config.answerAudio, storage, tools, app.log);
  const questionSpeech = createQuestionSpeech(config.tts, storage, mediaUrls, app.log);
  app.addHook('onReady', () => storage.clearTemporaryFiles());
  app.addHook('onReady', () => jobs.start());
  app.addHook('onClose', () => jobs.stop());
  app.addHook('onClose', () => portfolios.close());
  app.addHook('onClose', () => jobPostings.close());

  const web = await registerWebApp(app);
  await app.register(systemRoutes, { db, storage, name: APP_NAME, version, web });
  await app.register(
    async (api) => {
      requireToken(api, db, mediaUrls);
      await api.register(userRoutes, {
        prefix: '/users',
        users,
        limits: limitsRedis && { redis: limitsRedis, prefix: config.redis!.prefix },
      });
      await api.register(portfolioRoutes, { prefix: '/portfolios', portfolios, uploadIdleTimeoutMs });
      await api.register(capabilityRoutes, { prefix: '/portfolios', capabilities, defaultLang: config.feedbackLang });
      await api.register(jobPostingRoutes, { prefix: '/job-postings', jobPostings });
      await api.register(interviewRoutes, { prefix: '/interviews', interviews, defaultLang: config.feedbackLang });
      await api.register(interviewVideoRoutes, { prefix: '/interviews', videos });
      await api.register(progressRoutes, {
        progress: createProgressService(db, interviews),
        defaultLang: config.feedbackLang,
      });
      await api.register(speechRoutes, {
        prefix: '/interviews',
        interviews,
        transcriber,
        questionSpeech,
        uploadIdleTimeoutMs,
      });
      await api.register(videoRoutes, {
        prefix: '/video',
        videos,
        jobs,
        defaultLang: config.feedbackLang,
        status: () => videoStatus(config, jobs),
        eventsHeartbeatMs: jobEventsHeartbeatMs,
        uploadIdleTimeoutMs,
      });
    },
    { prefix: '/api' },
  );

  // Rate-limited so unknown paths cannot be probed cheaply.
  const limitUnknownPaths = app.rateLimit({ max: 120, timeWindow: '1 minute' });
  app.setNotFoundHandler(
    {
      // A page of the web app is not a probe: reloads and bookmarks are never limited.
      preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
        if (!web?.wantsPage(request)) await limitUnknownPaths.call(app, request, reply);
      },
    },
    async (request, reply) => {
      if (web?.wantsPage(request)) return web.sendPage(reply);
      const error = routeNotFound(request);
      return reply.status(error.statusCode).send({ detail: error.message, code: error.code });
    },
  );
  return app;
}
