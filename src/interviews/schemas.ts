import { Type, type Static } from '@sinclair/typebox';
import { NonBlankString, Nullable, OptionalNullable, Timestamp, Uuid } from '../http/schemas.ts';

export const SessionStatus = Type.Union([
  Type.Literal('in_progress'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

export const QUESTION_TYPES = [
  'intro',
  'general',
  'portfolio',
  'job',
  'weakness',
  'behavioral',
  'technical',
  'followup',
] as const;
export const QuestionType = Type.Union(QUESTION_TYPES.map((type) => Type.Literal(type)));

export const SessionParams = Type.Object({ session_id: Uuid() });
export const QuestionParams = Type.Object({ question_id: Uuid() });

export const SessionCreate = Type.Object({
  title: OptionalNullable(Type.String({ maxLength: 300 })),
  portfolio_id: OptionalNullable(Uuid('One of your portfolios')),
  job_posting_id: OptionalNullable(Uuid('One of your job postings')),
  status: Type.Optional(SessionStatus),
  generate_questions: Type.Optional(
    Type.Boolean({
      description: 'Generate questions from the documents (default true; the latest portfolio when none is named)',
    }),
  ),
});
export type SessionCreate = Static<typeof SessionCreate>;

export const SessionResponse = Type.Object({
  id: Uuid(),
  user_id: Uuid(),
  portfolio_id: Nullable(Uuid()),
  job_posting_id: Nullable(Uuid()),
  title: Nullable(Type.String()),
  status: Type.String(),
  completed_at: Nullable(Timestamp),
  created_at: Timestamp,
});

export const QuestionCreate = Type.Object({
  text: NonBlankString({ maxLength: 5000 }),
  type: Type.Optional(QuestionType),
  source: Type.Optional(NonBlankString({ maxLength: 50, description: 'Who wrote it; default "user"' })),
  order: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Position in the session; default: after the last' }),
  ),
  parent_question_id: OptionalNullable(Uuid('A question of the same session')),
});
export type QuestionCreate = Static<typeof QuestionCreate>;

export const QuestionResponse = Type.Object({
  id: Uuid(),
  session_id: Uuid(),
  order: Type.Integer(),
  text: Type.String(),
  type: Type.String(),
  source: Type.String(),
  parent_question_id: Nullable(Uuid()),
  created_at: Timestamp,
});

export const GenerateQuery = Type.Object({
  lang: Type.Optional(
    Type.Union([Type.Literal('ko'), Type.Literal('en')], {
      description: 'Default: Accept-Language, then FEEDBACK_LANG',
    }),
  ),
});

const AnswerText = NonBlankString({
  maxLength: 20_000,
  description: 'Default: the newest written answer, else the newest transcript of the question',
});
export const FollowUpCreate = Type.Object({ answer_text: Type.Optional(AnswerText) });
export const FollowUpQuery = Type.Composite([
  GenerateQuery,
  Type.Object({
    answer_text: Type.Optional(
      NonBlankString({
        // A URL carries less than a body: Node refuses request lines over 16 KB.
        maxLength: 4000,
        description: "As in the body (the original's client sends it here); the body's wins when both are sent",
      }),
    ),
  }),
]);

export const AnswerCreate = Type.Object({
  text: NonBlankString({ maxLength: 50_000 }),
  audio_url: OptionalNullable(Type.String({ maxLength: 2048 })),
  question_id: Type.Optional(Uuid('Ignored: the question in the path wins')),
});
export type AnswerCreate = Static<typeof AnswerCreate>;

export const AnswerResponse = Type.Object({
  id: Uuid(),
  question_id: Uuid(),
  text: Type.String(),
  audio_url: Nullable(Type.String()),
  created_at: Timestamp,
});
