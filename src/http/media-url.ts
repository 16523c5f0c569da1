// Short-lived signed URLs for a user's own video file, for the one client that cannot send the
// Authorization header: a `<video src>`. A signature binds one video, one user and an expiry, so it
// cannot be moved to another video, lent to another user or kept past its time.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The query parameters a signed URL carries. */
export interface SignedMediaQuery {
  user_id: string;
  /** Unix time, seconds; the URL works before this second. */
  expires: number;
  /** base64url HMAC-SHA-256 of the video id, the user id and `expires`. */
  signature: string;
}

export type MediaUrlCheck = { ok: true; userId: string } | { ok: false; reason: 'expired' | 'invalid' };

export interface MediaUrlSigner {
  sign(videoId: string, userId: string, nowMs?: number): SignedMediaQuery;
  /** Checks query values as they arrived (unvalidated) against the video id of the path. */
  check(videoId: string, query: Record<string, unknown>, nowMs?: number): MediaUrlCheck;
}

/** Names of the query parameters, for telling a signed request from one without credentials. */
export const SIGNED_MEDIA_PARAMS = ['user_id', 'expires', 'signature'] as const;

// A key of its own, derived from the JWT secret: one secret to keep, yet a media signature can never
// pass for a token signature or the other way round.
const KEY_LABEL = 'interview-practice/signed-media-url/v1';

export function createMediaUrlSigner(jwtSecret: string, ttlSec: number): MediaUrlSigner {
  const key = createHmac('sha256', jwtSecret).update(KEY_LABEL).digest();
  // JSON keeps the fields apart whatever characters an unvalidated path or query brings.
  const signatureOf = (videoId: string, userId: string, expires: number) =>
    createHmac('sha256', key)
      .update(JSON.stringify([videoId, userId, expires]))
      .digest();

  return {
    sign(videoId, userId, nowMs = Date.now()) {
      const expires = Math.floor(nowMs / 1000) + ttlSec;
      return { user_id: userId, expires, signature: signatureOf(videoId, userId, expires).toString('base64url') };
    },

    check(videoId, query, nowMs = Date.now()) {
      const { user_id: userId, expires, signature } = query;
      if (typeof userId !== 'string' || typeof expires !== 'string' || typeof signature !== 'string')
        return { ok: false, reason: 'invalid' };
      if (!/^\d{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(signature))
        return { ok: false, reason: 'invalid' };
      // Compared as text: decoding would let the unused low bits of the last character vary.
      const expected = Buffer.from(signatureOf(videoId, userId, Number(expires)).toString('base64url'));
      if (!timingSafeEqual(Buffer.from(signature), expected)) return { ok: false, reason: 'invalid' };
      if (Math.floor(nowMs / 1000) >= Number(expires)) return { ok: false, reason: 'expired' };
      return { ok: true, userId };
    },
  };
}

/**
 * A URL for the log, with every credential and every answer's text in its query replaced. Names are
 * compared as the server reads them, decoded (`%73ignature` is `signature`): a signature lasts as long
 * as its URL, a token (`access_token`, any name with "token", "password" or "secret") longer, and an
 * answer's text (the follow-up route takes `answer_text` in the query) is the candidate's.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const name = equals === -1 ? part : part.slice(0, equals);
      return isSecretName(decodedName(name)) ? `${name}=[Redacted]` : part;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' ')).toLowerCase();
  } catch {
    // Refused by the server (400 BAD_URL), but logged first: judged by what can be read of it.
    return name.replace(/%[0-9a-f]{2}/gi, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16))).toLowerCase();
  }
}

const SECRET_NAMES = new Set(['signature', 'answer_text']);
const isSecretName = (name: string) => SECRET_NAMES.has(name.trim()) || /token|password|secret/.test(name);
