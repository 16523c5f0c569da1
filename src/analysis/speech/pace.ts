// Speaking pace from a transcript. Pure functions.
import { spellNumbersEnglish, spellNumbersKorean } from './numbers.ts';

/** Words as the original counted them: runs of letters, digits, _ and ' (a Korean eojeol is one word). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}_']+/gu)?.length ?? 0;
}

/** Hangul syllable blocks: the usual unit of Korean speaking rate. Digits are not counted (see below). */
export function countHangulSyllables(text: string): number {
  return text.match(/[\uAC00-\uD7A3]/gu)?.length ?? 0;
}

/** Korean syllables as spoken: Hangul blocks, and numbers as they are read (357번 → 삼백오십칠 번, 5 + 1). */
export function countSpokenKoreanSyllables(text: string): number {
  return countHangulSyllables(spellNumbersKorean(text));
}

/** English words as spoken: numbers count as the words said (2019 → twenty nineteen, 2 words). */
export function countSpokenEnglishWords(text: string): number {
  return countWords(spellNumbersEnglish(text));
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

const HANGUL = /[\uAC00-\uD7A3]/u;

export interface Pace {
  /** Korean: eojeol as written; otherwise words as spoken, numbers included (2019 is two words). */
  word_count: number;
  /** Words per minute over the whole video, silences included (the original's figure). */
  wpm: number;
  /** Words per minute of actual speaking time. */
  wpm_speaking: number | null;
  /**
   * Korean syllables per second of speaking time, numbers counted as read; null for a transcript
   * without Hangul.
   */
  syllables_per_sec: number | null;
}

export function pace(text: string, durationSec: number, speakingTimeSec: number): Pace {
  const korean = HANGUL.test(text);
  const words = korean ? countWords(text) : countSpokenEnglishWords(text);
  const syllables = korean ? countSpokenKoreanSyllables(text) : 0;
  return {
    word_count: words,
    wpm: round(words / Math.max(durationSec / 60, 1e-6)),
    wpm_speaking: speakingTimeSec > 0 ? round(words / (speakingTimeSec / 60)) : null,
    syllables_per_sec: syllables > 0 && speakingTimeSec > 0 ? round(syllables / speakingTimeSec, 2) : null,
  };
}

export interface SegmentPace {
  start_sec: number;
  end_sec: number;
  /** Speech heard (voice activity) inside the segment: the time its rate is over. */
  speaking_sec: number;
  wpm_speaking: number | null;
  syllables_per_sec: number | null;
}

/**
 * The pace of each transcript segment over the speech heard inside it, in the unit of the whole
 * answer's figure (Korean: syllables a second), so feedback can point at the fastest or slowest
 * stretch. Segment times are clipped to the video; a segment with no speech inside it is left out.
 */
export function segmentPace(
  segments: Array<{ start: number; end: number; text: string }>,
  speech: Array<{ start_sec: number; end_sec: number }>,
  durationSec: number,
  fullText: string,
): SegmentPace[] {
  const korean = HANGUL.test(fullText);
  return segments.flatMap((segment) => {
    const start = Math.max(0, segment.start);
    const end = Math.min(durationSec, segment.end);
    const speaking = speech.reduce(
      (sum, s) => sum + Math.max(0, Math.min(end, s.end_sec) - Math.max(start, s.start_sec)),
      0,
    );
    if (end <= start || speaking <= 0) return [];
    const measured = pace(segment.text, end - start, speaking);
    return [
      {
        start_sec: round(start, 2),
        end_sec: round(end, 2),
        speaking_sec: round(speaking, 2),
        wpm_speaking: measured.wpm_speaking,
        syllables_per_sec: korean ? measured.syllables_per_sec : null,
      },
    ];
  });
}
