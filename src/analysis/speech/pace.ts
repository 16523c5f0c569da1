// Speaking pace from a transcript. Pure functions.

/** Words as the original counted them: runs of letters, digits, _ and ' (a Korean eojeol is one word). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}_']+/gu)?.length ?? 0;
}

/** Hangul syllable blocks: the usual unit of Korean speaking rate. */
export function countHangulSyllables(text: string): number {
  return text.match(/[\uAC00-\uD7A3]/gu)?.length ?? 0;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export interface Pace {
  word_count: number;
  /** Words per minute over the whole video, silences included (the original's figure). */
  wpm: number;
  /** Words per minute of actual speaking time. */
  wpm_speaking: number | null;
  /** Hangul syllables per second of speaking time; null for a transcript without Hangul. */
  syllables_per_sec: number | null;
}

export function pace(text: string, durationSec: number, speakingTimeSec: number): Pace {
  const words = countWords(text);
  const syllables = countHangulSyllables(text);
  return {
    word_count: words,
    wpm: round(words / Math.max(durationSec / 60, 1e-6)),
    wpm_speaking: speakingTimeSec > 0 ? round(words / (speakingTimeSec / 60)) : null,
    syllables_per_sec: syllables > 0 && speakingTimeSec > 0 ? round(syllables / speakingTimeSec, 2) : null,
  };
}
