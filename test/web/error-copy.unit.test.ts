// Every refusal the API can give a person (a 4xx of the error catalogue) has a Korean sentence in the
// web app: a code without one would show only "요청을 처리하지 못했습니다", which says nothing of what to
// fix. 401s are not shown: they send the user to the login page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Errors } from '../../src/http/errors.ts';
import { ko } from '../../web/src/i18n/ko.ts';

/** Refusals the web app never meets, each with why. */
const NOT_MET: Record<string, string> = {
  INVALID_PREFLIGHT: 'browsers send proper preflights',
};

test('every 4xx code of the error catalogue but a 401 has a Korean sentence', () => {
  const missing = new Set<string>();
  for (const ErrorClass of Object.values(Errors)) {
    const error = new (ErrorClass as new () => { code: string; statusCode: number })();
    if (error.statusCode < 400 || error.statusCode >= 500 || error.statusCode === 401) continue;
    if (!(error.code in NOT_MET) && !ko.errors[error.code]) missing.add(error.code);
  }
  assert.deepEqual([...missing], []);
});

test('the figures of a limit are said in Korean, in the order the English message gives them', () => {
  const tooMany = new Errors.TooManyRecords(100, 'job postings');
  assert.equal(ko.serverDetail(tooMany.code, tooMany.message), '(최대 100개)');
  const tooLong = new Errors.VideoTooLong('240.5', 180);
  assert.equal(ko.serverDetail(tooLong.code, tooLong.message), '180초까지 분석할 수 있는데, 이 영상은 240.5초입니다.');
});
