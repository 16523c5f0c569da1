// The content figures of one answer, read defensively from the stored content analysis (the
// `content_json` of nonverbal_metrics: `{content: ContentAnalysis | null, reason}` as the content
// branch stores it, or a bare `ContentAnalysis`). Whatever is missing or malformed reads as null;
// nothing here throws. Pure.

export interface ContentFigures {
  length_sec: number | null;
  /** The answer's own target range for its length (by question type). */
  length_range_sec: [number, number] | null;
  conclusion_first: number | null;
  star_parts: number | null;
  specificity_score: number | null;
  hedge_count: number | null;
  relevance_coverage: number | null;
}

const STAR_PARTS = ['situation', 'task', 'action', 'result'] as const;

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const list = (value: unknown): unknown[] | null => (Array.isArray(value) ? value : null);

function range(value: unknown): [number, number] | null {
  const pair = list(value);
  const [min, max] = [finite(pair?.[0]), finite(pair?.[1])];
  return pair?.length === 2 && min !== null && max !== null && min <= max ? [min, max] : null;
}

/** STAR parts carried: those with at least one sentence, else 4 minus the parts named missing. */
function starParts(structure: Record<string, unknown> | null): number | null {
  const star = record(structure?.star);
  if (star && STAR_PARTS.every((part) => list(star[part]) !== null)) {
    return STAR_PARTS.filter((part) => list(star[part])!.length > 0).length;
  }
  const missing = list(structure?.missing);
  if (missing) return STAR_PARTS.length - STAR_PARTS.filter((part) => missing.includes(part)).length;
  return null;
}

export function contentFigures(stored: unknown): ContentFigures {
  // `{content, reason}` wraps the analysis (null with the reason when there was no transcript).
  const wrapper = record(stored);
  const root = wrapper && 'content' in wrapper ? record(wrapper.content) : wrapper;
  const length = record(root?.length);
  const structure = record(root?.structure);
  const question = record(record(root?.relevance)?.question);
  const covered = list(question?.covered);
  const missing = list(question?.missing);
  const terms = covered && missing ? covered.length + missing.length : 0;
  const conclusionFirst = structure?.conclusion_first;
  const score = finite(record(root?.specificity)?.score);
  const hedges = finite(root?.hedge_count) ?? list(root?.hedges)?.length ?? null;
  return {
    length_sec: finite(length?.value_sec),
    length_range_sec: range(length?.range_sec),
    conclusion_first: typeof conclusionFirst === 'boolean' ? Number(conclusionFirst) : null,
    star_parts: starParts(structure),
    specificity_score: score !== null && score >= 0 && score <= 1 ? score : null,
    hedge_count: hedges,
    // A question without key terms has nothing to cover: no figure rather than a perfect one.
    relevance_coverage: terms > 0 ? covered!.length / terms : null,
  };
}
