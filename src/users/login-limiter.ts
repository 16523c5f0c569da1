// Login attempts, counted in fixed windows under two keys at once: a client address with one account
// (guessing that account's password) and a client address alone (trying many accounts). The rate-limit
// plugin runs one limiter per request, hence this small counter of our own: in memory, or in Redis when
// several API servers must share the counts.
import type { Redis } from 'ioredis';

export interface LoginLimits {
  perAddressAndAccount: number;
  perAddress: number;
  windowMs: number;
}

// Oldest windows are dropped beyond this many keys, so a flood of addresses cannot grow memory.
const MAX_KEYS = 10_000;

export interface LoginLimiter {
  /** Counts a login attempt; the seconds to wait when either limit is exceeded, else 0. */
  attempt(clientAddress: string, normalisedEmail: string): Promise<number>;
}

export function createLoginLimiter(limits: LoginLimits): LoginLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();

  /** Counts one attempt under `key`; the seconds until its window ends when it is over `max`, else 0. */
  function count(key: string, max: number, now: number): number {
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      // Re-inserted, so the map stays ordered by window start and its first key is the oldest.
      windows.delete(key);
      window = { count: 0, resetAt: now + limits.windowMs };
      windows.set(key, window);
      while (windows.size > MAX_KEYS) windows.delete(windows.keys().next().value!);
    }
    window.count += 1;
    return window.count > max ? Math.ceil((window.resetAt - now) / 1000) : 0;
  }

  return {
    async attempt(clientAddress, normalisedEmail) {
      const now = Date.now();
      return Math.max(
        count(`${clientAddress} ${normalisedEmail}`, limits.perAddressAndAccount, now),
        count(clientAddress, limits.perAddress, now),
      );
    },
  };
}

/**
 * The same limits counted in Redis, shared by every API server. Should Redis not answer, the attempt is
 * let through (and logged): logging in must not depend on the queue's Redis.
 */
export function createRedisLoginLimiter(
  redis: Redis,
  keyPrefix: string,
  limits: LoginLimits,
  log: { warn(details: Record<string, unknown>, message: string): void },
): LoginLimiter {
  async function count(key: string, max: number): Promise<number> {
    const redisKey = `${keyPrefix}:login:${key}`;
    const replies = await redis.multi().incr(redisKey).pttl(redisKey).exec();
    const attempts = Number(replies?.[0]?.[1]);
    let ttlMs = Number(replies?.[1]?.[1]);
    if (!(ttlMs > 0)) {
      await redis.pexpire(redisKey, limits.windowMs);
      ttlMs = limits.windowMs;
    }
    return attempts > max ? Math.ceil(ttlMs / 1000) : 0;
  }
  return {
    async attempt(clientAddress, normalisedEmail) {
      try {
        const waits = await Promise.all([
          count(`${clientAddress} ${normalisedEmail}`, limits.perAddressAndAccount),
          count(clientAddress, limits.perAddress),
        ]);
        return Math.max(...waits);
      } catch (error) {
        log.warn({ err: error }, 'login limiter: Redis does not answer; attempt not counted');
        return 0;
      }
    },
  };
}
