// Checks on parsed JSON bodies that no schema can express: PostgreSQL cannot store NUL in text (so no
// database gets it), and a body nested thousands of levels deep would exhaust the stack of any
// recursive reader. The walk keeps its own stack.

/** Deeper bodies are refused; real requests nest a few levels (parsed_skills maybe ten). */
export const MAX_JSON_DEPTH = 64;

export type JsonBodyProblem = 'nul' | 'too-deep' | null;

export function jsonBodyProblem(body: unknown): JsonBodyProblem {
  const pending: Array<[unknown, number]> = [[body, 0]];
  while (pending.length) {
    const [value, depth] = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'nul';
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return 'too-deep';
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return 'nul';
        pending.push([item, depth + 1]);
      }
    }
  }
  return null;
}
