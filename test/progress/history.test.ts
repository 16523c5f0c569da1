// Practice history: attempts compared, progress over a period, and the session report. Most answers
// here are seeded straight into the database with figures chosen by hand (exact arithmetic, and
// hundreds of answers without hundreds of analyses); one test analyses two real fixture videos.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { sql, type KyselyPlugin } from 'kysely';
import type { Db } from '../../src/db/index.ts';
import { createProgressService } from '../../src/progress/service.ts';
import { TALKING_FEMALE, TALKING_MALE } from '../analysis/media-helpers.ts';
import { DIALECTS, expectError, expectValidationError, signUp, startApp, type Api, type TestUser } from '../helpers.ts';

interface SeededAnswer {
  userId: string;
  sessionId: string;
  questionId: string;
  recordedAt: string;
  gaze?: number | null;
  smile?: number | null;
  nods?: number | null;
  wpm?: number | null;
  fillers?: number | null;
  /** Share of frames with a face (metadata.confidence.valid_frame_ratio). */
  validFrames?: number;
  speech?: Record<string, unknown> | null;
  content?: unknown;
  feedback?: Array<{ severity: string; title: string }>;
}

/** A Korean answer's speech measures as the pipeline stores them (only what the figures read matters). */
const koreanSpeech = (syllablesPerSec: number, pauses: number[]) => ({
  stt_status: 'ok',
  syllables_per_sec: syllablesPerSec,
  wpm_speaking: 95,
  pauses: pauses.map((duration, i) => ({ start_sec: i * 10, end_sec: i * 10 + duration, duration_sec: duration })),
  pause_count: pauses.length,
  longest_pause_sec: pauses.length ? Math.max(...pauses) : null,
});

/** An answer video with stored results, written straight into the tables. */
async function seedAnswer(db: Db, answer: SeededAnswer): Promise<string> {
  const videoId = randomUUID();
  await db
    .insertInto('interview_video')
    .values({
      id: videoId,
      user_id: answer.userId,
      session_id: answer.sessionId,
      question_id: answer.questionId,
      video_url: `uploads/${answer.userId}/videos/${videoId}.mp4`,
      audio_url: null,
      duration_sec: 60,
      created_at: answer.recordedAt,
    })
    .execute();
  const analysedAt = new Date(Date.parse(answer.recordedAt) + 60_000).toISOString();
  await db
    .insertInto('nonverbal_metrics')
    .values({
      id: randomUUID(),
      video_id: videoId,
      center_gaze_ratio: answer.gaze ?? null,
      smile_ratio: answer.smile ?? null,
      nod_count: answer.nods ?? null,
      nod_rate_per_min: null,
      wpm: answer.wpm ?? null,
      filler_count: answer.fillers ?? null,
      primary_emotion: 'neutral',
      metadata_json: JSON.stringify({ confidence: { valid_frame_ratio: answer.validFrames ?? 0.95 } }),
      measures_json: JSON.stringify({ speech: answer.speech ?? null }),
      created_at: analysedAt,
    })
    .execute();
  if (answer.content !== undefined) {
    await sql`update nonverbal_metrics set content_json = ${JSON.stringify(answer.content)} where video_id = ${videoId}`.execute(
      db,
    );
  }
  for (const [position, item] of (answer.feedback ?? []).entries()) {
    await db
      .insertInto('feedback')
      .values({
        id: randomUUID(),
        video_id: videoId,
        level: 'video',
        title: item.title,
        message: `${item.title} message`,
        severity: item.severity,
        start_sec: null,
        end_sec: null,
        position,
        created_at: analysedAt,
      })
      .execute();
  }
  return videoId;
}

async function sessionWith(api: Api, user: TestUser, questions: Array<{ text: string; type: string }>) {
  const session = await api.post(
    '/api/interviews/sessions',
    { title: 'practice', generate_questions: false },
    user.token,
  );
  assert.equal(session.status, 201, session.text);
  const ids: string[] = [];
  for (const question of questions) {
    const created = await api.post(`/api/interviews/sessions/${session.body.id}/questions`, question, user.token);
    assert.equal(created.status, 201, created.text);
    ids.push(created.body.id);
  }
  return { sessionId: session.body.id as string, questionIds: ids };
}

const figure = (reply: { figures: Array<{ key: string }> }, key: string) =>
  reply.figures.find((entry) => entry.key === key) as Record<string, unknown>;
const change = (comparison: { changes: Array<{ key: string; outcome: string | null }> }, key: string) =>
  comparison.changes.find((entry) => entry.key === key);

for (const dialect of DIALECTS) {
  describe(`practice history (${dialect.name})`, { skip: dialect.skip }, () => {
    test('seeded in the database: attempts compared, report habits and top feedback, by hand', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const alice = await signUp(api);
      const bob = await signUp(api);
      const { sessionId, questionIds } = await sessionWith(api, alice, [
        { text: '자기소개 해 주세요', type: 'intro' },
        { text: '갈등을 해결한 경험은?', type: 'behavioral' },
        { text: '입사 후 포부는?', type: 'general' },
        { text: '가장 큰 실패는?', type: 'weakness' },
      ]);
      const [q1, q2, q3, q4] = questionIds as [string, string, string, string];
      const base = { userId: alice.id, sessionId };
      const first = await seedAnswer(db, {
        ...base,
        questionId: q1,
        recordedAt: '2025-03-01T10:00:00.000Z',
        gaze: 0.6,
        smile: 0.1,
        nods: 0,
        wpm: 100,
        fillers: 8,
        speech: koreanSpeech(6.0, [1.2, 3.5]),
      });
      const second = await seedAnswer(db, {
        ...base,
        questionId: q1,
        recordedAt: '2025-03-02T10:00:00.000Z',
        gaze: 0.8,
        smile: 0.3,
        nods: 5,
        wpm: 110,
        fillers: 8,
        speech: koreanSpeech(5.0, [1.5]),
        feedback: [
          { severity: 'info', title: 'A' },
          { severity: 'suggestion', title: 'B' },
          { severity: 'warning', title: 'C' },
          { severity: 'info', title: 'D' },
          { severity: 'suggestion', title: 'E' },
        ],
      });
      await seedAnswer(db, {
        ...base,
        questionId: q2,
        recordedAt: '2025-03-03T10:00:00.000Z',
        gaze: 0.75,
        smile: 0.3,
        nods: 2,
        wpm: 90,
        fillers: 12,
        speech: koreanSpeech(4.0, []),
      });
      // q4 has a video that was never analysed.
      await db
        .insertInto('interview_video')
        .values({
          id: randomUUID(),
          user_id: alice.id,
          session_id: sessionId,
          question_id: q4,
          video_url: 'uploads/x.mp4',
          audio_url: null,
          duration_sec: 5,
          created_at: '2025-03-04T10:00:00.000Z',
        })
        .execute();

      const attempts = await api.get(`/api/interviews/questions/${q1}/attempts`, alice.token);
      assert.equal(attempts.status, 200, attempts.text);
      const body = attempts.body;
      assert.deepEqual(
        body.attempts.map((a: { video_id: string; attempt: number }) => [a.attempt, a.video_id]),
        [
          [1, first],
          [2, second],
        ],
      );
      assert.deepEqual(body.attempts[0].figures, {
        center_gaze_ratio: 0.6,
        smile_ratio: 0.1,
        nod_count: 0,
        syllables_per_sec: 6,
        wpm_speaking: null, // a Korean answer: its pace is syllables a second
        filler_count: 8,
        long_pause_count: 1, // 3.5 s ≥ FEEDBACK_RULES.long_pause_sec (3)
        longest_pause_sec: 3.5,
        pause_count: 2,
        wpm: 100,
        length_sec: null,
        conclusion_first: null,
        star_parts: null,
        specificity_score: null,
        hedge_count: null,
        relevance_coverage: null,
      });
      assert.equal(body.attempts[0].in_range.center_gaze_ratio, false);
      assert.equal(body.attempts[1].in_range.center_gaze_ratio, true);
      assert.equal(body.attempts[0].in_range.wpm, null);
      const comparison = body.comparison;
      assert.equal(comparison.previous_video_id, first);
      assert.equal(comparison.latest_video_id, second);
      assert.deepEqual(change(comparison, 'center_gaze_ratio'), {
        key: 'center_gaze_ratio',
        previous: 0.6,
        latest: 0.8,
        difference: 0.2,
        better: 'higher',
        outcome: 'improved',
      });
      // 0.1 → 0.3 enters the natural range [0.25, 0.5]; 0 → 5 nods moves from 1 below [1, 3] to 2 above it.
      assert.deepEqual(change(comparison, 'smile_ratio'), {
        key: 'smile_ratio',
        previous: 0.1,
        latest: 0.3,
        difference: 0.2,
        better: 'in_range',
        outcome: 'improved',
      });
      assert.deepEqual(change(comparison, 'nod_count'), {
        key: 'nod_count',
        previous: 0,
        latest: 5,
        difference: 5,
        better: 'in_range',
        outcome: 'worse',
      });
      // 6.0 → 5.0 syllables a second: from 0.5 above [3.5, 5.5] into it, although the number went down.
      assert.deepEqual(change(comparison, 'syllables_per_sec'), {
        key: 'syllables_per_sec',
        previous: 6,
        latest: 5,
        difference: -1,
        better: 'in_range',
        outcome: 'improved',
      });
      assert.equal(change(comparison, 'filler_count')!.outcome, 'unchanged');
      // Naming an attempt compares it with the one before: the second is the latest here, so the same;
      // the first has none before it.
      const named = await api.get(`/api/interviews/questions/${q1}/attempts?video_id=${second}`, alice.token);
      assert.deepEqual(named.body.comparison, comparison);
      const oldest = await api.get(`/api/interviews/questions/${q1}/attempts?video_id=${first}`, alice.token);
      assert.equal(oldest.status, 200, oldest.text);
      assert.equal(oldest.body.comparison, null);
      assert.deepEqual(oldest.body.attempts, body.attempts);
      assert.deepEqual(change(comparison, 'wpm'), {
        key: 'wpm',
        previous: 100,
        latest: 110,
        difference: 10,
        better: null,
        outcome: null,
      });
      assert.deepEqual(change(comparison, 'length_sec'), {
        key: 'length_sec',
        previous: null,
        latest: null,
        difference: null,
        better: 'in_range',
        outcome: null,
      });
      assert.deepEqual(comparison.improved, [
        'center_gaze_ratio',
        'smile_ratio',
        'syllables_per_sec',
        'long_pause_count',
        'longest_pause_sec',
      ]);
      assert.deepEqual(comparison.worse, ['nod_count']);
      // The figure list comes from FEEDBACK_RULES and says which way is better.
      assert.deepEqual(figure(body, 'smile_ratio').target, {
        min: 0.25,
        max: 0.5,
        max_exclusive: false,
        from: 'FEEDBACK_RULES.smile_natural',
      });
      assert.equal(figure(body, 'filler_count').better, 'lower');
      assert.equal(figure(body, 'length_sec').target, 'per_answer');

      const report = await api.get(`/api/interviews/sessions/${sessionId}/report`, alice.token);
      assert.equal(report.status, 200, report.text);
      const r = report.body;
      assert.deepEqual(
        r.questions.map((q: { question_id: string; attempts: number; latest: { video_id: string } | null }) => [
          q.question_id,
          q.attempts,
          q.latest?.video_id ?? null,
        ]),
        [
          [q1, 2, second],
          [q2, 1, r.questions[1].latest.video_id],
          [q3, 0, null],
          [q4, 0, null],
        ],
      );
      // Warnings first, then suggestions, each kept in the order it was written.
      assert.deepEqual(
        r.questions[0].latest.feedback.map((item: { title: string }) => item.title),
        ['C', 'B', 'E'],
      );
      assert.deepEqual(r.questions[1].latest.feedback, []);
      // Latest attempts: q1 (gaze .8 smile .3 nods 5 syll 5.0 fillers 8, one 1.5 s pause) and
      // q2 (gaze .75 smile .3 nods 2 syll 4.0 fillers 12, no pause). In range: eye contact 2/2,
      // expression 2/2, pace 2/2, pauses 4/4 (two figures each), nodding 1/2, fillers 0/2.
      const scores = Object.fromEntries(
        r.habits.map((h: { habit: string; score: number; measured: number }) => [h.habit, [h.score, h.measured]]),
      );
      assert.deepEqual(scores, {
        pauses: [1, 4],
        eye_contact: [1, 2],
        expression: [1, 2],
        pace: [1, 2],
        nodding: [0.5, 2],
        fillers: [0, 2],
      });
      assert.deepEqual(
        r.strongest.map((h: { habit: string }) => h.habit),
        ['pauses', 'eye_contact'],
      );
      assert.deepEqual(
        r.practise_next.map((h: { habit: string }) => h.habit),
        ['fillers', 'nodding'],
      );
      assert.deepEqual(r.practise_next[0].figures, [{ key: 'filler_count', mean: 10, in_range_share: 0, measured: 2 }]);
      assert.deepEqual(
        r.strongest[0].figures.map((f: { key: string }) => f.key),
        ['long_pause_count', 'longest_pause_sec'],
      );
      assert.deepEqual(
        r.unanswered.map((q: { question_id: string; video_pending: boolean }) => [q.question_id, q.video_pending]),
        [
          [q3, false],
          [q4, true],
        ],
      );
      // Labels in the reader's language.
      const english = await api.request('GET', `/api/interviews/sessions/${sessionId}/report`, {
        token: alice.token,
        headers: { 'accept-language': 'en' },
      });
      assert.equal(english.body.strongest[1].label, 'Eye contact');
      assert.equal(r.strongest[1].label, '카메라 응시');
      // Alice's progress ranks the same latest answers (her only session's), so the same habits.
      const mine = (await api.get('/api/users/me/progress', alice.token)).body;
      assert.deepEqual(
        [
          mine.strongest.map((h: { habit: string }) => h.habit),
          mine.practise_next.map((h: { habit: string }) => h.habit),
        ],
        [
          ['pauses', 'eye_contact'],
          ['fillers', 'nodding'],
        ],
      );
      assert.deepEqual([mine.strongest, mine.practise_next], [r.strongest, r.practise_next]);

      // Another user's ids: 404, as everywhere; their own history is empty.
      expectError(await api.get(`/api/interviews/questions/${q1}/attempts`, bob.token), 404, 'NOT_FOUND');
      expectError(await api.get(`/api/interviews/sessions/${sessionId}/report`, bob.token), 404, 'NOT_FOUND');
      const bobs = await api.get('/api/users/me/progress', bob.token);
      assert.equal(bobs.status, 200, bobs.text);
      assert.deepEqual(bobs.body.answers, []);
      assert.deepEqual([bobs.body.strongest, bobs.body.practise_next], [[], []]);
      // Unknown ids: 404 too, and a video that is not an analysed answer of the question.
      expectError(await api.get(`/api/interviews/questions/${randomUUID()}/attempts`, alice.token), 404, 'NOT_FOUND');
      expectError(
        await api.get(`/api/interviews/questions/${q1}/attempts?video_id=${randomUUID()}`, alice.token),
        404,
        'NOT_FOUND',
      );
    });

    test('empty cases: no analyses give empty lists and null trends, not errors', async (t) => {
      const { api } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { sessionId, questionIds } = await sessionWith(api, user, [{ text: 'Why us?', type: 'general' }]);

      const attempts = await api.get(`/api/interviews/questions/${questionIds[0]}/attempts`, user.token);
      assert.equal(attempts.status, 200, attempts.text);
      assert.deepEqual(attempts.body.attempts, []);
      assert.equal(attempts.body.comparison, null);
      assert.equal(attempts.body.figures.length, 16);

      const progress = await api.get('/api/users/me/progress', user.token);
      assert.equal(progress.status, 200, progress.text);
      assert.deepEqual(progress.body.answers, []);
      assert.ok(
        progress.body.trends.every(
          (entry: { measured: number; mean: null; in_range_share: null; trend: null }) =>
            entry.measured === 0 && entry.mean === null && entry.in_range_share === null && entry.trend === null,
        ),
      );
      assert.equal(progress.body.from, null);

      const report = await api.get(`/api/interviews/sessions/${sessionId}/report`, user.token);
      assert.equal(report.status, 200, report.text);
      assert.deepEqual(report.body.strongest, []);
      assert.deepEqual(report.body.practise_next, []);
      assert.deepEqual(report.body.habits, []);
      assert.equal(report.body.questions[0].latest, null);
      assert.deepEqual(
        report.body.unanswered.map((q: { question_id: string }) => q.question_id),
        questionIds,
      );

      const none = await sessionWith(api, user, []);
      const emptyReport = await api.get(`/api/interviews/sessions/${none.sessionId}/report`, user.token);
      assert.deepEqual([emptyReport.body.questions, emptyReport.body.unanswered], [[], []]);
    });

    test('progress (seeded): the period, first-five against last-five trends, shares in range, by hand', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { sessionId, questionIds } = await sessionWith(api, user, [
        { text: 'Q1', type: 'intro' },
        { text: 'Q2', type: 'technical' },
      ]);
      // Twelve answers on 12 days; gaze climbs, smiles move from 0.1 into the natural range.
      const gaze = [0.5, 0.52, 0.54, 0.56, 0.58, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72];
      const smile = [0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.55, 0.55, 0.55, 0.55, 0.55];
      for (let i = 0; i < 12; i++) {
        await seedAnswer(db, {
          userId: user.id,
          sessionId,
          questionId: questionIds[i % 2]!,
          recordedAt: `2025-01-${String(i + 1).padStart(2, '0')}T09:00:00.000Z`,
          gaze: gaze[i],
          smile: smile[i],
          nods: 2,
          fillers: i < 6 ? 7 : 3,
          // The fifth answer was filmed with the face mostly out of the picture: no face figures.
          validFrames: i === 4 ? 0.3 : 0.95,
          speech: null,
        });
      }
      const all = await api.get('/api/users/me/progress', user.token);
      assert.equal(all.status, 200, all.text);
      assert.equal(all.body.answers.length, 12);
      assert.deepEqual(all.body.rules, {
        trend_window: 5,
        habits_shown: 2,
        strength_min_score: 0.5,
        report_feedback_items: 3,
      });
      assert.deepEqual(all.body.answers[0], {
        video_id: all.body.answers[0].video_id,
        recorded_at: '2025-01-01T09:00:00.000Z',
        session_id: sessionId,
        session_title: 'practice',
        question_id: questionIds[0],
        question_type: 'intro',
        figures: { ...all.body.answers[0].figures, center_gaze_ratio: 0.5, smile_ratio: 0.1, nod_count: 2 },
        in_range: { ...all.body.answers[0].in_range, center_gaze_ratio: false, smile_ratio: false, nod_count: true },
        length_target_sec: null,
      });
      assert.equal(all.body.answers[4].figures.center_gaze_ratio, null);
      const trend = (key: string) => all.body.trends.find((entry: { key: string }) => entry.key === key);
      // Gaze measured on 11 answers (not the fifth): first five 0.50–0.56 and 0.60 → 0.544;
      // last five 0.64–0.72 → 0.68; at or above 0.7: two of eleven.
      assert.deepEqual(trend('center_gaze_ratio'), {
        key: 'center_gaze_ratio',
        measured: 11,
        mean: 0.612727, // (sum of all twelve − 0.58) / 11 = (7.32 − 0.58) / 11
        in_range_share: 0.181818,
        trend: {
          method: 'first_vs_last_mean',
          window: 5,
          first_mean: 0.544,
          last_mean: 0.68,
          change: 0.136,
          first_off_target: 0.156,
          last_off_target: 0.024, // (0.06 + 0.04 + 0.02 + 0 + 0) / 5
          outcome: 'improved',
        },
      });
      // Smiles (11 measured): first five 0.1 ×4 and 0.2 → 0.12, 0.13 below the range on average;
      // last five 0.55 → 0.05 above it: closer, so improved. In range: only 0.3.
      assert.deepEqual(trend('smile_ratio').trend, {
        method: 'first_vs_last_mean',
        window: 5,
        first_mean: 0.12,
        last_mean: 0.55,
        change: 0.43,
        first_off_target: 0.13,
        last_off_target: 0.05,
        outcome: 'improved',
      });
      assert.equal(trend('smile_ratio').in_range_share, 0.090909);
      assert.deepEqual(trend('filler_count').trend, {
        method: 'first_vs_last_mean',
        window: 5,
        first_mean: 7,
        last_mean: 3,
        change: -4,
        first_off_target: 2,
        last_off_target: 0,
        outcome: 'improved',
      });
      assert.equal(trend('filler_count').in_range_share, 0.5);
      assert.deepEqual(trend('nod_count').trend.outcome, 'unchanged');
      assert.equal(trend('syllables_per_sec').trend, null);

      // A period: whole UTC days, `to` included.
      const period = await api.get('/api/users/me/progress?from=2025-01-03&to=2025-01-06', user.token);
      assert.equal(period.status, 200, period.text);
      assert.deepEqual(
        period.body.answers.map((a: { recorded_at: string }) => a.recorded_at.slice(0, 10)),
        ['2025-01-03', '2025-01-04', '2025-01-05', '2025-01-06'],
      );
      assert.equal(period.body.from, '2025-01-03T00:00:00.000Z');
      assert.equal(period.body.before, '2025-01-07T00:00:00.000Z');
      // Four answers, gaze on three (0.54, 0.56, 0.60): windows of one, 0.54 against 0.60.
      const gazeTrend = period.body.trends.find((entry: { key: string }) => entry.key === 'center_gaze_ratio');
      assert.deepEqual([gazeTrend.measured, gazeTrend.trend.window, gazeTrend.trend.change], [3, 1, 0.06]);
      // Date-times with an offset: 2025-01-02 18:00 KST is 09:00 UTC, included.
      const kst = await api.get(
        `/api/users/me/progress?from=${encodeURIComponent('2025-01-02T18:00+09:00')}&to=${encodeURIComponent('2025-01-03T09:00:00Z')}`,
        user.token,
      );
      assert.equal(kst.body.answers.length, 2, kst.text);
      // The last representable day is a period without an end, not a 500.
      const farEnd = await api.get('/api/users/me/progress?from=2025-01-01&to=9999-12-31', user.token);
      assert.equal(farEnd.status, 200, farEnd.text);
      const open = await api.get('/api/users/me/progress?from=2025-01-01', user.token);
      assert.equal(farEnd.body.answers.length, open.body.answers.length);

      // Bad periods: 422, named.
      expectValidationError(await api.get('/api/users/me/progress?from=yesterday', user.token), 'querystring.from');
      expectValidationError(await api.get('/api/users/me/progress?from=2025-02-30', user.token), 'querystring.from');
      expectValidationError(await api.get('/api/users/me/progress?to=2025-13-01', user.token), 'querystring.to');
      expectValidationError(
        await api.get('/api/users/me/progress?from=2025-01-01T10:00', user.token), // a date-time needs its offset
        'querystring.from',
      );
      expectValidationError(
        await api.get('/api/users/me/progress?from=2025-03-01&to=2025-02-01', user.token),
        'querystring.to',
      );
    });

    test('content figures (seeded in content_json)', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { sessionId, questionIds } = await sessionWith(api, user, [{ text: '협업 갈등 결과', type: 'behavioral' }]);
      const base = { userId: user.id, sessionId, questionId: questionIds[0]!, gaze: 0.8, validFrames: 0.95 };
      await seedAnswer(db, {
        ...base,
        recordedAt: '2025-05-01T00:00:00.000Z',
        // As the content analysis stores it: `{content, reason}`.
        content: {
          reason: null,
          content: {
            length: { value_sec: 150, range_sec: [45, 90], judgement: 'long' },
            structure: {
              conclusion_first: false,
              star: { situation: [0], task: [], action: [1, 2], result: [] },
              missing: ['task', 'result'],
            },
            specificity: { score: 0.2 },
            hedge_count: 4,
            relevance: { question: { covered: ['협업'], missing: ['갈등', '결과'] } },
          },
        },
      });
      await seedAnswer(db, {
        ...base,
        recordedAt: '2025-05-02T00:00:00.000Z',
        content: {
          reason: null,
          content: {
            length: { value_sec: 80, range_sec: [45, 90], judgement: 'ok' },
            structure: {
              conclusion_first: true,
              star: { situation: [1], task: [2], action: [3], result: [4] },
              missing: [],
            },
            specificity: { score: 0.6 },
            hedge_count: 1,
            relevance: { question: { covered: ['협업', '갈등', '결과'], missing: [] } },
          },
        },
      });
      // An answer without a transcript stores no content analysis.
      await seedAnswer(db, {
        ...base,
        recordedAt: '2025-05-03T00:00:00.000Z',
        content: { content: null, reason: 'No transcript' },
      });

      const reply = await api.get(`/api/interviews/questions/${questionIds[0]}/attempts`, user.token);
      assert.equal(reply.status, 200, reply.text);
      const [a, b, c] = reply.body.attempts;
      const content = (figures: Record<string, number | null>) => ({
        length_sec: figures.length_sec,
        conclusion_first: figures.conclusion_first,
        star_parts: figures.star_parts,
        specificity_score: figures.specificity_score,
        hedge_count: figures.hedge_count,
        relevance_coverage: figures.relevance_coverage,
      });
      assert.deepEqual(content(a.figures), {
        length_sec: 150,
        conclusion_first: 0,
        star_parts: 2,
        specificity_score: 0.2,
        hedge_count: 4,
        relevance_coverage: 1 / 3,
      });
      assert.deepEqual(content(b.figures), {
        length_sec: 80,
        conclusion_first: 1,
        star_parts: 4,
        specificity_score: 0.6,
        hedge_count: 1,
        relevance_coverage: 1,
      });
      assert.deepEqual(Object.values(content(c.figures)), [null, null, null, null, null, null]);
      assert.deepEqual([a.in_range.length_sec, b.in_range.length_sec, c.in_range.length_sec], [false, true, null]);
      assert.deepEqual(a.length_target_sec, [45, 90]);
      assert.equal(a.in_range.star_parts, false);
      assert.equal(b.in_range.star_parts, true);
      // Targets from CONTENT_THRESHOLDS: specificity at least 0.35, at most 2 hedges, half the question's terms.
      const contentInRange = (x: { in_range: Record<string, boolean | null> }) =>
        ['specificity_score', 'hedge_count', 'relevance_coverage'].map((key) => x.in_range[key]);
      assert.deepEqual(contentInRange(a), [false, false, false]); // 0.2, 4 hedges, 1 of 3 terms
      assert.deepEqual(contentInRange(b), [true, true, true]); // 0.6, 1 hedge, 3 of 3 terms
      assert.deepEqual(contentInRange(c), [null, null, null]);

      // Without the third answer (no content analysis), the latest two compare their content figures.
      await db.deleteFrom('interview_video').where('id', '=', c.video_id).execute();
      const two = (await api.get(`/api/interviews/questions/${questionIds[0]}/attempts`, user.token)).body;
      const changes = Object.fromEntries(
        two.comparison.changes
          .filter((entry: { previous: number | null }) => entry.previous !== null)
          .map((entry: { key: string; difference: number; outcome: string }) => [
            entry.key,
            [entry.difference, entry.outcome],
          ]),
      );
      assert.deepEqual(changes, {
        center_gaze_ratio: [0, 'unchanged'],
        length_sec: [-70, 'improved'], // 60 s over the range → inside it
        conclusion_first: [1, 'improved'],
        star_parts: [2, 'improved'],
        specificity_score: [0.4, 'improved'],
        hedge_count: [-3, 'improved'],
        relevance_coverage: [0.666667, 'improved'],
      });
    });

    test('a year of daily practice (400 answers seeded): one reply, a constant number of queries', async (t) => {
      const { api, db } = await startApp(t, dialect.name);
      const user = await signUp(api);
      const { sessionId, questionIds } = await sessionWith(api, user, [
        { text: 'Q1', type: 'intro' },
        { text: 'Q2', type: 'job' },
      ]);
      const day = Date.parse('2024-06-01T08:00:00.000Z');
      const rows = Array.from({ length: 400 }, (_, i) => ({ i, videoId: randomUUID() }));
      // Bulk inserts: the volume is for the reader, not for the seeding.
      for (let start = 0; start < rows.length; start += 100) {
        const chunk = rows.slice(start, start + 100);
        await db
          .insertInto('interview_video')
          .values(
            chunk.map(({ i, videoId }) => ({
              id: videoId,
              user_id: user.id,
              session_id: sessionId,
              question_id: questionIds[i % 2]!,
              video_url: `uploads/${videoId}.mp4`,
              audio_url: null,
              duration_sec: 60,
              created_at: new Date(day + i * 86_400_000 * 0.9).toISOString(),
            })),
          )
          .execute();
        await db
          .insertInto('nonverbal_metrics')
          .values(
            chunk.map(({ i, videoId }) => ({
              id: randomUUID(),
              video_id: videoId,
              center_gaze_ratio: i < 200 ? 0.6 : 0.8,
              smile_ratio: 0.3,
              nod_count: 2,
              nod_rate_per_min: 2,
              wpm: 100,
              filler_count: i % 10,
              primary_emotion: 'neutral',
              metadata_json: JSON.stringify({ confidence: { valid_frame_ratio: 0.9 } }),
              measures_json: JSON.stringify({ speech: koreanSpeech(4 + (i % 3) * 0.5, [1.1, 2.2]) }),
              created_at: new Date(day + i * 86_400_000 * 0.9 + 60_000).toISOString(),
            })),
          )
          .execute();
      }
      const started = performance.now();
      const reply = await api.get('/api/users/me/progress?from=2024-06-01&to=2025-06-01', user.token);
      const elapsedMs = performance.now() - started;
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.answers.length, 400);
      const gaze = reply.body.trends.find((entry: { key: string }) => entry.key === 'center_gaze_ratio');
      assert.deepEqual(
        [gaze.measured, gaze.in_range_share, gaze.trend.first_mean, gaze.trend.last_mean],
        [400, 0.5, 0.6, 0.8],
      );
      t.diagnostic(
        `progress over 400 answers (${dialect.name}): ${elapsedMs.toFixed(0)} ms, ${reply.text.length} bytes`,
      );

      // The same number of statements for 2 answers and for 400: no query per answer.
      const statements: string[] = [];
      const counter: KyselyPlugin = {
        transformQuery: (args) => {
          statements.push(args.node.kind);
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const service = createProgressService(db.withPlugin(counter), {
        getQuestion: async () => ({}) as never,
        getSession: async () => ({}) as never,
      });
      await service.progress(user.id, {}, 'ko'); // the first call also asks once whether content_json exists
      statements.length = 0;
      await service.progress(user.id, {}, 'ko');
      const forMany = statements.length;
      statements.length = 0;
      await service.progress(user.id, { from: '2024-06-01T00:00:00.000Z', before: '2024-06-02T12:00:00.000Z' }, 'ko');
      assert.equal(statements.length, forMany);
      assert.equal(forMany, 1);
      statements.length = 0;
      await service.report(user.id, sessionId, 'ko');
      assert.ok(statements.length <= 5, `report: ${statements.length} statements`);
      const reportStatements = statements.length;
      statements.length = 0;
      await service.attempts(user.id, questionIds[0]!, 'ko');
      assert.equal(statements.length, 1);
      t.diagnostic(`report over 400 answers: ${reportStatements} statements`);
    });
  });
}

// Two real analyses (SQLite only: each costs seconds of CPU): the figures are the stored results'.
describe('practice history over real analyses (sqlite)', () => {
  test('two analysed attempts of one question: figures match the results, differences by hand', async (t) => {
    const { api } = await startApp(t, 'sqlite');
    const user = await signUp(api);
    const { sessionId, questionIds } = await sessionWith(api, user, [
      { text: 'Tell me about yourself', type: 'intro' },
    ]);
    const videoIds: string[] = [];
    for (const file of [TALKING_MALE, TALKING_FEMALE]) {
      const form = new FormData();
      form.append('session_id', sessionId);
      form.append('question_id', questionIds[0]!);
      form.append('file', new Blob([await readFile(file)]), 'answer.mp4');
      const uploaded = await api.request('POST', '/api/video/upload', { body: form, token: user.token });
      assert.equal(uploaded.status, 200, uploaded.text);
      const analysed = await api.post(`/api/video/analyze/${uploaded.body.video_id}`, undefined, user.token);
      assert.equal(analysed.status, 200, analysed.text);
      videoIds.push(uploaded.body.video_id);
    }
    const results = await Promise.all(
      videoIds.map(async (id) => (await api.get(`/api/video/results/${id}`, user.token)).body),
    );
    const reply = await api.get(`/api/interviews/questions/${questionIds[0]}/attempts`, user.token);
    assert.equal(reply.status, 200, reply.text);
    const { attempts, comparison } = reply.body;
    assert.deepEqual(
      attempts.map((a: { video_id: string }) => a.video_id),
      videoIds,
    );
    for (const [i, attempt] of attempts.entries()) {
      const metrics = results[i].metrics;
      assert.ok(metrics.metadata.confidence.valid_frame_ratio >= 0.5);
      for (const key of ['center_gaze_ratio', 'smile_ratio', 'nod_count'])
        assert.equal(attempt.figures[key], metrics[key], key);
      assert.equal(attempt.figures.pause_count, metrics.speech.pause_count);
      assert.equal(attempt.figures.syllables_per_sec, null); // no transcription engine in tests
      assert.equal(attempt.figures.filler_count, null);
    }
    const gaze = comparison.changes.find((entry: { key: string }) => entry.key === 'center_gaze_ratio');
    const [before, after] = results.map((r) => r.metrics.center_gaze_ratio as number);
    assert.equal(gaze.difference, Number((after! - before!).toFixed(6)));
    assert.equal(gaze.outcome, after! > before! ? 'improved' : after! < before! ? 'worse' : 'unchanged');

    const report = (await api.get(`/api/interviews/sessions/${sessionId}/report`, user.token)).body;
    assert.equal(report.questions[0].latest.video_id, videoIds[1]);
    assert.ok(report.questions[0].latest.feedback.length > 0 && report.questions[0].latest.feedback.length <= 3);
    const progress = (await api.get('/api/users/me/progress', user.token)).body;
    assert.deepEqual(
      progress.answers.map((a: { video_id: string }) => a.video_id),
      videoIds,
    );
  });
});
