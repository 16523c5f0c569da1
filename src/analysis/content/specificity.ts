// How specific an answer is: the numbers and quantities it gives (with their text: "2년 6개월", "30%",
// "150대"), the skills it names (the shared vocabulary of src/llm/skills.ts), and the projects,
// products and organisations it names where they can be told apart.
import { projectNames } from '../../llm/questions.ts';
import { findSkills, SKILLS } from '../../llm/skills.ts';
import type { ContentLang, Sentence, Token } from './text.ts';
import { CONTENT_THRESHOLDS } from './thresholds.ts';

export interface NumberMention {
  text: string;
  sentence: number;
}

export interface Specificity {
  numbers: NumberMention[];
  skills: string[];
  named_things: string[];
  score: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
const alternation = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');

function quantityPattern(rules = CONTENT_THRESHOLDS.numbers): RegExp {
  const digits = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
  const magnitude = `(?:${alternation(rules.ko_magnitudes)})+`; // 3천만, 1억
  const koUnit = `(?:${alternation(rules.ko_units)})`;
  const enUnit = `(?:${alternation(rules.en_units)})(?![\\p{L}\\p{N}])`;
  // 30%, 150대, 2년, 3만, 3만 명, 1억원, 200 ms, 3x, 40 percent
  const one = `${digits}(?:${magnitude}(?:\\s?${koUnit})?|${koUnit}|\\s?${enUnit})?`;
  const word = `(?:${alternation(rules.en_words)})\\s(?:${alternation(rules.en_units.filter((u) => u.length > 2))})(?![\\p{L}\\p{N}])`;
  // 두 달, 세 명; not 네 개발자 ("yes, a developer"): the counter must end the word or take a particle.
  const koWord = `(?:${alternation(rules.ko_words)})\\s(?:${alternation(rules.ko_counters)})(?=[은는이가을를의에도만째씩간]|[^\\p{L}]|$)`;
  return new RegExp(`(?<![\\p{L}\\p{N}.,])(?:${one}|${word}|${koWord})`, 'giu');
}

/** Every number or quantity, consecutive ones with units joined ("2년 6개월", "1시간 30분"). */
export function findNumbers(text: string, sentences: Sentence[]): NumberMention[] {
  const matches = [...text.matchAll(quantityPattern())].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const joined: Array<{ start: number; end: number }> = [];
  for (const match of matches) {
    const last = joined.at(-1);
    const between = last ? text.slice(last.end, match.start) : null;
    const bothHaveUnits =
      last && /\D$/u.test(text.slice(last.start, last.end)) && /\D$/u.test(text.slice(match.start, match.end));
    if (last && between !== null && /^\s?$/u.test(between) && bothHaveUnits) last.end = match.end;
    else joined.push({ ...match });
  }
  return joined.map(({ start, end }) => ({
    text: text.slice(start, end),
    sentence: Math.max(
      0,
      sentences.findIndex((s) => start >= s.start && start < s.end),
    ),
  }));
}

/** The Latin-script name at the start of a token (Kakao in Kakao에서), or null. */
function capitalised(raw: string): string | null {
  const match = /^[A-Z][A-Za-z0-9.&-]*/u.exec(raw);
  if (!match) return null;
  const rest = raw.slice(match[0].length);
  return rest === '' || /^[\uAC00-\uD7A3]+$/u.test(rest) ? match[0].replace(/[.-]+$/u, '') : null;
}

const ALL_SKILL_SPELLINGS = new Set(SKILLS.flatMap((skill) => skill.match));

/** Projects, products and organisations named in the answer, in order of first mention. */
export function findNamedThings(
  text: string,
  tokens: Token[],
  lang: ContentLang,
  portfolioText: string | null,
  rules = CONTENT_THRESHOLDS.named,
): string[] {
  const found: Array<{ name: string; at: number }> = [];
  const add = (name: string, at: number) => {
    const clean = name.trim();
    const key = clean.toLowerCase();
    // A name inside one already found (PayFlow in "PayFlow 결제 시스템") is that one again.
    if (clean.length < 2 || found.some((f) => f.name.toLowerCase().includes(key))) return;
    for (let i = found.length - 1; i >= 0; i--) if (key.includes(found[i]!.name.toLowerCase())) found.splice(i, 1);
    found.push({ name: clean, at });
  };
  const lower = text.toLowerCase();

  // The portfolio's own project names, when the answer says them.
  for (const project of portfolioText ? projectNames(portfolioText) : []) {
    const at = lower.indexOf(project.toLowerCase());
    if (at !== -1) add(project, at);
  }
  // Quoted names.
  for (const match of text.matchAll(/["“'‘「『]([^"”'’」』\n]{2,40})["”'’」』]/gu)) add(match[1]!, match.index);

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // Latin words written with a capital (Kakao, PayFlow, Project Atlas) that are no skill, and in
    // English not the first word of a sentence; a Korean particle after one is not part of the name.
    const latin = capitalised(token.raw);
    if (latin && !rules.en_not_names.includes(latin.toLowerCase()) && !ALL_SKILL_SPELLINGS.has(latin.toLowerCase())) {
      const sentenceStart = i === 0 || tokens[i - 1]!.sentence !== token.sentence;
      if (!(lang === 'en' && sentenceStart)) {
        let j = i;
        let name = latin;
        // A name goes on over capitalised words that follow, while the previous one had no particle.
        while (name.length === tokens[j]!.raw.length && tokens[j + 1]?.sentence === token.sentence) {
          const next = capitalised(tokens[j + 1]!.raw);
          if (!next || rules.en_not_names.includes(next.toLowerCase())) break;
          j++;
          name = `${text.slice(token.start, tokens[j]!.start)}${next}`;
        }
        add(name, token.start);
        i = j;
        continue;
      }
    }
    // Korean organisations, with a particle after them or not.
    const organisation = rules.ko_organisations.find(
      (name) =>
        token.norm === name ||
        (token.norm.startsWith(name) &&
          /^[은는이가을를의에와과도만]$|^에서$|^에게$/u.test(token.norm.slice(name.length))),
    );
    if (organisation) add(organisation, token.start);
    // "결제 시스템", "주문서비스": a suffix that names a thing, after a word that is not generic.
    const suffix = rules.ko_suffixes.find((s) => token.norm.startsWith(s));
    if (suffix && i > 0 && tokens[i - 1]!.sentence === token.sentence) {
      const before = tokens[i - 1]!.norm;
      const modifier = /(?:던|는|은|한|할|의|를|을|이|가|에서)$/u.test(before);
      if (
        !rules.ko_generic_before_suffix.includes(before) &&
        !modifier &&
        /^[\uAC00-\uD7A3A-Za-z0-9]+$/u.test(before)
      ) {
        add(`${tokens[i - 1]!.raw} ${suffix}`, tokens[i - 1]!.start);
      }
    }
    const attached = rules.ko_suffixes.find(
      (s) => new RegExp(`^[\\uAC00-\\uD7A3]+${s}`, 'u').test(token.norm) && !token.norm.startsWith(s),
    );
    if (attached && findSkills(token.norm).length === 0)
      add(token.norm.slice(0, token.norm.indexOf(attached) + attached.length), token.start);
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.name);
}

/** The documented 0–1 score (see CONTENT_THRESHOLDS.specificity). */
export function specificityScore(
  counts: { numbers: number; skills: number; named: number },
  rules = CONTENT_THRESHOLDS.specificity,
): number {
  const part = (key: keyof typeof rules.weights) => rules.weights[key] * Math.min(1, counts[key] / rules.targets[key]);
  return Number((part('numbers') + part('skills') + part('named')).toFixed(2));
}

export function specificity(
  text: string,
  sentences: Sentence[],
  tokens: Token[],
  lang: ContentLang,
  portfolioText: string | null,
): Specificity {
  const numbers = findNumbers(text, sentences);
  const skills = findSkills(text);
  const named_things = findNamedThings(text, tokens, lang, portfolioText);
  return {
    numbers,
    skills,
    named_things,
    score: specificityScore({ numbers: numbers.length, skills: skills.length, named: named_things.length }),
  };
}
