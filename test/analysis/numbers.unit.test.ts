import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  englishCardinal,
  englishYear,
  nativeKorean,
  sinoKorean,
  spellNumbersEnglish,
  spellNumbersKorean,
} from '../../src/analysis/speech/numbers.ts';
import {
  countHangulSyllables,
  countSpokenEnglishWords,
  countSpokenKoreanSyllables,
  countWords,
  pace,
} from '../../src/analysis/speech/pace.ts';

describe('Korean numbers as they are read', () => {
  test('Sino-Korean: 일 is dropped before 십, 백, 천 and a lone 만, kept before 억', () => {
    const cases: [number, string][] = [
      [0, '영'],
      [1, '일'],
      [10, '십'],
      [11, '십일'],
      [100, '백'],
      [150, '백오십'],
      [357, '삼백오십칠'],
      [1000, '천'],
      [1010, '천십'],
      [2019, '이천십구'],
      [10000, '만'],
      [10001, '만일'],
      [11000, '만천'],
      [120000, '십이만'],
      [100000000, '일억'],
    ];
    for (const [n, spoken] of cases) assert.equal(sinoKorean(n), spoken, String(n));
  });

  test('native numbers before a counter, 1–99', () => {
    const cases: [number, string][] = [
      [1, '한'],
      [2, '두'],
      [3, '세'],
      [4, '네'],
      [5, '다섯'],
      [10, '열'],
      [11, '열한'],
      [20, '스무'],
      [21, '스물한'],
      [25, '스물다섯'],
      [30, '서른'],
      [50, '쉰'],
      [99, '아흔아홉'],
    ];
    for (const [n, spoken] of cases) assert.equal(nativeKorean(n), spoken, String(n));
    assert.throws(() => nativeKorean(100), RangeError);
  });

  test('the reading follows the counter', () => {
    const cases: [string, string][] = [
      ['357번', '삼백오십칠 번'], // above 99: Sino, even before a native counter
      ['3번', '세 번'], // a count ("three times")
      ['2년 6개월', '이 년 육 개월'], // 년 and 개월 are Sino counters
      ['50군데', '쉰 군데'],
      ['150대', '백오십 대'],
      ['2대', '두 대'],
      ['20대 후반', '이십 대 후반'], // an age decade
      ['5명', '다섯 명'],
      ['20살', '스무 살'],
      ['3시간', '세 시간'],
      ['2배', '두 배'],
      ['3.5배', '삼 점 오 배'], // a decimal is Sino, decimals one by one
      ['0.25초', '영 점 이오 초'],
      ['30%', '삼십 퍼센트'],
      ['12.5 %', '십이 점 오 퍼센트'],
      ['6월', '유 월'],
      ['10월', '시 월'],
      ['1만 명', '만 명'],
      ['3만 명', '삼만 명'],
      ['1천만 원', '천만 원'],
      ['1억 원', '일억 원'],
      ['1,000명', '천 명'],
      ['5달러', '오 달러'],
      ['3개국', '삼 개국'],
      ['010', '공 일 공'],
    ];
    for (const [written, spoken] of cases) assert.equal(spellNumbersKorean(written), spoken, written);
  });

  test('spoken syllables of answers with numbers, counted by hand', () => {
    // 지난(2) 이(1) 년(1) 육(1) 개월(2) 동안(2) 삼백오십칠(5) 번(1) 배포했습니다(6) = 21; Hangul alone: 14
    const deploys = '지난 2년 6개월 동안 357번 배포했습니다.';
    assert.equal(countSpokenKoreanSyllables(deploys), 21);
    assert.equal(countHangulSyllables(deploys), 14);
    // 전국(2) 쉰(1) 군데(2) 매장에(3) 백오십(3) 대의(2) 키오스크를(5) 설치했습니다(6) = 24
    assert.equal(countSpokenKoreanSyllables('전국 50군데 매장에 150대의 키오스크를 설치했습니다'), 24);
    // 응답(2) 시간을(3) 삼십(2) 퍼센트(3) 줄이고(3) 처리량은(4) 삼(1) 점(1) 오(1) 배(1) 늘렸습니다(5) = 26
    assert.equal(countSpokenKoreanSyllables('응답 시간을 30% 줄이고 처리량은 3.5배 늘렸습니다'), 26);
    // 팀원(2) 다섯(2) 명과(2) 함께(2) 세(1) 번(1) 발표했고(4) 이십(2) 대(1) 후반에(3) 입사했습니다(6) = 26
    assert.equal(countSpokenKoreanSyllables('팀원 5명과 함께 3번 발표했고, 20대 후반에 입사했습니다'), 26);
  });
});

describe('English numbers as words', () => {
  test('cardinals and years', () => {
    assert.equal(englishCardinal(0), 'zero');
    assert.equal(englishCardinal(13), 'thirteen');
    assert.equal(englishCardinal(57), 'fifty-seven');
    assert.equal(englishCardinal(100), 'one hundred');
    assert.equal(englishCardinal(357), 'three hundred fifty-seven');
    assert.equal(englishCardinal(2019), 'two thousand nineteen');
    assert.equal(englishCardinal(1_250_000), 'one million two hundred fifty thousand');
    assert.equal(englishYear(1999), 'nineteen ninety-nine');
    assert.equal(englishYear(1900), 'nineteen hundred');
    assert.equal(englishYear(1905), 'nineteen oh five');
    assert.equal(englishYear(2000), 'two thousand');
    assert.equal(englishYear(2007), 'two thousand seven');
    assert.equal(englishYear(2010), 'twenty ten');
    assert.equal(englishYear(2019), 'twenty nineteen');
  });

  test('a bare four-digit number is a year; commas, decimals, percent and ordinals', () => {
    assert.equal(
      spellNumbersEnglish('In 2019 my 1st team cut latency by 30% on 2,019 servers, 3.5 times faster.'),
      'In twenty nineteen my first team cut latency by thirty percent on two thousand nineteen servers, three point five times faster.',
    );
    assert.equal(
      spellNumbersEnglish('the 22nd and 40th release, 007'),
      'the twenty-second and fortieth release, zero zero seven',
    );
  });

  test('words as spoken, counted by hand', () => {
    // I(1) shipped(2) three hundred fifty-seven(4: fifty-seven is two words, as countWords splits it)
    // releases(3) in(4) twenty nineteen(2) = 10 words; as written: 6
    const text = 'I shipped 357 releases in 2019.';
    assert.equal(countSpokenEnglishWords(text), 10);
    assert.equal(countWords(text), 6);
  });
});

describe('pace counts numbers as spoken', () => {
  test('Korean syllables per second include the numbers; English words include number words', () => {
    // 21 spoken syllables (above) over 7 s of speech; 6 eojeol over 10 s and over 7 s
    assert.deepEqual(pace('지난 2년 6개월 동안 357번 배포했습니다.', 10, 7), {
      word_count: 6,
      wpm: 36,
      wpm_speaking: 51.4,
      syllables_per_sec: 3,
    });
    // 10 spoken words over 60 s
    assert.deepEqual(pace('I shipped 357 releases in 2019.', 60, 30), {
      word_count: 10,
      wpm: 10,
      wpm_speaking: 20,
      syllables_per_sec: null,
    });
  });
});
