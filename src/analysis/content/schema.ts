// The shape of a content analysis, once: the TypeScript type comes from it, and the API's response
// schema (and so the OpenAPI document) uses it as it is.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Indexes = Type.Array(Type.Integer({ minimum: 0 }), { description: 'Indexes of the sentences that carry it' });
const StarPart = Type.Union([
  Type.Literal('situation'),
  Type.Literal('task'),
  Type.Literal('action'),
  Type.Literal('result'),
]);
const Coverage = Type.Object({
  covered: Type.Array(Type.String()),
  missing: Type.Array(Type.String()),
});

export const RUBRIC_DIMENSIONS = ['point_first', 'structure', 'specificity', 'relevance', 'assertiveness'] as const;
export type RubricDimension = (typeof RUBRIC_DIMENSIONS)[number];

export const RubricScore = Type.Object({
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  evidence: Type.Array(Type.String(), {
    description: 'Spans quoted from the transcript; quotes not found in it are dropped',
  }),
  advice: Type.String(),
});

export const Rubric = Type.Object(
  Object.fromEntries(RUBRIC_DIMENSIONS.map((dimension) => [dimension, RubricScore])) as Record<
    RubricDimension,
    typeof RubricScore
  >,
  {
    description:
      'Gemini’s 1–5 scores against the written rubric (CONTENT_THRESHOLDS.rubric); null without a key or when Gemini failed',
  },
);

export const ContentAnalysisSchema = Type.Object(
  {
    language: Type.Union([Type.Literal('ko'), Type.Literal('en')]),
    sentence_count: Type.Integer({ minimum: 0 }),
    sentences: Type.Array(Type.String(), {
      description: 'The transcript split into sentences; the indexes below point into it',
    }),
    sentence_times: Type.Optional(
      Type.Array(Nullable(Type.Object({ start_sec: Type.Number(), end_sec: Type.Number() })), {
        description:
          'When each sentence was said (word times, else the segments that hold it), clipped to the video; null when unknown. Absent in results stored before',
      }),
    ),
    word_count: Type.Integer({ minimum: 0 }),
    duration_sec: Type.Number({ description: 'The video’s duration' }),
    length: Type.Object({
      value_sec: Type.Number({
        description: 'First to last transcribed word (the video’s duration when the transcript has no times)',
      }),
      range_sec: Type.Tuple([Type.Number(), Type.Number()], { description: 'The range for this question type' }),
      judgement: Type.Union([Type.Literal('short'), Type.Literal('ok'), Type.Literal('long')]),
    }),
    structure: Type.Object({
      conclusion_first: Type.Boolean({
        description: 'The first sentence past greetings states the point or a result (두괄식)',
      }),
      conclusion_sentence: Nullable(Type.String({ description: 'The sentence that judgement is based on' })),
      star: Type.Object({ situation: Indexes, task: Indexes, action: Indexes, result: Indexes }),
      missing: Type.Array(StarPart),
    }),
    specificity: Type.Object({
      numbers: Type.Array(Type.Object({ text: Type.String(), sentence: Type.Integer({ minimum: 0 }) })),
      skills: Type.Array(Type.String()),
      named_things: Type.Array(Type.String({ description: 'Projects, products, organisations' })),
      score: Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          '0.5·min(1, numbers/2) + 0.25·min(1, skills/2) + 0.25·min(1, named_things/1) (CONTENT_THRESHOLDS.specificity)',
      }),
    }),
    hedges: Type.Array(
      Type.Object({
        text: Type.String(),
        sentence: Type.Integer({ minimum: 0 }),
        time_sec: Nullable(Type.Number({ description: 'When the engine gave word times' })),
      }),
    ),
    hedge_count: Type.Integer({ minimum: 0 }),
    repeated_phrases: Type.Array(Type.Object({ text: Type.String(), count: Type.Integer() })),
    relevance: Type.Object({ question: Coverage, posting: Coverage, portfolio: Coverage }),
    rubric: Nullable(Rubric),
    mode: Type.Union([Type.Literal('rules'), Type.Literal('gemini')], {
      description: 'gemini when the rubric came back and was used',
    }),
    fallback_reason: Nullable(Type.String({ description: 'Why Gemini’s rubric was not used, when a key was set' })),
  },
  {
    description:
      'What the answer said, from its transcript: length, structure (두괄식, STAR), specificity, hedges, repeated phrases, relevance; null without a transcript',
  },
);

export type ContentAnalysis = Static<typeof ContentAnalysisSchema>;
export type RubricResult = Static<typeof Rubric>;
