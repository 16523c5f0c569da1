import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable, PatternString, Timestamp, Uuid } from '../http/schemas.ts';
import { FIGURES, HISTORY_RULES } from './figures.ts';
import { ISO_DATE_OR_TIME } from './period.ts';

const DATE_OR_TIME = 'a date like 2026-11-27 or a date-time like 2026-11-27T09:00:00Z';

const { trend_window: window, strength_min_score: strengthMin, report_feedback_items: feedbackItems } = HISTORY_RULES;

/** Nullable, with a description for the OpenAPI document. */
const NullableWith = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

const Better = Type.Union([Type.Literal('higher'), Type.Literal('lower'), Type.Literal('in_range')]);
const Outcome = Nullable(Type.Union([Type.Literal('improved'), Type.Literal('worse'), Type.Literal('unchanged')]));
const FigureKey = Type.Union(FIGURES.map((figure) => Type.Literal(figure.key)));

const Target = Type.Object({
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  max_exclusive: Type.Boolean(),
  from: Type.String({ description: 'The constant the range comes from' }),
});

const Figure = Type.Object({
  key: FigureKey,
  kind: Type.Union([Type.Literal('delivery'), Type.Literal('content')]),
  label: Type.String(),
  source: Type.String({ description: 'Where the value is read from' }),
  better: NullableWith(Better, 'Null: for reference, never judged'),
  target: Type.Union([Target, Type.Literal('per_answer'), Type.Null()], {
    description: 'Null when no constant sets a range; per_answer when each analysis stores its own (length)',
  }),
  habit: Nullable(Type.String()),
  unit: Type.String(),
  description: Type.String(),
});
const Rules = Type.Object(
  {
    trend_window: Type.Integer(),
    habits_shown: Type.Integer(),
    strength_min_score: Type.Number(),
    report_feedback_items: Type.Integer(),
  },
  { description: 'The constants these figures were computed with (HISTORY_RULES)' },
);

const Figures = Type.Array(Figure, {
  description: 'Every key figure: where it comes from, which way is better, and its target range',
});

const FigureValues = Type.Object(
  Object.fromEntries(FIGURES.map((figure) => [figure.key, NullableWith(Type.Number(), figure.description)])),
  {
    description:
      'The key figures; null when not measured (no transcript, too few frames with a face, no content analysis)',
  },
);
const InRange = Type.Object(Object.fromEntries(FIGURES.map((figure) => [figure.key, Nullable(Type.Boolean())])), {
  description: 'Per figure: inside its target range; null when the figure or its target is missing',
});
const AnswerFigures = {
  figures: FigureValues,
  in_range: InRange,
  length_target_sec: NullableWith(
    Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
    'This answer’s length range',
  ),
};

export const AttemptsResponse = Type.Object({
  question: Type.Object({ id: Uuid(), session_id: Uuid(), text: Type.String(), type: Type.String() }),
  figures: Figures,
  attempts: Type.Array(
    Type.Object({
      attempt: Type.Integer({ minimum: 1, description: '1 for the oldest' }),
      video_id: Uuid(),
      recorded_at: Timestamp,
      analysed_at: Timestamp,
      ...AnswerFigures,
    }),
    { description: 'Every analysed answer video of the question, oldest first' },
  ),
  comparison: NullableWith(
    Type.Object({
      previous_video_id: Uuid(),
      latest_video_id: Uuid(),
      changes: Type.Array(
        Type.Object({
          key: FigureKey,
          previous: Nullable(Type.Number()),
          latest: Nullable(Type.Number()),
          difference: Nullable(Type.Number({ description: 'latest − previous' })),
          better: Nullable(Better),
          outcome: Outcome,
        }),
      ),
      improved: Type.Array(FigureKey),
      worse: Type.Array(FigureKey),
    }),
    'The latest attempt (or the one `video_id` names) against the one analysed before it; null when there is none before. `latest_video_id` is the attempt compared. For in_range figures, closer to the range is better.',
  ),
});

export const AttemptsQuery = Type.Object({
  video_id: Type.Optional(
    Uuid('An analysed answer of the question: compare it, instead of the latest, with the one before it'),
  ),
});

export const ProgressQuery = Type.Object({
  from: Type.Optional(
    PatternString(ISO_DATE_OR_TIME, DATE_OR_TIME, {
      description: 'ISO-8601 date (a UTC day) or date-time with an offset; answers recorded from then on',
    }),
  ),
  to: Type.Optional(
    PatternString(ISO_DATE_OR_TIME, DATE_OR_TIME, {
      description: 'ISO-8601 date (that UTC day included) or date-time (included); answers recorded until then',
    }),
  ),
});

const Trend = Type.Object(
  {
    method: Type.Literal('first_vs_last_mean'),
    window: Type.Integer({ description: `Answers in each window: ${window}, or half the measured answers` }),
    first_mean: Type.Number(),
    last_mean: Type.Number(),
    change: Type.Number({ description: 'last_mean − first_mean' }),
    first_off_target: NullableWith(Type.Number(), 'Mean distance outside the target range in the first window'),
    last_off_target: Nullable(Type.Number()),
    outcome: Outcome,
  },
  {
    description: `Mean of the first ${window} measured answers against the last ${window} (half each below ${2 * window}); null below 2. For in_range figures the outcome compares the mean distance outside the range.`,
  },
);

const HabitScore = Type.Object({
  habit: Type.String(),
  label: Type.String(),
  score: Type.Number({ description: 'Share of its figures (answer × figure with a target) inside the target' }),
  measured: Type.Integer(),
  figures: Type.Array(
    Type.Object({
      key: FigureKey,
      mean: Type.Number(),
      in_range_share: Type.Number(),
      measured: Type.Integer(),
    }),
    { description: 'The figures behind it' },
  ),
});

export const ProgressResponse = Type.Object({
  from: Nullable(Timestamp),
  before: NullableWith(Timestamp, 'The period ends before this instant'),
  figures: Figures,
  rules: Rules,
  answers: Type.Array(
    Type.Object({
      video_id: Uuid(),
      recorded_at: Timestamp,
      session_id: Uuid(),
      session_title: Nullable(Type.String()),
      question_id: Uuid(),
      question_type: Type.String(),
      ...AnswerFigures,
    }),
    { description: 'Every analysed answer recorded in the period, oldest first' },
  ),
  trends: Type.Array(
    Type.Object({
      key: FigureKey,
      measured: Type.Integer({ description: 'Answers with this figure' }),
      mean: Nullable(Type.Number()),
      in_range_share: NullableWith(Type.Number(), 'Share of the measured answers inside the target range'),
      trend: Nullable(Trend),
    }),
  ),
  strongest: Type.Array(HabitScore, {
    description:
      "As in a session's report, over the latest analysed answer to each question answered in the period: the two best-scored habits",
  }),
  practise_next: Type.Array(HabitScore, {
    description: 'Likewise: the two worst-scored habits of the rest with a score below 1, worst first',
  }),
});

const QuestionRef = {
  question_id: Uuid(),
  order: Type.Integer(),
  text: Type.String(),
  type: Type.String(),
};

export const ReportResponse = Type.Object({
  session: Type.Object({ id: Uuid(), title: Nullable(Type.String()), status: Type.String(), created_at: Timestamp }),
  figures: Figures,
  rules: Rules,
  questions: Type.Array(
    Type.Object({
      ...QuestionRef,
      attempts: Type.Integer({ description: 'Analysed answer videos' }),
      latest: Nullable(
        Type.Object({
          video_id: Uuid(),
          recorded_at: Timestamp,
          analysed_at: Timestamp,
          ...AnswerFigures,
          feedback: Type.Array(
            Type.Object({
              title: Type.String(),
              message: Type.String(),
              severity: Type.String(),
              start_sec: Nullable(Type.Number()),
              end_sec: Nullable(Type.Number()),
            }),
            { description: `Up to ${feedbackItems}: warnings, then suggestions, then strengths` },
          ),
        }),
      ),
    }),
    { description: "The session's questions by order" },
  ),
  strongest: Type.Array(HabitScore, {
    description: `The two best-scored habits of the latest attempts, each with a score of at least ${strengthMin}`,
  }),
  practise_next: Type.Array(HabitScore, {
    description: 'The two worst-scored habits of the rest with a score below 1, worst first',
  }),
  habits: Type.Array(HabitScore, { description: 'Every scored habit, best first' }),
  unanswered: Type.Array(
    Type.Object({
      ...QuestionRef,
      video_pending: Type.Boolean({ description: 'A video was uploaded but has no analysis yet' }),
    }),
    { description: 'Questions without an analysed answer' },
  ),
});
