import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findFillers, wordsOf, type Word } from '../../src/analysis/speech/fillers.ts';
import { countHangulSyllables, countWords, pace } from '../../src/analysis/speech/pace.ts';

const fillersIn = (text: string) => findFillers(wordsOf(text)).map((filler) => filler.word);

// Each sentence with the fillers a careful listener would mark, worked out by hand.
const KOREAN: Array<[string, string[]]> = [
  ['저는 그리고 아마 어떻게 음악을 좋아합니다', []], // the original counted 6 here
  ['음, 저는 백엔드 개발자로 지원한 김민지입니다.', ['음']],
  ['그 결과 응답 속도가 두 배 빨라졌습니다.', []],
  ['저 사람이 팀장이었고 저는 막 입사한 신입이었어요.', []],
  ['막 시작했을 때는 뭐가 뭔지 몰랐어요.', []],
  ['어... 그러니까 그… 결제 시스템을 만들었습니다.', ['어', '그']],
  ['그, 그러니까 저어 제가 어어 했습니다.', ['그', '저어', '어어']],
  ['그 음 저는 데이터베이스를 맡았습니다.', ['그', '음']],
  ['아니 그게 아니라 어떤 문제가 있었냐면요', []],
  ['으음 잘 모르겠습니다. 뭐 그냥 열심히 했어요. 막…', ['으음', '막']],
  ['음음 저 그 부분은 아 네 맞습니다', ['음음']],
  ['네 음 저는 음 그러니까 음 프로젝트를 음 했어요', ['음', '음', '음', '음']],
  ['흠, 그건 좋은 질문입니다. 아, 그건 말이죠', ['흠', '아']],
];

const ENGLISH: Array<[string, string[]]> = [
  ['Um, I led the backend team for two years.', ['um']],
  ['I was, like, really into distributed systems.', ['like']],
  ['I like Python and I would like to learn Rust.', []],
  ['It looks like the cache was the problem.', []],
  ['You know, it was hard, uh, at first.', ['you know', 'uh']],
  ['Do you know the answer? I think so.', []],
  ['We shipped it, you know.', ['you know']],
  ['Hmm. Erm, let me think. Uhh, yes.', ['hmm', 'erm', 'uhh']],
  ['The umbrella term covers humming and ermine.', []],
  ['So like, um, I just, like, refactored it.', ['like', 'um', 'like']],
];

describe('fillers, counted on tokens', () => {
  for (const [sentence, expected] of [...KOREAN, ...ENGLISH]) {
    test(sentence, () => assert.deepEqual(fillersIn(sentence), expected));
  }

  test('a pause after a word (from word times) marks 그 / like as a hesitation, and gives the time', () => {
    const words: Word[] = [
      { word: '그', start: 1.0, end: 1.2 },
      { word: '결과를', start: 1.8, end: 2.2 }, // 0.6 s after 그
      { word: '그', start: 2.3, end: 2.4 },
      { word: '결과를', start: 2.45, end: 2.9 },
    ];
    assert.deepEqual(findFillers(words), [{ word: '그', t: 1.0 }]);
    const english: Word[] = [
      { word: 'it', start: 0, end: 0.1 },
      { word: 'was', start: 0.15, end: 0.3 },
      { word: 'like', start: 0.35, end: 0.5 },
      { word: 'amazing', start: 1.2, end: 1.6 },
    ];
    assert.deepEqual(findFillers(english), [{ word: 'like', t: 0.35 }]);
  });
});

describe('pace', () => {
  test('words are counted as the original did; Hangul syllables separately', () => {
    assert.equal(countWords("안녕하세요, 저는 백엔드 개발자입니다. I'm fine_ok 2024"), 7);
    assert.equal(countHangulSyllables('안녕하세요, 저는 OK 백엔드!'), 10);
  });

  test('wpm over the whole video, over speaking time, and Korean syllables per second', () => {
    const text = '저는 결제 시스템을 만들었습니다'; // 4 words, 14 syllables
    assert.deepEqual(pace(text, 30, 4), { word_count: 4, wpm: 8, wpm_speaking: 60, syllables_per_sec: 3.5 });
    assert.deepEqual(pace('one two three', 60, 0), {
      word_count: 3,
      wpm: 3,
      wpm_speaking: null,
      syllables_per_sec: null,
    });
  });
});
