// The moment each coaching line points at: the stretch of the answer a candidate can replay to see or
// hear what the line is about. Pure functions of what is stored with a result (the measures and the
// content analysis), so the reader rebuilds the same moments in another language. Each picker returns
// null when the data holds nothing honest to point at: never a placeholder such as 0:00.

/** A stretch of the video, in seconds; start === end for an instant (a nod, a filler). */
export interface Moment {
  start: number;
  end: number;
}

export interface MomentRules {
  /** A face stretch (eye contact, a smile, no smile, no face) shorter than this is not pointed at. */
  min_stretch_sec: number;
  /** A transcript segment with less speech than this is too short to show a pace. */
  pace_min_speaking_sec: number;
  /** Too many nods: the window of this length that holds the most of them. */
  nod_window_sec: number;
}

type Stretch = { start_sec: number; end_sec: number };

const span = (stretch: Stretch): Moment => ({ start: stretch.start_sec, end: stretch.end_sec });
const length = (stretch: Stretch) => stretch.end_sec - stretch.start_sec;

/** Keeps a moment inside the video: clipped to its end; null when it starts at or after the end. */
export function withinVideo(moment: Moment | null, durationSec: number | null | undefined): Moment | null {
  if (!moment || !durationSec) return moment;
  if (moment.start >= durationSec) return null;
  return { start: Math.max(0, moment.start), end: Math.min(moment.end, durationSec) };
}

/** A face stretch, when it is long enough to watch. */
export function stretchMoment(stretch: Stretch | null | undefined, rules: MomentRules): Moment | null {
  return stretch && length(stretch) >= rules.min_stretch_sec ? span(stretch) : null;
}

/** The longest of some stretches (the earliest on a tie), e.g. the longest look-away. */
export function longest(stretches: Stretch[]): Moment | null {
  let best: Stretch | null = null;
  for (const stretch of stretches) if (!best || length(stretch) > length(best)) best = stretch;
  return best && span(best);
}

/**
 * The densest window of events: among windows of `windowSec` starting at an event, the one holding the
 * most (the earliest on a tie), from its first event to its last. Null without events.
 */
export function densest(times: number[], windowSec: number): Moment | null {
  const sorted = [...times].sort((a, b) => a - b);
  let best: Moment | null = null;
  let bestCount = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    if (j < i) j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! - sorted[i]! <= windowSec) j++;
    if (j - i + 1 > bestCount) {
      bestCount = j - i + 1;
      best = { start: sorted[i]!, end: sorted[j]! };
    }
  }
  return best;
}

/** The longest stretch of speech during which no nod began (the earliest on a tie). */
export function speechWithoutNod(speech: Stretch[], nodTimes: number[]): Moment | null {
  return longest(speech.filter((s) => !nodTimes.some((t) => t >= s.start_sec && t <= s.end_sec)));
}

interface SegmentPace extends Stretch {
  speaking_sec: number;
  wpm_speaking: number | null;
  syllables_per_sec: number | null;
}

/**
 * A stretch that shows the pace line: too fast → the fastest transcript segment above the range, too
 * slow → the slowest below it, in range → the in-range segment with the most speech (an example to keep).
 * Segments with less speech than `pace_min_speaking_sec` are not read.
 */
export function paceMoment(
  segments: SegmentPace[],
  unit: 'syllables_per_sec' | 'wpm_speaking',
  [low, high]: [number, number],
  judged: 'fast' | 'slow' | 'in_range',
  rules: MomentRules,
): Moment | null {
  const read = segments.flatMap((segment) => {
    const rate = segment[unit];
    return rate !== null && segment.speaking_sec >= rules.pace_min_speaking_sec ? [{ segment, rate }] : [];
  });
  const pick = (candidates: typeof read, better: (a: (typeof read)[0], b: (typeof read)[0]) => boolean) =>
    candidates.reduce<(typeof read)[0] | null>((best, c) => (!best || better(c, best) ? c : best), null);
  const chosen =
    judged === 'fast'
      ? pick(
          read.filter((r) => r.rate > high),
          (a, b) => a.rate > b.rate,
        )
      : judged === 'slow'
        ? pick(
            read.filter((r) => r.rate < low),
            (a, b) => a.rate < b.rate,
          )
        : pick(
            read.filter((r) => r.rate >= low && r.rate <= high),
            (a, b) => a.segment.speaking_sec > b.segment.speaking_sec,
          );
  return chosen && span(chosen.segment);
}

/** An instant: a nod's or a filler's start. */
export const instant = (t: number | null | undefined): Moment | null =>
  t === null || t === undefined ? null : { start: t, end: t };
