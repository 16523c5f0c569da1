// Content words: repeated phrases in the answer, and the key terms of the question, the posting and
// the portfolio, each split into those the answer covers and those it misses.
import { projectNames } from '../../llm/questions.ts';
import { findSkills } from '../../llm/skills.ts';
import { endsLikeVerb, isHangul, stemOf, type Token } from './text.ts';
import { CONTENT_THRESHOLDS } from './thresholds.ts';

export interface RepeatedPhrase {
  text: string;
  count: number;
}

export interface Coverage {
  covered: string[];
  missing: string[];
}

export interface Relevance {
  question: Coverage;
  posting: Coverage;
  portfolio: Coverage;
}

const rules = CONTENT_THRESHOLDS.repeated;
const STOPWORDS = new Set([...rules.stopwords.ko, ...rules.stopwords.en]);

/** The stem of a content word, or null for stopwords, verbs-only forms and words too short to count. */
function contentStem(token: string): string | null {
  if (STOPWORDS.has(token)) return null;
  const stem = stemOf(token);
  if (STOPWORDS.has(stem) || !/\p{L}/u.test(stem)) return null;
  if (isHangul(stem) ? [...stem].length < rules.min_ko_syllables : stem.length < rules.min_en_letters) return null;
  return stem;
}

/** Content words and two-word phrases said unusually often (see CONTENT_THRESHOLDS.repeated). */
export function repeatedPhrases(tokens: Token[]): RepeatedPhrase[] {
  const stems = tokens.map((token) => ({ stem: contentStem(token.norm), sentence: token.sentence }));
  const contentWords = stems.filter((s) => s.stem !== null).length;
  const least = Math.max(rules.min_count, Math.ceil(rules.share_of_content_words * contentWords));
  const count = (key: string, counts: Map<string, number>) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const words = new Map<string, number>();
  const pairs = new Map<string, number>();
  stems.forEach(({ stem, sentence }, i) => {
    if (stem === null) return;
    count(stem, words);
    const next = stems[i + 1];
    if (next?.stem && next.sentence === sentence) count(`${stem} ${next.stem}`, pairs);
  });
  const repeatedPairs = [...pairs].filter(([, n]) => n >= least);
  // A word that is repeated only as part of a repeated phrase is reported once, as the phrase.
  const inPairs = (word: string, n: number) =>
    repeatedPairs.some(([pair, m]) => m === n && pair.split(' ').includes(word));
  return [...repeatedPairs, ...[...words].filter(([word, n]) => n >= least && !inPairs(word, n))]
    .map(([text, n]) => ({ text, count: n }))
    .sort((a, b) => b.count - a.count || b.text.split(' ').length - a.text.split(' ').length)
    .slice(0, rules.max_reported);
}

/** A key term: what the answer is searched for (a skill, or a lower-case stem) and how it is quoted. */
export interface Term {
  key: string;
  /** As the question wrote it: a skill as the vocabulary spells it, a Korean stem, an English word in its case. */
  text: string;
}

/**
 * Key terms of a question: its skills, then its content nouns (not its framing words, nor generic words
 * such as developer or 직무, nor verbs).
 */
export function questionTerms(question: string): Term[] {
  const frame = CONTENT_THRESHOLDS.relevance.question_frame;
  const terms: Term[] = findSkills(question).map((skill) => ({ key: skill, text: skill }));
  const skillWords = new Set(terms.flatMap((skill) => skill.key.toLowerCase().split(/\s+/u)));
  for (const raw of question.split(/\s+/u)) {
    const written = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    const word = written.toLowerCase();
    if (!word || endsLikeVerb(word)) continue;
    const stem = contentStem(word);
    if (!stem || frame.ko.includes(stem) || frame.en.includes(stem) || skillWords.has(stem) || skillWords.has(word))
      continue;
    if (frame.ko.some((f) => word.startsWith(f) && f.length >= 2)) continue;
    // A Korean stem is the word without its particles; an English word is quoted whole, in its case.
    const text = isHangul(stem) ? written.slice(0, stem.length) : written.replace(/['’]s$/u, '');
    if (!terms.some((term) => term.key === stem)) terms.push({ key: stem, text });
  }
  return terms.slice(0, CONTENT_THRESHOLDS.relevance.max_question_terms);
}

/**
 * Whether the answer says a term: a skill by the skill vocabulary; a Korean word when a word of the
 * answer starts with it (문제 in 문제를, 문제점); an English word when a word of the answer shares all
 * but its last two letters, at least four (resolved ~ resolve, disagreed ~ disagreement).
 */
function says(answerStems: Set<string>, answerTokens: string[], answerSkills: string[], term: string): boolean {
  if (answerSkills.includes(term) || answerStems.has(term)) return true;
  if (isHangul(term)) return answerTokens.some((token) => token.startsWith(term));
  const prefix = term.slice(0, Math.max(4, term.length - 2));
  return term.length >= 4 && answerTokens.some((token) => token.startsWith(prefix));
}

function split(terms: string[], test: (term: string) => boolean): Coverage {
  return { covered: terms.filter(test), missing: terms.filter((term) => !test(term)) };
}

/** Covered and missing terms, quoted as the question wrote them. */
function splitTerms(terms: Term[], test: (key: string) => boolean): Coverage {
  return {
    covered: terms.filter((term) => test(term.key)).map((term) => term.text),
    missing: terms.filter((term) => !test(term.key)).map((term) => term.text),
  };
}

export function relevance(
  text: string,
  tokens: Token[],
  question: string,
  postingText: string | null,
  portfolioText: string | null,
): Relevance {
  const answerSkills = findSkills(text);
  const answerTokens = tokens.map((t) => t.norm);
  const answerStems = new Set(answerTokens.map(stemOf));
  const lower = text.toLowerCase();
  const max = CONTENT_THRESHOLDS.relevance.max_document_terms;
  const postingTerms = postingText ? findSkills(postingText).slice(0, max) : [];
  const portfolioSkills = portfolioText ? findSkills(portfolioText) : [];
  const projects = portfolioText ? projectNames(portfolioText) : [];
  const portfolioTerms = [...projects.slice(0, 3), ...portfolioSkills].slice(0, max);
  return {
    question: splitTerms(questionTerms(question), (key) => says(answerStems, answerTokens, answerSkills, key)),
    posting: split(postingTerms, (term) => answerSkills.includes(term)),
    portfolio: split(portfolioTerms, (term) =>
      projects.includes(term) ? lower.includes(term.toLowerCase()) : answerSkills.includes(term),
    ),
  };
}
