// The measured results an answer states ("30% 줄였습니다", "초당 3,000건", "35 ms"), for a follow-up that
// asks how they were measured. Numbers that count time spent or name a date, an age, a version or a
// place in a sequence ("2년 동안", "2023년", "1차", "Java 17") are not measurements, so they are skipped.

/** Units of a measured result: rates, multiples, counts, money, latency, size. */
const METRIC_UNITS = [
  '%p',
  '%',
  '퍼센트포인트',
  '퍼센트',
  '프로',
  '배',
  '건',
  '명',
  '원',
  '달러',
  '줄',
  '점',
  'ms',
  '밀리초',
  'tps',
  'rps',
  'qps',
  'gb',
  'mb',
  'kb',
  'tb',
  'x',
  'k',
  'times',
  'percent',
  'users',
  'requests',
];
/** Units of time: a result when something got faster ("10분에서 2분으로"), not when it says how long ("3시간 동안"). */
const TIME_UNITS = ['초', '분', '시간', 's', 'sec', 'seconds', 'minutes', 'min', 'hours'];
/** Durations, dates, ages, generations, places in a sequence, and things made ("3개 서비스"). */
const OTHER_UNITS = [
  '개',
  '년',
  '개월',
  '달',
  '주년',
  '주차',
  '주',
  '일',
  '살',
  '세대',
  '세',
  '차',
  '번째',
  '번',
  '회차',
  '회',
  '기',
  '학년',
  '학기',
  '월',
  '분기',
  '위',
  '등',
  '호',
  '대',
  'years',
  'year',
  'months',
  'month',
  'weeks',
  'week',
  'days',
  'day',
  'st',
  'nd',
  'rd',
  'th',
];

const escape = (unit: string) => unit.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
// Longest first, so 개월 is read before 개 and 분기 before 분; a Latin unit must end its word.
const UNIT = [...METRIC_UNITS, ...TIME_UNITS, ...OTHER_UNITS]
  .sort((a, b) => b.length - a.length)
  .map((unit) => (/[a-z]$/u.test(unit) ? `${escape(unit)}(?![a-z])` : escape(unit)))
  .join('|');
// A number (not part of a word such as ES6 or k8s), a 천/만/억 multiplier, and a unit.
const MENTION = new RegExp(
  `(?<![\\w.])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[천만억조]+)?(?:\\s*(${UNIT}))?`,
  'giu',
);
const DURATION_AFTER = /^\s*(?:동안|간|째|for\b)/u;

/** The first measured result the answer states, with its unit ("30%", "3,000건", "35 ms"), or null. */
export function metricClaim(answer: string): string | null {
  for (const match of answer.matchAll(MENTION)) {
    const unit = match[1]?.toLowerCase();
    const multiplied = /[천만억조]/u.test(match[0].slice(0, match[0].length - (match[1]?.length ?? 0)));
    const after = answer.slice(match.index + match[0].length);
    const measured = unit
      ? METRIC_UNITS.includes(unit) || (TIME_UNITS.includes(unit) && !DURATION_AFTER.test(after))
      : multiplied; // "사용자 10만" counts; a bare number ("Java 17", "2023") says nothing measured.
    if (measured) return match[0].trim();
  }
  return null;
}
