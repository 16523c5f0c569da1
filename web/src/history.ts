// Practice history on the web side: the shapes of the three history replies (from the server's own
// schemas), each answer's attempt number, and how a key figure and its target are written.
import type { Static } from '@sinclair/typebox';
import type { AttemptsResponse, ProgressResponse, ReportResponse } from '../../src/progress/schemas.ts';
import type { I18n } from './i18n/index.ts';
import type { Video } from './types.ts';

export type Attempts = Static<typeof AttemptsResponse>;
export type Progress = Static<typeof ProgressResponse>;
export type Report = Static<typeof ReportResponse>;
export type Figure = Attempts['figures'][number];
export type FigureKey = Figure['key'];
export type Change = NonNullable<Attempts['comparison']>['changes'][number];
type Target = Exclude<Figure['target'], 'per_answer' | null>;

/** What an answer's chip says: its latest analysis job, or none yet. */
export type AttemptStatus = 'analysing' | 'failed' | 'done' | 'none';
export function attemptStatus(video: Pick<Video, 'analysis_status'>): AttemptStatus {
  switch (video.analysis_status) {
    case 'queued':
    case 'running':
      return 'analysing';
    case 'failed':
      return 'failed';
    case 'succeeded':
      return 'done';
    default:
      return 'none';
  }
}

/**
 * Attempt numbers per answer video: 1 for the oldest answer to its question. Every answer counts,
 * analysed or not, so the session page and the review name the same video alike.
 */
export function attemptNumbers(videos: Video[]): Map<string, number> {
  const byQuestion = new Map<string, Video[]>();
  for (const video of videos) byQuestion.set(video.question_id, [...(byQuestion.get(video.question_id) ?? []), video]);
  const numbers = new Map<string, number>();
  for (const answers of byQuestion.values()) {
    answers
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
      .forEach((video, index) => numbers.set(video.id, index + 1));
  }
  return numbers;
}

/** A figure's value as a number and its unit ("3", "회"), `sep` between them. `mean` allows decimals. */
function figureParts(figure: Pick<Figure, 'unit'>, value: number, i18n: I18n, mean: boolean) {
  const { t, lang, number, percent } = i18n;
  const h = t.history;
  const ko = lang === 'ko';
  switch (figure.unit) {
    case 'ratio':
      return { num: percent(value), unit: '', sep: '' };
    case 'count':
      return { num: number(value, mean ? 1 : 0), unit: t.unit.count, sep: '' };
    case 'syllables/s':
      return { num: number(value, 1), unit: t.unit.syllablesPerSec, sep: ' ' };
    case 'words/min':
      return { num: number(value, 0), unit: t.unit.wordsPerMin, sep: ' ' };
    case 's':
      return { num: number(value, 1), unit: t.unit.seconds, sep: ko ? '' : ' ' };
    case '0/1':
      return { num: mean ? percent(value) : value >= 1 ? h.yes : h.no, unit: '', sep: '' };
    case 'parts (0–4)':
      return { num: `${number(value, mean ? 1 : 0)}/4`, unit: '', sep: '' };
    default:
      return { num: number(value, 2), unit: '', sep: '' };
  }
}

/** A figure's value in its unit: percentages, counts, syllables a second, yes/no… `mean` allows decimals. */
export function formatFigure(figure: Pick<Figure, 'unit'>, value: number, i18n: I18n, mean = false): string {
  const { num, unit, sep } = figureParts(figure, value, i18n, mean);
  return unit ? `${num}${sep}${unit}` : num;
}

/** The target in words ("≥ 70%", "25%–50%", "< 3초"); null when the figure has none. */
export function formatTarget(figure: Figure, i18n: I18n, lengthTarget?: number[] | null): string | null {
  const target = targetOf(figure, lengthTarget ?? null);
  if (!target) return null;
  const f = (value: number) => formatFigure(figure, value, i18n);
  if (figure.unit === '0/1') return target.min === 1 ? i18n.t.history.yes : null;
  if (target.min !== null && target.max !== null) {
    if (target.min === target.max) return f(target.min);
    // The unit once: "140–180 단어/분", "30–120초".
    const low = figureParts(figure, target.min, i18n, false);
    const high = figureParts(figure, target.max, i18n, false);
    return high.unit ? `${low.num}–${high.num}${high.sep}${high.unit}` : `${low.num}–${high.num}`;
  }
  if (target.min === null && target.max === 0 && !target.max_exclusive) return f(0); // none at all
  if (target.min !== null) return `≥ ${f(target.min)}`;
  if (target.max !== null) return `${target.max_exclusive ? '<' : '≤'} ${f(target.max)}`;
  return null;
}

/** The judged figures (a better direction), in the server's order. Reference-only ones are left out. */
export const judged = (figures: Figure[]) => figures.filter((figure) => figure.better !== null);

function targetOf(figure: Figure, lengthTarget: number[] | null): Target | null {
  if (figure.target !== 'per_answer') return figure.target;
  return lengthTarget?.length === 2
    ? { min: lengthTarget[0]!, max: lengthTarget[1]!, max_exclusive: false, from: '' }
    : null;
}

/** "12:20" today, "11. 26. 12:20" / "26 Nov, 12:20" another day; 24-hour, short. */
export function shortTime(iso: string, lang: I18n['lang']): string {
  const when = new Date(iso);
  const locale = lang === 'ko' ? 'ko-KR' : 'en-GB';
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const today = new Date().toDateString() === when.toDateString();
  return new Intl.DateTimeFormat(
    locale,
    today ? time : { month: lang === 'ko' ? 'numeric' : 'short', day: 'numeric', ...time },
  ).format(when);
}
