// Korean particles after words the generator does not write itself: skill names, project titles,
// numbers. The particle follows the final sound of the word as it is read aloud, so a Latin word is
// judged by its usual Korean reading (Java 자바 → 를, Kotlin 코틀린 → 을, AWS 에이더블유에스 → 를).
// When the reading cannot be told, there is no answer, and the caller words its sentence without a
// particle instead of printing 을(를).

/** The final sound of a word as read in Korean: no final consonant, ㄹ, or another final consonant. */
export type FinalSound = 'vowel' | 'rieul' | 'consonant';

export type Particle = '을/를' | '이/가' | '은/는' | '과/와' | '으로/로' | '이라는/라는';

const FORMS: Record<Particle, { consonant: string; vowel: string; rieul: string }> = {
  '을/를': { consonant: '을', vowel: '를', rieul: '을' },
  '이/가': { consonant: '이', vowel: '가', rieul: '이' },
  '은/는': { consonant: '은', vowel: '는', rieul: '은' },
  '과/와': { consonant: '과', vowel: '와', rieul: '과' },
  // 로 after ㄹ: 서울로, Excel로.
  '으로/로': { consonant: '으로', vowel: '로', rieul: '로' },
  '이라는/라는': { consonant: '이라는', vowel: '라는', rieul: '이라는' },
};

/** The word followed by the particle, or null when the word's final sound cannot be told. */
export function withParticle(word: string, particle: Particle): string | null {
  const sound = finalSound(word);
  return sound ? `${word}${FORMS[particle][sound]}` : null;
}

// Letter names, for acronyms read letter by letter: only L (엘), R (알), M (엠) and N (엔) end in a consonant.
const LETTER: Record<string, FinalSound> = { l: 'rieul', r: 'rieul', m: 'consonant', n: 'consonant' };
// Sino-Korean digits: 영 일 이 삼 사 오 육 칠 팔 구.
const DIGIT: FinalSound[] = [
  'consonant',
  'rieul',
  'vowel',
  'consonant',
  'vowel',
  'vowel',
  'consonant',
  'rieul',
  'rieul',
  'vowel',
];
// Units written after a number whose reading differs from their letters: 10k 만, 2h 2시간; 5m is 5분 or 5미터.
const UNIT_AFTER_NUMBER: Record<string, FinalSound | null> = {
  k: 'consonant',
  h: 'consonant',
  hr: 'consonant',
  hrs: 'consonant',
  m: null,
};
// Common words the spelling rules below read wrongly: 깃허브, 데이터독, 타입, 체크, 비트, 루프.
const WORD_ENDINGS: Array<[string, FinalSound]> = [
  ['hub', 'vowel'],
  ['dog', 'consonant'],
  ['type', 'consonant'],
  ['check', 'vowel'],
  ['bit', 'vowel'],
  ['loop', 'vowel'],
];

/** The final sound of the word as read in Korean, or null when it cannot be told. */
export function finalSound(word: string): FinalSound | null {
  // The particle follows the word before closing quotes and a parenthetical: “리팩터링”을, 쿠버네티스(k8s)를.
  const text = word.replace(/(?:\s*\([^()]*\))+\s*$/u, '').replace(/[\s"'”’」』》〉\])]+$/u, '');
  const last = text.at(-1);
  if (!last) return null;
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    return final === 0 ? 'vowel' : final === 8 ? 'rieul' : 'consonant';
  }
  if (/\d/u.test(last)) return numberSound(text);
  if (last === '%') return 'vowel'; // 퍼센트
  if (last === '#') return 'consonant'; // C# 씨샵
  const letters = /[A-Za-z]+$/u.exec(text)?.[0];
  if (!letters) return null; // C++ is read 씨쁠쁠 and 씨플러스플러스; other symbols and scripts: unknown.
  const before = text.slice(0, -letters.length);
  if (/\d\s*$/u.test(before) && letters.toLowerCase() in UNIT_AFTER_NUMBER)
    return UNIT_AFTER_NUMBER[letters.toLowerCase()]!;
  // An acronym, alone or at the end of a camel-cased name (MySQL, RabbitMQ, gRPC), is read letter by letter.
  const acronym = /[A-Z]{2,}$/u.exec(letters)?.[0] ?? (/^[A-Z]$/u.test(letters) ? letters : null);
  if (acronym) return LETTER[acronym.at(-1)!.toLowerCase()] ?? 'vowel';
  // Otherwise the last word of a camel-cased name (TypeScript → script, PyTorch → torch).
  const lastWord = (/[A-Z]?[a-z]+$/u.exec(letters)?.[0] ?? letters).toLowerCase();
  if (/^(js|ts)$/u.test(lastWord)) return 'vowel'; // Node.js 노드제이에스
  return englishFinal(lastWord);
}

/** A number read in Sino-Korean: 1 일, 2 이, 3 삼, 10 십, 100 백, 1,000 천, 10,000 만, 1.5 일 점 오. */
function numberSound(text: string): FinalSound {
  const number = /[\d,.]*\d$/u.exec(text)![0].replace(/,/gu, '');
  if (number.includes('.')) return DIGIT[Number(number.at(-1))]!;
  const zeros = /0*$/u.exec(number)![0].length;
  if (zeros === 0 || zeros === number.length) return DIGIT[Number(number.at(-1))]!;
  // 십, 백, 천, 만 (up to 천만), 억 (up to 천억) end in a consonant; 조 does not.
  return zeros < 12 ? 'consonant' : 'vowel';
}

const VOWEL = /[aeiou]/u;

/**
 * The final sound of the Korean reading of an English word, from its spelling. Korean loanwords keep a
 * final m, n, ng and l as ㅁ, ㄴ, ㅇ and ㄹ; a final p, t, k after a short vowel becomes ㅂ, ㅅ, ㄱ (깃,
 * 웹, 슬랙); other final consonants, clusters and long vowels take a vowel ㅡ or ㅣ (부트, 리액트, 레디스),
 * and a final r or a silent e add no consonant (도커, 애저) except -le, -ne and -me (오라클, 엔진, 크롬).
 */
function englishFinal(word: string): FinalSound | null {
  for (const [ending, sound] of WORD_ENDINGS) if (word.endsWith(ending)) return sound;
  const last = word.at(-1)!;
  if (word.endsWith('ng') || last === 'm' || last === 'n') return 'consonant';
  if (last === 'l') return 'rieul';
  if (last === 'e') {
    if (word.length > 2 && word.at(-2) === 'l') return 'rieul';
    if (/[aeiou][mn]e$/u.test(word)) return 'consonant';
    return 'vowel';
  }
  if (!'ptkcb'.includes(last)) return 'vowel';
  if (word.endsWith('ck')) return 'consonant';
  // A doubled stop reads as one: app 앱, scott 스콧.
  const stem = word.at(-2) === last ? word.slice(0, -1) : word;
  const before = stem.at(-2);
  if (!before || !VOWEL.test(before)) return 'vowel'; // a cluster: 리액트, 러스트, 스파크
  if (!VOWEL.test(stem.at(-3) ?? '')) return 'consonant'; // a short vowel: 깃, 웹, 맵, 맥
  // A long vowel or diphthong: 부트, 시트, 피크; but 북, 훅 and 그룹, 딥, 힙, 하둡.
  if (word.endsWith('ook') || last === 'p') return 'consonant';
  return 'vowel';
}
