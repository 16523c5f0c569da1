// Arithmetic over answers' figures: one attempt against the one before, trends over a period, shares
// in range, and the habits of a session. Pure; the answers come in time order.
import type { Lang } from '../config.ts';
import {
  definition,
  FIGURE_KEYS,
  FIGURES,
  HISTORY_RULES,
  inRange,
  mean,
  offTarget,
  outcomeOf,
  round,
  targetOf,
  type FigureKey,
  type FigureValues,
  type Habit,
  type Outcome,
  type Target,
} from './figures.ts';

export interface Measured {
  values: FigureValues;
  targets: Partial<Record<FigureKey, Target>>;
}

/** Per figure: inside its target, or null when the figure or its target is missing. */
export function inRangeFlags(answer: Measured): Record<FigureKey, boolean | null> {
  return Object.fromEntries(
    FIGURE_KEYS.map((key) => {
      const value = answer.values[key];
      const range = targetOf(key, answer.targets);
      return [key, value === null || range === null ? null : inRange(value, range)];
    }),
  ) as Record<FigureKey, boolean | null>;
}

export interface Change {
  key: FigureKey;
  previous: number | null;
  latest: number | null;
  /** latest − previous; null when either is missing. */
  difference: number | null;
  better: 'higher' | 'lower' | 'in_range' | null;
  outcome: Outcome | null;
}

/** Every figure of the latest attempt against the one before. */
export function compareAttempts(previous: Measured, latest: Measured): Change[] {
  return FIGURES.map(({ key, better }) => {
    const before = previous.values[key];
    const after = latest.values[key];
    if (before === null || after === null) {
      return { key, previous: before, latest: after, difference: null, better, outcome: null };
    }
    const rangeBefore = targetOf(key, previous.targets);
    const rangeAfter = targetOf(key, latest.targets);
    const outcome = outcomeOf(
      better,
      before,
      after,
      rangeBefore ? offTarget(before, rangeBefore) : undefined,
      rangeAfter ? offTarget(after, rangeAfter) : undefined,
    );
    return { key, previous: before, latest: after, difference: round(after - before), better, outcome };
  });
}

export interface Trend {
  method: 'first_vs_last_mean';
  /** Answers in each window: five, or half the measured answers when there are fewer than ten. */
  window: number;
  first_mean: number;
  last_mean: number;
  /** last_mean − first_mean. */
  change: number;
  /** For figures with a target: mean distance outside it in each window (0 = all inside). */
  first_off_target: number | null;
  last_off_target: number | null;
  outcome: Outcome | null;
}

export interface FigureTrend {
  key: FigureKey;
  measured: number;
  mean: number | null;
  /** Share of the measured answers inside the target; null when the figure has no target. */
  in_range_share: number | null;
  trend: Trend | null;
}

function meanOffTarget(key: FigureKey, answers: Measured[]): number | null {
  const offs = answers.flatMap((answer) => {
    const range = targetOf(key, answer.targets);
    return range ? [offTarget(answer.values[key]!, range)] : [];
  });
  return offs.length ? round(mean(offs)) : null;
}

function shareInRange(key: FigureKey, answers: Measured[]): number | null {
  const flags = answers.flatMap((answer) => {
    const range = targetOf(key, answer.targets);
    return range ? [inRange(answer.values[key]!, range)] : [];
  });
  return flags.length ? round(flags.filter(Boolean).length / flags.length) : null;
}

/** Per figure over a period: mean, share in range, and first-five against last-five means. */
export function figureTrends(answers: Measured[]): FigureTrend[] {
  return FIGURES.map(({ key, better }) => {
    const measured = answers.filter((answer) => answer.values[key] !== null);
    const n = measured.length;
    const window = Math.min(HISTORY_RULES.trend_window, Math.floor(n / 2));
    let trend: Trend | null = null;
    if (window >= 1) {
      const first = measured.slice(0, window);
      const last = measured.slice(n - window);
      const firstMean = round(mean(first.map((answer) => answer.values[key]!)));
      const lastMean = round(mean(last.map((answer) => answer.values[key]!)));
      const firstOff = meanOffTarget(key, first);
      const lastOff = meanOffTarget(key, last);
      trend = {
        method: 'first_vs_last_mean',
        window,
        first_mean: firstMean,
        last_mean: lastMean,
        change: round(lastMean - firstMean),
        first_off_target: firstOff,
        last_off_target: lastOff,
        outcome: outcomeOf(better, firstMean, lastMean, firstOff ?? undefined, lastOff ?? undefined),
      };
    }
    return {
      key,
      measured: n,
      mean: n ? round(mean(measured.map((answer) => answer.values[key]!))) : null,
      in_range_share: shareInRange(key, measured),
      trend,
    };
  });
}

export const HABIT_LABELS: Record<Habit, Record<Lang, string>> = {
  eye_contact: { ko: '카메라 응시', en: 'Eye contact' },
  expression: { ko: '표정', en: 'Expression' },
  nodding: { ko: '끄덕임', en: 'Nodding' },
  pace: { ko: '말 속도', en: 'Pace' },
  fillers: { ko: '채움말', en: 'Filler words' },
  pauses: { ko: '침묵', en: 'Pauses' },
  length: { ko: '답변 길이', en: 'Answer length' },
  structure: { ko: '답변 구조', en: 'Structure' },
  specificity: { ko: '구체성', en: 'Specificity' },
  relevance: { ko: '질문 적합성', en: 'Relevance' },
};
const HABIT_ORDER = Object.keys(HABIT_LABELS) as Habit[];

export interface HabitScore {
  habit: Habit;
  label: string;
  /** Share of the habit's measurements (answer × figure with a target) inside the target. */
  score: number;
  measured: number;
  figures: Array<{ key: FigureKey; mean: number; in_range_share: number; measured: number }>;
}

/**
 * The habits of a set of answers, scored by the share of their figures inside the target (figures
 * without a target do not count): the two best with a score of at least HISTORY_RULES.strength_min_score, and the
 * two worst of the rest with a score below 1 (worst first).
 */
export function rankHabits(
  answers: Measured[],
  lang: Lang,
): { scores: HabitScore[]; strongest: HabitScore[]; practise_next: HabitScore[] } {
  const scores: HabitScore[] = [];
  for (const habit of HABIT_ORDER) {
    const figures = FIGURE_KEYS.filter((key) => definition(key).habit === habit).flatMap((key) => {
      const measured = answers.filter(
        (answer) => answer.values[key] !== null && targetOf(key, answer.targets) !== null,
      );
      if (!measured.length) return [];
      const inside = measured.filter((answer) => inRange(answer.values[key]!, targetOf(key, answer.targets)!)).length;
      return [
        {
          key,
          mean: round(mean(measured.map((answer) => answer.values[key]!))),
          in_range_share: round(inside / measured.length),
          measured: measured.length,
          inside,
        },
      ];
    });
    const measured = figures.reduce((sum, figure) => sum + figure.measured, 0);
    if (!measured) continue;
    const inside = figures.reduce((sum, figure) => sum + figure.inside, 0);
    scores.push({
      habit,
      label: HABIT_LABELS[habit][lang],
      score: round(inside / measured),
      measured,
      figures: figures.map(({ inside: _, ...figure }) => figure),
    });
  }
  const byStrength = [...scores].sort(
    (a, b) =>
      b.score - a.score || b.measured - a.measured || HABIT_ORDER.indexOf(a.habit) - HABIT_ORDER.indexOf(b.habit),
  );
  const strongest = byStrength
    .filter((habit) => habit.score >= HISTORY_RULES.strength_min_score)
    .slice(0, HISTORY_RULES.habits_shown);
  const byWeakness = [...scores].sort(
    (a, b) =>
      a.score - b.score || b.measured - a.measured || HABIT_ORDER.indexOf(a.habit) - HABIT_ORDER.indexOf(b.habit),
  );
  const practise_next = byWeakness
    .filter((habit) => habit.score < 1 && !strongest.includes(habit))
    .slice(0, HISTORY_RULES.habits_shown);
  return { scores: byStrength, strongest, practise_next };
}
