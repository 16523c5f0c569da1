// Structure: does the answer come to the point first (두괄식), and which sentences carry the situation,
// the candidate's task, their action and the result (STAR). Cue words per part, per sentence.
import type { ContentLang, Sentence } from './text.ts';
import { CONTENT_THRESHOLDS } from './thresholds.ts';

export const STAR_PARTS = ['situation', 'task', 'action', 'result'] as const;
export type StarPart = (typeof STAR_PARTS)[number];

export interface Structure {
  conclusion_first: boolean;
  /** The sentence the judgement is based on: the first one that is more than a greeting. */
  conclusion_sentence: string | null;
  star: Record<StarPart, number[]>;
  missing: StarPart[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/**
 * English cues stand as words. Korean cues of two syllables or more are found anywhere in a word
 * (성능향상, 도입했습니다); one-syllable cues only start a word (맡았습니다), and 때 only stands as a word
 * of its own, with a particle (그때, 할 때는), never in 때문에.
 */
function cuePattern(cues: readonly string[], lang: ContentLang): RegExp {
  const sorted = [...cues].sort((a, b) => b.length - a.length);
  if (lang === 'en')
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  const anywhere = sorted.filter((cue) => cue.length >= 2).map(escape);
  const wordStart = sorted.filter((cue) => cue.length === 1 && cue !== '때').map(escape);
  const alternatives = [
    ...(anywhere.length ? [`(?:${anywhere.join('|')})`] : []),
    ...(wordStart.length ? [`(?<![\\p{L}])(?:${wordStart.join('|')})`] : []),
    ...(cues.includes('때') ? ['때(?:는|에|도|부터|마다)?(?![\\p{L}])'] : []),
  ];
  return new RegExp(alternatives.join('|'), 'u');
}

export function matchesCue(text: string, cues: readonly string[], lang: ContentLang): boolean {
  return cuePattern(cues, lang).test(text);
}

/** A sentence of greetings and thanks only (네. 질문 감사합니다. Thank you for the question.). */
function isGreeting(sentence: string, lang: ContentLang, rules = CONTENT_THRESHOLDS.greeting): boolean {
  const words = sentence
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/u)
    .filter(Boolean);
  const courteous = (word: string) =>
    rules[lang].some((courtesy) => (lang === 'ko' ? word.startsWith(courtesy) : word === courtesy));
  return words.length > 0 && words.every(courteous);
}

/** A first sentence that introduces the candidate (저는 … 개발자입니다; I'm a … engineer) answers a self-introduction. */
const SELF_STATEMENT = {
  ko: /(?:저는|제 이름은).*(?:입니다|이에요|예요)/u,
  en: /\b(?:i'm|i am|my name is)\b/iu,
};

export function structure(
  sentences: Sentence[],
  lang: ContentLang,
  questionType: string | null,
  rules = CONTENT_THRESHOLDS,
): Structure {
  const cues = rules.star[lang];
  const star: Record<StarPart, number[]> = { situation: [], task: [], action: [], result: [] };
  for (const sentence of sentences) {
    for (const part of STAR_PARTS) {
      if (matchesCue(sentence.text, cues[part], lang)) star[part].push(sentence.index);
    }
  }
  const first = sentences.find((s) => !isGreeting(s.text, lang)) ?? null;
  const conclusion_first =
    first !== null &&
    (matchesCue(first.text, rules.point_markers[lang], lang) ||
      star.result.includes(first.index) ||
      (questionType === 'intro' && SELF_STATEMENT[lang].test(first.text)));
  return {
    conclusion_first,
    conclusion_sentence: first?.text ?? null,
    star,
    missing: STAR_PARTS.filter((part) => star[part].length === 0),
  };
}
