import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finalSound, withParticle } from '../../src/llm/korean.ts';
import { SKILLS } from '../../src/llm/skills.ts';

// Each expectation is the word as a Korean speaker reads it, worked out by hand; the reading is in the comment.
test('Hangul words: by the final consonant of the last syllable, quotes skipped', () => {
  assert.equal(withParticle('리팩터링', '을/를'), '리팩터링을'); // 링: ㅇ
  assert.equal(withParticle('“주문 정산 시스템 리팩터링”', '을/를'), '“주문 정산 시스템 리팩터링”을');
  assert.equal(withParticle('"사내 쿠폰 플랫폼 구축"', '을/를'), '"사내 쿠폰 플랫폼 구축"을'); // 축: ㄱ
  assert.equal(withParticle('시스템', '을/를'), '시스템을'); // 템: ㅁ
  assert.equal(withParticle('정산', '을/를'), '정산을'); // 산: ㄴ
  assert.equal(withParticle('대용량 트래픽 처리', '을/를'), '대용량 트래픽 처리를'); // 리: no final
  assert.equal(withParticle('쿠버네티스(k8s)', '을/를'), '쿠버네티스(k8s)를'); // the word before the parentheses
  assert.equal(withParticle('서울', '으로/로'), '서울로'); // ㄹ takes 로
  assert.equal(withParticle('시스템', '으로/로'), '시스템으로');
});

test('English names: by the final sound of their usual Korean reading', () => {
  const object = (word: string) => withParticle(word, '을/를');
  assert.equal(object('Java'), 'Java를'); // 자바
  assert.equal(object('Kotlin'), 'Kotlin을'); // 코틀린
  assert.equal(object('React'), 'React를'); // 리액트
  // 스프링 부트: the final t is read 트, as in 리액트, so 를 — "Spring Boot를", not "Spring Boot을".
  assert.equal(object('Spring Boot'), 'Spring Boot를');
  assert.equal(object('Spring'), 'Spring을'); // 스프링
  assert.equal(object('Python'), 'Python을'); // 파이썬
  assert.equal(object('Terraform'), 'Terraform을'); // 테라폼
  assert.equal(object('Git'), 'Git을'); // 깃
  assert.equal(object('GitHub'), 'GitHub를'); // 깃허브
  assert.equal(object('Slack'), 'Slack을'); // 슬랙
  assert.equal(object('Webhook'), 'Webhook을'); // 웹훅
  assert.equal(object('Redis'), 'Redis를'); // 레디스
  assert.equal(object('Docker'), 'Docker를'); // 도커
  assert.equal(object('Azure'), 'Azure를'); // 애저
  assert.equal(object('Oracle'), 'Oracle을'); // 오라클
  assert.equal(object('Chrome'), 'Chrome을'); // 크롬
  assert.equal(object('TypeScript'), 'TypeScript를'); // 타입스크립트
  assert.equal(object('PyTorch'), 'PyTorch를'); // 파이토치
  assert.equal(object('Node.js'), 'Node.js를'); // 노드제이에스
  assert.equal(object('C#'), 'C#을'); // 씨샵
  assert.equal(withParticle('Excel', '으로/로'), 'Excel로'); // 엑셀: ㄹ
  assert.equal(withParticle('Kotlin', '으로/로'), 'Kotlin으로');
  assert.equal(withParticle('Java', '과/와'), 'Java와');
  assert.equal(withParticle('Kotlin', '이/가'), 'Kotlin이');
  assert.equal(withParticle('React', '은/는'), 'React는');
});

test('acronyms: letter by letter, alone or at the end of a name', () => {
  const object = (word: string) => withParticle(word, '을/를');
  assert.equal(object('AWS'), 'AWS를'); // 에이더블유에스
  assert.equal(object('API'), 'API를'); // 에이피아이
  assert.equal(object('REST API'), 'REST API를');
  assert.equal(object('SQL'), 'SQL을'); // 에스큐엘
  assert.equal(object('MySQL'), 'MySQL을'); // 마이에스큐엘
  assert.equal(object('LLM'), 'LLM을'); // 엘엘엠
  assert.equal(object('RabbitMQ'), 'RabbitMQ를'); // 래빗엠큐
  assert.equal(object('gRPC'), 'gRPC를'); // 지알피씨
  assert.equal(object('iOS'), 'iOS를'); // 아이오에스
  assert.equal(object('R'), 'R을'); // 알
});

test('numbers: Sino-Korean, with the unit when there is one', () => {
  const object = (word: string) => withParticle(word, '을/를');
  assert.equal(object('1'), '1을'); // 일
  assert.equal(object('2'), '2를'); // 이
  assert.equal(object('3'), '3을'); // 삼
  assert.equal(object('4'), '4를'); // 사
  assert.equal(object('6'), '6을'); // 육
  assert.equal(object('10'), '10을'); // 십
  assert.equal(object('100'), '100을'); // 백
  assert.equal(object('1,000'), '1,000을'); // 천
  assert.equal(object('20000'), '20000을'); // 이만
  assert.equal(object('1.5'), '1.5를'); // 일 점 오
  assert.equal(object('Java 17'), 'Java 17을'); // 자바 십칠
  assert.equal(withParticle('"40%"', '이라는/라는'), '"40%"라는'); // 퍼센트
  assert.equal(withParticle('"3,000건"', '이라는/라는'), '"3,000건"이라는');
  assert.equal(withParticle('"35 ms"', '이라는/라는'), '"35 ms"라는'); // 밀리초
  assert.equal(withParticle('"10k"', '이라는/라는'), '"10k"이라는'); // 만
});

test('no answer where the reading cannot be told, rather than 을(를)', () => {
  assert.equal(finalSound('C++'), null); // 씨쁠쁠 or 씨플러스플러스
  assert.equal(withParticle('C++', '을/를'), null);
  assert.equal(finalSound('5m'), null); // 5분 or 5미터
  assert.equal(finalSound(''), null);
});

test('every skill the generator can name gets a particle, except C++', () => {
  const unknown = SKILLS.map((skill) => skill.name).filter((name) => finalSound(name) === null);
  assert.deepEqual(unknown, ['C++']);
});
