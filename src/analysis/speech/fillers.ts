// Filler words, counted on tokens (never substrings), with the position rules that tell a hesitation
// from an ordinary word. Pure functions.
//
// Korean: 음, 어, 으, 흠 (and their elongations 음…, 어어, 으음) are always fillers. 그, 저, 아, 뭐, 막 are
// also ordinary words (그 결과, 저 사람, 막 시작했을 때), so they count only in filler position: elongated
// (그…, 저어, 아아), or followed by punctuation, a pause, another filler or the end of the answer. A
// filler is a whole token, so 그리고, 저는, 어떤, 아니, 음악 never count.
// English: uh, um, erm, er, hmm (and elongations) always count. "like" counts when it is set off by
// punctuation or a pause on either side and does not follow a word that makes it a verb or a
// comparison (I like, would like, looks like); "you know" counts when punctuation, a pause or the end
// follows it (you know, it was hard) and not otherwise (you know the answer).

export interface Word {
  word: string;
  /** Seconds from the start, when the transcription engine gives word times. */
  start?: number;
  end?: number;
}

export interface Filler {
  word: string;
  /** Seconds from the start when known. */
  t: number | null;
}

interface Token {
  /** Lower-case letters and digits of the word, without punctuation. */
  text: string;
  /** Written drawn out: 그…, 저~, 음-, or a repeated or trailing vowel (어어, 그으, 저어). */
  elongated: boolean;
  /** Punctuation right before / after the word (the start of the answer counts as before). */
  punctuationBefore: boolean;
  punctuationAfter: boolean;
  start: number | null;
  end: number | null;
}

const ALWAYS_KO = /^(음+|어+|으+|으음+|흠+)$/u;
const POSITIONAL_KO = ['그', '저', '아', '뭐', '막'];
const ALWAYS_EN = /^(u+h+|u+m+|e+r+m*|h+m+|u+h+m+)$/u;
const DRAWN_OUT_MARK = /[…~-]|\.\./u;
/** Words after which "like" is a verb, a comparison or part of a fixed phrase. */
const LIKE_GOVERNORS = new Set([
  'i',
  'you',
  'we',
  'they',
  'would',
  "i'd",
  "you'd",
  "we'd",
  "they'd",
  'do',
  'does',
  'did',
  "don't",
  "doesn't",
  "didn't",
  'really',
  'look',
  'looks',
  'looked',
  'looking',
  'sound',
  'sounds',
  'sounded',
  'seem',
  'seems',
  'feel',
  'feels',
  'felt',
  'something',
  'anything',
  'nothing',
  'more',
  'much',
  'be',
]);

function tokenize(words: Word[]): Token[] {
  const tokens: Token[] = [];
  for (const { word, start, end } of words) {
    const [, before = '', core = '', after = ''] = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}']*)$/u.exec(word.trim()) ?? [];
    const previous = tokens.at(-1);
    if (core === '') {
      // A lone punctuation mark belongs to the word before it.
      if (previous && before) {
        previous.punctuationAfter = true;
        previous.elongated ||= DRAWN_OUT_MARK.test(before);
      }
      continue;
    }
    const text = core.toLowerCase();
    tokens.push({
      text,
      elongated: DRAWN_OUT_MARK.test(after) || /^(.)\1+$/u.test(text) || /^[그저아뭐막][으어아]+$/u.test(text),
      punctuationBefore: before !== '' || (previous?.punctuationAfter ?? true),
      punctuationAfter: after !== '',
      start: start ?? null,
      end: end ?? null,
    });
  }
  return tokens;
}

/** Splits a plain transcript into words, keeping punctuation attached as an engine would. */
export function wordsOf(text: string): Word[] {
  return text
    .split(/\s+/u)
    .filter(Boolean)
    .map((word) => ({ word }));
}

function alwaysFiller(token: Token): boolean {
  return ALWAYS_KO.test(token.text) || ALWAYS_EN.test(token.text);
}

/** 그, 저, 아, 뭐, 막 and their drawn-out forms (그으, 저어). */
function positionalKorean(token: Token): boolean {
  return (
    POSITIONAL_KO.includes(token.text) ||
    (token.elongated && POSITIONAL_KO.includes(token.text[0] ?? '') && /^.[으어아]*$/u.test(token.text))
  );
}

export function findFillers(words: Word[], hesitationPauseSec = 0.3): Filler[] {
  const tokens = tokenize(words);
  const fillers: Filler[] = [];
  const pauseAfter = (i: number) => {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    return token.end !== null && next?.start != null && next.start - token.end >= hesitationPauseSec;
  };
  const setOffAfter = (i: number) => tokens[i]!.punctuationAfter || pauseAfter(i) || i === tokens.length - 1;
  const setOffBefore = (i: number) => i === 0 || tokens[i]!.punctuationBefore || pauseAfter(i - 1);

  const isFiller: boolean[] = tokens.map(alwaysFiller);
  // Positional rules may depend on the next token being a filler, so resolve from the end backwards.
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (isFiller[i]) continue;
    if (positionalKorean(token)) {
      isFiller[i] = token.elongated || setOffAfter(i) || (isFiller[i + 1] ?? false);
    } else if (token.text === 'like') {
      const previous = tokens[i - 1]?.text;
      const governed = previous !== undefined && !token.punctuationBefore && LIKE_GOVERNORS.has(previous);
      isFiller[i] = !governed && (setOffBefore(i) || setOffAfter(i) || (isFiller[i - 1] ?? false));
    } else if (token.text === 'know' && tokens[i - 1]?.text === 'you' && setOffAfter(i)) {
      isFiller[i - 1] = true;
      isFiller[i] = true;
    }
  }

  for (let i = 0; i < tokens.length; i++) {
    if (!isFiller[i]) continue;
    if (tokens[i]!.text === 'you' && tokens[i + 1]?.text === 'know' && isFiller[i + 1]) {
      fillers.push({ word: 'you know', t: tokens[i]!.start });
      i += 1;
      continue;
    }
    fillers.push({ word: tokens[i]!.text, t: tokens[i]!.start });
  }
  return fillers;
}
