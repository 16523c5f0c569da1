// Stored feedback in the reader's language. Feedback is written once, in the language of the request that
// started the analysis; the rules' items (and every content item) are a pure function of what is stored,
// so a reader in the other language gets them rebuilt in theirs. Gemini's delivery items cannot be
// rebuilt and stay as written, each item saying which language it is in. Nothing is written back.
import { CONTENT_THRESHOLDS, type ContentAnalysis } from '../content/index.ts';
import type { LongestStretches } from '../metrics.ts';
import type { AnalysisMetrics } from '../pipeline.ts';
import { contentFeedback } from './content.ts';
import {
  FEEDBACK_RULES,
  LEGACY_SEVERITY_TITLES,
  ruleBasedFeedback,
  type FeedbackItem,
  type FeedbackLang,
  type RuleInputs,
} from './rules.ts';

/** What a stored feedback row carries that the rules write. */
export interface StoredItem {
  title: string;
  message: string;
  severity: string;
  level: string;
  start_sec: number | null;
  end_sec: number | null;
  category: string | null;
}

/**
 * What the rules read, as stored with a result (the results' metrics block): the metric columns, the
 * measures (with what the moments are picked from), the content measures and the metadata (with
 * feedback_mode, feedback_lang, the rules used, the duration the moments are kept within).
 */
export type StoredFeedbackInputs = Pick<AnalysisMetrics, 'gaze_away_segments' | 'speech'> & {
  /** Absent from results stored before they were measured. */
  nod_times_sec?: number[];
  longest_stretches?: LongestStretches;
  center_gaze_ratio: number | null;
  smile_ratio: number | null;
  nod_count: number | null;
  filler_count: number | null;
  content: ContentAnalysis | null;
  metadata: {
    confidence?: AnalysisMetrics['metadata']['confidence'];
    outlier_flags?: AnalysisMetrics['metadata']['outlier_flags'];
    duration_sec?: number | null;
    feedback_mode?: string;
    feedback_lang?: FeedbackLang;
    feedback_rules?: typeof FEEDBACK_RULES;
    content_thresholds?: typeof CONTENT_THRESHOLDS;
  } | null;
};

export type ReaderItem<T> = T & { lang: FeedbackLang };

const sameItem = (a: StoredItem, b: FeedbackItem) =>
  a.title === b.title &&
  a.message === b.message &&
  a.severity === b.severity &&
  a.level === b.level &&
  a.start_sec === b.start_sec &&
  a.end_sec === b.end_sec;

/**
 * The items the rules write from the stored inputs, delivery then content, as saveAnalysis orders them;
 * delivery is null when Gemini wrote it (it cannot be rebuilt) or the metadata is missing.
 */
export function rebuildFeedback(
  inputs: StoredFeedbackInputs,
  lang: FeedbackLang,
): { delivery: FeedbackItem[] | null; content: FeedbackItem[] } {
  const metadata = inputs.metadata;
  const ruleBased = metadata?.feedback_mode === 'rule-based' && metadata.confidence && metadata.outlier_flags;
  const delivery = ruleBased
    ? ruleBasedFeedback(inputs as unknown as RuleInputs, lang, {
        ...FEEDBACK_RULES,
        ...metadata.feedback_rules,
      })
    : null;
  const content = inputs.content
    ? contentFeedback(inputs.content, lang, { ...CONTENT_THRESHOLDS, ...metadata?.content_thresholds })
    : [];
  return { delivery, content };
}

/**
 * The stored items as a reader in `lang` should see them: unchanged when written in `lang`; otherwise
 * each group the rules wrote (delivery when rule-based, content always) rebuilt in `lang`, keeping each
 * row's id, order and every other field. A group is rebuilt only when rebuilding it in the stored
 * language gives exactly the stored items (a row written by older rules stays as written). Each item
 * says which language it is in.
 */
const LEGACY_PREFIXES = Object.values(LEGACY_SEVERITY_TITLES).flatMap((words) =>
  Object.values(words).map((word) => `${word}: `),
);

/** A title stored before titles became the topic alone, without its severity word ("강점: 시선" → "시선"). */
export function withoutSeverityPrefix(title: string): string {
  const prefix = LEGACY_PREFIXES.find((candidate) => title.startsWith(candidate));
  return prefix ? title.slice(prefix.length) : title;
}

export function feedbackForReader<T extends StoredItem>(
  rows: T[],
  inputs: StoredFeedbackInputs,
  lang: FeedbackLang,
): Array<ReaderItem<T>> {
  const storedLang = inputs.metadata?.feedback_lang ?? 'ko';
  const asStored = rows.map((row) => ({ ...row, title: withoutSeverityPrefix(row.title), lang: storedLang }));
  if (storedLang === lang) return asStored;
  const original = rebuildFeedback(inputs, storedLang);
  const wanted = rebuildFeedback(inputs, lang);
  const groupOf = (row: StoredItem) => (row.category === 'content' ? 'content' : 'delivery');
  const rebuilt = { delivery: null as FeedbackItem[] | null, content: null as FeedbackItem[] | null };
  for (const group of ['delivery', 'content'] as const) {
    const stored = rows.filter((row) => groupOf(row) === group);
    const before = original[group];
    const after = wanted[group];
    if (
      before &&
      after &&
      before.length === stored.length &&
      after.length === stored.length &&
      stored.every((row, i) => sameItem(row, before[i]!))
    )
      rebuilt[group] = after;
  }
  const next = { delivery: 0, content: 0 };
  return rows.map((row, i) => {
    const group = groupOf(row);
    const item = rebuilt[group]?.[next[group]++];
    return item ? { ...row, title: item.title, message: item.message, lang } : asStored[i]!;
  });
}
