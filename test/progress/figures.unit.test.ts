// The pure parts of practice history: the content reader on hand-written (and broken) JSON, figure
// extraction from stored rows, comparisons around target ranges, and the period of the progress query.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FEEDBACK_RULES } from '../../src/analysis/feedback/rules.ts';
import { contentFigures } from '../../src/progress/content.ts';
import { extractFigures, FIGURES, type AnalysisRow } from '../../src/progress/figures.ts';
import { parsePeriod } from '../../src/progress/period.ts';
import { compareAttempts, figureTrends, rankHabits, type Measured } from '../../src/progress/summary.ts';

const row = (fields: Partial<AnalysisRow>): AnalysisRow => ({
  center_gaze_ratio: null,
  smile_ratio: null,
  nod_count: null,
  wpm: null,
  filler_count: null,
  metadata: { confidence: { valid_frame_ratio: 1 } },
  measures: null,
  content: null,
  ...fields,
});
const measured = (fields: Partial<AnalysisRow>): Measured => extractFigures(row(fields));

describe('content figures from the stored content analysis', () => {
  test('a full analysis: every figure, by hand', () => {
    assert.deepEqual(
      contentFigures({
        length: { value_sec: 62.5, range_sec: [30, 120], judgement: 'ok' },
        structure: {
          conclusion_first: true,
          star: { situation: [0], task: [1], action: [2, 3], result: [] },
          missing: ['result'],
        },
        specificity: { score: 0.75 },
        hedge_count: 2,
        relevance: { question: { covered: ['Kafka', '장애'], missing: ['복구', '지표', '팀'] } },
      }),
      {
        length_sec: 62.5,
        length_range_sec: [30, 120],
        conclusion_first: 1,
        star_parts: 3,
        specificity_score: 0.75,
        hedge_count: 2,
        relevance_coverage: 0.4,
      },
    );
  });

  test('missing, malformed or absurd parts read as null, never throw', () => {
    const empty = {
      length_sec: null,
      length_range_sec: null,
      conclusion_first: null,
      star_parts: null,
      specificity_score: null,
      hedge_count: null,
      relevance_coverage: null,
    };
    for (const content of [null, undefined, 'text', 42, [], {}, { length: 'long', structure: [] }]) {
      assert.deepEqual(contentFigures(content), empty, JSON.stringify(content));
    }
    assert.deepEqual(
      contentFigures({
        length: { value_sec: '60', range_sec: [90, 45] },
        structure: { conclusion_first: 'yes', star: { situation: [1] } },
        specificity: { score: 7 },
        hedge_count: Number.NaN,
        relevance: { question: { covered: [], missing: [] } },
      }),
      empty,
    );
  });

  test('as stored: `{content, reason}` wraps the analysis; null content with a reason has no figures', () => {
    const analysis = { hedge_count: 1, structure: { conclusion_first: false } };
    assert.deepEqual(contentFigures({ content: analysis, reason: null }), contentFigures(analysis));
    assert.equal(contentFigures({ content: analysis, reason: null }).hedge_count, 1);
    assert.equal(contentFigures({ content: null, reason: 'No transcript' }).hedge_count, null);
  });

  test('STAR parts from `missing` when the sentence lists are absent; hedges counted from their list', () => {
    const figures = contentFigures({ structure: { missing: ['task', 'result', 'other'] }, hedges: [{}, {}, {}] });
    assert.equal(figures.star_parts, 2);
    assert.equal(figures.hedge_count, 3);
  });
});

describe('figures of a stored analysis', () => {
  test('the face figures are not judged when the face was found in too few frames, as in the feedback', () => {
    const few = FEEDBACK_RULES.valid_frame_ratio_min - 0.01;
    const { values } = extractFigures(
      row({
        center_gaze_ratio: 0.9,
        smile_ratio: 0.3,
        nod_count: 2,
        filler_count: 4,
        metadata: { confidence: { valid_frame_ratio: few } },
      }),
    );
    assert.deepEqual([values.center_gaze_ratio, values.smile_ratio, values.nod_count], [null, null, null]);
    assert.equal(values.filler_count, 4);
  });

  test('pace: syllables a second for Korean, words a minute otherwise, nothing without a transcript', () => {
    const speech = (fields: Record<string, unknown>) => ({ speech: { pauses: [], pause_count: 0, ...fields } });
    const korean = extractFigures(
      row({ measures: speech({ stt_status: 'ok', syllables_per_sec: 4.2, wpm_speaking: 90 }) }),
    );
    assert.deepEqual([korean.values.syllables_per_sec, korean.values.wpm_speaking], [4.2, null]);
    const english = extractFigures(
      row({ measures: speech({ stt_status: 'ok', syllables_per_sec: null, wpm_speaking: 150 }) }),
    );
    assert.deepEqual([english.values.syllables_per_sec, english.values.wpm_speaking], [null, 150]);
    const none = extractFigures(row({ measures: speech({ stt_status: 'disabled', syllables_per_sec: 4 }) }));
    assert.deepEqual([none.values.syllables_per_sec, none.values.wpm_speaking], [null, null]);
    // Pauses come from voice activity, with or without a transcript: none at all is a longest pause of 0.
    assert.deepEqual([none.values.long_pause_count, none.values.longest_pause_sec], [0, 0]);
    assert.deepEqual(
      [extractFigures(row({})).values.longest_pause_sec, extractFigures(row({})).values.pause_count],
      [null, null],
    );
  });

  test('every figure with a fixed target names a constant of FEEDBACK_RULES or the content analysis', () => {
    for (const figure of FIGURES) {
      if (figure.target === null || figure.target === 'per_answer') continue;
      assert.match(figure.target.from, /^(FEEDBACK_RULES\.|CONTENT_THRESHOLDS\.|the content analysis)/, figure.key);
    }
  });
});

describe('comparisons and trends', () => {
  test('a ranged figure that jumps over its range is worse when it lands further away', () => {
    // Smiling in 10% of frames is 0.15 below [0.25, 0.5]; 70% is 0.2 above it.
    const [smile] = compareAttempts(measured({ smile_ratio: 0.1 }), measured({ smile_ratio: 0.7 })).filter(
      (change) => change.key === 'smile_ratio',
    );
    assert.deepEqual(smile, {
      key: 'smile_ratio',
      previous: 0.1,
      latest: 0.7,
      difference: 0.6,
      better: 'in_range',
      outcome: 'worse',
    });
    const [inside] = compareAttempts(measured({ smile_ratio: 0.3 }), measured({ smile_ratio: 0.45 })).filter(
      (change) => change.key === 'smile_ratio',
    );
    assert.equal(inside!.outcome, 'unchanged'); // both inside: neither closer
  });

  test('the longest pause must stay under FEEDBACK_RULES.long_pause_sec: exactly that long is outside', () => {
    const answer = (longest: number) =>
      measured({ measures: { speech: { pauses: [{ duration_sec: longest }], longest_pause_sec: longest } } });
    const trends = figureTrends([answer(FEEDBACK_RULES.long_pause_sec), answer(FEEDBACK_RULES.long_pause_sec - 0.5)]);
    const longest = trends.find((trend) => trend.key === 'longest_pause_sec')!;
    assert.equal(longest.in_range_share, 0.5);
    assert.deepEqual([longest.trend!.window, longest.trend!.outcome], [1, 'improved']);
  });

  test('habits: no strength below half in range; practise items never repeat a strength', () => {
    const answers = [
      measured({ center_gaze_ratio: 0.4, filler_count: 9 }),
      measured({ center_gaze_ratio: 0.8, filler_count: 9 }),
    ];
    const { strongest, practise_next } = rankHabits(answers, 'en');
    assert.deepEqual(
      strongest.map((habit) => [habit.habit, habit.score]),
      [['eye_contact', 0.5]],
    );
    assert.deepEqual(
      practise_next.map((habit) => [habit.habit, habit.score, habit.label]),
      [['fillers', 0, 'Filler words']],
    );
  });
});

describe('the period of the progress query', () => {
  test('dates are whole UTC days with `to` included; date-times are instants; offsets are honoured', () => {
    assert.deepEqual(parsePeriod({ from: '2024-02-29', to: '2024-02-29' }), {
      from: '2024-02-29T00:00:00.000Z',
      before: '2024-03-01T00:00:00.000Z',
    });
    assert.deepEqual(parsePeriod({ from: '2025-01-01T09:00+09:00', to: '2025-01-01T00:00:00.5Z' }), {
      from: '2025-01-01T00:00:00.000Z',
      before: '2025-01-01T00:00:00.501Z',
    });
    assert.deepEqual(parsePeriod({}), {});
  });

  test('dates that do not exist, and a `to` before `from`, are refused as validation errors', () => {
    for (const query of [{ from: '2025-02-29' }, { to: '2025-04-31' }, { from: '2025-01-01T24:00Z' }]) {
      assert.throws(() => parsePeriod(query), { statusCode: 422 }, JSON.stringify(query));
    }
    assert.throws(() => parsePeriod({ from: '2025-01-02', to: '2025-01-01' }), {
      statusCode: 422,
      validationContext: 'querystring',
    });
  });
});
