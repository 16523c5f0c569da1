// The transcript as sentences and tokens with their places in the text (and times, when the
// transcription engine gave word times), and the Korean suffix-stripping rule. Pure functions.
import type { Word } from '../speech/fillers.ts';
import { CONTENT_THRESHOLDS } from './thresholds.ts';

export type ContentLang = 'ko' | 'en';

export interface Token {
  /** As written, without surrounding punctuation. */
  raw: string;
  /** Lower-case, without punctuation (apostrophes kept: i'm). */
  norm: string;
  start: number;
  end: number;
  sentence: number;
  /** Start time of the word, when the engine gave word times. */
  time_sec: number | null;
  /** End time of the (last) engine word it covers, when given. */
  time_end_sec: number | null;
}

export interface Sentence {
  index: number;
  text: string;
  start: number;
  end: number;
}

const HANGUL = /[\uAC00-\uD7A3]/u;
const HANGUL_ALL = /[\uAC00-\uD7A3]/gu;
const LATIN_ALL = /[a-z]/giu;

export const isHangul = (text: string) => HANGUL.test(text);

/** Korean when Hangul makes up at least a third of the letters (English terms sit in Korean answers). */
export function contentLanguage(text: string, declared: string | null): ContentLang {
  if (declared === 'ko' || declared === 'en') return declared;
  const hangul = text.match(HANGUL_ALL)?.length ?? 0;
  const latin = text.match(LATIN_ALL)?.length ?? 0;
  return hangul > 0 && hangul * 2 >= latin ? 'ko' : 'en';
}

// A Korean sentence also ends without punctuation after a final ending (했습니다 다음, 했어요 그리고).
const KO_FINAL = /(?:니다|니까|어요|아요|에요|예요|해요|죠)$/u;

/** Sentences: split after . ! ? 。 (not inside 2.5 or 1,000), line breaks, and unpunctuated Korean final endings. */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const slice = text.slice(start, end);
    const trimmedStart = start + (slice.length - slice.trimStart().length);
    const body = text.slice(trimmedStart, end).trim();
    if (/[\p{L}\p{N}]/u.test(body)) {
      sentences.push({ index: sentences.length, text: body, start: trimmedStart, end: trimmedStart + body.length });
    }
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n') {
      push(i);
      continue;
    }
    if (/[.!?。？！…]/u.test(char)) {
      // Not a decimal point or a dotted name (2.5, Node.js): the next character must be a space or the end.
      const next = text[i + 1];
      if (next === undefined || /\s/u.test(next)) push(i + 1);
      continue;
    }
    if (/\s/u.test(char)) {
      const word = text.slice(start, i).split(/\s+/u).at(-1) ?? '';
      if (KO_FINAL.test(word)) push(i);
    }
  }
  push(text.length);
  return sentences;
}

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}%#+]+|[^\p{L}\p{N}%#+]+$/gu;

/** The words of the text with their offsets and sentence, and times from the engine's words when given. */
export function tokenize(text: string, sentences: Sentence[], words: Word[] | null): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\S+/gu)) {
    const raw = match[0].replace(EDGE_PUNCTUATION, '');
    if (!raw) continue;
    const start = match.index + match[0].indexOf(raw);
    const sentence = sentences.findIndex((s) => start >= s.start && start < s.end);
    tokens.push({
      raw,
      norm: raw.toLowerCase().replace(/[’‘]/gu, "'"),
      start,
      end: start + raw.length,
      sentence: sentence === -1 ? Math.max(0, sentences.length - 1) : sentence,
      time_sec: null,
      time_end_sec: null,
    });
  }
  if (words?.length) alignTimes(text, tokens, words);
  return tokens;
}

/** Finds each engine word in the text in order and gives its start time to the tokens it covers. */
function alignTimes(text: string, tokens: Token[], words: Word[]): void {
  const lower = text.toLowerCase();
  let cursor = 0;
  for (const word of words) {
    const needle = word.word.trim().toLowerCase();
    if (!needle || word.start === undefined) continue;
    const at = lower.indexOf(needle, cursor);
    // A word the text does not have near the cursor (engines differ in punctuation) is skipped.
    if (at === -1 || at - cursor > 200) continue;
    const end = at + needle.length;
    for (const token of tokens) {
      if (token.start < end && token.end > at) {
        if (token.time_sec === null) token.time_sec = word.start;
        if (word.end !== undefined) token.time_end_sec = word.end;
      }
    }
    cursor = end;
  }
}

/**
 * When each sentence was said, for feedback to point at: from word times (its first word's start to its
 * last word's end), else from the engine's segments (the segments that hold it: coarser, never wrong
 * about where it is), else null. Times are clipped to the video; a sentence past its end is null.
 */
export function sentenceTimes(
  text: string,
  sentences: Sentence[],
  tokens: Token[],
  segments: Array<{ start: number; end: number; text: string }>,
  durationSec: number,
): Array<{ start_sec: number; end_sec: number } | null> {
  // Rounded down to the hundredth at the video's end, so that rounding never carries a time past it.
  const lastHundredth = Math.floor(durationSec * 100) / 100;
  const clip = (start: number, end: number) => {
    const from = round2(Math.max(0, start));
    const to = Math.min(lastHundredth, round2(Math.max(end, start)));
    return from < lastHundredth ? { start_sec: from, end_sec: to } : null;
  };
  const timed = tokens.some((token) => token.time_sec !== null);
  // Where each segment's text sits in the transcript (engines join segments with spaces).
  const placed: Array<{ start: number; end: number; from: number; to: number }> = [];
  let cursor = 0;
  for (const segment of timed ? [] : segments) {
    const needle = segment.text.trim();
    const at = needle ? text.indexOf(needle, cursor) : -1;
    if (at === -1) continue;
    placed.push({ start: segment.start, end: segment.end, from: at, to: at + needle.length });
    cursor = at + needle.length;
  }
  return sentences.map((sentence) => {
    if (timed) {
      const own = tokens.filter((token) => token.sentence === sentence.index && token.time_sec !== null);
      if (!own.length) return null;
      const start = Math.min(...own.map((token) => token.time_sec!));
      const end = Math.max(...own.map((token) => token.time_end_sec ?? token.time_sec!));
      return clip(start, end);
    }
    const holding = placed.filter((p) => p.from < sentence.end && p.to > sentence.start);
    if (!holding.length) return null;
    return clip(Math.min(...holding.map((p) => p.start)), Math.max(...holding.map((p) => p.end)));
  });
}

const round2 = (value: number) => Number(value.toFixed(2));

/** Removes the longest of `suffixes` that leaves at least one syllable; the token as it was otherwise. */
function stripOnce(token: string, suffixes: readonly string[]): string {
  let best = '';
  for (const suffix of suffixes) {
    if (suffix.length > best.length && token.length > suffix.length && token.endsWith(suffix)) best = suffix;
  }
  return best ? token.slice(0, -best.length) : token;
}

/**
 * The Korean stem of a token by the documented rule (see CONTENT_THRESHOLDS.repeated): a 하다/되다
 * verb ending, then up to two particles. Non-Hangul tokens are returned as they are.
 */
export function koreanStem(token: string, rules = CONTENT_THRESHOLDS.repeated): string {
  if (!isHangul(token)) return token;
  let stem = stripOnce(token, rules.ko_verb_endings);
  for (let pass = 0; pass < 2; pass++) stem = stripOnce(stem, rules.ko_particles);
  return stem;
}

/** English: a final plural s is dropped (projects → project), not from -ss, -us, -is words. */
export function englishStem(token: string): string {
  const word = token.replace(/'s$/u, '');
  return word.length > 3 && /s$/u.test(word) && !/(ss|us|is)$/u.test(word) ? word.slice(0, -1) : word;
}

export function stemOf(token: string): string {
  return isHangul(token) ? koreanStem(token) : englishStem(token);
}

/** Whether a Korean token ends like a verb or adjective (after its 하다 ending and particles are removed). */
export function endsLikeVerb(token: string, rules = CONTENT_THRESHOLDS.repeated): boolean {
  if (!isHangul(token)) return false;
  const particlesOff = stripOnce(stripOnce(token, rules.ko_particles), rules.ko_particles);
  if (particlesOff !== token) return false; // a noun with its particle
  if (stripOnce(token, rules.ko_verb_endings) !== token) return false; // a 하다 noun: 해결한 → 해결
  return rules.ko_verb_final.some((ending) => token.length > ending.length && token.endsWith(ending));
}

/** A short quote of a text for feedback: whole if short, otherwise cut at a word with an ellipsis. */
export function quote(text: string, max = CONTENT_THRESHOLDS.quote_max_chars): string {
  const clean = text.replace(/\s+/gu, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trim()}…`;
}
