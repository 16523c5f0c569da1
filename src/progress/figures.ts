// The key figures of an analysed answer, defined once: where each comes from, which direction counts
// as better, and its target range, taken from the constants the feedback is written from (nothing
// here is a second copy of a threshold). Attempts, progress and the session report all read this list
// and echo it in their replies.
import { CONTENT_THRESHOLDS } from '../analysis/content/index.ts';
import { FEEDBACK_RULES } from '../analysis/feedback/rules.ts';
import type { Lang } from '../config.ts';
import { contentFigures, type ContentFigures } from './content.ts';

/** Which way is better: up, down, or into the target range (closer to it counts as better). */
export type Better = 'higher' | 'lower' | 'in_range';

/** A closed range unless `max_exclusive`; a missing bound is open. */
export interface Target {
  min: number | null;
  max: number | null;
  max_exclusive: boolean;
  /** The constant it comes from. */
  from: string;
}

export type Habit =
  | 'eye_contact'
  | 'expression'
  | 'nodding'
  | 'pace'
  | 'fillers'
  | 'pauses'
  | 'length'
  | 'structure'
  | 'specificity'
  | 'relevance';

export interface FigureDefinition {
  key: string;
  kind: 'delivery' | 'content';
  /** Where the value is read from. */
  source: string;
  /** Null: reported for reference, never judged (no better direction, no target). */
  better: Better | null;
  /** Null when no constant sets one; `per_answer` when each analysis stores its own (answer length). */
  target: Target | 'per_answer' | null;
  /** The habit of the session report it counts towards; null for reference figures. */
  habit: Habit | null;
  unit: string;
  label: Record<Lang, string>;
  description: string;
}

const target = (min: number | null, max: number | null, from: string, maxExclusive = false): Target => ({
  min,
  max,
  max_exclusive: maxExclusive,
  from,
});

/** The constants of practice history itself, echoed as `rules` in the progress and report replies. */
export const HISTORY_RULES = {
  /** Trend: the mean of the first this-many measured answers against the last this-many (half each below twice this). */
  trend_window: 5,
  /** Strengths and practise items shown in a session report. */
  habits_shown: 2,
  /** A strength needs at least this share of its measurements inside the target. */
  strength_min_score: 0.5,
  /** Feedback items per question in the report: warnings, then suggestions, then strengths. */
  report_feedback_items: 3,
};

export const FIGURES = [
  {
    key: 'center_gaze_ratio',
    kind: 'delivery',
    source: 'nonverbal_metrics.center_gaze_ratio',
    better: 'higher',
    target: target(FEEDBACK_RULES.gaze_good_min, null, 'FEEDBACK_RULES.gaze_good_min'),
    habit: 'eye_contact',
    unit: 'ratio',
    label: { ko: '카메라 응시 비율', en: 'Eye contact' },
    description:
      'Share of frames looking at the camera; null when the face was found in too few frames to judge (FEEDBACK_RULES.valid_frame_ratio_min), as the feedback does.',
  },
  {
    key: 'smile_ratio',
    kind: 'delivery',
    source: 'nonverbal_metrics.smile_ratio',
    better: 'in_range',
    target: target(...FEEDBACK_RULES.smile_natural, 'FEEDBACK_RULES.smile_natural'),
    habit: 'expression',
    unit: 'ratio',
    label: { ko: '미소 비율', en: 'Smiling' },
    description: 'Share of frames smiling; null when the face was found in too few frames to judge.',
  },
  {
    key: 'nod_count',
    kind: 'delivery',
    source: 'nonverbal_metrics.nod_count',
    better: 'in_range',
    target: target(...FEEDBACK_RULES.nods_ideal, 'FEEDBACK_RULES.nods_ideal'),
    habit: 'nodding',
    unit: 'count',
    label: { ko: '끄덕임', en: 'Nods' },
    description: 'Nods in the answer; null when the face was found in too few frames to judge.',
  },
  {
    key: 'syllables_per_sec',
    kind: 'delivery',
    source: 'nonverbal_metrics.measures_json → speech.syllables_per_sec',
    better: 'in_range',
    target: target(...FEEDBACK_RULES.korean_syllables_per_sec_ideal, 'FEEDBACK_RULES.korean_syllables_per_sec_ideal'),
    habit: 'pace',
    unit: 'syllables/s',
    label: { ko: '말 속도 (음절/초)', en: 'Pace (syllables/s)' },
    description: 'Hangul syllables a second of speaking time: the pace of Korean answers. Null without a transcript.',
  },
  {
    key: 'wpm_speaking',
    kind: 'delivery',
    source: 'nonverbal_metrics.measures_json → speech.wpm_speaking',
    better: 'in_range',
    target: target(...FEEDBACK_RULES.wpm_ideal, 'FEEDBACK_RULES.wpm_ideal'),
    habit: 'pace',
    unit: 'words/min',
    label: { ko: '말 속도 (단어/분)', en: 'Pace (words/min)' },
    description:
      'Words a minute of speaking time: the pace of answers without Hangul (English). Null for Korean answers, whose pace is syllables_per_sec, as in the feedback; null without a transcript.',
  },
  {
    key: 'filler_count',
    kind: 'delivery',
    source: 'nonverbal_metrics.filler_count',
    better: 'lower',
    target: target(null, FEEDBACK_RULES.fillers_good_max, 'FEEDBACK_RULES.fillers_good_max'),
    habit: 'fillers',
    unit: 'count',
    label: { ko: '채움말', en: 'Filler words' },
    description: 'Filler words heard (a lower bound: transcribers drop some). Null without a transcript.',
  },
  {
    key: 'long_pause_count',
    kind: 'delivery',
    source: 'nonverbal_metrics.measures_json → speech.pauses (duration_sec ≥ FEEDBACK_RULES.long_pause_sec)',
    better: 'lower',
    target: target(null, 0, 'FEEDBACK_RULES.long_pause_sec (every pause this long gets a feedback item)'),
    habit: 'pauses',
    unit: 'count',
    label: { ko: '긴 침묵', en: 'Long pauses' },
    description:
      'Silences inside the answer at least FEEDBACK_RULES.long_pause_sec long. Null without speech measures.',
  },
  {
    key: 'longest_pause_sec',
    kind: 'delivery',
    source: 'nonverbal_metrics.measures_json → speech.longest_pause_sec',
    better: 'lower',
    target: target(null, FEEDBACK_RULES.long_pause_sec, 'FEEDBACK_RULES.long_pause_sec', true),
    habit: 'pauses',
    unit: 's',
    label: { ko: '가장 긴 침묵', en: 'Longest pause' },
    description: 'The longest silence inside the answer; 0 when there was no pause. Null without speech measures.',
  },
  {
    key: 'pause_count',
    kind: 'delivery',
    source: 'nonverbal_metrics.measures_json → speech.pause_count',
    better: null,
    target: null,
    habit: null,
    unit: 'count',
    label: { ko: '침묵 횟수', en: 'Pauses' },
    description:
      'Silences of SPEECH_THRESHOLDS.pause_min_sec or more. For reference only: short pauses between sentences are healthy.',
  },
  {
    key: 'wpm',
    kind: 'delivery',
    source: 'nonverbal_metrics.wpm',
    better: null,
    target: null,
    habit: null,
    unit: 'words/min',
    label: { ko: '분당 단어 (전체)', en: 'Words a minute (whole video)' },
    description:
      "The original's figure: words over the whole video, silences included. For reference only; pace is judged by syllables_per_sec or wpm_speaking.",
  },
  {
    key: 'length_sec',
    kind: 'content',
    source: 'nonverbal_metrics.content_json → length.value_sec',
    better: 'in_range',
    target: 'per_answer',
    habit: 'length',
    unit: 's',
    label: { ko: '답변 길이', en: 'Answer length' },
    description:
      'Length of the answer; its target is the range stored with each analysis (length.range_sec, by question type). Null without content analysis.',
  },
  {
    key: 'conclusion_first',
    kind: 'content',
    source: 'nonverbal_metrics.content_json → structure.conclusion_first',
    better: 'higher',
    target: target(1, null, 'the content analysis: the first sentence states the point (두괄식)'),
    habit: 'structure',
    unit: '0/1',
    label: { ko: '두괄식', en: 'Point first' },
    description: '1 when the answer comes to the point first, else 0. Null without content analysis.',
  },
  {
    key: 'star_parts',
    kind: 'content',
    source: 'nonverbal_metrics.content_json → structure.star',
    better: 'higher',
    target: target(4, null, 'the content analysis: all four STAR parts'),
    habit: 'structure',
    unit: 'parts (0–4)',
    label: { ko: 'STAR 구성', en: 'STAR parts' },
    description: 'How many of situation, task, action and result the answer carries. Null without content analysis.',
  },
  {
    key: 'specificity_score',
    kind: 'content',
    source: 'nonverbal_metrics.content_json → specificity.score',
    better: 'higher',
    target: target(CONTENT_THRESHOLDS.specificity.vague_below, null, 'CONTENT_THRESHOLDS.specificity.vague_below'),
    habit: 'specificity',
    unit: '0–1',
    label: { ko: '구체성', en: 'Specificity' },
    description:
      'Numbers, named skills and named things, scored 0–1 by the content analysis; under the target the feedback calls the answer vague.',
  },
  {
    key: 'hedge_count',
    kind: 'content',
    source: 'nonverbal_metrics.content_json → hedge_count',
    better: 'lower',
    target: target(null, CONTENT_THRESHOLDS.hedges_warning_above, 'CONTENT_THRESHOLDS.hedges_warning_above'),
    habit: 'specificity',
    unit: 'count',
    label: { ko: '얼버무림 표현', en: 'Hedges' },
    description: '"~것 같습니다", "아마", "I think", "maybe" and the like; above the target the feedback warns.',
  },
  {
    key: 'relevance_coverage',
    kind: 'content',
    source: 'nonverbal_metrics.content_json → relevance.question',
    better: 'higher',
    target: target(
      CONTENT_THRESHOLDS.relevance.question_coverage_min,
      null,
      'CONTENT_THRESHOLDS.relevance.question_coverage_min',
    ),
    habit: 'relevance',
    unit: 'ratio',
    label: { ko: '질문 핵심어 반영', en: 'Question terms covered' },
    description: "Share of the question's key terms the answer touches: covered / (covered + missing).",
  },
] as const satisfies readonly FigureDefinition[];

export type FigureKey = (typeof FIGURES)[number]['key'];
export const FIGURE_KEYS = FIGURES.map((figure) => figure.key) as FigureKey[];
export type FigureValues = Record<FigureKey, number | null>;

/** What the figures are read from: one analysed answer's stored row. */
export interface AnalysisRow {
  center_gaze_ratio: number | null;
  smile_ratio: number | null;
  nod_count: number | null;
  wpm: number | null;
  filler_count: number | null;
  /** Parsed `metadata_json` and `measures_json`, or null. */
  metadata: unknown;
  measures: unknown;
  /** Parsed `content_json`, or null (the column is not there, or no content analysis). */
  content: unknown;
}

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** One answer's figures, and the answer-specific targets (the length range). Pure. */
export function extractFigures(row: AnalysisRow): {
  values: FigureValues;
  targets: Partial<Record<FigureKey, Target>>;
} {
  const validFrames = finite(record(record(row.metadata)?.confidence)?.valid_frame_ratio);
  // As the feedback: with too few frames with a face, gaze, smile and nods are not judged.
  const faceJudged = validFrames !== null && validFrames >= FEEDBACK_RULES.valid_frame_ratio_min;
  const speech = record(record(row.measures)?.speech);
  const transcribed = speech?.stt_status === 'ok';
  const syllables = transcribed ? finite(speech.syllables_per_sec) : null;
  const pauses = Array.isArray(speech?.pauses) ? (speech.pauses as unknown[]) : null;
  const content: ContentFigures = contentFigures(row.content);
  const values: FigureValues = {
    center_gaze_ratio: faceJudged ? finite(row.center_gaze_ratio) : null,
    smile_ratio: faceJudged ? finite(row.smile_ratio) : null,
    nod_count: faceJudged ? finite(row.nod_count) : null,
    syllables_per_sec: syllables,
    wpm_speaking: transcribed && syllables === null ? finite(speech.wpm_speaking) : null,
    filler_count: finite(row.filler_count),
    long_pause_count: pauses
      ? pauses.filter((pause) => (finite(record(pause)?.duration_sec) ?? 0) >= FEEDBACK_RULES.long_pause_sec).length
      : null,
    longest_pause_sec: speech ? (finite(speech.longest_pause_sec) ?? (pauses ? 0 : null)) : null,
    pause_count: speech ? finite(speech.pause_count) : null,
    wpm: finite(row.wpm),
    length_sec: content.length_sec,
    conclusion_first: content.conclusion_first,
    star_parts: content.star_parts,
    specificity_score: content.specificity_score,
    hedge_count: content.hedge_count,
    relevance_coverage: content.relevance_coverage,
  };
  const targets: Partial<Record<FigureKey, Target>> = {};
  if (content.length_range_sec) {
    targets.length_sec = target(...content.length_range_sec, 'content_json → length.range_sec');
  }
  return { values, targets };
}

export function definition(key: FigureKey): FigureDefinition {
  return FIGURES.find((figure) => figure.key === key)!;
}

/** How far a value is outside the target (0 inside it, and on an excluded bound). */
export function offTarget(value: number, range: Target): number {
  if (range.min !== null && value < range.min) return range.min - value;
  if (range.max !== null && value > range.max) return value - range.max;
  return 0;
}

export function inRange(value: number, range: Target): boolean {
  if (range.min !== null && value < range.min) return false;
  if (range.max !== null && (range.max_exclusive ? value >= range.max : value > range.max)) return false;
  return true;
}

/** The target for one answer's figure: the fixed one, or the answer's own. */
export function targetOf(key: FigureKey, own: Partial<Record<FigureKey, Target>>): Target | null {
  const fixed = definition(key).target;
  return fixed === 'per_answer' ? (own[key] ?? null) : fixed;
}

export type Outcome = 'improved' | 'worse' | 'unchanged';

/**
 * Whether going from `before` to `after` is better. For ranged figures the measure is the distance
 * to the range (`offBefore`, `offAfter`), so moving into or towards it is better.
 */
export function outcomeOf(
  better: Better | null,
  before: number,
  after: number,
  offBefore?: number,
  offAfter?: number,
): Outcome | null {
  if (better === null) return null;
  const gain =
    better === 'higher'
      ? after - before
      : better === 'lower'
        ? before - after
        : offBefore === undefined || offAfter === undefined
          ? null
          : offBefore - offAfter;
  if (gain === null) return null;
  const rounded = round(gain);
  return rounded > 0 ? 'improved' : rounded < 0 ? 'worse' : 'unchanged';
}

/** Six decimals: enough for every figure, and no 0.30000000000000004 in the replies. */
export const round = (value: number) => Number(value.toFixed(6));

export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The figure list as echoed in replies, labels in the reader's language. */
export function figureList(lang: Lang) {
  return FIGURES.map((figure) => ({
    key: figure.key,
    kind: figure.kind,
    label: figure.label[lang],
    source: figure.source,
    better: figure.better,
    target: figure.target,
    habit: figure.habit,
    unit: figure.unit,
    description: figure.description,
  }));
}
