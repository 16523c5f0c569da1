import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Errors } from '../http/errors.ts';
import { errorReplies, NoContent, Pagination, UserIdParams } from '../http/schemas.ts';
import { Login, Token, UserCreate, UserResponse, UserUpdate } from './schemas.ts';
import type { UserService } from './service.ts';

const tags = ['users'];
const LOGIN_ATTEMPTS_PER_MINUTE = 10;

export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserService }> = async (app, { users }) => {
  const signUpPaths = [
    ['/', 'Create an account (sign-up)'],
    ['/signup', 'Create an account (alias of POST /api/users/)'],
  ] as const;
  for (const [path, summary] of signUpPaths) {
    app.post(
      path,
      {
        config: { public: true },
        schema: {
          tags,
          summary,
          description: 'Public. The email must not be registered yet (409, compared case-insensitively).',
          security: [],
          body: UserCreate,
          response: { 201: UserResponse, ...errorReplies(409) },
        },
      },
      async (request, reply) => reply.status(201).send(await users.create(request.body)),
    );
  }

  app.post(
    '/login',
    {
      // Password guessing: a few tries a minute per address and account.
      config: {
        public: true,
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_MINUTE,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request) => `${request.ip} ${String((request.body as { email?: unknown }).email).toLowerCase()}`,
        },
      },
      schema: {
        tags,
        summary: 'Log in and get a bearer token',
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
