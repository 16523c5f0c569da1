// Numbers written in digits, spelled as they are spoken, so that pace counts the syllables (Korean) or
// words (English) a speaker actually said: "357번" is 삼백오십칠 번, five syllables, not none.
// Pure functions. The rules are the usual readings; where a reading is ambiguous the choice is noted.

const SINO_DIGITS = ['영', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구'];
const SINO_PLACES = ['', '십', '백', '천'];
const SINO_GROUPS = ['', '만', '억', '조'];

/** Sino-Korean reading of a whole number: 357 → 삼백오십칠, 150 → 백오십 (일백 is read 백), 10000 → 만. */
export function sinoKorean(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole number: ${n}`);
  if (n === 0) return '영';
  const groups: string[] = [];
  for (let group = 0; n > 0 && group < SINO_GROUPS.length; group++, n = Math.floor(n / 10000)) {
    const value = n % 10000;
    if (value === 0) continue;
    let spoken = '';
    for (let place = 3; place >= 0; place--) {
      const digit = Math.floor(value / 10 ** place) % 10;
      if (digit === 0) continue;
      // 일 is dropped before 십, 백, 천 (십, 백, 천, never 일백) ...
      spoken += (digit === 1 && place > 0 ? '' : SINO_DIGITS[digit]!) + SINO_PLACES[place]!;
    }
    // ... and before 만 alone (만, 만 원); 억 and 조 keep it (일억).
    if (group === 1 && value === 1) spoken = '';
    groups.unshift(spoken + SINO_GROUPS[group]);
  }
  return groups.join('');
}

// Native numbers in the form they take before a counter (한 개, 두 명, 스무 살).
const NATIVE_ONES = ['', '한', '두', '세', '네', '다섯', '여섯', '일곱', '여덟', '아홉'];
const NATIVE_TENS = ['', '열', '스물', '서른', '마흔', '쉰', '예순', '일흔', '여든', '아흔'];

/** Native Korean reading before a counter, 1–99: 3 → 세, 20 → 스무, 25 → 스물다섯, 99 → 아흔아홉. */
export function nativeKorean(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`no native reading for ${n}`);
  if (n === 20) return '스무';
  return NATIVE_TENS[Math.floor(n / 10)]! + NATIVE_ONES[n % 10]!;
}

/**
 * Counters read with native numbers up to 99 (세 번, 다섯 명, 스무 살, 두 배). 번 is taken as a count
 * (세 번, "three times"), not a label (삼 번, "number three"); above 99 both are Sino anyway (357번).
 */
const NATIVE_COUNTERS =
  /^(?:시간|군데|가지|마리|사람|차례|켤레|그루|송이|바퀴|걸음|개|명|번|살|시|대|달|배|권|잔|병|장|곳|줄|벌|채|척|통)/u;
/** Words that start like a native counter but take Sino numbers: 육 개월, 삼 개국, 이 번지, 오 달러. */
const SINO_LOOKALIKES = /^(?:개월|개국|개년|개사|개소|번지|대학|달러|시리즈|시즌|채널)/u;
/** Number words that continue the number itself: 3만 is 삼만, 1천 is 천. */
const SINO_MULTIPLIERS = /^[십백천만억조]/u;

function koreanIntegerBefore(n: number, next: string): string {
  if (SINO_MULTIPLIERS.test(next)) return n === 1 && !/^[억조]/u.test(next) ? '' : sinoKorean(n);
  // 20대, 30대 are ages (이십 대, "in my twenties"); other numbers before 대 count machines (두 대).
  const decade = next.startsWith('대') && n % 10 === 0;
  if (n >= 1 && n <= 99 && !decade && NATIVE_COUNTERS.test(next) && !SINO_LOOKALIKES.test(next)) {
    return nativeKorean(n);
  }
  // Months: 6월 is 유월 and 10월 is 시월 (the same syllable count, the spelling people use).
  if (next.startsWith('월') && (n === 6 || n === 10)) return n === 6 ? '유' : '시';
  return sinoKorean(n);
}

/** Digits, commas as thousands separators, a decimal part and a percent sign. */
const NUMBER = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s*%)?/gu;

const digitByDigit = (digits: string, zero: string, names: readonly string[]) =>
  [...digits].map((d) => (d === '0' ? zero : names[Number(d)])).join(' ');

/**
 * Korean text with its numbers spelled in Hangul as they are read: Sino-Korean by default (2년 6개월 →
 * 이 년 육 개월, 150대 → 백오십 대), native before native counters up to 99 (50군데 → 쉰 군데, 3번 →
 * 세 번), 점 for the decimal point with the decimals read one by one (3.5배 → 삼 점 오 배), and 퍼센트
 * for % (30% → 삼십 퍼센트: the standard reading; the colloquial 프로 has one syllable less). A number
 * with a leading zero (010) is read digit by digit, with 공 for 0.
 */
export function spellNumbersKorean(text: string): string {
  return text
    .replace(NUMBER, (match, integer: string, decimals: string | undefined, percent, offset: number) => {
      const next = text.slice(offset + match.length).trimStart();
      const whole = integer.replaceAll(',', '');
      let spoken: string;
      if (whole.length > 1 && whole.startsWith('0')) spoken = digitByDigit(whole, '공', SINO_DIGITS);
      else if (decimals !== undefined || percent || whole.length > 15) spoken = sinoDigits(whole);
      else spoken = koreanIntegerBefore(Number(whole), next);
      if (decimals !== undefined) spoken += ` 점 ${[...decimals].map((d) => SINO_DIGITS[Number(d)]).join('')}`;
      if (percent) spoken += ' 퍼센트';
      // 3만 stays one word (삼만); a counter gets its own (이 년).
      return SINO_MULTIPLIERS.test(next) && !decimals && !percent ? ` ${spoken}` : ` ${spoken} `;
    })
    .replace(/ {2,}/gu, ' ')
    .trim();
}

// Past 15 digits a number is no longer a quantity anyone says; read it digit by digit.
const sinoDigits = (whole: string) =>
  whole.length > 15 ? digitByDigit(whole, '영', SINO_DIGITS) : sinoKorean(Number(whole));

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

function underHundred(n: number): string {
  if (n < 10) return ONES[n]!;
  if (n < 20) return TEENS[n - 10]!;
  return TENS[Math.floor(n / 10)]! + (n % 10 ? `-${ONES[n % 10]}` : '');
}

function underThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  return [hundreds ? `${ONES[hundreds]} hundred` : '', rest || !hundreds ? underHundred(rest) : '']
    .filter(Boolean)
    .join(' ');
}

/** An English cardinal, American style (no "and"): 357 → three hundred fifty-seven. */
export function englishCardinal(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole number: ${n}`);
  if (n === 0) return 'zero';
  const parts: string[] = [];
  for (let scale = 0; n > 0 && scale < SCALES.length; scale++, n = Math.floor(n / 1000)) {
    const value = n % 1000;
    if (value) parts.unshift(underThousand(value) + (SCALES[scale] ? ` ${SCALES[scale]}` : ''));
  }
  return parts.join(' ');
}

/**
 * A year as it is said: 1999 → nineteen ninety-nine, 1900 → nineteen hundred, 1905 → nineteen oh five,
 * 2019 → twenty nineteen, but 2000–2009 → two thousand (nine).
 */
export function englishYear(n: number): string {
  if (n >= 2000 && n <= 2009) return englishCardinal(n);
  const [high, low] = [Math.floor(n / 100), n % 100];
  return `${underHundred(high)} ${low === 0 ? 'hundred' : low < 10 ? `oh ${ONES[low]}` : underHundred(low)}`;
}

const ORDINAL_WORDS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

function englishOrdinal(n: number): string {
  const words = englishCardinal(n);
  return words.replace(
    /([a-z]+)$/u,
    (last) => ORDINAL_WORDS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`),
  );
}

/**
 * English text with its numbers spelled as words. A bare four-digit number from 1100 to 2099 is read as a
 * year (2019 → twenty nineteen; in an answer such a number is nearly always a year, and "fifteen hundred"
 * is how Americans say 1500 anyway); other numbers as cardinals (2,019 → two thousand nineteen), with
 * "point" and the decimals one by one (3.5 → three point five), % as "percent", and 1st, 2nd, 21st as
 * ordinals. A number with a leading zero (007) is read digit by digit.
 */
export function spellNumbersEnglish(text: string): string {
  return text
    .replace(/\b(\d+)(?:st|nd|rd|th)\b/giu, (_, digits: string) => englishOrdinal(Number(digits)))
    .replace(NUMBER, (match, integer: string, decimals: string | undefined, percent) => {
      const whole = integer.replaceAll(',', '');
      let spoken: string;
      if (whole.length > 1 && whole.startsWith('0')) spoken = digitByDigit(whole, 'zero', ONES);
      else if (whole.length > 15) spoken = digitByDigit(whole, 'zero', ONES);
      else if (/^\d{4}$/u.test(integer) && !decimals && !percent && Number(whole) >= 1100 && Number(whole) <= 2099)
        spoken = englishYear(Number(whole));
      else spoken = englishCardinal(Number(whole));
      if (decimals !== undefined) spoken += ` point ${digitByDigit(decimals, 'zero', ONES)}`;
      if (percent) spoken += ' percent';
      return ` ${spoken} `;
    })
    .replace(/ {2,}/gu, ' ')
    .trim();
}
