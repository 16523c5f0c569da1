// Hedges: words and phrases that soften a claim (`~것 같습니다`, 아마, 나름, 좀; I think, maybe, kind of).
// Matched on whole tokens, so 좀비, 아마존 and "maybe" inside another word are never hedges.
import type { ContentLang, Token } from './text.ts';
import { CONTENT_THRESHOLDS } from './thresholds.ts';

export interface Hedge {
  text: string;
  sentence: number;
  time_sec: number | null;
}

export function findHedges(
  text: string,
  tokens: Token[],
  lang: ContentLang,
  rules = CONTENT_THRESHOLDS.hedges,
): Hedge[] {
  const found: Array<Hedge & { at: number }> = [];
  const claimed = new Set<number>();
  const add = (from: number, to: number) => {
    for (let i = from; i <= to; i++) claimed.add(i);
    found.push({
      text: text.slice(tokens[from]!.start, tokens[to]!.end),
      sentence: tokens[from]!.sentence,
      time_sec: tokens[from]!.time_sec,
      at: tokens[from]!.start,
    });
  };
  const phraseAt = (i: number, phrase: readonly string[]) =>
    phrase.every((word, k) => tokens[i + k]?.norm === word && tokens[i + k]!.sentence === tokens[i]!.sentence);

  if (lang === 'ko') {
    // The 것 같다 family, spaced or not: each match claims the tokens it spans.
    const ending = new RegExp(rules.ko.ending, 'gu');
    for (const match of text.matchAll(ending)) {
      const from = tokens.findIndex((t) => t.end > match.index);
      const to = tokens.findIndex((t) => t.end >= match.index + match[0].length);
      if (from === -1 || to === -1) continue;
      for (let i = from; i <= to; i++) claimed.add(i);
      found.push({
        text: match[0],
        sentence: tokens[from]!.sentence,
        time_sec: tokens[from]!.time_sec,
        at: match.index,
      });
    }
    for (let i = 0; i < tokens.length; i++) {
      if (claimed.has(i)) continue;
      const phrase = rules.ko.phrases.find((p) => phraseAt(i, p));
      if (phrase) {
        add(i, i + phrase.length - 1);
        continue;
      }
      const norm = tokens[i]!.norm;
      if (rules.ko.words.some((word) => rules.ko.particles.some((particle) => norm === word + particle))) add(i, i);
    }
  } else {
    for (let i = 0; i < tokens.length; i++) {
      if (claimed.has(i)) continue;
      const phrase = [...rules.en.phrases].sort((a, b) => b.length - a.length).find((p) => phraseAt(i, p));
      if (phrase) {
        const kindOf = phrase[1] === 'of' && (phrase[0] === 'kind' || phrase[0] === 'sort');
        const before = tokens[i - 1];
        if (
          kindOf &&
          before?.sentence === tokens[i]!.sentence &&
          rules.en.determiners_before_kind_of.includes(before.norm)
        ) {
          continue; // "what kind of database" names a kind, it does not hedge
        }
        add(i, i + phrase.length - 1);
        continue;
      }
      if (rules.en.words.includes(tokens[i]!.norm)) add(i, i);
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...hedge }) => hedge);
}
