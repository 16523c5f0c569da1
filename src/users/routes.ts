import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { Errors } from '../http/errors.ts';
import { errorReplies, NoContent, Pagination, UserIdParams } from '../http/schemas.ts';
import { normaliseEmail } from './credentials.ts';
import type { Redis } from 'ioredis';
import { createLoginLimiter, createRedisLoginLimiter } from './login-limiter.ts';
import { Login, Token, UserCreate, UserResponse, UserUpdate } from './schemas.ts';
import type { UserService } from './service.ts';

const tags = ['users'];
// Password guessing: a few tries a minute per client address and account, and a few dozen per client
// address over all accounts.
const LOGIN_LIMITS = { perAddressAndAccount: 10, perAddress: 30, windowMs: 60_000 };
// Sign-ups per client address; also bounds probing which emails are registered (409).
const SIGN_UPS_PER_HOUR = 20;

/**
 * Before validation, so the format check, the rate-limit key, the lookup and the stored row all see one
 * spelling of the address.
 */
async function normaliseEmailField(request: FastifyRequest): Promise<void> {
  const body = request.body as { email?: unknown } | null;
  if (typeof body?.email === 'string') body.email = normaliseEmail(body.email);
}

export interface UserRouteOptions {
  users: UserService;
  /** Shared login counts across API servers (REDIS_URL), with the key prefix; else counted in memory. */
  limits: { redis: Redis; prefix: string } | null;
}

export const userRoutes: FastifyPluginAsyncTypebox<UserRouteOptions> = async (app, { users, limits }) => {
  const signUpLimit = app.rateLimit({ max: SIGN_UPS_PER_HOUR, timeWindow: '1 hour' });
  const loginLimiter = limits
    ? createRedisLoginLimiter(limits.redis, limits.prefix, LOGIN_LIMITS, app.log)
    : createLoginLimiter(LOGIN_LIMITS);

  const signUpPaths = [
    ['/', 'Create an account (sign-up)'],
    ['/signup', 'Create an account (alias of POST /api/users/)'],
  ] as const;
  for (const [path, summary] of signUpPaths) {
    app.post(
      path,
      {
        config: { public: true },
        // One limiter for both paths, so alternating them gains nothing.
        onRequest: signUpLimit,
        preValidation: normaliseEmailField,
        schema: {
          tags,
          summary,
          description:
            `Public. The email must not be registered yet (409; compared after trimming, NFKC and lower case). ` +
            `The password is 8 characters to 72 bytes in UTF-8. At most ${SIGN_UPS_PER_HOUR} sign-ups an hour per client address (429).`,
          security: [],
          body: UserCreate,
          response: { 201: UserResponse, ...errorReplies(409, 429) },
        },
      },
      async (request, reply) => reply.status(201).send(await users.create(request.body)),
    );
  }

  app.post(
    '/login',
    {
      config: { public: true },
      preValidation: normaliseEmailField,
      preHandler: async (request, reply) => {
        const waitSec = await loginLimiter.attempt(request.ip, request.body.email);
        if (waitSec > 0) {
          reply.header('retry-after', waitSec);
          throw new Errors.TooManyRequests(`${waitSec} s`);
        }
      },
      schema: {
        tags,
        summary: 'Log in and get a bearer token',
        description:
          `Public. At most ${LOGIN_LIMITS.perAddressAndAccount} attempts a minute per client address and account, and ` +
          `${LOGIN_LIMITS.perAddress} per client address over all accounts (429 with Retry-After).`,
        security: [],
        body: Login,
        response: { 200: Token, ...errorReplies(429) },
      },
    },
    async (request) => {
      const user = await users.authenticate(request.body.email, request.body.password);
      const access_token = app.jwt.sign({ sub: user.id, email: user.email });
      return { access_token, token_type: 'bearer' as const };
    },
  );

  app.get(
    '/me',
    { schema: { tags, summary: 'Your own account', response: { 200: UserResponse, ...errorReplies() } } },
    async (request) => users.get(request.user.id),
  );

  app.patch(
    '/me',
    {
      schema: {
        tags,
        summary: 'Change your name, role, level or GitHub user name',
        body: UserUpdate,
        response: { 200: UserResponse, ...errorReplies() },
      },
    },
    async (request) => users.update(request.user.id, request.body),
  );

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'List users: only yourself',
        description: 'Kept for compatibility. Nobody may list other accounts, so the list holds just the caller.',
        querystring: Pagination,
        response: { 200: Type.Array(UserResponse), ...errorReplies() },
      },
    },
    async (request) => ((request.query.skip ?? 0) === 0 ? [await users.get(request.user.id)] : []),
  );

  app.get(
    '/:user_id',
    {
      schema: {
        tags,
        summary: 'A user: only your own id answers',
        params: UserIdParams,
        response: { 200: UserResponse, ...errorReplies(404) },
      },
    },
    async (request) => {
      if (request.params.user_id !== request.user.id) throw new Errors.NotFound('User');
      return users.get(request.user.id);
    },
  );

  app.delete(
    '/:user_id',
    {
      schema: {
        tags,
        summary: 'Delete your account with all its data and files',
        params: UserIdParams,
        response: { 204: NoContent, ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      if (request.params.user_id !== request.user.id) throw new Errors.NotFound('User');
      await users.remove(request.user.id);
      return reply.status(204).send(null);
    },
  );
};
