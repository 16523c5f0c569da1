// Bearer JWT authentication: every route in a scope with `requireToken` needs a valid token unless
// its config says `public`; a route marked `signedMediaUrl` also takes a signed URL instead.
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Errors } from './errors.ts';
import { SIGNED_MEDIA_PARAMS, type MediaUrlSigner } from './media-url.ts';
import type { Db } from '../db/index.ts';

export interface AuthUser {
  id: string;
  email: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; email: string };
    user: AuthUser;
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a token (sign-up, login, docs). */
    public?: boolean;
    /**
     * Also reachable, without the header, through a URL signed for the `:video_id` of its path and
     * one user (a `<video src>` cannot send the Authorization header); or, given a function, for the
     * resource it names from the path's parameters.
     */
    signedMediaUrl?: boolean | ((params: Record<string, string | undefined>) => string);
  }
}

export async function registerJwt(app: FastifyInstance, options: { secret: string; expiresIn: string }) {
  await app.register(fastifyJwt, {
    secret: options.secret,
    sign: { algorithm: 'HS256', expiresIn: options.expiresIn },
    // Verified tokens are remembered (until they expire) so a client's repeated calls skip the HMAC.
    // A token without `exp` would never expire, and one without `sub` names nobody: both are refused.
    verify: { algorithms: ['HS256'], cache: true, requiredClaims: ['exp', 'sub'], extractToken: bearerToken },
    formatUser: (payload) => ({ id: payload.sub, email: payload.email }),
  });
}

// RFC 7235: `credentials = auth-scheme 1*SP token68`, the scheme in any case. The plugin's own reading
// takes exactly one space, and answered `Bearer  <token>` with 401.
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

function bearerToken(request: FastifyRequest): string | undefined {
  return BEARER.exec(request.headers.authorization ?? '')?.[1];
}

/** Adds the token check to every route of `scope` that is not marked public. */
export function requireToken(scope: FastifyInstance, db: Db, mediaUrls: MediaUrlSigner): void {
  scope.addHook('onRequest', async (request) => {
    const { config } = request.routeOptions;
    if (config.public) return;
    if (config.signedMediaUrl && !request.headers.authorization && hasSignedMediaQuery(request.query)) {
      await authenticateSignedMediaUrl(request, request.query, db, mediaUrls);
    } else {
      await authenticate(request, db);
    }
  });
}

function hasSignedMediaQuery(query: unknown): query is Record<string, unknown> {
  return typeof query === 'object' && query !== null && SIGNED_MEDIA_PARAMS.some((name) => name in query);
}

async function authenticate(request: FastifyRequest, db: Db): Promise<void> {
  if (!request.headers.authorization) throw new Errors.NotAuthenticated();
  try {
    await request.jwtVerify();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') {
      throw new Errors.TokenExpired();
    }
    throw new Errors.InvalidToken();
  }
  // A token outlives a deleted account; refuse it rather than act for nobody.
  const user = await db.selectFrom('user').select('id').where('id', '=', request.user.id).executeTakeFirst();
  if (!user) throw new Errors.TokenUserGone();
}

/** Acts for the user a valid, unexpired signed URL names; the route still checks that they own the video. */
async function authenticateSignedMediaUrl(
  request: FastifyRequest,
  query: Record<string, unknown>,
  db: Db,
  mediaUrls: MediaUrlSigner,
): Promise<void> {
  const params = request.params as Record<string, string | undefined>;
  const { signedMediaUrl } = request.routeOptions.config;
  const resource = typeof signedMediaUrl === 'function' ? signedMediaUrl(params) : (params.video_id ?? '');
  const check = mediaUrls.check(resource, query);
  if (!check.ok) throw check.reason === 'expired' ? new Errors.MediaUrlExpired() : new Errors.InvalidMediaUrl();
  const user = await db.selectFrom('user').select(['id', 'email']).where('id', '=', check.userId).executeTakeFirst();
  if (!user) throw new Errors.TokenUserGone();
  request.user = user;
}

/** A `user_id` given in a query, path or form field must be the caller's own. */
export function assertSelf(request: FastifyRequest, userId: string | undefined): void {
  // Ids arrive in lower case, whatever case the client wrote (the validator and the form reader see to it).
  if (userId !== undefined && userId !== request.user.id) throw new Errors.NotOwner();
}
