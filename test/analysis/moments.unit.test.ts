// The moment each feedback line points at, on hand-built inputs whose moments were worked out by hand
// (in the comments), and null whenever the data holds nothing to point at.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeContent, type ContentInput } from '../../src/analysis/content/index.ts';
import { contentFeedback } from '../../src/analysis/feedback/content.ts';
import { FEEDBACK_RULES, ruleBasedFeedback, type FeedbackItem } from '../../src/analysis/feedback/index.ts';
import { densest, speechWithoutNod } from '../../src/analysis/feedback/moments.ts';
import type { RuleInputs } from '../../src/analysis/feedback/rules.ts';
import type { AnalysisMetadata } from '../../src/analysis/metadata.ts';
import { longestStretches } from '../../src/analysis/metrics.ts';
import type { SpeechMeasures } from '../../src/analysis/speech/index.ts';
import { timelineFrame, type TimelineFrame } from '../../src/analysis/timeline.ts';

const FPS = 5;

function frame(i: number, smile: number, gaze: 'CENTER' | 'LEFT' = 'CENTER'): TimelineFrame {
  return timelineFrame(i / FPS, {
    face_confidence: 0.9,
    yaw: 0,
    pitch: 0,
    roll: 0,
    gaze_yaw: 0,
    gaze_pitch: 0,
    gaze,
    eye_openness: 0.3,
    smile,
    emotion: 'neutral',
    emotion_scores: {},
  });
}

/**
 * 20 frames at 5 fps (0–4 s): frames 0–4 smile (0.8), 5–14 do not (0.1), frame 15 has no face, 16–19
 * do not smile (0.2); frames 8–9 look left.
 *   smiling      0.0–1.0 (frames 0–4)
 *   not smiling  1.0–3.0 (frames 5–14; 3.2–4.0 is shorter, and frame 15 breaks the run)
 *   face missing 3.0–3.2 (frame 15)
 *   eye contact  0.0–1.6 (frames 0–7; then 2.0–3.0 and 3.2–4.0)
 */
const TIMELINE = Array.from({ length: 20 }, (_, i) =>
  i === 15
    ? timelineFrame(i / FPS, null)
    : frame(i, i < 5 ? 0.8 : i < 15 ? 0.1 : 0.2, i === 8 || i === 9 ? 'LEFT' : 'CENTER'),
);

function speech(values: Partial<SpeechMeasures> = {}): SpeechMeasures {
  return {
    stt_status: 'ok',
    stt_message: null,
    stt_engine: 'openai',
    stt_model: 'whisper-1',
    language: 'en',
    speaking_time_sec: 20,
    speech_ratio: 0.8,
    time_to_first_word_sec: 0.5,
    speech_segments: [],
    pauses: [],
    pause_count: 0,
    longest_pause_sec: null,
    word_count: 60,
    wpm_speaking: 160,
    syllables_per_sec: null,
    pace_segments: [],
    syllables_per_sec_estimated: null,
    fillers: [],
    voice: {
      loudness_mean_dbfs: -25,
      loudness_variation_db: 6,
      pitch_mean_hz: 140,
      pitch_variation_semitones: 3,
      voiced_ratio: 0.7,
    },
    ...values,
  };
}

function inputs(values: Partial<RuleInputs> = {}, durationSec: number | null = 60): RuleInputs {
  return {
    center_gaze_ratio: 0.8,
    smile_ratio: 0.3,
    nod_count: 2,
    nod_rate_per_min: 2,
    primary_emotion: 'neutral',
    emotion_distribution: { happy: 0, pleasant: 0, neutral: 1, focused: 0, concerned: 0, surprised: 0 },
    blink_count: 0,
    blink_rate_per_min: 0,
    nod_times_sec: [1, 4],
    blink_times_sec: [],
    gaze_away_segments: [],
    longest_stretches: longestStretches(TIMELINE, 1 / FPS),
    wpm: 150,
    filler_count: 2,
    speech: speech(),
    metadata: {
      duration_sec: durationSec,
      confidence: { valid_frame_ratio: 0.95 },
      outlier_flags: { pose_outlier_ratio: 0 },
    } as unknown as AnalysisMetadata,
    ...values,
  };
}

const momentOf = (items: FeedbackItem[], title: string) => {
  const item = items.find((i) => i.title === title);
  assert.ok(item, `${title}: ${items.map((i) => i.title).join(', ')}`);
  return item.start_sec === null ? null : [item.start_sec, item.end_sec];
};
const moment = (values: Partial<RuleInputs>, title: string, durationSec: number | null = 60) =>
  momentOf(ruleBasedFeedback(inputs(values, durationSec), 'en'), title);

describe('face stretches', () => {
  test('the longest runs of eye contact, smiling, not smiling and no face, a missing face breaking the others', () => {
    assert.deepEqual(longestStretches(TIMELINE, 1 / FPS), {
      eye_contact: { start_sec: 0, end_sec: 1.6 },
      smiling: { start_sec: 0, end_sec: 1 },
      not_smiling: { start_sec: 1, end_sec: 3 },
      face_missing: { start_sec: 3, end_sec: 3.2 },
    });
  });

  test('no frames, or no face: nothing to point at', () => {
    assert.deepEqual(longestStretches([], 0.2), {
      eye_contact: null,
      smiling: null,
      not_smiling: null,
      face_missing: null,
    });
    const noFace = [0, 1, 2].map((i) => timelineFrame(i / FPS, null));
    assert.deepEqual(longestStretches(noFace, 0.2).face_missing, { start_sec: 0, end_sec: 0.6 });
    assert.equal(longestStretches(noFace, 0.2).not_smiling, null);
  });
});

describe('the moment of each delivery line', () => {
  test('expression: too little smiling → the longest stretch without a smile; too much or in range → the longest smile', () => {
    assert.deepEqual(moment({ smile_ratio: 0.05 }, 'Expression'), [1, 3]);
    assert.deepEqual(moment({ smile_ratio: 0.15 }, 'Expression'), [1, 3]); // below the range, not far below
    assert.deepEqual(moment({ smile_ratio: 0.3 }, 'Expression'), [0, 1]);
    assert.deepEqual(moment({ smile_ratio: 0.55 }, 'Expression'), [0, 1]);
    assert.deepEqual(moment({ smile_ratio: 0.7 }, 'Expression'), [0, 1]);
  });

  test('a face stretch under the minimum is not pointed at', () => {
    const short = { start_sec: 5, end_sec: 5 + FEEDBACK_RULES.moments.min_stretch_sec - 0.2 };
    const stretches = { eye_contact: short, smiling: short, not_smiling: short, face_missing: short };
    assert.equal(moment({ smile_ratio: 0.05, longest_stretches: stretches }, 'Expression'), null);
    assert.equal(moment({ longest_stretches: stretches }, 'Eye contact'), null);
  });

  test('eye contact: a strength → the longest stretch of it; weak → the longest look-away; weak without one → null', () => {
    assert.deepEqual(moment({}, 'Eye contact'), [0, 1.6]);
    const away = [
      { start_sec: 2, end_sec: 3.5, direction: 'LEFT' as const },
      { start_sec: 5, end_sec: 9, direction: 'DOWN' as const },
      { start_sec: 10, end_sec: 11, direction: 'LEFT' as const },
    ];
    assert.deepEqual(moment({ center_gaze_ratio: 0.4, gaze_away_segments: away }, 'Eye contact'), [5, 9]);
    assert.equal(moment({ center_gaze_ratio: 0.4 }, 'Eye contact'), null);
  });

  test('nods: in range → the first nod; too many → the densest 10 s; none → the longest speech without one', () => {
    assert.deepEqual(moment({ nod_count: 2, nod_times_sec: [4, 1] }, 'Nodding'), [1, 1]);
    // Windows of 10 s from each nod: from 3 → 3, 12 (2 nods); from 12 → 12, 14, 15 (3): the densest.
    assert.deepEqual(moment({ nod_count: 5, nod_times_sec: [3, 12, 14, 15, 30] }, 'Nodding'), [12, 15]);
    // 3, 12 and 12, 14 hold two each: the earlier window wins.
    assert.deepEqual(moment({ nod_count: 4, nod_times_sec: [3, 12, 14, 30] }, 'Nodding'), [3, 12]);
    const talk = [
      { start_sec: 0.5, end_sec: 4 },
      { start_sec: 5, end_sec: 12 },
      { start_sec: 13, end_sec: 14 },
    ];
    assert.deepEqual(
      moment({ nod_count: 0, nod_times_sec: [], speech: speech({ speech_segments: talk }) }, 'Nodding'),
      [5, 12],
    );
    // A stretch with a nod in it is not "speech without a nod": 5–12 has one at 6, so 0.5–4 is the longest left.
    assert.deepEqual(speechWithoutNod(talk, [6]), { start: 0.5, end: 4 });
    assert.equal(moment({ nod_count: 0, nod_times_sec: [] }, 'Nodding'), null, 'no speech stretches');
  });

  test('pace: too fast → the fastest segment above the range; too slow → the slowest below; in range → the in-range segment with most speech', () => {
    const segments = [
      { start_sec: 0, end_sec: 5, speaking_sec: 4, wpm_speaking: 150, syllables_per_sec: null },
      { start_sec: 5, end_sec: 10, speaking_sec: 4.5, wpm_speaking: 210, syllables_per_sec: null },
      { start_sec: 10, end_sec: 12, speaking_sec: 1.5, wpm_speaking: 260, syllables_per_sec: null }, // too little speech
      { start_sec: 12, end_sec: 20, speaking_sec: 7, wpm_speaking: 130, syllables_per_sec: null },
      { start_sec: 20, end_sec: 25, speaking_sec: 4, wpm_speaking: 190, syllables_per_sec: null },
    ];
    const pace = (wpm: number) => moment({ speech: speech({ wpm_speaking: wpm, pace_segments: segments }) }, 'Pace');
    assert.deepEqual(pace(200), [5, 10]);
    assert.deepEqual(pace(120), [12, 20]);
    assert.deepEqual(pace(160), [0, 5]);
    // Korean, in syllables a second: 6.2 is the fastest above 5.5.
    const ko = [
      { start_sec: 0, end_sec: 6, speaking_sec: 5, wpm_speaking: 100, syllables_per_sec: 4.5 },
      { start_sec: 6, end_sec: 12, speaking_sec: 5, wpm_speaking: 120, syllables_per_sec: 6.2 },
      { start_sec: 12, end_sec: 18, speaking_sec: 5, wpm_speaking: 110, syllables_per_sec: 5.8 },
    ];
    assert.deepEqual(
      moment({ speech: speech({ language: 'ko', syllables_per_sec: 5.9, pace_segments: ko }) }, 'Pace'),
      [6, 12],
    );
    // Too slow, but no segment below the range: nothing honest to point at.
    assert.equal(moment({ speech: speech({ wpm_speaking: 120, pace_segments: segments.slice(0, 2) }) }, 'Pace'), null);
    assert.equal(moment({ speech: speech({ wpm_speaking: 200, pace_segments: undefined }) }, 'Pace'), null);
  });

  test('fillers: few → the first one heard; many → the densest 10 s; none, or no times → null', () => {
    const fillers = (times: Array<number | null>) => times.map((t) => ({ word: 'um', t }));
    assert.deepEqual(
      moment({ filler_count: 2, speech: speech({ fillers: fillers([7.5, 3.2]) }) }, 'Filler words'),
      [3.2, 3.2],
    );
    // From 20: 20, 22, 25, 29 (4 within 10 s) beats every other window.
    assert.deepEqual(
      moment({ filler_count: 7, speech: speech({ fillers: fillers([1, 20, 22, 25, 29, 40, 41]) }) }, 'Filler words'),
      [20, 29],
    );
    assert.equal(moment({ filler_count: 0, speech: speech({ fillers: [] }) }, 'Filler words'), null);
    assert.equal(moment({ filler_count: 7, speech: speech({ fillers: fillers([null, null]) }) }, 'Filler words'), null);
  });

  test('too few faces → the longest stretch without one', () => {
    const stretches = {
      eye_contact: null,
      smiling: null,
      not_smiling: null,
      face_missing: { start_sec: 2, end_sec: 9.4 },
    };
    const items = ruleBasedFeedback(
      {
        ...inputs({ longest_stretches: stretches }),
        metadata: {
          duration_sec: 20,
          confidence: { valid_frame_ratio: 0.3 },
          outlier_flags: { pose_outlier_ratio: 0 },
        } as unknown as AnalysisMetadata,
      },
      'en',
    );
    assert.deepEqual(momentOf(items, 'Reliability'), [2, 9.4]);
  });

  test('no data → every line without a moment (never 0:00 as a placeholder)', () => {
    // As stored before moments existed: no stretches, no nod times, no pace segments, no speech stretches.
    const bare = inputs({
      longest_stretches: undefined,
      nod_times_sec: undefined,
      nod_count: 0,
      speech: speech({ pace_segments: undefined }),
    });
    const items = ruleBasedFeedback(bare, 'ko');
    assert.ok(items.length >= 5);
    for (const item of items) assert.deepEqual([item.start_sec, item.end_sec], [null, null], item.title);
  });

  test('moments stay inside the video: clipped at its end, dropped when they start after it', () => {
    const fillers = [
      { word: 'um', t: 8 },
      { word: 'uh', t: 9 },
      { word: 'um', t: 11 },
      { word: 'um', t: 12 },
    ];
    // A 10 s video: the densest window 8–12 is cut at 10; the cluster segment too.
    const items = ruleBasedFeedback(inputs({ filler_count: 6, speech: speech({ fillers }) }, 10), 'en');
    assert.deepEqual(momentOf(items, 'Filler words'), [8, 10]);
    assert.deepEqual(momentOf(items, 'Filler cluster'), [8, 10]);
    const late = ruleBasedFeedback(
      inputs({ filler_count: 1, speech: speech({ fillers: [{ word: 'um', t: 11 }] }) }, 10),
      'en',
    );
    assert.equal(momentOf(late, 'Filler words'), null);
    for (const item of items) {
      if (item.start_sec !== null)
        assert.ok(item.start_sec >= 0 && item.end_sec! <= 10 && item.start_sec <= item.end_sec!);
    }
  });

  test('densest: the earliest window on a tie, nothing without events', () => {
    assert.deepEqual(densest([1, 2, 30, 31], 10), { start: 1, end: 2 });
    assert.equal(densest([], 10), null);
  });
});

/** Words with times: the nth space-separated word starts at n × 0.5 s and lasts 0.4 s. */
const timedWords = (text: string) => text.split(' ').map((word, n) => ({ word, start: n * 0.5, end: n * 0.5 + 0.4 }));

// Sentences (words): 0 'At … slow.' (0–7), 1 'I was asked to fix it.' (8–13), 2 'I profiled … Redis.'
// (14–21), 3 'As a result, checkout got faster.' (22–27). So their times are 0–3.9, 4–6.9, 7–10.9, 11–13.9.
const ANSWER =
  'At my last company our checkout was slow. I was asked to fix it. I profiled the queries and I introduced Redis. As a result, checkout got faster.';
const QUESTION = { text: 'How did you fix a slow service?', type: 'technical' };

function content(transcript: Partial<ContentInput['transcript']>, durationSec = 60) {
  return analyzeContent({
    transcript: { text: ANSWER, language: 'en', segments: [], words: null, ...transcript },
    duration_sec: durationSec,
    question: QUESTION,
  });
}

describe('the moment of each content line', () => {
  test('sentence times from word times, and from the segments that hold each sentence', () => {
    assert.deepEqual(content({ words: timedWords(ANSWER) }).sentence_times, [
      { start_sec: 0, end_sec: 3.9 },
      { start_sec: 4, end_sec: 6.9 },
      { start_sec: 7, end_sec: 10.9 },
      { start_sec: 11, end_sec: 13.9 },
    ]);
    // Sentence 1 starts in the first segment and ends in the second: it gets both.
    const segments = [
      { start: 0, end: 4.5, text: 'At my last company our checkout was slow. I was asked' },
      { start: 4.5, end: 7, text: 'to fix it.' },
      { start: 7.2, end: 14, text: 'I profiled the queries and I introduced Redis. As a result, checkout got faster.' },
    ];
    assert.deepEqual(content({ segments }).sentence_times, [
      { start_sec: 0, end_sec: 4.5 },
      { start_sec: 0, end_sec: 7 },
      { start_sec: 7.2, end_sec: 14 },
      { start_sec: 7.2, end_sec: 14 },
    ]);
    assert.deepEqual(content({}).sentence_times, [null, null, null, null]);
    // A 12 s video: the last sentence is cut at 12; in a 10 s one it starts after the end.
    assert.deepEqual(content({ words: timedWords(ANSWER) }, 12).sentence_times?.[3], { start_sec: 11, end_sec: 12 });
    assert.equal(content({ words: timedWords(ANSWER) }, 10).sentence_times?.[3], null);
  });

  test('each line points at the sentence that carries its evidence', () => {
    const items = contentFeedback(content({ words: timedWords(ANSWER) }), 'en');
    const at = (title: string) => momentOf(items, title);
    assert.deepEqual(at('Point first'), [0, 3.9]); // the first sentence, which did not lead with the point
    assert.deepEqual(at('Structure (STAR)'), [11, 13.9]); // complete: the result sentence
    assert.deepEqual(at('Specificity'), [11, 13.9]); // no numbers: the result claim that needs one
    assert.deepEqual(at('Length'), [11, 13.9]); // 13.9 s is short: where the answer stopped
  });

  test('a long answer: from where the range (30–120 s) ran out to its end; a repeated word: its first to last sentence', () => {
    // 75 sentences of 4 words: word 299 starts at 149.5 s and ends at 149.9 s.
    const text = Array.from({ length: 75 }, () => 'We built the service.').join(' ');
    const analysed = analyzeContent({
      transcript: { text, language: 'en', segments: [], words: timedWords(text) },
      duration_sec: 200,
      question: { text: 'What did you build?', type: 'technical' },
    });
    assert.equal(analysed.length.judgement, 'long');
    const items = contentFeedback(analysed, 'en');
    assert.deepEqual(momentOf(items, 'Length'), [120, 149.9]);
    assert.deepEqual(momentOf(items, 'Repetition'), [0, 149.9]);
  });

  test('numbers, hedges and a missing result', () => {
    const text =
      'I think we had slow pages. I rewrote the cache in 3 weeks. Maybe it helped the team a bit. I also wrote tests.';
    // Sentences (words): 0–5 (0–2.9 s), 6–12 (3–6.4 s), 13–19 (6.5–9.9 s), 20–23 (10–11.9 s).
    const analysed = analyzeContent({
      transcript: { text, language: 'en', segments: [], words: timedWords(text) },
      duration_sec: 200,
      question: { text: 'Tell us about a performance problem.', type: 'technical' },
    });
    assert.deepEqual(analysed.structure.missing.includes('result'), true);
    const items = contentFeedback(analysed, 'en');
    const at = (title: string) => momentOf(items, title);
    assert.deepEqual(at('Specificity'), [3, 6.4]); // '3 weeks'
    assert.deepEqual(at('Hedging'), [0, 2.9]); // the first hedge: 'I think'
    assert.deepEqual(at('Structure (STAR)'), [10, 11.9]); // no result: the last sentence
    assert.deepEqual(at('Length'), [10, 11.9]); // 11.9 s is short: where the answer stopped
  });

  test('results stored before sentence times: no moments, the same items otherwise', () => {
    const analysed = content({ words: timedWords(ANSWER) });
    const { sentence_times: _, ...before } = analysed;
    const now = contentFeedback(analysed, 'ko');
    const old = contentFeedback(before, 'ko');
    assert.deepEqual(
      old.map(({ title, message, severity }) => [title, message, severity]),
      now.map(({ title, message, severity }) => [title, message, severity]),
    );
    for (const item of old) assert.deepEqual([item.start_sec, item.end_sec], [null, null]);
  });
});
