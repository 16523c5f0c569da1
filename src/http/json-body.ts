// What every parsed JSON body goes through before validation, in one walk: PostgreSQL cannot store
// NUL in text (so no database gets it), lone surrogates become U+FFFD, and a body nested thousands of
// levels deep is refused (it would exhaust the stack of any recursive reader). The walk keeps its own
// stack.
import { withoutLoneSurrogates } from './text.ts';

/** Deeper bodies are refused; real requests nest a few levels (parsed_skills maybe ten). */
export const MAX_JSON_DEPTH = 64;

export type JsonBodyProblem = 'nul' | 'too-deep' | null;

/** Cleans the body's strings in place; says what makes it unacceptable, if anything. */
export function cleanJsonBody(body: unknown): JsonBodyProblem {
  if (typeof body === 'string') return body.includes('\u0000') ? 'nul' : null;
  const pending: Array<[unknown, number]> = [[body, 0]];
  while (pending.length) {
    const [container, depth] = pending.pop()!;
    if (container === null || typeof container !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return 'too-deep';
    const entries = container as Record<string, unknown>;
    for (const key of Object.keys(entries)) {
      if (key.includes('\u0000')) return 'nul';
      const value = entries[key];
      if (typeof value === 'string') {
        if (value.includes('\u0000')) return 'nul';
        entries[key] = withoutLoneSurrogates(value);
      } else {
        pending.push([value, depth + 1]);
      }
    }
  }
  return null;
}
