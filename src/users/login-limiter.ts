// Login attempts, counted in fixed windows under two keys at once: a client address with one account
// (guessing that account's password) and a client address alone (trying many accounts). The rate-limit
// plugin runs one limiter per request, hence this small counter of our own.

export interface LoginLimits {
  perAddressAndAccount: number;
  perAddress: number;
  windowMs: number;
}

// Oldest windows are dropped beyond this many keys, so a flood of addresses cannot grow memory.
const MAX_KEYS = 10_000;

export function createLoginLimiter(limits: LoginLimits) {
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
    /** Counts a login attempt; the seconds to wait when either limit is exceeded, else 0. */
    attempt(clientAddress: string, normalisedEmail: string): number {
      const now = Date.now();
      return Math.max(
        count(`${clientAddress} ${normalisedEmail}`, limits.perAddressAndAccount, now),
        count(clientAddress, limits.perAddress, now),
      );
    },
  };
}
