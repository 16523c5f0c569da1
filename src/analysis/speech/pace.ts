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
